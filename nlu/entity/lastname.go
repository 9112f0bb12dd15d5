package entity

import (
	"strings"
	"time"
	"unicode"
)

// AMAZON.LastName returns the family name as said. In Korean and Chinese
// the family name comes first and is usually one syllable, so it is read
// from a full name ("홍길동" → 홍, "王小明" → 王) using the lists of common
// family names below; in English it is the word after "my last name is",
// or the last of a capitalised "First Last".

func findLastName(in *input, lg lang, _ time.Time) []span {
	return nameSpan(in, lg, koLastName, zhLastName, enLastName)
}

// ---- English ----

var enLastNameCues = []string{
	"my last name is", "my last name's", "last name is", "last name's", "my surname is",
	"my surname's", "surname is", "surname's", "my family name is", "family name is",
	"it's", "it is", "last name", "surname",
}

func enLastName(in *input) (span, bool) {
	if s, ok := enNameAfterCue(in, enLastNameCues); ok {
		return s, true
	}
	// A short answer: one word, or the last of a capitalised "First Last".
	a, b := in.trimmed()
	e, ok := enNameWord(in, a)
	if !ok {
		return span{}, false
	}
	if e == b {
		return span{start: a, end: e, value: nameValue(in, a, e)}, true
	}
	g, ok := in.gap(e)
	if !ok || !unicode.IsUpper(in.cased[a]) || !unicode.IsUpper(in.cased[g]) {
		return span{}, false
	}
	last, ok := enNameWord(in, g)
	if !ok || last != b {
		return span{}, false
	}
	return span{start: g, end: last, value: nameValue(in, g, last)}, true
}

// ---- Korean ----

// koSurnames are the common Korean family names, two-syllable ones first.
var koSurnames = []string{
	"남궁", "제갈", "선우", "독고", "황보", "사공", "서문", "동방",
	"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신",
	"권", "황", "안", "송", "류", "유", "전", "홍", "고", "문", "양", "손", "배", "백",
	"허", "남", "심", "노", "하", "곽", "성", "차", "주", "우", "구", "민", "진", "나",
	"지", "엄", "채", "원", "천", "방", "공", "현", "함", "변", "염", "여", "추", "도",
	"소", "석", "선", "설", "마", "길", "연", "위", "표", "명", "기", "반", "라", "왕",
	"금", "옥", "육", "인", "맹", "제", "모", "탁", "국", "은", "편", "용",
	"경", "봉", "사", "부", "가", "복", "태", "목", "형", "계", "피", "두", "감",
	"빈", "동", "온", "호", "범", "좌", "팽", "승", "간", "상", "갈", "시", "단", "견",
	"당", "화", "창", "옹", "순", "빙",
}

// koSurnameCues introduce a family name alone ("제 성은 김이에요").
var koSurnameCues = []string{"제 성은", "내 성은", "성은", "성이", "성씨는", "제 성씨는"}

// koSurnameOf returns how many leading syllables of a name are its family
// name, or 0. Without a cue the word must look like a full name: a surname
// and a two-syllable given name (two-syllable words such as 정말 or 이거
// are too often not names) that does not end like a verb (고마워, 부탁해).
func koSurnameOf(w []rune, cued bool) int {
	s := string(w)
	for _, sn := range koSurnames {
		n := len([]rune(sn))
		if !strings.HasPrefix(s, sn) {
			continue
		}
		switch {
		case len(w) == n:
			return n
		case cued && len(w) >= n+1 && len(w) <= n+3:
			return n
		case len(w) == n+2 && !strings.ContainsRune(koVerbFinals, w[len(w)-1]):
			return n
		}
	}
	return 0
}

// koVerbFinals end verbs and adverbs, rarely given names.
const koVerbFinals = "워해다까죠게래요히고서면도"

func koLastName(in *input) (span, bool) {
	word := func(i int, cued bool, surnameOnly bool) (span, bool) {
		j := hangulWord(in, i)
		if j == i {
			return span{}, false
		}
		w := stripKoName(in.r[i:j])
		if surnameOnly {
			// "김이에요", "김씨요", "김가입니다": the whole word is the surname.
			w = stripSurnameEnding(w)
			for _, sn := range koSurnames {
				if string(w) == sn {
					return span{start: i, end: i + len(w), value: sn}, true
				}
			}
			return span{}, false
		}
		n := koSurnameOf(w, cued)
		if n == 0 {
			return span{}, false
		}
		return span{start: i, end: i + n, value: string(w[:n])}, true
	}
	for i := 0; i < len(in.r); i++ {
		if !in.startOK(i) {
			continue
		}
		if k, _ := in.longest(i, koSurnameCues); k > 0 && (k == len(in.r) || unicode.IsSpace(in.r[k])) {
			return word(in.spaces(k), true, true)
		}
		if k, _ := in.longest(i, koNameCues); k > 0 && (k == len(in.r) || unicode.IsSpace(in.r[k])) {
			return word(in.spaces(k), true, false)
		}
	}
	a, b := in.trimmed()
	if len(strings.Fields(string(in.r[a:b]))) > 3 {
		return span{}, false
	}
	for _, w := range koLeadWords {
		if k := in.lit(a, w); k > 0 && !isHangul(in.at(k)) {
			a = skipAnswerGap(in, k)
			break
		}
	}
	if s, ok := word(a, false, true); ok {
		return s, true
	}
	return word(a, false, false)
}

// stripSurnameEnding removes 씨 and 가 ("김씨", "김가") after a surname.
func stripSurnameEnding(w []rune) []rune {
	if n := len(w); n >= 2 && (w[n-1] == '씨' || w[n-1] == '가') {
		return w[:n-1]
	}
	return w
}

// ---- Chinese ----

// zhSurnames are the common Chinese family names, compound ones first.
var zhSurnames = []string{
	"欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "尉迟", "公孙", "司徒", "夏侯",
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
	"魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "傅", "方", "白", "邹", "孟", "熊", "秦", "邱", "江",
	"尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚",
	"邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "常", "温", "康", "施",
	"文", "牛", "樊", "葛", "邢", "安", "齐", "易", "乔", "伍", "庞", "颜", "倪", "庄", "聂",
	"章", "鲁", "岳", "翟", "殷", "詹", "申", "耿", "关", "兰", "焦", "俞", "左", "柳", "甘",
	"祝", "包", "宁", "尚", "符", "舒", "阮", "柯", "纪", "梅", "童", "凌", "毕", "单", "季",
	"裴", "霍", "涂", "成", "苗", "谷", "盛", "曲", "翁", "冉", "骆", "蓝", "路", "游", "辛",
	"靳", "管", "柴", "蒙", "鲍", "华", "喻", "祁", "蒲", "房", "滕", "屈", "饶", "解", "牟",
	"艾", "尤", "阳", "时", "穆", "农", "司", "卓", "古", "吉", "缪", "简", "车", "项", "连",
	"芦", "麦", "褚", "娄", "窦", "戚", "岑", "景", "党", "宫", "费", "卜", "冷", "晏", "席",
	"卫", "米", "柏", "宗", "瞿", "桂", "全", "佟", "应", "臧", "闵", "苟", "邬", "边", "卞",
	"姬", "师", "和", "仇", "栾", "隋", "商", "刁", "沙", "荣", "巫", "寇", "桑", "郎", "甄",
	"丛", "仲", "虞", "敖", "巩", "明", "佘", "池", "查", "麻", "苑", "迟", "邝",
}

// zhNotNames are everyday words that begin with a family name character.
var zhNotNames = map[string]bool{
	"谢谢": true, "明天": true, "明白": true, "时间": true, "时候": true, "高兴": true,
	"安全": true, "文件": true, "关于": true, "成功": true, "全部": true, "常常": true,
	"马上": true, "路上": true, "应该": true, "和": true, "向": true, "于是": true,
	"万一": true, "单人": true, "双人": true, "周末": true, "周一": true, "高铁": true,
}

// zhSurnameAt returns the end of a family name at i, or -1.
func zhSurnameAt(in *input, i int) int {
	j, _ := in.longest(i, zhSurnames)
	return j
}

func zhLastName(in *input) (span, bool) {
	for i := range in.r {
		// 我姓王, 免贵姓李, 姓欧阳: the family name follows 姓 directly.
		if in.r[i] == '姓' {
			k := in.spaces(i + 1)
			if e := zhSurnameAt(in, k); e > 0 {
				return span{start: k, end: e, value: string(in.r[k:e])}, true
			}
			if isHan(in.at(k)) && !strings.ContainsRune("什名啥", in.at(k)) {
				return span{start: k, end: k + 1, value: string(in.r[k : k+1])}, true
			}
		}
	}
	for i := range in.r {
		if k, _ := in.longest(i, zhNameCues); k > 0 {
			k = in.spaces(k)
			if e := zhSurnameAt(in, k); e > 0 && isHan(in.at(e)) {
				return span{start: k, end: e, value: string(in.r[k:e])}, true
			}
			return span{}, false
		}
	}
	// A short answer: a full name of two to four characters, or a surname alone.
	a, b := in.trimmed()
	e := zhSurnameAt(in, a)
	if e < 0 || b-a > 4 || strings.ContainsAny(string(in.r[a:b]), zhNotInBareName) || zhNotNames[string(in.r[a:b])] {
		return span{}, false
	}
	for k := a; k < b; k++ {
		if !isHan(in.r[k]) {
			return span{}, false
		}
	}
	if e == b || b-e <= 2 {
		return span{start: a, end: e, value: string(in.r[a:e])}, true
	}
	return span{}, false
}

package entity

import (
	"strconv"
	"strings"
	"time"
)

// num is a parsed numeral, kept as decimal digits so that long digit strings
// and decimals round-trip exactly.
type num struct {
	neg   bool
	whole string // integer digits without leading zeros; "0" for zero
	frac  string // digits after the decimal point; "" if none
}

func intNum(v int64) num { return num{whole: strconv.FormatInt(v, 10)} }

func digitsNum(whole, frac string) num {
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	return num{whole: whole, frac: frac}
}

func (n num) String() string {
	s := n.whole
	if n.frac != "" {
		s += "." + n.frac
	}
	if n.neg && s != "0" {
		s = "-" + s
	}
	return s
}

// scaled multiplies n by 10^zeros by moving the decimal point.
func (n num) scaled(zeros int) num {
	digits := n.whole + n.frac
	point := len(n.whole) + zeros
	for len(digits) < point {
		digits += "0"
	}
	out := digitsNum(digits[:point], strings.TrimRight(digits[point:], "0"))
	out.neg = n.neg
	return out
}

// float returns n as a float64, for fractional quantities such as "1.5 hours".
func (n num) float() float64 {
	f, _ := strconv.ParseFloat(n.String(), 64)
	return f
}

// maxWordNumber bounds numbers spelled in words so that accumulation cannot
// overflow int64.
const maxWordNumber = 1e15

// parseDigits reads ASCII digits at i, with "3,500" thousands groups and a
// ".45" decimal part.
func parseDigits(in *input, i int) (num, int, bool) {
	j := i
	for isDigit(in.at(j)) {
		j++
	}
	if j == i {
		return num{}, i, false
	}
	whole := string(in.r[i:j])
	if j-i <= 3 {
		for in.at(j) == ',' && isDigit(in.at(j+1)) && isDigit(in.at(j+2)) && isDigit(in.at(j+3)) && !isDigit(in.at(j+4)) {
			whole += string(in.r[j+1 : j+4])
			j += 4
		}
	}
	frac := ""
	if in.at(j) == '.' && isDigit(in.at(j+1)) {
		k := j + 1
		for isDigit(in.at(k)) {
			k++
		}
		frac = string(in.r[j+1 : k])
		j = k
	}
	return digitsNum(whole, frac), j, true
}

// parseDigitInt reads a plain run of ASCII digits (no separators) as an int.
func parseDigitInt(in *input, i int) (int, int, bool) {
	j := i
	for isDigit(in.at(j)) && j-i < 9 {
		j++
	}
	if j == i || isDigit(in.at(j)) {
		return 0, i, false
	}
	v, _ := strconv.Atoi(string(in.r[i:j]))
	return v, j, true
}

// intCand is one reading of an integer at some position.
type intCand struct {
	v      int
	end    int
	native bool // Korean native numeral (한, 두, 스물…): takes native counters
}

// integers returns every reading of a whole number at i in the language's
// numeral systems (digits always count). Callers check what follows.
func integers(in *input, i int, lg lang) []intCand {
	var out []intCand
	if v, j, ok := parseDigitInt(in, i); ok {
		out = append(out, intCand{v: v, end: j})
	}
	switch lg {
	case langEn:
		if v, j, ok := parseEnInt(in, i); ok && v < 1e9 {
			out = append(out, intCand{v: int(v), end: j})
		}
	case langKo:
		if v, j, _, ok := parseKoSino(in, i); ok && v < 1e9 {
			out = append(out, intCand{v: int(v), end: j})
		}
		if v, j, ok := parseKoNative(in, i); ok {
			out = append(out, intCand{v: v, end: j, native: true})
		}
	case langZh:
		if v, j, ok := parseZhInt(in, i); ok && v < 1e9 {
			out = append(out, intCand{v: int(v), end: j})
		}
	}
	return out
}

// ---- English ----

var enSmall = map[string]int64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var enTens = map[string]int64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

var enScales = map[string]int64{
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// parseEnInt reads an English cardinal such as "one hundred and twenty-three"
// or "a thousand". Word order is checked so "five four" stops after "five".
func parseEnInt(in *input, i int) (int64, int, bool) {
	const (
		none = iota
		unit
		teen
		tens
		hundred
		scale
	)
	var total, cur int64
	last, lastScale := none, int64(0)
	article := false // "a hundred": the article stands for one
	end, j := -1, i
	for {
		w, k := in.latinWord(j)
		if w == "" {
			break
		}
		if v, ok := enSmall[w]; ok {
			switch {
			case v >= 1 && v <= 9 && (last == none || last == tens || last == hundred || last == scale):
			case (v == 0 || v >= 10) && (last == none || last == hundred || last == scale):
			default:
				return finishEn(total, cur, end)
			}
			cur += v
			if v >= 1 && v <= 9 {
				last = unit
			} else {
				last = teen
			}
		} else if v, ok := enTens[w]; ok {
			if last != none && last != hundred && last != scale {
				return finishEn(total, cur, end)
			}
			cur += v
			last = tens
		} else if w == "hundred" {
			if last == none && !article || last == hundred || last == tens || cur%100 == 0 && last != none {
				return finishEn(total, cur, end)
			}
			if cur == 0 {
				cur = 1
			}
			cur *= 100
			last = hundred
		} else if s, ok := enScales[w]; ok {
			if last == none && !article || lastScale != 0 && s >= lastScale {
				return finishEn(total, cur, end)
			}
			if cur == 0 {
				cur = 1
			}
			total += cur * s
			cur, last, lastScale = 0, scale, s
		} else if (w == "a" || w == "an") && last == none {
			// "a hundred", "a thousand": only counts if a multiplier follows.
			n, _ := in.gap(k)
			nw, _ := in.latinWord(n)
			if nw != "hundred" && enScales[nw] == 0 {
				break
			}
			j, article = n, true
			continue
		} else if w == "and" && (last == hundred || last == scale) {
			n, _ := in.gap(k)
			nw, _ := in.latinWord(n)
			if _, ok := enSmall[nw]; !ok && enTens[nw] == 0 {
				break
			}
			j = n
			continue
		} else {
			break
		}
		if total+cur > maxWordNumber {
			return 0, i, false
		}
		end = k
		// Words are joined by spaces or, inside "twenty-three", a hyphen.
		if in.at(k) == '-' && isASCIILetter(in.at(k+1)) {
			j = k + 1
		} else if n, ok := in.gap(k); ok {
			j = n
		} else {
			break
		}
	}
	return finishEn(total, cur, end)
}

func finishEn(total, cur int64, end int) (int64, int, bool) {
	if end < 0 {
		return 0, 0, false
	}
	return total + cur, end, true
}

// enDigitWords reads the digits spoken after "point": "four five" → "45",
// "forty two" → "42", "zero five" → "05".
func enDigitWords(in *input, i int) (string, int) {
	var b strings.Builder
	end, j := -1, i
	for {
		w, k := in.latinWord(j)
		if v, ok := enSmall[w]; ok {
			b.WriteString(strconv.FormatInt(v, 10))
		} else if v, ok := enTens[w]; ok {
			n, _ := in.gap(k)
			uw, uk := in.latinWord(n)
			if u, ok := enSmall[uw]; ok && u >= 1 && u <= 9 {
				v += u
				k = uk
			} else if in.at(k) == '-' {
				uw, uk = in.latinWord(k + 1)
				if u, ok := enSmall[uw]; ok && u >= 1 && u <= 9 {
					v += u
					k = uk
				}
			}
			b.WriteString(strconv.FormatInt(v, 10))
		} else {
			break
		}
		end = k
		n, ok := in.gap(k)
		if !ok {
			break
		}
		j = n
	}
	if end < 0 {
		return "", i
	}
	return b.String(), end
}

// enNumber reads an English number: digits or words, optionally negative
// ("minus 15", "-15") and with a decimal part ("point four five").
func enNumber(in *input, i int) (num, int, bool) {
	neg := false
	j := i
	if k := in.longestWord(j, "minus", "negative"); k > 0 {
		if n, ok := in.gap(k); ok {
			neg, j = true, n
		}
	} else if in.at(j) == '-' && isDigit(in.at(j+1)) {
		neg, j = true, j+1
	}
	var n num
	end := -1
	if d, k, ok := parseDigits(in, j); ok {
		n, end = d, k
		// "3 million", "1.5 million"
		if g, ok := in.gap(k); ok {
			w, wk := in.latinWord(g)
			if s, ok := enScales[w]; ok && len(d.whole) < 7 {
				n, end = d.scaled(len(strconv.FormatInt(s, 10))-1), wk
			}
		}
	} else if v, k, ok := parseEnInt(in, j); ok {
		n, end = intNum(v), k
		if h := enAndAHalf(in, k); h > 0 {
			n.frac, end = "5", h
		}
	}
	if n.frac == "" {
		// "point four five", "one point five"
		p := j
		if end >= 0 {
			p, _ = in.gap(end)
		}
		if k := in.word(p, "point"); k > 0 {
			if g, ok := in.gap(k); ok {
				if f, fk := enDigitWords(in, g); f != "" {
					if end < 0 {
						n = num{whole: "0"}
					}
					n.frac, end = f, fk
				}
			}
		}
	}
	if end < 0 {
		return num{}, i, false
	}
	n.neg = neg
	return n, end, true
}

// ---- Korean ----

var koSinoDigits = map[rune]int64{
	'영': 0, '일': 1, '이': 2, '삼': 3, '사': 4, '오': 5, '육': 6, '륙': 6,
	'칠': 7, '팔': 8, '구': 9,
}

var koSmallUnits = map[rune]int64{'십': 10, '백': 100, '천': 1000}
var koBigUnits = map[rune]int64{'만': 1e4, '억': 1e8, '조': 1e12}

// parseKoSino reads a Sino-Korean numeral (삼천오백, 만 이천, 이십) that may
// mix in digits before units (3천5백, 35만). syllables counts the Hangul
// numeral syllables read; 0 means only digits were read.
func parseKoSino(in *input, i int) (v int64, end, syllables int, ok bool) {
	var total, section int64
	cur := int64(-1)
	lastSmall, lastBig := int64(0), int64(0)
	end = -1
	j := i
	for j < len(in.r) {
		c := in.r[j]
		if d, isD := koSinoDigits[c]; isD || isDigit(c) {
			if cur >= 0 {
				break
			}
			k := j + 1
			if !isD {
				n, dk, ok := parseDigitInt(in, j)
				if !ok || n > 9999 {
					break
				}
				// Digits only belong to a Sino numeral when a unit follows.
				if _, u := koSmallUnits[in.at(dk)]; !u && koBigUnits[in.at(dk)] == 0 {
					break
				}
				d, k = int64(n), dk
			} else {
				syllables++
			}
			cur, j, end = d, k, k
			continue
		}
		if u, isU := koSmallUnits[c]; isU {
			if lastSmall != 0 && u >= lastSmall {
				break
			}
			m := cur
			if m < 0 {
				m = 1
			}
			section += m * u
			cur, lastSmall = -1, u
			syllables++
			j++
			end = j
			// "삼천 오백": a space may separate the parts of a section.
			if in.at(j) == ' ' && koSpacedPart(in, j+1, u) {
				j++
			}
			continue
		}
		if b, isB := koBigUnits[c]; isB {
			if lastBig != 0 && b >= lastBig {
				break
			}
			s := section
			if cur > 0 {
				s += cur
			}
			if s == 0 {
				s = 1
			}
			total += s * b
			section, cur, lastSmall, lastBig = 0, -1, 0, b
			syllables++
			j++
			end = j
			// "만 이천": a space may separate the sections.
			if in.at(j) == ' ' {
				if _, d := koSinoDigits[in.at(j+1)]; d || koSmallUnits[in.at(j+1)] != 0 || isDigit(in.at(j+1)) {
					j++
				}
			}
			continue
		}
		break
	}
	if end < 0 || total > maxWordNumber {
		return 0, i, 0, false
	}
	if cur > 0 {
		section += cur
	}
	return total + section, end, syllables, true
}

// koSpacedPart reports whether a smaller part of a Sino-Korean section
// starts at k (a digit syllable or digits, then a unit below u), so that a
// space before it does not end the number.
func koSpacedPart(in *input, k int, u int64) bool {
	if _, d := koSinoDigits[in.at(k)]; d {
		k++
	} else {
		for isDigit(in.at(k)) {
			k++
		}
	}
	next, ok := koSmallUnits[in.at(k)]
	return ok && next < u
}

// koNativeWord is a native Korean number word. Both the counting forms
// (하나, 둘, 셋, 넷, 스물) and the attributive forms used before a counter
// (한, 두, 세, 네, 스무) are listed.
type koNativeWord struct {
	w string
	v int
}

var koNativeTens = []koNativeWord{
	{"열", 10}, {"스물", 20}, {"스무", 20}, {"서른", 30}, {"마흔", 40}, {"쉰", 50},
	{"예순", 60}, {"일흔", 70}, {"여든", 80}, {"아흔", 90},
}

var koNativeUnits = []koNativeWord{
	{"하나", 1}, {"한", 1}, {"둘", 2}, {"두", 2}, {"셋", 3}, {"세", 3}, {"석", 3},
	{"넷", 4}, {"네", 4}, {"넉", 4}, {"다섯", 5}, {"여섯", 6}, {"일곱", 7},
	{"여덟", 8}, {"아홉", 9},
}

func koNativeAt(in *input, i int, words []koNativeWord) (koNativeWord, int) {
	best, end := koNativeWord{}, -1
	for _, w := range words {
		if j := in.lit(i, w.w); j > end {
			best, end = w, j
		}
	}
	return best, end
}

// parseKoNative reads a native Korean numeral 1–99: 열두, 스물다섯, 스물 다섯, 세.
func parseKoNative(in *input, i int) (v, end int, ok bool) {
	if t, j := koNativeAt(in, i, koNativeTens); j > 0 {
		// 스무 is 20 before a counter and takes no units (스물다섯, not 스무다섯).
		if t.w == "스무" {
			return t.v, j, true
		}
		k := j
		if in.at(k) == ' ' {
			k++
		}
		if u, uj := koNativeAt(in, k, koNativeUnits); uj > 0 {
			return t.v + u.v, uj, true
		}
		return t.v, j, true
	}
	if u, j := koNativeAt(in, i, koNativeUnits); j > 0 {
		return u.v, j, true
	}
	return 0, i, false
}

// Counters that follow native numerals (세 판, 두 잔) and Sino numerals or
// digits (삼천오백 원, 3개월). The split keeps "세일" (sale) from reading as
// "3 days": 일 only counts after Sino numerals.
var (
	koNativeCounters = []string{
		"개", "판", "명", "분", "시", "시간", "잔", "병", "장", "권", "대", "마리",
		"살", "번", "달", "그릇", "송이", "켤레", "벌", "채", "곳", "군데", "사람",
		"가지", "조각", "접시", "캔", "상자", "봉지", "컵", "알", "주",
	}
	koSinoCounters = []string{
		"개", "원", "층", "분", "초", "일", "주", "주일", "개월", "년", "월", "호",
		"번", "인분", "인", "박", "세", "명", "시", "시간", "퍼센트", "프로", "킬로",
		"미터", "그램", "리터", "점", "위", "등", "회", "차", "달러", "불",
	}
)

// koAfterCounter are the particles and endings that may follow a counter
// directly ("판이요", "시에", "개씩"). Requiring one keeps words that merely
// begin like a counter ("네 시작할게요", "네 알겠습니다") from reading as
// numbers.
var koAfterCounter = []string{
	"이", "가", "을", "를", "은", "는", "에", "요", "만", "도", "씩", "째", "정도",
	"쯤", "짜리", "반", "까지", "부터", "으로", "로", "이나", "나", "랑", "하고",
	"과", "와", "의", "고", "주", "밖에", "뿐", "전", "후", "뒤", "동안", "간",
	"내", "안", "입", "예", "더", "넘", "남짓", "가량", "정각", "필요", "달라",
}

// koCounter returns the end of a counter at i (after at most one space), or
// -1 if there is none.
func koCounter(in *input, i int, native bool) int {
	if in.at(i) == ' ' {
		i++
	}
	list := koSinoCounters
	if native {
		list = koNativeCounters
	}
	end := -1
	for _, c := range list {
		j := in.lit(i, c)
		if j <= end {
			continue
		}
		if isHangul(in.at(j)) {
			if k, _ := in.longest(j, koAfterCounter); k < 0 {
				continue
			}
		}
		end = j
	}
	return end
}

// koNotNumbers are ordinary words that begin with a numeral and a counter
// (이번 "this time", 사장 "boss", 육개장 a soup, 오일 "oil").
var koNotNumbers = []string{"이번", "이분", "이장", "사장", "육개장", "구분", "세대", "열대", "이주", "일부", "이월", "오일"}

// koWholeAnswer reports whether the input is nothing but the numeral ending
// at end, optionally followed by a polite ending ("셋이요", "다섯요").
func koWholeAnswer(in *input, start, end int) bool {
	a, b := in.trimmed()
	if a != start {
		return false
	}
	rest := string(in.r[end:b])
	switch strings.TrimSpace(rest) {
	case "", "요", "이요", "입니다", "이에요", "예요":
		return true
	}
	return false
}

// koNumber reads a Korean number at i under the false-positive rules:
// Hangul numerals count only before a counter of their kind or as the whole
// answer; a whole answer of "네" is "yes", never 4. A slot value captured
// without its counter ("세" from "{count}판") is a whole answer too.
func koNumber(in *input, i int) (num, int, bool) {
	neg := false
	j := i
	if k := in.lit(j, "마이너스"); k > 0 {
		neg, j = true, in.spaces(k)
	} else if in.at(j) == '-' && isDigit(in.at(j+1)) {
		neg, j = true, j+1
	}
	if isDigit(in.at(j)) {
		if v, k, syl, ok := parseKoSino(in, j); ok && syl > 0 {
			n := intNum(v)
			n.neg = neg
			return n, k, true
		}
		n, k, ok := parseDigits(in, j)
		n.neg = neg
		return n, k, ok
	}
	for _, w := range koNotNumbers {
		if in.lit(j, w) > 0 {
			return num{}, i, false
		}
	}
	var best num
	end := -1
	if v, k, _, ok := parseKoSino(in, j); ok && (koCounter(in, k, false) > 0 || koWholeAnswer(in, i, k)) {
		best, end = intNum(v), k
	}
	if v, k, ok := parseKoNative(in, j); ok && k > end &&
		(koCounter(in, k, true) > 0 || string(in.r[j:k]) != "네" && koWholeAnswer(in, i, k)) {
		best, end = intNum(int64(v)), k
	}
	if end < 0 {
		return num{}, i, false
	}
	best.neg = neg
	return best, end, true
}

// ---- Chinese ----

var zhDigits = map[rune]int64{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '兩': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var zhSmallUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}
var zhBigUnits = map[rune]int64{'万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8}

// parseZhInt reads a Chinese numeral (十五, 一百零五, 两千, 3万, 一百二 = 120).
func parseZhInt(in *input, i int) (int64, int, bool) {
	var total, section int64
	cur := int64(-1)
	lastSmall, lastBig := int64(0), int64(0)
	end, j := -1, i
	afterZero := false
	for j < len(in.r) {
		c := in.r[j]
		if d, isD := zhDigits[c]; isD || isDigit(c) {
			if cur >= 0 && !(d == 0 && isD) {
				break
			}
			k := j + 1
			if !isD {
				n, dk, ok := parseDigitInt(in, j)
				if !ok || n > 9999 {
					break
				}
				if zhSmallUnits[in.at(dk)] == 0 && zhBigUnits[in.at(dk)] == 0 {
					break
				}
				d, k = int64(n), dk
			}
			if d == 0 && isD {
				afterZero = true
				j, end = k, k
				continue
			}
			cur, j, end = d, k, k
			continue
		}
		if u, isU := zhSmallUnits[c]; isU {
			if lastSmall != 0 && u >= lastSmall {
				break
			}
			m := cur
			if m < 0 {
				m = 1
			}
			section += m * u
			cur, lastSmall, afterZero = -1, u, false
			j++
			end = j
			continue
		}
		if b, isB := zhBigUnits[c]; isB {
			if lastBig != 0 && b >= lastBig {
				break
			}
			s := section
			if cur > 0 {
				s += cur
			}
			if s == 0 {
				break
			}
			total += s * b
			section, cur, lastSmall, lastBig, afterZero = 0, -1, 0, b, false
			j++
			end = j
			continue
		}
		break
	}
	if end < 0 || total > maxWordNumber {
		return 0, i, false
	}
	if cur > 0 {
		// 一百二 is 120 and 三千五 is 3500: a bare digit after a unit of 100
		// or more, with no 零 between, counts in the next lower unit.
		if lastSmall >= 100 && !afterZero {
			cur *= lastSmall / 10
		} else if lastSmall == 0 && lastBig > 0 && !afterZero && section == 0 {
			cur *= lastBig / 10
		}
		section += cur
	}
	return total + section, end, true
}

// zhMeasureWords follow a single-character numeral in ordinary speech; a lone
// 一 without one is usually part of a word (一下, 统一).
var zhMeasureWords = []string{
	"个", "位", "张", "份", "杯", "瓶", "本", "台", "只", "次", "元", "块", "分",
	"秒", "天", "号", "日", "月", "年", "周", "岁", "层", "人", "斤", "公斤",
	"米", "公里", "小时", "钟", "晚", "间", "碗", "盒", "件", "双", "条", "辆",
	"%", "倍", "桌", "套", "种", "口", "颗", "点",
}

// zhNotNumbers are words that start with a numeral but are not numbers.
var zhNotNumbers = []string{"万一", "千万", "一下", "一起", "一样", "一直", "一些", "一点点", "十分", "一定", "一般", "一共"}

// zhNumber reads a Chinese number: digits, Han numerals (single characters
// only before a measure word or as the whole answer), 负 for negatives and
// 点 for decimals (三点五 = 3.5).
func zhNumber(in *input, i int) (num, int, bool) {
	neg := false
	j := i
	if in.at(j) == '负' {
		neg, j = true, j+1
	} else if in.at(j) == '-' && isDigit(in.at(j+1)) {
		neg, j = true, j+1
	}
	var n num
	end := -1
	if isDigit(in.at(j)) {
		if v, k, ok := parseZhInt(in, j); ok && zhBigUnits[in.at(k-1)]+zhSmallUnits[in.at(k-1)] > 0 {
			n, end = intNum(v), k
		} else if d, k, ok := parseDigits(in, j); ok {
			n, end = d, k
		}
	} else {
		for _, w := range zhNotNumbers {
			if in.lit(j, w) > 0 {
				return num{}, i, false
			}
		}
		v, k, ok := parseZhInt(in, j)
		if !ok {
			return num{}, i, false
		}
		n, end = intNum(v), k
		if in.at(k) == '点' {
			if f, fk, ok := parseZhFrac(in, k+1); ok {
				n.frac, end = f, fk
			}
		}
		if end-j == 1 && n.frac == "" {
			a, b := in.trimmed()
			m, _ := in.longest(end, zhMeasureWords)
			if m < 0 && !(a == i && b == end) {
				return num{}, i, false
			}
		}
	}
	if end < 0 {
		return num{}, i, false
	}
	n.neg = neg
	return n, end, true
}

// numberAt reads a number in the language's numeral systems.
func numberAt(in *input, i int, lg lang) (num, int, bool) {
	switch lg {
	case langKo:
		return koNumber(in, i)
	case langZh:
		return zhNumber(in, i)
	}
	return enNumber(in, i)
}

func findNumbers(in *input, lg lang, _ time.Time) []span {
	return scan(in, []rule{func(in *input, i int) (span, bool) {
		n, end, ok := numberAt(in, i, lg)
		if !ok {
			return span{}, false
		}
		return span{end: end, value: n.String()}, true
	}})
}

// ---- percentages ----

var percentWords = map[lang][]string{
	langEn: {"%", "percent", "per cent", "pct"},
	langKo: {"%", "퍼센트", "프로", "퍼"},
	langZh: {"%", "个百分点"},
}

func findPercentages(in *input, lg lang, _ time.Time) []span {
	suffixed := func(in *input, i int) (span, bool) {
		var n num
		var end int
		var ok bool
		if lg == langKo {
			// The unit is a counter here, so bare Hangul numerals are fine.
			if isDigit(in.at(i)) || in.at(i) == '-' || in.lit(i, "마이너스") > 0 {
				n, end, ok = koNumber(in, i)
			} else if v, k, _, sok := parseKoSino(in, i); sok {
				n, end, ok = intNum(v), k, true
			}
		} else if lg == langZh && !isDigit(in.at(i)) {
			if v, k, zok := parseZhInt(in, i); zok {
				n, end, ok = intNum(v), k, true
			}
		} else {
			n, end, ok = numberAt(in, i, lg)
		}
		if !ok {
			return span{}, false
		}
		j := in.spaces(end)
		k, _ := in.longest(j, percentWords[lg])
		if k < 0 {
			return span{}, false
		}
		return span{end: k, value: n.String() + "%"}, true
	}
	rules := []rule{suffixed}
	if lg == langZh {
		rules = append(rules, func(in *input, i int) (span, bool) {
			j := in.lit(i, "百分之")
			if j < 0 {
				return span{}, false
			}
			var n num
			end := -1
			if d, k, ok := parseDigits(in, j); ok {
				n, end = d, k
			} else if v, k, ok := parseZhInt(in, j); ok {
				n, end = intNum(v), k
				if in.at(k) == '点' {
					if f, fk, ok := parseZhFrac(in, k+1); ok {
						n.frac, end = f, fk
					}
				}
			}
			if end < 0 {
				return span{}, false
			}
			return span{end: end, value: n.String() + "%"}, true
		})
	}
	return scan(in, rules)
}

// parseZhFrac reads the digits after 点 in a Chinese decimal, one by one.
func parseZhFrac(in *input, i int) (string, int, bool) {
	var b strings.Builder
	j := i
	for {
		d, ok := zhDigits[in.at(j)]
		if !ok || in.at(j) == '两' {
			break
		}
		b.WriteByte(byte('0' + d))
		j++
	}
	return b.String(), j, j > i
}

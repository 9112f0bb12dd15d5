package entity

import (
	"strings"
	"time"
	"unicode"
)

// The four AMAZON.Confirmation values.
const (
	confirmYes      = "Yes"
	confirmNo       = "No"
	confirmMaybe    = "Maybe"
	confirmDontKnow = "Don't know"
)

type answerPhrase struct {
	w string
	v string
}

// Phrases are matched longest first, so "not sure" beats "sure" and "不是"
// beats "是"; a negator before a positive phrase ("not right", "안 맞아요")
// turns it into No.
var (
	enAnswers = []answerPhrase{
		{"yes", confirmYes}, {"yeah", confirmYes}, {"yea", confirmYes}, {"yep", confirmYes},
		{"yup", confirmYes}, {"ya", confirmYes}, {"sure", confirmYes}, {"ok", confirmYes},
		{"okay", confirmYes}, {"okey", confirmYes}, {"k", confirmYes}, {"y", confirmYes}, {"correct", confirmYes},
		{"right", confirmYes}, {"that's right", confirmYes}, {"thats right", confirmYes},
		{"that is right", confirmYes}, {"that's correct", confirmYes}, {"absolutely", confirmYes},
		{"definitely", confirmYes}, {"certainly", confirmYes}, {"of course", confirmYes},
		{"affirmative", confirmYes}, {"sounds good", confirmYes}, {"go ahead", confirmYes},
		{"please do", confirmYes}, {"i do", confirmYes}, {"it is", confirmYes},
		{"exactly", confirmYes}, {"yes please", confirmYes}, {"alright", confirmYes},
		{"all right", confirmYes}, {"i think so", confirmYes}, {"sure thing", confirmYes},
		{"you bet", confirmYes}, {"for sure", confirmYes}, {"totally", confirmYes},
		{"indeed", confirmYes}, {"yes sir", confirmYes}, {"yes ma'am", confirmYes},
		{"no", confirmNo}, {"n", confirmNo}, {"nope", confirmNo}, {"nah", confirmNo}, {"not really", confirmNo},
		{"wrong", confirmNo}, {"incorrect", confirmNo}, {"cancel", confirmNo},
		{"negative", confirmNo}, {"no way", confirmNo}, {"never", confirmNo},
		{"don't", confirmNo}, {"do not", confirmNo}, {"no thanks", confirmNo},
		{"no thank you", confirmNo}, {"i don't think so", confirmNo}, {"nay", confirmNo},
		{"not at all", confirmNo}, {"absolutely not", confirmNo}, {"definitely not", confirmNo},
		{"of course not", confirmNo}, {"no no", confirmNo},
		{"maybe", confirmMaybe}, {"perhaps", confirmMaybe}, {"possibly", confirmMaybe},
		{"might", confirmMaybe}, {"probably", confirmMaybe},
		{"don't know", confirmDontKnow}, {"dont know", confirmDontKnow},
		{"do not know", confirmDontKnow}, {"i don't know", confirmDontKnow},
		{"i dont know", confirmDontKnow}, {"not sure", confirmDontKnow},
		{"i'm not sure", confirmDontKnow}, {"im not sure", confirmDontKnow},
		{"i am not sure", confirmDontKnow}, {"no idea", confirmDontKnow},
		{"no clue", confirmDontKnow}, {"dunno", confirmDontKnow}, {"idk", confirmDontKnow},
		{"unsure", confirmDontKnow}, {"who knows", confirmDontKnow},
		{"not certain", confirmDontKnow}, {"hard to say", confirmDontKnow},
		{"i have no idea", confirmDontKnow}, {"beats me", confirmDontKnow},
		{"can't say", confirmDontKnow}, {"i can't say", confirmDontKnow},
	}
	enNegators = []string{"not", "that's not", "thats not", "that is not", "it's not", "it is not", "isn't", "that isn't"}

	koAnswers = []answerPhrase{
		{"네", confirmYes}, {"넵", confirmYes}, {"넹", confirmYes},
		{"예", confirmYes}, {"응", confirmYes}, {"웅", confirmYes}, {"어", confirmYes},
		{"ㅇㅇ", confirmYes}, {"그래", confirmYes}, {"그래요", confirmYes}, {"그럼", confirmYes},
		{"그럼요", confirmYes}, {"맞아", confirmYes}, {"맞아요", confirmYes},
		{"맞습니다", confirmYes}, {"맞네요", confirmYes}, {"맞음", confirmYes}, {"좋아", confirmYes},
		{"좋아요", confirmYes}, {"좋습니다", confirmYes}, {"좋지", confirmYes},
		{"오케이", confirmYes}, {"ㅇㅋ", confirmYes}, {"당연하지", confirmYes},
		{"당연하죠", confirmYes}, {"물론", confirmYes}, {"물론이죠", confirmYes},
		{"알겠어요", confirmYes}, {"알겠습니다", confirmYes}, {"됩니다", confirmYes},
		{"돼요", confirmYes}, {"할게요", confirmYes},
		{"아니", confirmNo}, {"아니요", confirmNo}, {"아니오", confirmNo}, {"아뇨", confirmNo},
		{"아니에요", confirmNo}, {"아닙니다", confirmNo}, {"아니야", confirmNo},
		{"아닌데", confirmNo}, {"아닌데요", confirmNo}, {"싫어", confirmNo},
		{"싫어요", confirmNo}, {"싫습니다", confirmNo}, {"됐어", confirmNo},
		{"됐어요", confirmNo}, {"됐습니다", confirmNo}, {"틀려", confirmNo},
		{"틀려요", confirmNo}, {"틀렸어요", confirmNo}, {"틀립니다", confirmNo},
		{"ㄴㄴ", confirmNo}, {"노", confirmNo}, {"취소", confirmNo}, {"안 돼", confirmNo},
		{"안돼", confirmNo}, {"안 돼요", confirmNo}, {"안돼요", confirmNo},
		{"아마", confirmMaybe}, {"아마도", confirmMaybe}, {"글쎄", confirmMaybe},
		{"글쎄요", confirmMaybe}, {"어쩌면", confirmMaybe}, {"아마요", confirmMaybe},
		{"몰라", confirmDontKnow}, {"몰라요", confirmDontKnow}, {"모르겠어", confirmDontKnow},
		{"모르겠어요", confirmDontKnow}, {"모르겠습니다", confirmDontKnow},
		{"모르겠네요", confirmDontKnow}, {"잘 모르겠어요", confirmDontKnow},
		{"잘 모르겠어", confirmDontKnow}, {"잘 모르겠습니다", confirmDontKnow},
		// Plainer, politer and chat spellings. Jamo-only answers are how
		// people type on a phone: ㅇㅇ (응응), ㅇㅋ (오케이), ㄴㄴ (노노),
		// ㅇㅈ (인정), ㄱㄱ (고고), ㅁㄹ (몰라).
		{"ㅇ", confirmYes}, {"ㅇㅈ", confirmYes}, {"ㄱㄱ", confirmYes}, {"네에", confirmYes},
		{"녜", confirmYes}, {"넴", confirmYes}, {"옙", confirmYes}, {"예스", confirmYes},
		{"엉", confirmYes}, {"그렇습니다", confirmYes}, {"그렇죠", confirmYes},
		{"그렇지", confirmYes}, {"그렇네요", confirmYes}, {"그렇지요", confirmYes},
		{"맞죠", confirmYes}, {"맞지", confirmYes}, {"맞지요", confirmYes}, {"맞아맞아", confirmYes},
		{"인정", confirmYes}, {"콜", confirmYes}, {"오키", confirmYes}, {"오키도키", confirmYes},
		{"오케", confirmYes}, {"좋음", confirmYes}, {"좋네요", confirmYes}, {"좋죠", confirmYes},
		{"좋지요", confirmYes}, {"당근", confirmYes}, {"당근이지", confirmYes},
		{"물론이지", confirmYes}, {"물론입니다", confirmYes}, {"물론이에요", confirmYes},
		{"부탁해요", confirmYes}, {"부탁합니다", confirmYes}, {"부탁드려요", confirmYes},
		{"부탁드립니다", confirmYes}, {"해주세요", confirmYes}, {"해 주세요", confirmYes},
		{"그렇게 해 주세요", confirmYes}, {"그렇게 해주세요", confirmYes}, {"그렇게 해", confirmYes},
		{"진행해 주세요", confirmYes}, {"진행해주세요", confirmYes}, {"진행시켜", confirmYes},
		{"고고", confirmYes}, {"확인", confirmYes}, {"그러세요", confirmYes}, {"그러자", confirmYes},
		{"그래그래", confirmYes}, {"알겠어", confirmYes}, {"알았어", confirmYes}, {"알았어요", confirmYes},
		{"ㄴ", confirmNo}, {"노노", confirmNo}, {"놉", confirmNo}, {"아냐", confirmNo},
		{"아녀", confirmNo}, {"아니여", confirmNo}, {"아녜요", confirmNo}, {"아니예요", confirmNo},
		{"아니거든요", confirmNo}, {"아니라고요", confirmNo}, {"아니에여", confirmNo},
		{"싫음", confirmNo}, {"싫은데요", confirmNo}, {"필요없어요", confirmNo},
		{"필요 없어요", confirmNo}, {"필요 없어", confirmNo}, {"필요없어", confirmNo},
		{"안 할래요", confirmNo}, {"안할래요", confirmNo}, {"안 할래", confirmNo}, {"안 해요", confirmNo},
		{"안해요", confirmNo}, {"아닌 것 같아요", confirmNo}, {"아닌것 같아요", confirmNo},
		{"아닌 거 같아요", confirmNo}, {"아닌거 같아요", confirmNo}, {"아닌것같아요", confirmNo},
		{"아닌 듯", confirmNo}, {"아닌듯", confirmNo}, {"틀렸습니다", confirmNo},
		{"틀렸어", confirmNo}, {"그건 아니에요", confirmNo}, {"그건 아니야", confirmNo},
		{"됐거든요", confirmNo}, {"됐고", confirmNo},
		{"아마도요", confirmMaybe}, {"글쎄다", confirmMaybe}, {"그럴걸요", confirmMaybe},
		{"그럴 수도 있어요", confirmMaybe}, {"그럴수도 있어요", confirmMaybe},
		{"그럴 수도", confirmMaybe}, {"그럴수도", confirmMaybe}, {"그럴지도", confirmMaybe},
		{"그럴지도 몰라요", confirmMaybe}, {"어쩌면요", confirmMaybe}, {"아마 그럴 거예요", confirmMaybe},
		{"모름", confirmDontKnow}, {"ㅁㄹ", confirmDontKnow}, {"모르겠음", confirmDontKnow},
		{"모르겠는데", confirmDontKnow}, {"모르겠는데요", confirmDontKnow}, {"잘 몰라요", confirmDontKnow},
		{"잘 몰라", confirmDontKnow}, {"잘 모름", confirmDontKnow}, {"잘 모르겠네요", confirmDontKnow},
		{"확실하지 않아요", confirmDontKnow}, {"확실하지않아요", confirmDontKnow},
		{"확실하지 않아", confirmDontKnow}, {"기억이 안 나요", confirmDontKnow},
		{"기억 안 나요", confirmDontKnow}, {"기억이 안나요", confirmDontKnow},
		{"글쎄 잘 모르겠어요", confirmDontKnow}, {"글쎄요 잘 모르겠어요", confirmDontKnow},
	}
	koNegators = []string{"안 ", "안"}

	zhAnswers = []answerPhrase{
		{"是", confirmYes}, {"是的", confirmYes}, {"对", confirmYes}, {"对的", confirmYes},
		{"對", confirmYes}, {"好", confirmYes}, {"好的", confirmYes}, {"可以", confirmYes},
		{"没错", confirmYes}, {"沒錯", confirmYes}, {"行", confirmYes}, {"嗯", confirmYes},
		{"当然", confirmYes}, {"确定", confirmYes}, {"没问题", confirmYes}, {"好啊", confirmYes},
		{"不", confirmNo}, {"不是", confirmNo}, {"不对", confirmNo}, {"不要", confirmNo},
		{"不行", confirmNo}, {"没有", confirmNo}, {"不可以", confirmNo}, {"不用", confirmNo},
		{"不好", confirmNo}, {"错", confirmNo}, {"取消", confirmNo}, {"算了", confirmNo},
		{"也许", confirmMaybe}, {"可能", confirmMaybe}, {"或许", confirmMaybe},
		{"大概", confirmMaybe}, {"不知道", confirmDontKnow}, {"不清楚", confirmDontKnow},
		{"不确定", confirmDontKnow}, {"说不好", confirmDontKnow}, {"不晓得", confirmDontKnow},
		{"是啊", confirmYes}, {"是呀", confirmYes}, {"是滴", confirmYes}, {"对啊", confirmYes},
		{"对呀", confirmYes}, {"对头", confirmYes}, {"嗯呢", confirmYes}, {"恩", confirmYes},
		{"好呀", confirmYes}, {"好吧", confirmYes}, {"好滴", confirmYes}, {"好哒", confirmYes},
		{"行啊", confirmYes}, {"行吧", confirmYes}, {"可以的", confirmYes}, {"当然了", confirmYes},
		{"当然可以", confirmYes}, {"确认", confirmYes}, {"同意", confirmYes},
		{"没毛病", confirmYes}, {"就这样", confirmYes},
		{"不是的", confirmNo}, {"不用了", confirmNo}, {"不要了", confirmNo}, {"不需要", confirmNo},
		{"否", confirmNo}, {"错了", confirmNo}, {"不同意", confirmNo},
		{"算了吧", confirmNo}, {"不了", confirmNo}, {"没有啊", confirmNo}, {"不行啊", confirmNo},
		{"拒绝", confirmNo}, {"不对不对", confirmNo}, {"不是不是", confirmNo},
		{"也许吧", confirmMaybe}, {"可能吧", confirmMaybe}, {"或许吧", confirmMaybe},
		{"说不定", confirmMaybe}, {"大概吧", confirmMaybe}, {"应该是吧", confirmMaybe},
		{"看情况", confirmMaybe}, {"不太清楚", confirmDontKnow}, {"不太确定", confirmDontKnow},
		{"我不知道", confirmDontKnow}, {"我也不知道", confirmDontKnow}, {"不好说", confirmDontKnow},
		{"难说", confirmDontKnow}, {"天知道", confirmDontKnow}, {"谁知道", confirmDontKnow},
		{"还没想好", confirmDontKnow}, {"没想好", confirmDontKnow}, {"不记得", confirmDontKnow},
		{"不知道啊", confirmDontKnow}, {"我不清楚", confirmDontKnow},
	}
)

// answerFillers may precede an answer ("well, yes", "음 네", "呃，是的").
// English ones are accepted in every locale.
var answerFillers = map[lang][]string{
	langEn: {"oh", "um", "uh", "umm", "uhh", "hmm", "well", "so", "and"},
	langKo: {"음", "흠", "아", "저", "저기", "그"},
	langZh: {"呃", "额", "那个"},
}

// findConfirmation reads a short answer. The answer must open the utterance
// (after fillers); the first clear answer wins, so "아니 맞아" is No. English
// phrases are also accepted in ko and zh, where users often type "ok".
func findConfirmation(in *input, lg lang, _ time.Time) []span {
	a, _ := in.trimmed()
	i := skipFillers(in, a, lg)
	var s span
	ok := false
	switch lg {
	case langKo:
		s, ok = answerAt(in, i, koAnswers, koNegators, koAnswerEnd, in.litSoft)
	case langZh:
		s, ok = answerAt(in, i, zhAnswers, nil, func(*input, int) bool { return true }, in.lit)
	}
	if !ok {
		s, ok = answerAt(in, i, enAnswers, enNegators, enAnswerEnd, in.lit)
	}
	if !ok {
		return nil
	}
	return []span{s}
}

// skipFillers skips filler words at i. Outside Chinese a filler must be a
// whole word, so the 아 of 아니요 is not taken for one.
func skipFillers(in *input, i int, lg lang) int {
	for {
		k, _ := in.longest(i, answerFillers[langEn])
		if lg != langEn {
			if lk, _ := in.longest(i, answerFillers[lg]); lk > k {
				k = lk
			}
		}
		if k < 0 || lg != langZh && isWordRune(in.at(k)) {
			return i
		}
		i = skipAnswerGap(in, k)
	}
}

// skipAnswerGap skips the spaces and commas after a filler or answer.
func skipAnswerGap(in *input, i int) int {
	for i < len(in.r) && (unicode.IsSpace(in.r[i]) || in.r[i] == ',' || in.r[i] == '，') {
		i++
	}
	return i
}

// enAnswerEnd: an English phrase must end a word.
func enAnswerEnd(in *input, j int) bool {
	c := in.at(j)
	return !isASCIILetter(c) && !isDigit(c) && c != '\''
}

// koAnswerEnd: a Korean phrase must end the eojeol, so "네" does not match
// the start of "네가" (polite forms such as "맞아요" are listed whole).
// Laughter and crying jamo may follow ("네ㅋㅋ", "아니요ㅠㅠ").
func koAnswerEnd(in *input, j int) bool {
	c := in.at(j)
	return !isHangul(c) && !isASCIILetter(c) || strings.ContainsRune("ㅋㅎㅠㅜ", c)
}

// hangulNoFinal and finalIeung locate the ㅇ final consonant in a
// precomposed syllable: syllable = 0xAC00 + (lead*21+vowel)*28 + final.
const (
	hangulNoFinal = 0
	finalIeung    = 21
)

// litSoft is lit for Korean answers: the phrase's last syllable may carry an
// added ㅇ final, a playful spelling of the same word (넹, 아니용, 맞습니당,
// 좋아용).
func (in *input) litSoft(i int, s string) int {
	rs := []rune(s)
	j := i
	for k, c := range rs {
		got := in.at(j)
		if got != c {
			open := c >= 0xAC00 && c <= 0xD7A3 && (c-0xAC00)%28 == hangulNoFinal
			if k != len(rs)-1 || !open || got != c+finalIeung {
				return -1
			}
		}
		j++
	}
	return j
}

// answerAt reads the longest answer phrase at i. A negator followed by a
// Yes phrase ("not right", "안 맞아요") reads as No when that is longer than
// any phrase that starts with the negator itself ("not sure").
func answerAt(in *input, i int, phrases []answerPhrase, negators []string, endOK func(*input, int) bool, lit func(int, string) int) (span, bool) {
	best := func(i int) (answerPhrase, int) {
		var p answerPhrase
		end := -1
		for _, ph := range phrases {
			j := lit(i, ph.w)
			// Repeated answers are one answer: "응응", "넵넵".
			for j > 0 && lit(j, ph.w) > 0 {
				j = lit(j, ph.w)
			}
			if j > end && endOK(in, j) {
				p, end = ph, j
			}
		}
		return p, end
	}
	p, end := best(i)
	for _, n := range negators {
		k := in.lit(i, n)
		if k < 0 {
			continue
		}
		if isASCIILetter(in.at(k - 1)) {
			g, ok := in.gap(k)
			if !ok {
				continue
			}
			k = g
		}
		if np, ne := best(k); ne > end && np.v == confirmYes {
			p, end = answerPhrase{v: confirmNo}, ne
		}
	}
	if end < 0 {
		return span{}, false
	}
	return span{start: i, end: end, value: p.v}, true
}

package entity

import (
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
		{"all right", confirmYes}, {"i think so", confirmYes},
		{"no", confirmNo}, {"n", confirmNo}, {"nope", confirmNo}, {"nah", confirmNo}, {"not really", confirmNo},
		{"wrong", confirmNo}, {"incorrect", confirmNo}, {"cancel", confirmNo},
		{"negative", confirmNo}, {"no way", confirmNo}, {"never", confirmNo},
		{"don't", confirmNo}, {"do not", confirmNo}, {"no thanks", confirmNo},
		{"no thank you", confirmNo}, {"i don't think so", confirmNo},
		{"maybe", confirmMaybe}, {"perhaps", confirmMaybe}, {"possibly", confirmMaybe},
		{"might", confirmMaybe}, {"probably", confirmMaybe},
		{"don't know", confirmDontKnow}, {"dont know", confirmDontKnow},
		{"do not know", confirmDontKnow}, {"i don't know", confirmDontKnow},
		{"i dont know", confirmDontKnow}, {"not sure", confirmDontKnow},
		{"i'm not sure", confirmDontKnow}, {"im not sure", confirmDontKnow},
		{"i am not sure", confirmDontKnow}, {"no idea", confirmDontKnow},
		{"no clue", confirmDontKnow}, {"dunno", confirmDontKnow}, {"idk", confirmDontKnow},
		{"unsure", confirmDontKnow}, {"who knows", confirmDontKnow},
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
		s, ok = answerAt(in, i, koAnswers, koNegators, koAnswerEnd)
	case langZh:
		s, ok = answerAt(in, i, zhAnswers, nil, func(*input, int) bool { return true })
	}
	if !ok {
		s, ok = answerAt(in, i, enAnswers, enNegators, enAnswerEnd)
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
func koAnswerEnd(in *input, j int) bool {
	return !isHangul(in.at(j)) && !isASCIILetter(in.at(j))
}

// answerAt reads the longest answer phrase at i. A negator followed by a
// Yes phrase ("not right", "안 맞아요") reads as No when that is longer than
// any phrase that starts with the negator itself ("not sure").
func answerAt(in *input, i int, phrases []answerPhrase, negators []string, endOK func(*input, int) bool) (span, bool) {
	best := func(i int) (answerPhrase, int) {
		var p answerPhrase
		end := -1
		for _, ph := range phrases {
			j := in.lit(i, ph.w)
			// Repeated answers are one answer: "응응", "넵넵".
			for j > 0 && in.lit(j, ph.w) > 0 {
				j = in.lit(j, ph.w)
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

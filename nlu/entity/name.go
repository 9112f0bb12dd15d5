package entity

import (
	"strings"
	"time"
	"unicode"
)

func findFirstName(in *input, lg lang, _ time.Time) []span {
	return nameSpan(in, lg, koFirstName, zhFirstName, enFirstName)
}

// nameSpan runs the name reader of the input's language and, when that finds
// nothing, the English one: Korean and Chinese users also type Latin names.
func nameSpan(in *input, lg lang, ko, zh, en func(*input) (span, bool)) []span {
	var s span
	ok := false
	switch lg {
	case langKo:
		s, ok = ko(in)
	case langZh:
		s, ok = zh(in)
	}
	if !ok {
		s, ok = en(in)
	}
	if !ok {
		return nil
	}
	return []span{s}
}

// findFreeForm returns the whole input without surrounding whitespace.
func findFreeForm(in *input, _ lang, _ time.Time) []span {
	a, b := 0, len(in.r)
	for a < b && unicode.IsSpace(in.r[a]) {
		a++
	}
	for b > a && unicode.IsSpace(in.r[b-1]) {
		b--
	}
	if a == b {
		return nil
	}
	return []span{{start: a, end: b, value: string(in.cased[a:b])}}
}

// ---- English ----

var enNameCues = []string{
	"my name is", "my name's", "name is", "name's", "i'm", "im", "i am",
	"call me", "this is", "it's", "they call me", "you can call me",
}

// enNotNames are words that follow "i'm"/"this is" without being names, or
// are short answers that are not names.
var enNotNames = map[string]bool{
	"a": true, "an": true, "the": true, "not": true, "fine": true, "good": true,
	"ok": true, "okay": true, "here": true, "looking": true, "trying": true,
	"going": true, "sorry": true, "interested": true, "so": true, "very": true,
	"just": true, "calling": true, "done": true, "back": true, "ready": true,
	"well": true, "from": true, "in": true, "at": true, "on": true, "with": true,
	"still": true, "really": true, "glad": true, "happy": true, "sure": true,
	"busy": true, "yes": true, "no": true, "hi": true, "hello": true, "hey": true,
	"thanks": true, "nope": true, "yeah": true, "help": true, "cancel": true,
	"stop": true, "what": true, "it": true, "is": true, "my": true, "me": true,
	"great": true, "about": true, "your": true, "that": true, "this": true,
}

// enNameWord reads a name word (letters with inner ' or -) at i.
func enNameWord(in *input, i int) (int, bool) {
	j := i
	for isASCIILetter(in.at(j)) || (in.at(j) == '\'' || in.at(j) == '-') && isASCIILetter(in.at(j+1)) && j > i {
		j++
	}
	if j == i || enNotNames[string(in.r[i:j])] || unicode.IsLetter(in.at(j)) || isDigit(in.at(j)) {
		return i, false
	}
	return j, true
}

// nameValue title-cases a name said in lower case and keeps any other
// casing as said ("McDonald").
func nameValue(in *input, i, j int) string {
	s := string(in.cased[i:j])
	if s == strings.ToLower(s) {
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// enNameAfterCue reads the name word after the first cue phrase found
// ("my name is", "my last name is").
func enNameAfterCue(in *input, cues []string) (span, bool) {
	for i := 0; i < len(in.r); i++ {
		if !in.startOK(i) {
			continue
		}
		k := in.longestWord(i, cues...)
		if k < 0 {
			continue
		}
		g, ok := in.gap(k)
		if !ok {
			continue
		}
		if e, ok := enNameWord(in, g); ok {
			return span{start: g, end: e, value: nameValue(in, g, e)}, true
		}
	}
	return span{}, false
}

func enFirstName(in *input) (span, bool) {
	if s, ok := enNameAfterCue(in, enNameCues); ok {
		return s, true
	}
	// A short answer: one word, or a capitalised first and last name.
	a, b := in.trimmed()
	e, ok := enNameWord(in, a)
	if !ok {
		return span{}, false
	}
	if e != b {
		g, ok := in.gap(e)
		if !ok || !unicode.IsUpper(in.cased[a]) || !unicode.IsUpper(in.cased[g]) {
			return span{}, false
		}
		if last, ok := enNameWord(in, g); !ok || last != b {
			return span{}, false
		}
	}
	return span{start: a, end: e, value: nameValue(in, a, e)}, true
}

// ---- Korean ----

var koNameCues = []string{"제 이름은", "내 이름은", "제 이름이", "이름은", "이름이", "성함은", "저는", "전", "나는", "난"}

// koPronouns are what is left of "나는요" or "저요" after the particles:
// the speaker, not a name.
var koPronouns = map[string]bool{"나": true, "저": true, "너": true, "제": true, "내": true, "전": true, "난": true}

// koLeadWords are answer openers skipped before a bare name ("네, 홍길동이요").
var koLeadWords = []string{"네", "예", "응", "음", "저"}

// batchimRule says which noun ending a particle attaches to: 이에요 follows a
// final consonant (홍길동이에요), 예요 a vowel (김철수예요).
type batchimRule int

const (
	afterAny batchimRule = iota
	afterConsonant
	afterVowel
)

// koNameEndings are copulas, quotatives, particles and honorifics that may
// follow a name, longest first.
var koNameEndings = []struct {
	s     string
	after batchimRule
}{
	// Spacing errors glue the verb to the quotative: 민수라고합니다.
	{"이라고합니다", afterConsonant}, {"라고합니다", afterVowel}, {"이라고해요", afterConsonant},
	{"라고해요", afterVowel}, {"이라고하는데요", afterConsonant}, {"라고하는데요", afterVowel},
	{"이라구요", afterConsonant}, {"라구요", afterVowel}, {"이거든요", afterConsonant},
	{"거든요", afterVowel}, {"인데요", afterAny}, {"이구요", afterConsonant}, {"구요", afterVowel},
	// Playful spellings with an added ㅇ: 민수예용, 홍길동입니당.
	{"입니당", afterAny}, {"이에용", afterConsonant}, {"예용", afterVowel}, {"이용", afterConsonant},
	{"이라고요", afterConsonant}, {"라고요", afterVowel}, {"이라고", afterConsonant},
	{"라고", afterVowel}, {"입니다", afterAny}, {"이에요", afterConsonant},
	{"이예요", afterConsonant}, {"예요", afterVowel}, {"에요", afterVowel},
	{"이어요", afterConsonant}, {"여요", afterVowel}, {"이요", afterConsonant},
	{"이야", afterConsonant}, {"이고", afterConsonant}, {"이랑", afterConsonant},
	{"이죠", afterConsonant}, {"이고요", afterConsonant}, {"랑", afterVowel},
	{"야", afterVowel}, {"요", afterAny}, {"고", afterVowel}, {"죠", afterVowel},
	{"은", afterConsonant}, {"는", afterVowel}, {"을", afterConsonant},
	{"를", afterVowel}, {"가", afterVowel}, {"님", afterAny}, {"씨", afterAny},
}

// stripKoName removes endings from a Hangul word. A trailing 이 after a
// final consonant is the subject particle or the diminutive (태연이 → 태연);
// it is removed when an ending followed it (철이요, 철이가 → 철) or when at
// least two syllables remain, so a bare 철이 stays 철이.
func stripKoName(w []rune) []rune {
	strippedAny := false
	for range 4 {
		stripped := false
		for _, e := range koNameEndings {
			er := []rune(e.s)
			if len(w) <= len(er) || string(w[len(w)-len(er):]) != e.s {
				continue
			}
			prev := w[len(w)-len(er)-1]
			if e.after == afterConsonant && !hasBatchim(prev) || e.after == afterVowel && hasBatchim(prev) {
				continue
			}
			w, stripped = w[:len(w)-len(er)], true
			break
		}
		if !stripped {
			break
		}
		strippedAny = true
	}
	if n := len(w); n >= 2 && w[n-1] == '이' && hasBatchim(w[n-2]) && (n >= 3 || strippedAny) {
		w = w[:n-1]
	}
	return w
}

// hangulWord returns the end of the run of Hangul syllables at i.
func hangulWord(in *input, i int) int {
	j := i
	for j < len(in.r) && in.r[j] >= 0xAC00 && in.r[j] <= 0xD7A3 {
		j++
	}
	return j
}

func koFirstName(in *input) (span, bool) {
	name := func(i int) (span, bool) {
		j := hangulWord(in, i)
		if j == i {
			return span{}, false
		}
		n := stripKoName(in.r[i:j])
		if len(n) < 1 || len(n) > 5 || koPronouns[string(n)] {
			return span{}, false
		}
		return span{start: i, end: i + len(n), value: string(n)}, true
	}
	for i := 0; i < len(in.r); i++ {
		if !in.startOK(i) {
			continue
		}
		k, _ := in.longest(i, koNameCues)
		if k > 0 && (k == len(in.r) || unicode.IsSpace(in.r[k])) {
			return name(in.spaces(k))
		}
		// A spacing error glues the cue to the name (저는민수예요); only a
		// name of two or more syllables is taken then, so "나는요" is not one.
		if k > 0 && isHangul(in.at(k)) {
			if s, ok := name(k); ok && s.end-s.start >= 2 {
				return s, true
			}
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
	return name(a)
}

// ---- Chinese ----

var zhNameCues = []string{"我叫", "我是", "名字是", "名字叫", "叫我", "我的名字是", "我的名字叫"}

// zhNameParticles end a sentence after a name (我叫李明啊).
const zhNameParticles = "啊呀吧呢哦的哈"

func zhFirstName(in *input) (span, bool) {
	name := func(i int, whole bool) (span, bool) {
		j := i
		for j < len(in.r) && isHan(in.r[j]) && !strings.ContainsRune(zhNameParticles, in.r[j]) {
			j++
		}
		if whole && j-i > 3 {
			return span{}, false
		}
		// Chinese given-plus-family names are two or three characters.
		j = min(j, i+3)
		if j-i < 2 {
			return span{}, false
		}
		return span{start: i, end: j, value: string(in.r[i:j])}, true
	}
	for i := range in.r {
		if k, _ := in.longest(i, zhNameCues); k > 0 {
			return name(in.spaces(k), false)
		}
	}
	a, b := in.trimmed()
	if s, ok := name(a, true); ok && s.end == b && !strings.ContainsAny(s.value, zhNotInBareName) {
		return s, true
	}
	return span{}, false
}

// zhNotInBareName are function characters that make a short answer a phrase
// (是不是, 没有) rather than a name; they are checked only when no cue such
// as 我叫 introduced the name.
const zhNotInBareName = "是不没吗呢吧了好的要"

package nlu

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// script is the writing system of a token; each gets its own features.
type script uint8

const (
	scriptWord   script = iota // Latin and other alphabets, digits
	scriptHangul               // Korean eojeol (or part of one)
	scriptHan                  // Chinese characters (also kanji)
	scriptKana                 // Japanese kana
	scriptSlot                 // a placeholder rune
)

// token is a run of one script between spaces of a normalised text.
type token struct {
	text       string // surface form
	stem       string // English light stem, Korean stem without particles, else text
	start, end int    // byte offsets into the normalised text
	script     script
}

func scriptOf(r rune) script {
	switch {
	case isPlaceholder(r):
		return scriptSlot
	case isHangul(r):
		return scriptHangul
	case unicode.Is(unicode.Han, r):
		return scriptHan
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r == 'ー':
		return scriptKana
	}
	return scriptWord
}

// tokenize splits a normalised text at spaces and at changes of script, so
// "pizza를" is pizza + 를 and "在{City}租车" is 在 + slot + 租车. No
// dictionary is used: Han and kana runs become n-gram features later.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/3+1)
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' {
			i += size
			continue
		}
		sc := scriptOf(r)
		j := i + size
		if sc != scriptSlot {
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if r2 == ' ' || scriptOf(r2) != sc {
					break
				}
				j += n
			}
		}
		tok := token{text: s[i:j], start: i, end: j, script: sc}
		switch sc {
		case scriptWord:
			tok.stem = stemEnglish(tok.text)
		case scriptHangul:
			tok.stem = stripParticle(tok.text)
		default:
			tok.stem = tok.text
		}
		toks = append(toks, tok)
		i = j
	}
	return toks
}

// stemEnglish removes the plural s and the -ing/-ed endings so that
// "pizzas", "ordering" and "ordered" meet "pizza" and "order". It is
// deliberately light: the character n-grams cover what it misses.
func stemEnglish(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// koreanSuffixes are the particles (josa), copulas and request endings that
// attach to a Korean word, longest first so the longest one is stripped.
var koreanSuffixes = sortedByLength([]string{
	"은", "는", "이", "가", "을", "를", "에", "에서", "에게", "께", "께서", "로", "으로", "와", "과",
	"랑", "이랑", "하고", "도", "만", "까지", "부터", "의", "요", "이요", "이에요", "예요", "에요",
	"입니다", "이야", "야", "해줘", "해줘요", "해주세요", "주세요", "한테", "처럼", "보다",
	"이라고", "라고", "이고", "이지", "이죠", "인데", "인데요", "으로요", "로요",
	"에서요", "이랑요", "랑요", "까지요", "부터요", "할게요", "할게", "할래요", "할래", "해요", "님",
})

// Korean particles come in pairs chosen by the sound before them: 은, 이,
// 을, 과, 으로, 이랑 … follow a syllable with a final consonant (batchim),
// 는, 가, 를, 와, 로, 랑 … one without. Checking this keeps names such as
// 다은 or 지은 whole while 태연이 still loses its 이.
var (
	afterConsonant = []string{"은", "이", "을", "과", "으로", "이랑", "이야", "이에요", "이요", "이라고", "이고", "이지", "이죠", "인데"}
	afterVowel     = []string{"는", "가", "를", "와", "로", "랑", "야", "예요", "라고"}
)

// particleFits reports whether suffix may follow stem as a particle.
func particleFits(stem, suffix string) bool {
	last, _ := utf8.DecodeLastRuneInString(stem)
	if !isHangulSyllable(last) {
		return true // after digits or Latin letters anything goes
	}
	tail := (last - hangulBase) % jamoTCount
	for _, p := range afterConsonant {
		if strings.HasPrefix(suffix, p) {
			return tail != 0
		}
	}
	for _, p := range afterVowel {
		if strings.HasPrefix(suffix, p) {
			if p == "로" {
				return tail == 0 || tail == 8 // ㄹ takes 로 as well
			}
			return tail == 0
		}
	}
	return true
}

// sortedByLength returns the list longest first (stable for equal lengths).
func sortedByLength(list []string) []string {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// stripParticle returns w without its longest particle or ending, keeping
// at least one syllable: 서울에서 → 서울, 태연이랑 → 태연, 다은 → 다은.
func stripParticle(w string) string {
	for _, suf := range koreanSuffixes {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) && particleFits(w[:len(w)-len(suf)], suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// koreanStems lists w and every reading of it without one or two particles
// or endings, longest first: 태연이랑 → 태연이랑, 태연이, 태연. Slot values
// are matched against all of them, because a name may itself end in a
// syllable that is also a particle (이 in 영희이).
func koreanStems(w string) []string {
	out := []string{w}
	seen := map[string]bool{w: true}
	for round := 0; round < 2; round++ {
		for _, base := range out {
			for _, suf := range koreanSuffixes {
				if len(base) > len(suf) && strings.HasSuffix(base, suf) && particleFits(base[:len(base)-len(suf)], suf) {
					s := base[:len(base)-len(suf)]
					if !seen[s] {
						seen[s] = true
						out = append(out, s)
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

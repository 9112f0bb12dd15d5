package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenize turns text into the terms the index matches on. The text is
// NFKC-normalised and lower-cased, then each script is handled on its own:
//
//   - Latin letters and digits form words; common English function words
//     are dropped and the rest lightly stemmed (plural -s/-es/-ies, -ing,
//     -ed, a final -e), so "configured" and "configure" meet.
//   - Hangul: each eojeol (a run of syllables) gives its stem, a common
//     particle or ending removed ("파라미터를" → "파라미터"), and the stems
//     of a phrase of eojeols separated only by spaces are joined and cut
//     into character bigrams ("웹 채팅" and "웹채팅" both give 웹채, 채팅), so
//     spacing variants and compounds still meet.
//   - Han and kana: character unigrams (minus a few function characters)
//     and bigrams, which needs no dictionary.
//
// Anything else (punctuation, symbols) separates terms.
func Tokenize(text string) []string {
	text = strings.ToLower(norm.NFKC.String(strings.ToValidUTF8(text, " ")))
	var (
		out    []string
		phrase []rune // stems of the current Hangul phrase, joined
	)
	endPhrase := func() {
		out = appendBigrams(out, phrase)
		phrase = phrase[:0]
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch class := classOf(r); class {
		case classSpace:
			i += size // a space keeps a Hangul phrase open
		case classOther:
			endPhrase()
			i += size
		default:
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if classOf(r2) != class {
					break
				}
				j += s2
			}
			run := text[i:j]
			switch class {
			case classWord:
				endPhrase()
				if w := stemEnglish(run); w != "" {
					out = append(out, w)
				}
			case classHangul:
				if s := stemKorean(run); s != "" {
					out = append(out, s)
					phrase = append(phrase, []rune(s)...)
				}
			case classHan:
				endPhrase()
				out = appendHan(out, []rune(run))
			}
			i = j
		}
	}
	endPhrase()
	return out
}

type charClass int

const (
	classOther charClass = iota
	classSpace
	classWord
	classHangul
	classHan
)

func classOf(r rune) charClass {
	if r < 0x80 { // the common case, without the Unicode tables
		switch {
		case r == ' ' || r >= '\t' && r <= '\r':
			return classSpace
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			return classWord
		}
		return classOther
	}
	switch {
	case unicode.IsSpace(r):
		return classSpace
	case unicode.Is(unicode.Hangul, r):
		if r >= 0xAC00 && r <= 0xD7A3 { // precomposed syllables only; lone jamo are noise
			return classHangul
		}
		return classOther
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
		return classHan
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classWord
	}
	return classOther
}

func appendBigrams(out []string, rs []rune) []string {
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

func appendHan(out []string, rs []rune) []string {
	for _, r := range rs {
		if !strings.ContainsRune(hanStop, r) {
			out = append(out, string(r))
		}
	}
	return appendBigrams(out, rs)
}

// hanStop are Chinese function characters too common to mean anything alone;
// they still take part in bigrams.
const hanStop = "的了吗呢是在和与我你他她它们这那么个吧啊也就都而及或"

var englishStop = setOf("a", "an", "the", "is", "are", "was", "were", "be", "been", "being",
	"to", "of", "and", "or", "in", "on", "for", "with", "by", "at", "from", "as", "it", "its",
	"this", "that", "these", "those", "what", "which", "who", "how", "do", "does", "did",
	"can", "could", "i", "you", "my", "me", "we", "our", "your", "if", "when", "there",
	"will", "should", "would", "into", "about", "s", "t", "so", "than", "then", "am", "has",
	"have", "had", "any", "some", "tell", "please", "whi", "where", "happen")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// stemEnglish lower-cases nothing (the caller did) and strips the common
// inflections; it returns "" for a stop word. The rules only need to send
// the forms of one word to one term, not to produce a dictionary word.
func stemEnglish(w string) string {
	if englishStop[w] {
		return ""
	}
	if !isASCIILetters(w) || len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ing") && len(w) >= 6:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) >= 5:
		w = undouble(w[:len(w)-2])
	}
	if strings.HasSuffix(w, "e") && len(w) > 4 {
		w = w[:len(w)-1]
	}
	if englishStop[w] {
		return ""
	}
	return w
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// undouble turns "stopp" (from "stopping") back into "stop".
func undouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("lsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// koreanSuffixes are particles (josa) and verb endings stripped from the end
// of an eojeol, longest first. A one-syllable suffix is only stripped from a
// word of three or more syllables, so "결과" or "추가" keep their last
// syllable, except the object and topic particles (strongParticles), which
// few nouns end in, so "키를" gives "키"; longer ones leave at least one.
var koreanSuffixes = []string{
	// endings of requests and questions
	"해주세요", "하시나요", "되었나요", "됐나요", "했나요", "할까요", "하나요", "합니까", "하려면",
	"하세요", "해줘요", "됩니다", "되나요", "인가요", "입니다", "이에요", "습니다", "주세요",
	"으려면", "해야", "해서", "해요", "했다", "합니다", "하면", "하는", "하기", "하여", "하지",
	"하고", "한다", "된다", "되는", "되면", "되어", "돼요", "해줘", "예요", "이다", "이며",
	"이고", "인지", "나요", "까요", "세요", "어요", "아요", "니다", "려면", "으면", "는지",
	"는데", "지만",
	// particles
	"에서는", "에서도", "으로는", "으로도", "에게서", "한테서", "이라고", "이라는", "이라면",
	"에서", "에게", "한테", "께서", "으로", "부터", "까지", "보다", "처럼", "마다", "이나",
	"이랑", "라고", "라는", "에는", "에도", "로는", "로도", "와는", "과는", "이란",
	"은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "랑", "께",
	"한", "할", "해", "된", "될", "돼", "줘", "면",
}

const strongParticles = "을를은는에"

// koreanStop are stems of question words and light verbs that say nothing
// about which passage is meant.
var koreanStop = setOf("어떻게", "무엇", "뭐", "무슨", "어떤", "어디", "언제", "왜", "누가",
	"이", "그", "저", "것", "수", "있", "있나요", "있어요", "있습니다", "없", "하", "되", "및", "등",
	"때", "알려", "알려줘", "알려주세요", "설명해줘", "뭔가요", "뭐예요", "무엇인가요", "좀", "이런",
	"그런", "저런", "해", "를", "을", "은", "는", "가", "에", "의", "도", "와", "과", "로", "으로",
	"에서", "만", "대해", "대한", "관해", "있는", "하는", "되는", "할", "한", "다", "것은", "건가요", "가요", "인가요", "나요", "싶", "있어", "없어", "얼마", "어때")

// stemKorean strips one particle or ending from an eojeol and returns ""
// when what is left is a stop word.
func stemKorean(w string) string {
	if koreanStop[w] {
		return ""
	}
	n := utf8.RuneCountInString(w)
	for _, suf := range koreanSuffixes {
		if !strings.HasSuffix(w, suf) {
			continue
		}
		sn := utf8.RuneCountInString(suf)
		if (sn == 1 && (n >= 3 || n == 2 && strings.Contains(strongParticles, suf))) || (sn > 1 && n > sn) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	if koreanStop[w] {
		return ""
	}
	return w
}

package entity

import (
	"unicode"
	"unicode/utf8"
)

// input is the text as the recognisers see it: one folded rune per original
// rune, so rune indices map back to byte offsets of the caller's text.
type input struct {
	cased []rune // full-width ASCII folded to ASCII, ideographic space to space, case kept
	r     []rune // cased, lower-cased; what the rules match against
	offs  []int  // offs[k] is the byte offset of rune k; offs[len(r)] == len(text)

	// trimStart, trimEnd bound the input without surrounding whitespace,
	// punctuation and symbols; see trimmed.
	trimStart, trimEnd int
}

func newInput(text string) *input {
	n := utf8.RuneCountInString(text)
	in := &input{
		cased: make([]rune, 0, n),
		r:     make([]rune, 0, n),
		offs:  make([]int, 0, n+1),
	}
	for off, c := range text {
		c = foldWidth(c)
		in.cased = append(in.cased, c)
		in.r = append(in.r, unicode.ToLower(c))
		in.offs = append(in.offs, off)
	}
	in.offs = append(in.offs, len(text))
	a, b := 0, len(in.r)
	for a < b && isFiller(in.r[a]) {
		a++
	}
	for b > a && isFiller(in.r[b-1]) {
		b--
	}
	in.trimStart, in.trimEnd = a, b
	return in
}

// foldWidth maps full-width ASCII variants and the ideographic space to
// ASCII, and typographic minus and apostrophe variants to their ASCII forms,
// so that "３時" and "3時" parse alike. It is a one-rune-to-one-rune mapping,
// which keeps offsets exact (golang.org/x/text/width would do the same for
// the ranges that matter here).
func foldWidth(c rune) rune {
	switch {
	case c >= 0xFF01 && c <= 0xFF5E:
		return c - 0xFEE0
	case c == 0x3000 || c == 0x00A0:
		return ' '
	case c == 0x2212 || c == 0x2013:
		return '-'
	case c == 0x2019 || c == 0x2018:
		return '\''
	}
	return c
}

// span is a match in rune indices of an input.
type span struct {
	start, end int
	value      string
	alts       []string // all candidates when ambiguous; value == alts[0]
}

// rule tries to recognise one value starting exactly at rune index i. It
// returns the span's end; it sets start only to leave out a leading cue word.
type rule func(in *input, i int) (span, bool)

// scan runs rules left to right, keeping the longest match at each position
// and skipping past it, so matches never overlap.
func scan(in *input, rules []rule) []span {
	var out []span
	for i := 0; i < len(in.r); {
		best := span{end: -1}
		if in.startOK(i) {
			for _, rl := range rules {
				if s, ok := rl(in, i); ok && s.end > best.end {
					best = s
				}
			}
		}
		if best.end > i {
			// A rule may start its span after a cue word ("at 3" → "3").
			best.start = max(best.start, i)
			out = append(out, best)
			i = best.end
			continue
		}
		i++
	}
	return out
}

// startOK reports whether a value may begin at rune i: never inside a word
// of the same script or inside a digit run. Han text has no word boundaries,
// so any Han position is allowed; a change of script is a boundary, so digits
// and Latin letters may follow Hangul or Han directly ("총3개", "下午3点",
// "订单号AB123").
func (in *input) startOK(i int) bool {
	if i == 0 {
		return true
	}
	c, p := in.r[i], in.r[i-1]
	switch {
	case isHan(c):
		return true
	case isDigit(c):
		if isDigit(p) || isASCIILetter(p) {
			return false
		}
		if (p == '.' || p == ',') && i >= 2 && isDigit(in.r[i-2]) {
			return false
		}
		return true
	case isHangul(c):
		return !isWordRune(p)
	}
	return !isWordRune(p) || isHan(p) || isHangul(p)
}

// at returns rune i, or 0 outside the input, so rules can look ahead freely.
func (in *input) at(i int) rune {
	if i < 0 || i >= len(in.r) {
		return 0
	}
	return in.r[i]
}

// lit returns the end of literal s (lower case) at i, or -1.
func (in *input) lit(i int, s string) int {
	for _, c := range s {
		if i >= len(in.r) || in.r[i] != c {
			return -1
		}
		i++
	}
	return i
}

// word is lit that also requires s to end a Latin word, so "sun" does not
// match inside "sunday".
func (in *input) word(i int, s string) int {
	j := in.lit(i, s)
	if j < 0 || !in.latinEnd(j) {
		return -1
	}
	return j
}

// longest returns the end of the longest of words at i and its index, or -1.
// For words ending in a Latin letter or digit it requires a word end.
func (in *input) longest(i int, words []string) (int, int) {
	end, idx := -1, -1
	for k, w := range words {
		j := in.lit(i, w)
		if j <= end {
			continue
		}
		if last, _ := utf8.DecodeLastRuneInString(w); isASCIILetter(last) || isDigit(last) {
			if !in.latinEnd(j) {
				continue
			}
		}
		end, idx = j, k
	}
	return end, idx
}

// longestWord is longest for a few literal words; it returns -1 if none.
func (in *input) longestWord(i int, words ...string) int {
	j, _ := in.longest(i, words)
	return j
}

// latinWord returns the run of ASCII letters at i.
func (in *input) latinWord(i int) (string, int) {
	j := i
	for isASCIILetter(in.at(j)) {
		j++
	}
	return string(in.r[i:j]), j
}

// latinEnd reports whether a Latin word or digit run may end before rune j.
func (in *input) latinEnd(j int) bool {
	c := in.at(j)
	return !isASCIILetter(c) && !isDigit(c)
}

// spaces skips whitespace from i.
func (in *input) spaces(i int) int {
	for i < len(in.r) && unicode.IsSpace(in.r[i]) {
		i++
	}
	return i
}

// gap skips whitespace from i and reports whether there was any; rules use it
// between English words.
func (in *input) gap(i int) (int, bool) {
	j := in.spaces(i)
	return j, j > i
}

// trimmed returns the rune range of the input without surrounding
// whitespace, punctuation and symbols (emoji), which short answers may carry.
func (in *input) trimmed() (int, int) { return in.trimStart, in.trimEnd }

func isFiller(c rune) bool {
	// U+FE0F and U+200D glue emoji sequences together.
	return unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c) ||
		c == 0xFE0F || c == 0x200D
}

func isDigit(c rune) bool       { return c >= '0' && c <= '9' }
func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHangul(c rune) bool {
	return c >= 0xAC00 && c <= 0xD7A3 || c >= 0x3131 && c <= 0x318E
}
func isHan(c rune) bool      { return unicode.Is(unicode.Han, c) }
func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// hasBatchim reports whether a Hangul syllable ends in a final consonant,
// which decides the form of the particle after it (홍길동이에요 vs 영희예요).
func hasBatchim(c rune) bool {
	return c >= 0xAC00 && c <= 0xD7A3 && (c-0xAC00)%28 != 0
}

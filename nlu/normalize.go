package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Placeholder runes stand for slot references inside normalised templates.
// They come from the Private Use Area, which normalize removes from user
// input, so a user can never type one.
const (
	slotRuneBase = 0xE000 // + slot index within one template ({Name} → U+E000+i)
	typeRuneBase = 0xE400 // + slot type index within the locale (class tokens)
	slotRuneEnd  = 0xF8FF
)

func isPlaceholder(r rune) bool { return r >= slotRuneBase && r <= slotRuneEnd }

// text is a normalised utterance that remembers, for every byte of the
// normalised form, which bytes of the original produced it, so that slot
// values can be reported as the user typed them.
type text struct {
	orig  string
	s     string // NFKC, lower case, punctuation as single spaces, trimmed
	start []int  // start[i]: original offset of the NFKC segment that produced s[i]
	end   []int  // end[i]: original end offset of that segment
}

// normalize folds width and compatibility forms (NFKC: "ＡＢＣ" → "abc",
// half-width katakana → full width), lower-cases, drops apostrophes (so
// "I'd" and "Id" agree) and turns every other non-letter, non-digit rune —
// punctuation, symbols, emoji — into a space, collapsing runs of spaces.
// With keepPlaceholders the template placeholder runes survive.
func normalize(orig string, keepPlaceholders bool) text {
	t := text{orig: orig}
	var b strings.Builder
	b.Grow(len(orig))
	t.start = make([]int, 0, len(orig))
	t.end = make([]int, 0, len(orig))
	pendingSpace := false
	var spaceStart, spaceEnd int
	var it norm.Iter
	it.InitString(norm.NFKC, orig)
	for !it.Done() {
		segStart := it.Pos()
		seg := it.Next()
		segEnd := it.Pos()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			switch {
			case r == '\'' || r == '\u2019' || r == '\u02bc':
				continue
			case isWordRune(r) || (keepPlaceholders && isPlaceholder(r)):
				if pendingSpace && b.Len() > 0 {
					b.WriteByte(' ')
					t.start = append(t.start, spaceStart)
					t.end = append(t.end, spaceEnd)
				}
				pendingSpace = false
				r = unicode.ToLower(r)
				n := b.Len()
				b.WriteRune(r)
				for i := n; i < b.Len(); i++ {
					t.start = append(t.start, segStart)
					t.end = append(t.end, segEnd)
				}
			default:
				if !pendingSpace {
					spaceStart, spaceEnd = segStart, segEnd
				}
				pendingSpace = true
			}
		}
	}
	t.s = b.String()
	return t
}

// isWordRune reports whether r carries meaning for understanding: letters,
// digits and combining marks. Private-use runes are not: they are reserved
// for placeholders.
func isWordRune(r rune) bool {
	if isPlaceholder(r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Nd, r) || unicode.IsMark(r)
}

// original returns the original text that produced s[a:b].
func (t *text) original(a, b int) string {
	if a >= b || b > len(t.s) {
		return ""
	}
	return strings.TrimSpace(t.orig[t.start[a]:t.end[b-1]])
}

// origSpan returns the original byte span that produced s[a:b].
func (t *text) origSpan(a, b int) (int, int) {
	if a >= b || b > len(t.s) {
		return 0, 0
	}
	return t.start[a], t.end[b-1]
}

// normString is normalize for text that needs no offsets (slot values,
// synonyms, filler phrases).
func normString(s string) string { return normalize(s, false).s }

// Hangul syllable arithmetic (Unicode §3.12): a precomposed syllable is
// 0xAC00 + (L*21 + V)*28 + T.
const (
	hangulBase  = 0xAC00
	hangulLast  = 0xD7A3
	jamoLBase   = 0x1100
	jamoVBase   = 0x1161
	jamoTBase   = 0x11A7
	jamoVCount  = 21
	jamoTCount  = 28
	jamoNCount  = jamoVCount * jamoTCount
	compatJamoA = 0x3131 // compatibility jamo block (ㄱ…ㆎ), as typed alone
	compatJamoZ = 0x318E
)

func isHangulSyllable(r rune) bool { return r >= hangulBase && r <= hangulLast }

func isHangul(r rune) bool {
	return isHangulSyllable(r) || (r >= 0x1100 && r <= 0x11FF) || (r >= compatJamoA && r <= compatJamoZ) ||
		(r >= 0xA960 && r <= 0xA97F) || (r >= 0xD7B0 && r <= 0xD7FF)
}

// appendJamo appends the conjoining jamo of r (leading consonant, vowel and,
// when present, trailing consonant) for a Hangul syllable, or r itself.
// Working on jamo makes 안녀 and 안뇽 one edit away from 안녕.
func appendJamo(dst []rune, r rune) []rune {
	if !isHangulSyllable(r) {
		return append(dst, r)
	}
	i := r - hangulBase
	l, v, tail := i/jamoNCount, (i%jamoNCount)/jamoTCount, i%jamoTCount
	dst = append(dst, jamoLBase+l, jamoVBase+v)
	if tail != 0 {
		dst = append(dst, jamoTBase+tail)
	}
	return dst
}

// jamoRunes decomposes every Hangul syllable of s into jamo.
func jamoRunes(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = appendJamo(out, r)
	}
	return out
}

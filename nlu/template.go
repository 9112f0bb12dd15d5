package nlu

import (
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// template is a sample utterance split into literal text and slot
// placeholders. Placeholders may sit inside words ("{Name}이야",
// "在{City}租车"), so matching works on characters, not words.
type template struct {
	slots  []string // slot names by placeholder index
	pieces []piece
	norm   string // normalised text with placeholder runes U+E000+i
	// spelled marks a sample without slots that spells out a value of one
	// of its intent's custom slot types ("book a table at olive garden"
	// beside "book a table at {Restaurant}"): the sentence behind another
	// sample, which the tagger and the in-scope reference leave out.
	spelled bool
}

// piece is a literal (spaces removed: spacing is free in Korean and absent
// in Chinese) or a slot placeholder.
type piece struct {
	lit  string
	slot int // placeholder index, or -1 for a literal
	// For literals: the words next to the neighbouring placeholders, and
	// the literal with its leading particle in the other form (를 for 을)
	// when it follows a placeholder: the value decides which one is said.
	firstWord, lastWord string
	alt                 string
	// For slots: the template had a space or an edge on that side, so the
	// captured value must start (end) at a word boundary of the input.
	leftEdge, rightEdge bool
}

// parseTemplate reads an utterance with {Slot} references to slots of in;
// braces around unknown names stay text.
func parseTemplate(utt string, in *parley.Intent) template {
	var tp template
	var raw strings.Builder
	// Private-use runes in the text itself would pose as placeholders.
	rest := strings.Map(func(r rune) rune {
		if isPlaceholder(r) {
			return -1
		}
		return r
	}, utt)
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			raw.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			raw.WriteString(rest)
			break
		}
		name := strings.TrimSpace(rest[i+1 : i+j])
		raw.WriteString(rest[:i])
		if in.Slot(name) != nil {
			idx := len(tp.slots)
			for k, s := range tp.slots {
				if s == name {
					idx = k
				}
			}
			if idx == len(tp.slots) {
				tp.slots = append(tp.slots, name)
			}
			raw.WriteRune(rune(slotRuneBase + idx))
		} else {
			raw.WriteString(rest[i : i+j+1])
		}
		rest = rest[i+j+1:]
	}
	tp.norm = normalize(raw.String(), true).s
	s := tp.norm
	var lit strings.Builder
	flush := func(spaced string) {
		if lit.Len() > 0 {
			words := strings.Fields(spaced)
			tp.pieces = append(tp.pieces, piece{lit: lit.String(), slot: -1, firstWord: words[0], lastWord: words[len(words)-1]})
			lit.Reset()
		}
	}
	litStart := 0
	for i, r := range s {
		if !isPlaceholder(r) {
			if r != ' ' {
				lit.WriteRune(r)
			}
			continue
		}
		flush(s[litStart:i])
		end := i + utf8.RuneLen(r)
		litStart = end
		tp.pieces = append(tp.pieces, piece{
			slot:      int(r - slotRuneBase),
			leftEdge:  i == 0 || s[i-1] == ' ',
			rightEdge: end == len(s) || s[end] == ' ',
		})
	}
	flush(s[litStart:])
	for i := 1; i < len(tp.pieces); i++ {
		if tp.pieces[i].slot < 0 && tp.pieces[i-1].slot >= 0 {
			tp.pieces[i].alt = otherParticle(tp.pieces[i].lit)
		}
	}
	return tp
}

// particlePairs are Korean particles with their two forms (after a final
// consonant, after a vowel), longest first.
var particlePairs = [][2]string{
	{"이에요", "예요"}, {"이라고", "라고"}, {"이랑", "랑"}, {"으로", "로"}, {"이야", "야"},
	{"을", "를"}, {"이", "가"}, {"은", "는"}, {"과", "와"},
}

// otherParticle returns lit with its leading particle in the other form,
// or "" when it starts with none.
func otherParticle(lit string) string {
	for _, p := range particlePairs {
		switch {
		case strings.HasPrefix(lit, p[0]):
			return p[1] + lit[len(p[0]):]
		case strings.HasPrefix(lit, p[1]):
			return p[0] + lit[len(p[1]):]
		}
	}
	return ""
}

// capture is the input span a placeholder matched (normalised offsets).
type capture struct {
	slot int
	a, b int
}

// alignLimit bounds the search of one alignment so that long inputs cost
// a bounded amount of work.
const alignLimit = 4000

// aligner matches template pieces against a normalised input.
type aligner struct {
	in      string
	pieces  []piece
	anchorE bool // the template must consume the input to its end
	steps   int
	caps    []capture
	visit   func([]capture) bool // false stops the search
}

// align enumerates the ways the whole input follows tp, calling visit with
// the captures of each (the slice is reused between calls).
func (tp *template) align(in string, visit func([]capture) bool) {
	if len(tp.slots) == 0 {
		return
	}
	al := aligner{in: in, pieces: tp.pieces, anchorE: true, visit: visit}
	al.match(0, 0)
}

// alignLocal finds the places where placeholder slot occurs with its
// nearest literal context (the word before and the word after it in the
// template), anywhere in the input: the template "안녕 나는 {Name}이야"
// finds 홍길동 in "음 나는 홍길동이야 반가워". Contexts already in seen
// are skipped, and the others added: many templates put a slot between
// the same two words, which find the same places.
func (tp *template) alignLocal(in string, slot int, seen map[string]bool, visit func([]capture) bool) {
	for i, p := range tp.pieces {
		if p.slot != slot {
			continue
		}
		var mini []piece
		before, after := "\x00", "\x00"
		if i > 0 && tp.pieces[i-1].slot < 0 {
			before = tp.pieces[i-1].lastWord
			mini = append(mini, piece{lit: before, slot: -1})
		}
		mini = append(mini, p)
		if i+1 < len(tp.pieces) && tp.pieces[i+1].slot < 0 {
			after = tp.pieces[i+1].firstWord
			mini = append(mini, piece{lit: after, alt: otherParticle(after), slot: -1})
		}
		if len(mini) == 1 {
			continue // a bare placeholder says nothing about where the value is
		}
		key := before + "\x01" + after + "\x01" + string(rune('0'+b2i(p.leftEdge)+2*b2i(p.rightEdge)))
		if seen[key] {
			continue
		}
		seen[key] = true
		al := aligner{in: in, pieces: mini, visit: visit}
		for start := 0; start < len(in); {
			if !al.match(0, start) {
				return
			}
			_, n := utf8.DecodeRuneInString(in[start:])
			start += n
		}
	}
}

// skipSpaces returns the first position at or after p that is not a space.
func skipSpaces(s string, p int) int {
	for p < len(s) && s[p] == ' ' {
		p++
	}
	return p
}

// matchLit matches lit (no spaces) at p, ignoring spaces in the input, and
// returns the end of the match or -1.
func matchLit(in, lit string, p int) int {
	for _, r := range lit {
		p = skipSpaces(in, p)
		r2, n := utf8.DecodeRuneInString(in[p:])
		if p >= len(in) || r2 != r {
			return -1
		}
		p += n
	}
	return p
}

// match tries pieces[i:] at input position p; it returns false once the
// visitor asked to stop or the step budget is spent.
func (al *aligner) match(i, p int) bool {
	al.steps++
	if al.steps > alignLimit {
		return false
	}
	if i == len(al.pieces) {
		if al.anchorE && skipSpaces(al.in, p) != len(al.in) {
			return true
		}
		return al.visit(al.caps)
	}
	pc := al.pieces[i]
	if pc.slot < 0 {
		for _, lit := range [2]string{pc.lit, pc.alt} {
			if lit == "" {
				continue
			}
			if e := matchLit(al.in, lit, p); e >= 0 && !al.match(i+1, e) {
				return false
			}
		}
		return true
	}
	s := skipSpaces(al.in, p)
	if s >= len(al.in) || (pc.leftEdge && s > 0 && al.in[s-1] != ' ') {
		return true
	}
	for e := s; e < len(al.in); {
		al.steps++ // every end tried counts: long inputs must stay cheap
		if al.steps > alignLimit {
			return false
		}
		_, n := utf8.DecodeRuneInString(al.in[e:])
		e += n
		if al.in[e-1] == ' ' || (pc.rightEdge && e < len(al.in) && al.in[e] != ' ') {
			continue
		}
		al.caps = append(al.caps, capture{slot: pc.slot, a: s, b: e})
		ok := al.match(i+1, e)
		al.caps = al.caps[:len(al.caps)-1]
		if !ok {
			return false
		}
	}
	return true
}

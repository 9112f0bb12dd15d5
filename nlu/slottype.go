package nlu

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/parleybot/parley"
)

// Built-in slot types that take text the recognisers cannot check.
const (
	typeFirstName = "AMAZON.FirstName"
	typeFreeForm  = "AMAZON.FreeFormInput"
)

// slotType is what the interpreter knows about one slot type of a locale.
type slotType struct {
	name       string
	builtin    bool
	restricted bool
	classRune  rune     // the token that stands for any value of the type in training
	samples    []string // normalised example values put in place of {Slot} in training

	// Custom types only.
	values    []string       // canonical values as defined
	normVals  []string       // their normalised forms
	phrases   map[string]int // normalised value or synonym → value index
	maxTokens int            // longest phrase, in tokens
	fuzzy     []fuzzyPhrase
	// fuzzyByLen indexes fuzzy by phrase length: only phrases within a
	// few edits of the input's length can match, and scanning just those
	// keeps slot-heavy bots fast.
	fuzzyByLen map[int][]int
	cjk        []cjkPhrase // phrases found by substring: no spaces to delimit them
	regex      *regexp.Regexp
}

// fuzzyPhrase is a value or synonym as letters (English) or jamo (Korean).
type fuzzyPhrase struct {
	runes []rune
	value int
}

type cjkPhrase struct {
	text  string
	value int
}

// samplesPerType is how many values of a slot type stand in for {Slot} in
// training: enough to show the classifier real words, few enough to keep
// a 150-intent bot fast.
const samplesPerType = 3

// newCustomType indexes a custom slot type's values and synonyms.
func newCustomType(st *parley.SlotType, classRune rune) (*slotType, error) {
	t := &slotType{name: st.Name, restricted: st.Restricted(), classRune: classRune, phrases: map[string]int{}}
	if st.RegexFilter != "" {
		re, err := regexp.Compile("^(?:" + st.RegexFilter + ")$")
		if err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "slot type %s: regexFilter %q: %v", st.Name, st.RegexFilter, err)
		}
		t.regex = re
	}
	for _, v := range st.Values {
		idx := len(t.values)
		t.values = append(t.values, v.Value)
		t.normVals = append(t.normVals, normString(v.Value))
		for _, p := range append([]string{v.Value}, v.Synonyms...) {
			np := normString(p)
			if np == "" {
				continue
			}
			if _, dup := t.phrases[np]; !dup {
				t.phrases[np] = idx
			}
			t.maxTokens = max(t.maxTokens, len(tokenize(np)))
			runes := jamoRunes(np)
			if fuzzyLimit(len(runes)) > 0 {
				if t.fuzzyByLen == nil {
					t.fuzzyByLen = map[int][]int{}
				}
				t.fuzzyByLen[len(runes)] = append(t.fuzzyByLen[len(runes)], len(t.fuzzy))
			}
			t.fuzzy = append(t.fuzzy, fuzzyPhrase{runes: runes, value: idx})
			if hasCJK(np) {
				t.cjk = append(t.cjk, cjkPhrase{text: np, value: idx})
			}
		}
		if len(t.samples) < samplesPerType && t.normVals[idx] != "" {
			t.samples = append(t.samples, t.normVals[idx])
		}
	}
	return t, nil
}

// newBuiltinType describes an AMAZON.* type (or an unknown type name, which
// then only ever fills through templates as free text).
func newBuiltinType(name, lg string, classRune rune) *slotType {
	t := &slotType{name: name, builtin: true, classRune: classRune}
	for _, s := range builtinTypeSamples[name][lg] {
		t.samples = append(t.samples, normString(s))
	}
	return t
}

func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			return true
		}
	}
	return false
}

// valueMatch is a value of a custom type found in the input.
type valueMatch struct {
	a, b  int // normalised span of the value itself (particles excluded)
	value int
	dist  int // edit distance; 0 for an exact match
}

// spanVariants lists the strings the span s[a:b] may stand for, with their
// end offsets: the span itself and, when it ends in a Korean word, that
// word without its particles (태연이랑 → 태연이, 태연).
func spanVariants(s string, a, b int, dst []spanVariant) []spanVariant {
	dst = append(dst, spanVariant{s[a:b], b})
	ws := strings.LastIndexByte(s[a:b], ' ') + 1 + a
	last := s[ws:b]
	if last == "" || !isHangul(firstRune(last)) {
		return dst
	}
	for _, st := range koreanStems(last)[1:] {
		dst = append(dst, spanVariant{s[a:ws] + st, ws + len(st)})
	}
	return dst
}

type spanVariant struct {
	text string
	end  int
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// findExact returns the non-overlapping exact occurrences of the type's
// values and synonyms in the input, longest first, in text order.
func (t *slotType) findExact(in *input) []valueMatch {
	if len(t.phrases) == 0 {
		return nil
	}
	s := in.t.s
	var found []valueMatch
	var vars []spanVariant
	for i := range in.toks {
		for j := i; j < len(in.toks) && j < i+t.maxTokens+1; j++ {
			vars = spanVariants(s, in.toks[i].start, in.toks[j].end, vars[:0])
			for _, v := range vars {
				if idx, ok := t.phrases[v.text]; ok {
					found = append(found, valueMatch{a: in.toks[i].start, b: v.end, value: idx})
					break
				}
			}
		}
	}
	for _, p := range t.cjk {
		for off := 0; ; {
			k := strings.Index(s[off:], p.text)
			if k < 0 {
				break
			}
			found = append(found, valueMatch{a: off + k, b: off + k + len(p.text), value: p.value})
			off += k + len(p.text)
		}
	}
	return nonOverlapping(found)
}

// fuzzyLimit is the number of edits a phrase of n letters or jamo may be
// away from the input: none below four, then one per four.
func fuzzyLimit(n int) int {
	if n < 4 {
		return 0
	}
	return min(n/4, maxFuzzyEdits)
}

// maxFuzzyEdits is the most edits any phrase allows.
const maxFuzzyEdits = 3

// maxFuzzyPhrases bounds fuzzy matching: huge value lists get exact
// matching only, so one utterance never costs more than a few milliseconds.
const maxFuzzyPhrases = 3000

// findFuzzy returns near misses of values and synonyms anywhere in the
// input ("peperoni", 태연 typed 태욘), scaled by length. Words found this
// way must start like the value: ordinary words one edit away from a value
// ("later" and "water") usually differ at the start, typos rarely do.
func (t *slotType) findFuzzy(in *input) []valueMatch {
	if len(t.fuzzy) == 0 || len(t.fuzzy) > maxFuzzyPhrases {
		return nil
	}
	s := in.t.s
	var found []valueMatch
	var vars []spanVariant
	for i := range in.toks {
		if in.toks[i].script != scriptWord && in.toks[i].script != scriptHangul {
			continue
		}
		for j := i; j < len(in.toks) && j < i+t.maxTokens; j++ {
			vars = spanVariants(s, in.toks[i].start, in.toks[j].end, vars[:0])
			for _, v := range vars {
				best, bestVal := t.nearest(jamoRunes(v.text), true)
				if best > 0 {
					found = append(found, valueMatch{a: in.toks[i].start, b: v.end, value: bestVal, dist: best})
				}
			}
		}
	}
	slices.SortStableFunc(found, func(x, y valueMatch) int { return x.dist - y.dist })
	return nonOverlapping(found)
}

// nearest returns the edit distance and value of the fuzzy phrase closest
// to cand within its fuzzy limit, the earliest listed on a tie; -1 when none
// is. With sameStart the phrase must begin with cand's first letter.
func (t *slotType) nearest(cand []rune, sameStart bool) (dist, value int) {
	dist, at := -1, -1
	for n := max(len(cand)-maxFuzzyEdits, 1); n <= len(cand)+maxFuzzyEdits; n++ {
		lim := fuzzyLimit(n)
		if lim == 0 || abs(n-len(cand)) > lim {
			continue
		}
		for _, i := range t.fuzzyByLen[n] {
			p := t.fuzzy[i]
			if sameStart && cand[0] != p.runes[0] {
				continue
			}
			if d := editDistance(cand, p.runes, lim); d >= 0 && (dist < 0 || d < dist || d == dist && i < at) {
				dist, at = d, i
			}
		}
	}
	if at < 0 {
		return -1, 0
	}
	return dist, t.fuzzy[at].value
}

// nonOverlapping keeps, greedily, the longest (then closest, then
// leftmost) matches that do not overlap, and returns them in text order.
func nonOverlapping(ms []valueMatch) []valueMatch {
	if len(ms) < 2 {
		return ms
	}
	slices.SortStableFunc(ms, func(x, y valueMatch) int {
		if x.dist != y.dist {
			return x.dist - y.dist
		}
		if lx, ly := x.b-x.a, y.b-y.a; lx != ly {
			return ly - lx
		}
		return x.a - y.a
	})
	var out []valueMatch
	for _, m := range ms {
		ok := true
		for _, o := range out {
			if m.a < o.b && o.a < m.b {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(x, y valueMatch) int { return x.a - y.a })
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the Levenshtein distance of a and b, or -1 when it
// exceeds limit (the rows stop early).
func editDistance(a, b []rune, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return -1
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > limit {
		return -1
	}
	return prev[len(b)]
}

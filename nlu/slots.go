package nlu

import (
	"math"
	"slices"
	"strings"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu/entity"
)

// found is a slot value with the span of the original text it came from.
type found struct {
	sv      *parley.SlotValue
	oa, ob  int
	quality int
}

// How sure a value is: an exact value or a recogniser's match beats a
// near miss, which beats text accepted as said.
const (
	qualFree  = 1
	qualFuzzy = 2
	qualExact = 3
)

type slotFill map[string]found

func (g slotFill) values() map[string]*parley.SlotValue {
	out := make(map[string]*parley.SlotValue, len(g))
	for k, f := range g {
		out[k] = f.sv
	}
	return out
}

func (g slotFill) overlaps(oa, ob int) bool {
	for _, f := range g {
		if oa < f.ob && f.oa < ob {
			return true
		}
	}
	return false
}

// fill finds the values of ii's slots in the input: first by aligning the
// whole input with a sample utterance, then by the words around each
// placeholder, then (ORIGINAL_VALUE slots of an intent with a tagger) by
// the tagger, then by looking for slot values anywhere. exact reports
// that a template with slots matched the whole input with valid values.
func (ip *interpreter) fill(in *input, q parley.Query, ii *intentInfo) (map[string]*parley.SlotValue, bool) {
	got, exact := ip.fillSpans(in, q, ii)
	return got.values(), exact
}

// fillSpans is fill with the span each value came from.
func (ip *interpreter) fillSpans(in *input, q parley.Query, ii *intentInfo) (slotFill, bool) {
	got := slotFill{}
	if len(ii.intent.Slots) == 0 {
		return got, false
	}
	matched, exact := ip.alignFull(in, q, ii, ii.templates, got)
	if !matched {
		ip.alignNear(in, q, ii, ii.templates, got)
		for _, sl := range ii.intent.Slots {
			ip.alignNear(in, q, ii, ii.slotTemplates[sl.Name], got)
		}
	}
	ip.tagged(in, q, ii, got)
	ip.search(in, q, ii, got, ii.tagger == nil)
	return got, exact
}

// tagged settles the ORIGINAL_VALUE slots of an intent with a tagger: a
// listed value found by the templates stays; otherwise the tagger's span
// is the value, and text the templates took as said without the tagger's
// agreement is dropped. Templates and listed values only guess where an
// unlisted name lies: captured as said, aligned near a placeholder or a
// listed word found anywhere, they misplace it.
func (ip *interpreter) tagged(in *input, q parley.Query, ii *intentInfo, got slotFill) {
	if ii.tagger == nil {
		return
	}
	open := func(name string) bool {
		st := ii.slotTypes[name]
		return !st.builtin && !st.restricted
	}
	for name, f := range got {
		if open(name) && f.quality != qualExact {
			delete(got, name)
		}
	}
	for _, sp := range ii.tagger.tag(in) {
		if _, ok := got[sp.slot]; ok || !open(sp.slot) {
			continue
		}
		if f, ok := ip.resolveCapture(in, q, ii.slotTypes[sp.slot], sp.a, sp.b); ok && !got.overlaps(f.oa, f.ob) {
			got[sp.slot] = f
		}
	}
}

func (ip *interpreter) fillFor(in *input, q parley.Query, ii *intentInfo, exactOther bool) map[string]*parley.SlotValue {
	name := q.ElicitSlot
	st := ii.slotTypes[name]
	if name == "" || st == nil {
		m, _ := ip.fill(in, q, ii)
		return m
	}
	got := slotFill{}
	if st.name == typeFreeForm {
		if v := strings.TrimSpace(q.Text); v != "" {
			got[name] = found{sv: parley.ScalarSlot(v, v, v), oa: 0, ob: len(q.Text), quality: qualExact}
		}
		return got.values()
	}
	a, b := ip.stripFillers(in.t.s)
	if f, ok := ip.resolveWhole(in, q, name, st, a, b); ok {
		got[name] = f
	}
	if _, ok := got[name]; !ok {
		if matched, _ := ip.alignFull(in, q, ii, ii.slotTemplates[name], got); !matched {
			ip.alignFull(in, q, ii, ii.templates, got)
		}
	}
	if _, ok := got[name]; !ok {
		ip.alignNear(in, q, ii, ii.slotTemplates[name], got)
		ip.alignNear(in, q, ii, ii.templates, got)
	}
	// "actually make it medium" while an ORIGINAL_VALUE crust is asked
	// for corrects the size; it is not a crust called that.
	correction := !st.builtin && !st.restricted && ip.mentionsOtherSlot(in, q, ii, name)
	if f, ok := got[name]; ok && f.quality == qualFree && correction {
		delete(got, name)
	}
	if _, ok := got[name]; !ok && !exactOther && !correction && a < b && (!st.restricted || st.builtin) {
		if f, ok := ip.resolveFree(in, q, st, a, b); ok {
			got[name] = f
		}
	}
	ip.search(in, q, ii, got, true)
	return got.values()
}

// mentionsOtherSlot reports whether the input holds a listed value or a
// recognised entity of one of ii's slots other than name.
func (ip *interpreter) mentionsOtherSlot(in *input, q parley.Query, ii *intentInfo, name string) bool {
	others := slotFill{}
	ip.search(in, q, ii, others, true)
	for n, f := range others {
		if n != name && f.quality == qualExact {
			return true
		}
	}
	return false
}

// resolveWhole reads the (filler-stripped) answer as a value of st: a
// listed value or synonym, exact or nearly, or a built-in recogniser's
// match covering it.
func (ip *interpreter) resolveWhole(in *input, q parley.Query, name string, st *slotType, a, b int) (found, bool) {
	if !st.builtin {
		for _, span := range [][2]int{{0, len(in.t.s)}, {a, b}} {
			if f, ok := ip.resolveCustom(in, st, span[0], span[1], false); ok {
				return f, true
			}
		}
		return found{}, false
	}
	if st.name == typeFirstName || !entity.Supported(st.name) {
		return found{}, false
	}
	if ms := ip.entities(in, st.name, q); len(ms) > 0 {
		m := ms[0]
		return found{sv: parley.ScalarSlot(m.Text, m.Value, m.Resolved...), oa: m.Start, ob: m.End, quality: qualExact}, true
	}
	return found{}, false
}

// resolveFree takes the stripped answer as said, for types that accept any
// text: ORIGINAL_VALUE custom types, AMAZON.FirstName and built-ins
// without a recogniser. A first name is asked of the recogniser first,
// which knows the Korean and English ways to say one's name.
func (ip *interpreter) resolveFree(in *input, q parley.Query, st *slotType, a, b int) (found, bool) {
	if st.name == typeFirstName {
		if ms := ip.entities(in, st.name, q); len(ms) > 0 {
			m := ms[0]
			return found{sv: parley.ScalarSlot(m.Text, m.Value, m.Resolved...), oa: m.Start, ob: m.End, quality: qualFree}, true
		}
	}
	if st.builtin && entity.Supported(st.name) && st.name != typeFirstName {
		return found{}, false
	}
	if len(strings.Fields(in.t.s[a:b])) > maxFreeWords {
		return found{}, false
	}
	return ip.freeValue(in, st, a, b)
}

// maxFreeWords bounds text taken as a value as said: a whole sentence is
// not a name.
const maxFreeWords = 4

// freeValue is s[a:b] without the particles of its last Korean word.
func (ip *interpreter) freeValue(in *input, st *slotType, a, b int) (found, bool) {
	s := in.t.s
	ws := strings.LastIndexByte(s[a:b], ' ') + 1 + a
	if isHangul(firstRune(s[ws:b])) {
		b = ws + len(stripParticle(s[ws:b]))
	}
	v := in.t.original(a, b)
	if v == "" || (st.regex != nil && !st.regex.MatchString(v)) {
		return found{}, false
	}
	oa, ob := in.t.origSpan(a, b)
	if !st.builtin {
		// An unlisted value of an ORIGINAL_VALUE type resolves to nothing.
		return found{sv: parley.ScalarSlot(v, v), oa: oa, ob: ob, quality: qualFree}, true
	}
	return found{sv: parley.ScalarSlot(v, v, v), oa: oa, ob: ob, quality: qualFree}, true
}

// customKey and customRead memoise resolveCustom for one input: template
// alignment asks about the same spans again and again, and with thousands
// of values each answer costs thousands of edit distances.
type customKey struct {
	st        *slotType
	a, b      int
	allowFree bool
}

type customRead struct {
	f  found
	ok bool
}

// resolveCustom reads s[a:b] as a value of a custom type. With allowFree,
// an ORIGINAL_VALUE type also accepts text that matches no value.
func (ip *interpreter) resolveCustom(in *input, st *slotType, a, b int, allowFree bool) (found, bool) {
	key := customKey{st, a, b, allowFree}
	if r, ok := in.customM[key]; ok {
		return r.f.clone(), r.ok
	}
	f, ok := ip.readCustom(in, st, a, b, allowFree)
	if in.customM == nil {
		in.customM = map[customKey]customRead{}
	}
	in.customM[key] = customRead{f.clone(), ok}
	return f, ok
}

// clone copies the slot value, so that callers may change what they got.
func (f found) clone() found {
	if f.sv != nil {
		sv := *f.sv
		if sv.Value != nil {
			v := *sv.Value
			v.ResolvedValues = slices.Clone(v.ResolvedValues)
			sv.Value = &v
		}
		f.sv = &sv
	}
	return f
}

// readCustom does resolveCustom's work.
func (ip *interpreter) readCustom(in *input, st *slotType, a, b int, allowFree bool) (found, bool) {
	vars := spanVariants(in.t.s, a, b, nil)
	for _, v := range vars {
		if idx, ok := st.phrases[v.text]; ok {
			return st.valueFound(in, idx, a, v.end, 0), true
		}
	}
	if len(st.fuzzy) <= maxFuzzyPhrases {
		for _, v := range vars {
			best, bestVal := st.nearest(jamoRunes(v.text), false)
			if best >= 0 {
				return st.valueFound(in, bestVal, a, v.end, best), true
			}
		}
	}
	if !allowFree || st.restricted {
		return found{}, false
	}
	return ip.freeValue(in, st, a, b)
}

// valueFound builds the slot value for value idx said as s[a:b]. A
// restricted type answers the canonical value; an ORIGINAL_VALUE type
// answers what the user said, spelled as the value when it is the value
// itself, and resolves it to the value.
func (st *slotType) valueFound(in *input, idx, a, b, dist int) found {
	said := in.t.original(a, b)
	oa, ob := in.t.origSpan(a, b)
	q := qualExact
	if dist > 0 {
		q = qualFuzzy
	}
	canon := st.values[idx]
	interpreted := canon
	if !st.restricted && normString(said) != st.normVals[idx] {
		interpreted = said
	}
	return found{sv: parley.ScalarSlot(said, interpreted, canon), oa: oa, ob: ob, quality: q}
}

// resolveCapture reads a template capture s[a:b] as a value of slot name.
func (ip *interpreter) resolveCapture(in *input, q parley.Query, st *slotType, a, b int) (found, bool) {
	if !st.builtin {
		return ip.resolveCustom(in, st, a, b, true)
	}
	oa, ob := in.t.origSpan(a, b)
	sub := in.t.orig[oa:ob]
	if st.name == typeFreeForm {
		v := strings.TrimSpace(sub)
		return found{sv: parley.ScalarSlot(v, v, v), oa: oa, ob: ob, quality: qualFree}, v != ""
	}
	if entity.Supported(st.name) {
		var best *entity.Match
		for _, m := range entity.Find(st.name, ip.localeID, sub, q.Now) {
			if best == nil || m.End-m.Start > best.End-best.Start {
				best = &m
			}
		}
		if best != nil {
			q := qualExact
			if st.name == typeFirstName {
				q = qualFree // any word may be a name: the recogniser proves nothing
			}
			return found{sv: parley.ScalarSlot(best.Text, best.Value, best.Resolved...), oa: oa + best.Start, ob: oa + best.End, quality: q}, true
		}
		if st.name != typeFirstName {
			return found{}, false
		}
	}
	if len(strings.Fields(in.t.s[a:b])) > maxFreeWords {
		return found{}, false
	}
	return ip.freeValue(in, st, a, b)
}

// alignFull fills got from the best template the whole input follows (all
// captured values valid, the most certain ones preferred) and reports
// whether there was one. Slots already in got are kept.
//
// strong reports that the input is the template itself: the template has
// words of its own, or every value was a listed one or a recogniser's
// match. A bare "{Name}" template matches any short input, which says
// nothing about the intent.
func (ip *interpreter) alignFull(in *input, q parley.Query, ii *intentInfo, tps []template, got slotFill) (matched, strong bool) {
	type key struct {
		slot string
		a, b int
	}
	cache := map[key]*found{}
	resolve := func(name string, a, b int) *found {
		k := key{name, a, b}
		if f, ok := cache[k]; ok {
			return f
		}
		var res *found
		if f, ok := ip.resolveCapture(in, q, ii.slotTypes[name], a, b); ok {
			res = &f
		}
		cache[k] = res
		return res
	}
	var best slotFill
	bestScore := math.MinInt
	for ti := range tps {
		tp := &tps[ti]
		hasWords := len(tp.pieces) > len(tp.slots)
		tp.align(in.t.s, func(caps []capture) bool {
			cur := slotFill{}
			certain := true // every value listed or recognised
			score := 0      // certainty first, then the tighter captures
			for _, c := range caps {
				name := tp.slots[c.slot]
				if _, dup := cur[name]; dup {
					continue
				}
				f := resolve(name, c.a, c.b)
				if f == nil {
					return true
				}
				cur[name] = *f
				score += f.quality*1000 - (c.b - c.a)
				certain = certain && f.quality == qualExact
			}
			if score > bestScore {
				best, bestScore, strong = cur, score, hasWords || certain
			}
			return true
		})
	}
	if best == nil {
		return false, false
	}
	for name, f := range best {
		if _, ok := got[name]; !ok && !got.overlaps(f.oa, f.ob) {
			got[name] = f
		}
	}
	return true, strong
}

// alignNear fills the slots still missing from the words right around
// their placeholders in the templates, preferring certain values and
// then short captures.
func (ip *interpreter) alignNear(in *input, q parley.Query, ii *intentInfo, tps []template, got slotFill) {
	for _, s := range ii.intent.Slots {
		if _, ok := got[s.Name]; ok {
			continue
		}
		st := ii.slotTypes[s.Name]
		var best *found
		bestLen := 0
		seen := map[string]bool{}
		for ti := range tps {
			tp := &tps[ti]
			idx := -1
			for i, n := range tp.slots {
				if n == s.Name {
					idx = i
				}
			}
			if idx < 0 {
				continue
			}
			tp.alignLocal(in.t.s, idx, seen, func(caps []capture) bool {
				c := caps[len(caps)-1]
				for _, cc := range caps {
					if cc.slot == idx {
						c = cc
					}
				}
				f, ok := ip.resolveCapture(in, q, st, c.a, c.b)
				// The words beside a placeholder prove nothing about
				// free text: "order a pizza" has no crust called "a"
				// although "{Crust} pizza" fits it.
				if !ok || got.overlaps(f.oa, f.ob) || (!st.builtin && f.quality == qualFree) {
					return true
				}
				if best == nil || f.quality > best.quality || (f.quality == best.quality && c.b-c.a < bestLen) {
					best, bestLen = &f, c.b-c.a
				}
				return true
			})
		}
		if best != nil {
			got[s.Name] = *best
		}
	}
}

// search fills the slots still missing from values found anywhere in the
// input: listed values and synonyms (exact, then near misses) and the
// built-in recognisers. Slots of one type take the matches in text order.
// First names are not searched for: any word can be a name, so a name is
// only taken from a template or as the answer to its prompt. Without open,
// ORIGINAL_VALUE types are not searched either: the tagger has read them.
func (ip *interpreter) search(in *input, q parley.Query, ii *intentInfo, got slotFill, open bool) {
	for _, s := range ii.intent.Slots {
		if _, ok := got[s.Name]; ok {
			continue
		}
		st := ii.slotTypes[s.Name]
		if !st.builtin && !st.restricted && !open {
			continue
		}
		if !st.builtin {
			if f, ok := ip.searchCustom(in, q, st, got); ok {
				got[s.Name] = f
			}
			continue
		}
		if st.name == typeFreeForm || st.name == typeFirstName || !entity.Supported(st.name) {
			continue
		}
		for _, m := range ip.entities(in, st.name, q) {
			if !got.overlaps(m.Start, m.End) {
				got[s.Name] = found{sv: parley.ScalarSlot(m.Text, m.Value, m.Resolved...), oa: m.Start, ob: m.End, quality: qualExact}
				break
			}
		}
	}
}

// searchCustom finds a value of a custom type outside the spans already
// taken: listed values and synonyms, exact then near misses, or for a
// pattern type (regexFilter over AMAZON.AlphaNumeric) a matching code.
func (ip *interpreter) searchCustom(in *input, q parley.Query, st *slotType, got slotFill) (found, bool) {
	for _, ms := range [][]valueMatch{in.exactMatches(st), in.fuzzyMatches(st)} {
		for _, m := range ms {
			f := st.valueFound(in, m.value, m.a, m.b, m.dist)
			if !got.overlaps(f.oa, f.ob) {
				return f, true
			}
		}
	}
	if st.regex != nil && len(st.values) == 0 && ip.lang != "ko" {
		for _, m := range ip.entities(in, "AMAZON.AlphaNumeric", q) {
			if st.regex.MatchString(m.Value) && !got.overlaps(m.Start, m.End) {
				return found{sv: parley.ScalarSlot(m.Text, m.Value, m.Value), oa: m.Start, ob: m.End, quality: qualExact}, true
			}
		}
	}
	return found{}, false
}

// stripFillers returns the span of the normalised answer without the
// polite words around it ("i want … please", "… 할게요").
func (ip *interpreter) stripFillers(s string) (int, int) {
	a, b := 0, len(s)
	spaced := ip.lang == "en" || ip.lang == "ko"
	for changed := true; changed; {
		changed = false
		for _, f := range leadingFillers[ip.lang] {
			rest := s[a:b]
			if len(rest) > len(f) && strings.HasPrefix(rest, f) && (!spaced || rest[len(f)] == ' ') {
				a = skipSpaces(s, a+len(f))
				changed = true
			}
		}
		for _, f := range trailingFillers[ip.lang] {
			rest := s[a:b]
			if len(rest) > len(f) && strings.HasSuffix(rest, f) && (!spaced || rest[len(rest)-len(f)-1] == ' ' || ip.lang == "ko") {
				b -= len(f)
				for b > a && s[b-1] == ' ' {
					b--
				}
				changed = true
			}
		}
	}
	return a, b
}

// exactMatches caches findExact for one input.
func (in *input) exactMatches(st *slotType) []valueMatch {
	if in.exactM == nil {
		in.exactM = map[*slotType][]valueMatch{}
	}
	ms, ok := in.exactM[st]
	if !ok {
		ms = st.findExact(in)
		in.exactM[st] = ms
	}
	return ms
}

// fuzzyMatches caches findFuzzy for one input.
func (in *input) fuzzyMatches(st *slotType) []valueMatch {
	if in.fuzzyM == nil {
		in.fuzzyM = map[*slotType][]valueMatch{}
	}
	ms, ok := in.fuzzyM[st]
	if !ok {
		ms = st.findFuzzy(in)
		in.fuzzyM[st] = ms
	}
	return ms
}

// entities caches entity.Find over the whole input for one input.
func (ip *interpreter) entities(in *input, typeName string, q parley.Query) []entity.Match {
	if in.entities == nil {
		in.entities = map[string][]entity.Match{}
	}
	ms, ok := in.entities[typeName]
	if !ok {
		ms = entity.Find(typeName, ip.localeID, in.t.orig, q.Now)
		in.entities[typeName] = ms
	}
	return ms
}

// normSpan maps an original byte span to the normalised span it produced.
func (t *text) normSpan(oa, ob int) (int, int, bool) {
	a, b := -1, -1
	for i := 0; i < len(t.s); i++ {
		if a < 0 && t.start[i] >= oa {
			a = i
		}
		if t.end[i] <= ob {
			b = i + 1
		}
	}
	if a < 0 || b <= a {
		return 0, 0, false
	}
	return a, b, true
}

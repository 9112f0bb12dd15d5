package nlu

import (
	"math"
	"math/rand/v2"
	"slices"
	"unicode/utf8"
)

// tagger labels the units of an input with BIO tags for one intent's
// slots: a linear-chain model (emission weights per feature and tag,
// transition weights between tags) trained as an averaged structured
// perceptron and decoded with Viterbi. Templates and gazetteers only find
// values said the way a sample said them or values listed in the slot
// type; the tagger learns where values sit from the words around them, so
// it also finds values never seen in training ("add Blue Velvet to my
// road trip playlist").
type tagger struct {
	slots []string // tag 0 is O; tag 2k+1 is B of slots[k], 2k+2 its I
	types []*slotType
	gaz   []gazetteer    // per slot, nil for built-in types
	lits  map[string]int // words the samples say outside placeholders: in how many samples
	rows  map[uint64]int32
	w     []float32 // rows × tags emission weights
	trans []float32 // (tags+1) × tags; the last row is the start
}

// gazetteer is a slot type's phrases for tagger features: a unit is
// inside a listed value of the slot's type.
type gazetteer struct {
	phrases  map[string]int
	maxUnits int
}

// unit is one tagged element of a normalised text: a token, or a single
// character of a Han or kana run, which has no spaces to split it.
type unit struct {
	text, stem string
	start, end int
	script     script
}

// units splits toks into tagger units.
func units(toks []token) []unit {
	us := make([]unit, 0, len(toks))
	for _, t := range toks {
		if t.script != scriptHan && t.script != scriptKana {
			us = append(us, unit{text: t.text, stem: t.stem, start: t.start, end: t.end, script: t.script})
			continue
		}
		for i, r := range t.text {
			s := t.text[i : i+utf8.RuneLen(r)]
			us = append(us, unit{text: s, stem: s, start: t.start + i, end: t.start + i + len(s), script: t.script})
		}
	}
	return us
}

// Training sizes: every template with slots is instantiated with several
// values of its slots' types, more for intents with few samples, and the
// total per intent is capped to keep a large bot's training fast.
const (
	tagEpochs        = 6
	tagMinCopies     = 2
	tagMaxCopies     = 16
	tagInstanceQuota = 400
	// A value met at run time is often not listed (most names in SNIPS
	// are new), so half the inserted values are hidden from the
	// gazetteer and the context words learn to carry them.
	tagUnseen = 0.5
	// Of those, this share also hides the value's own words, as if they
	// were never seen: few listed values would otherwise be learnt by
	// heart and unlisted ones missed.
	tagUnknown = 0.3
)

// Feature namespaces of the tagger (after those of the classifier).
const (
	nsTagBias byte = iota + 32
	nsTagWord
	nsTagStem
	nsTagPrefix
	nsTagSuffix
	nsTagShape
	nsTagPrev
	nsTagNext
	nsTagPrev2
	nsTagNext2
	nsTagBigramL
	nsTagBigramR
	nsTagGaz
	nsTagFirst
	nsTagLit
)

// tagInstance is one training sentence with its gold tags.
type tagInstance struct {
	us   []unit
	gold []int
	skip [][2]int // inserted spans hidden from the gazetteer
	hide [][2]int // inserted spans whose words pass for unknown ones
	own  map[string]bool
	norm string
}

// trainTagger fits the tagger of ii from its templates, or returns nil
// when the intent has no slots or no sample mentions one.
func trainTagger(ii *intentInfo, seed uint64) *tagger {
	if len(ii.intent.Slots) == 0 {
		return nil
	}
	tg := &tagger{rows: map[uint64]int32{}}
	slotIdx := map[string]int{}
	for _, s := range ii.intent.Slots {
		slotIdx[s.Name] = len(tg.slots)
		tg.slots = append(tg.slots, s.Name)
		st := ii.slotTypes[s.Name]
		tg.types = append(tg.types, st)
		tg.gaz = append(tg.gaz, newGazetteer(st))
	}
	withSlots := 0
	tg.lits = map[string]int{}
	var templates []template
	for _, tp := range ii.templates {
		if len(tp.slots) > 0 {
			withSlots++
		} else if tp.spelled {
			// "book a table at olive garden" beside "book a table at
			// {Restaurant}": the sentence as said shows the value's words as
			// plain text, which would teach the tagger to leave them out.
			continue
		}
		templates = append(templates, tp)
		for w := range literalWords(tp) {
			tg.lits[w]++
		}
	}
	if withSlots == 0 {
		return nil
	}
	copies := min(max(tagInstanceQuota/withSlots, tagMinCopies), tagMaxCopies)
	rng := rand.New(rand.NewPCG(seed, 0x7a99e4))
	vals := make([][]string, len(tg.slots))
	for k, st := range tg.types {
		vals[k] = st.tagValues()
	}
	var insts []tagInstance
	for _, tp := range templates {
		n := copies
		if len(tp.slots) == 0 {
			n = 1
		}
		for range n {
			insts = append(insts, instantiate(tp, slotIdx, vals, rng))
		}
	}
	feats := make([][][]int32, len(insts))
	for i := range insts {
		feats[i] = tg.featureRows(insts[i].us, insts[i].norm, insts[i].skip, insts[i].hide, insts[i].own, nil, true)
	}
	nTags := 2*len(tg.slots) + 1
	tg.trans = make([]float32, (nTags+1)*nTags)
	// Averaged perceptron with the usual lazy average: acc holds the sum
	// of step × update, so the average is w − acc/steps.
	acc := make([]float32, len(tg.w))
	accT := make([]float32, len(tg.trans))
	step := float32(1)
	order := make([]int, len(insts))
	for i := range order {
		order[i] = i
	}
	for range tagEpochs {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, oi := range order {
			gold, fs := insts[oi].gold, feats[oi]
			pred := tg.viterbi(fs, nTags)
			if !slices.Equal(pred, gold) {
				for i := range pred {
					if pred[i] == gold[i] {
						continue
					}
					for _, r := range fs[i] {
						o := int(r) * nTags
						tg.w[o+gold[i]]++
						acc[o+gold[i]] += step
						tg.w[o+pred[i]]--
						acc[o+pred[i]] -= step
					}
				}
				for i := range pred {
					gp, pp := nTags, nTags
					if i > 0 {
						gp, pp = gold[i-1], pred[i-1]
					}
					if gp == pp && gold[i] == pred[i] {
						continue
					}
					tg.trans[gp*nTags+gold[i]]++
					accT[gp*nTags+gold[i]] += step
					tg.trans[pp*nTags+pred[i]]--
					accT[pp*nTags+pred[i]] -= step
				}
			}
			step++
		}
	}
	for i := range tg.w {
		tg.w[i] -= acc[i] / step
	}
	for i := range tg.trans {
		tg.trans[i] -= accT[i] / step
	}
	return tg
}

// tagValues lists the normalised phrases put in place of a slot of this
// type in training: listed values and synonyms, or a built-in's samples.
func (st *slotType) tagValues() []string {
	if st.builtin {
		return st.samples
	}
	out := make([]string, 0, len(st.phrases))
	for p := range st.phrases {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func newGazetteer(st *slotType) gazetteer {
	if st.builtin || len(st.phrases) == 0 {
		return gazetteer{}
	}
	g := gazetteer{phrases: st.phrases}
	for p := range st.phrases {
		g.maxUnits = max(g.maxUnits, len(units(tokenize(p))))
	}
	return g
}

// instantiate fills every placeholder of tp with a random value of its
// slot's type and tags the units.
func instantiate(tp template, slotIdx map[string]int, vals [][]string, rng *rand.Rand) tagInstance {
	type ins struct{ a, b, slot int }
	var spans []ins
	buf := make([]byte, 0, len(tp.norm)+16)
	for _, r := range tp.norm {
		if r < slotRuneBase || r >= typeRuneBase || int(r-slotRuneBase) >= len(tp.slots) {
			buf = utf8.AppendRune(buf, r)
			continue
		}
		k := slotIdx[tp.slots[r-slotRuneBase]]
		v := "x"
		if vs := vals[k]; len(vs) > 0 {
			v = vs[rng.IntN(len(vs))]
		}
		spans = append(spans, ins{len(buf), len(buf) + len(v), k})
		buf = append(buf, v...)
	}
	norm := string(buf)
	us := units(tokenize(norm))
	gold := make([]int, len(us))
	inst := tagInstance{us: us, gold: gold, norm: norm, own: literalWords(tp)}
	for _, sp := range spans {
		first := true
		for i, u := range us {
			if u.end <= sp.a || u.start >= sp.b {
				continue
			}
			if first {
				gold[i] = 2*sp.slot + 1
				first = false
			} else {
				gold[i] = 2*sp.slot + 2
			}
		}
		if rng.Float64() < tagUnseen {
			inst.skip = append(inst.skip, [2]int{sp.a, sp.b})
			if rng.Float64() < tagUnknown {
				inst.hide = append(inst.hide, [2]int{sp.a, sp.b})
			}
		}
	}
	return inst
}

// featureRows returns, per unit, the rows of its features. With grow,
// unseen features get new zero rows (training); otherwise they are left
// out. Gazetteer matches whose span is in skip are ignored.
func (tg *tagger) featureRows(us []unit, norm string, skip, hide [][2]int, own map[string]bool, dst [][]int32, grow bool) [][]int32 {
	gz := tg.gazetteerMarks(us, norm, skip)
	nTags := 2*len(tg.slots) + 1
	word := func(i int) string {
		switch {
		case i < 0:
			return "<s>"
		case i >= len(us):
			return "</s>"
		}
		return us[i].stem
	}
	for i, u := range us {
		var hs [24]uint64
		h := hs[:0]
		h = append(h,
			uint64(newHash(nsTagBias)),
			uint64(newHash(nsTagShape).str(shape(u.text))),
			uint64(newHash(nsTagPrev).str(word(i-1))),
			uint64(newHash(nsTagNext).str(word(i+1))),
			uint64(newHash(nsTagPrev2).str(word(i-2))),
			uint64(newHash(nsTagNext2).str(word(i+2))),
		)
		if !inSpans(u, hide) {
			h = append(h,
				uint64(newHash(nsTagWord).str(u.text)),
				uint64(newHash(nsTagStem).str(u.stem)),
				uint64(newHash(nsTagBigramL).str(word(i-1)).sep().str(u.stem)),
				uint64(newHash(nsTagBigramR).str(u.stem).sep().str(word(i+1))),
			)
			if u.script == scriptWord || u.script == scriptHangul {
				if n := utf8.RuneCountInString(u.text); n > 3 {
					h = append(h, uint64(newHash(nsTagPrefix).str(firstRunes(u.text, 3))), uint64(newHash(nsTagSuffix).str(lastRunes(u.text, 3))))
				}
			}
		}
		if i == 0 {
			h = append(h, uint64(newHash(nsTagFirst)))
		}
		// Whether the words here and around are ones the samples use
		// around their values: a word no sample says is likely a value,
		// listed or not.
		lit := [3]byte{'-', '-', '-'}
		for d := -1; d <= 1; d++ {
			if j := i + d; j >= 0 && j < len(us) && tg.lits[us[j].stem] > b2i(own[us[j].stem]) {
				lit[d+1] = 'L'
			} else if j >= 0 && j < len(us) {
				lit[d+1] = 'N'
			}
		}
		h = append(h, uint64(newHash(nsTagLit).str(string(lit[:]))), uint64(newHash(nsTagLit).str(string(lit[1:2]))))
		for _, m := range gz[i] {
			h = append(h, uint64(newHash(nsTagGaz).str(m)))
		}
		rows := make([]int32, 0, len(h))
		for _, f := range h {
			r, ok := tg.rows[f]
			if !ok {
				if !grow {
					continue
				}
				r = int32(len(tg.rows))
				tg.rows[f] = r
				tg.w = append(tg.w, make([]float32, nTags)...)
			}
			rows = append(rows, r)
		}
		dst = append(dst, rows)
	}
	return dst
}

// gazetteerMarks lists, per unit, the gazetteer features it has: "k B"
// for the first unit of a listed value of slot k's type, "k I" inside.
// Longer values win where they overlap shorter ones of the same type.
func (tg *tagger) gazetteerMarks(us []unit, norm string, skip [][2]int) [][]string {
	marks := make([][]string, len(us))
	for k, g := range tg.gaz {
		if g.maxUnits == 0 {
			continue
		}
		covered := -1
		for i := range us {
			if i <= covered {
				continue
			}
			for j := min(len(us), i+g.maxUnits) - 1; j >= i; j-- {
				a, b := us[i].start, us[j].end
				if _, ok := g.phrases[norm[a:b]]; !ok || slices.Contains(skip, [2]int{a, b}) {
					continue
				}
				for x := i; x <= j; x++ {
					tag := "I"
					if x == i {
						tag = "B"
					}
					marks[x] = append(marks[x], string(rune('0'+k%64))+tag)
				}
				covered = j
				break
			}
		}
	}
	return marks
}

// shape is a coarse spelling class: digits, letters, Hangul, Han …
func shape(s string) string {
	digits, letters := false, false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits = true
		} else {
			letters = true
		}
	}
	switch {
	case digits && letters:
		return "mix"
	case digits:
		return "num"
	}
	return string(rune('a' + scriptOf(firstRune(s))))
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func lastRunes(s string, n int) string {
	i := len(s)
	for i > 0 && n > 0 {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n--
	}
	return s[i:]
}

// viterbi returns the best tag sequence; an I tag may only follow the B or
// I of the same slot.
func (tg *tagger) viterbi(feats [][]int32, nTags int) []int {
	n := len(feats)
	if n == 0 {
		return nil
	}
	score := make([]float32, n*nTags)
	back := make([]int32, n*nTags)
	em := make([]float32, nTags)
	neg := float32(math.Inf(-1))
	for i := range n {
		clear(em)
		for _, r := range feats[i] {
			for t, w := range tg.w[int(r)*nTags : (int(r)+1)*nTags] {
				em[t] += w
			}
		}
		row := score[i*nTags : (i+1)*nTags]
		brow := back[i*nTags : (i+1)*nTags]
		if i == 0 {
			start := tg.trans[nTags*nTags:]
			for t := range nTags {
				row[t] = neg
				if t == 0 || t%2 == 1 {
					row[t] = start[t] + em[t]
				}
			}
			continue
		}
		prev := score[(i-1)*nTags : i*nTags]
		for t := range nTags {
			if t != 0 && t%2 == 0 {
				// An I continues its slot's B or I: two candidates only.
				b, i2 := prev[t-1]+tg.trans[(t-1)*nTags+t], prev[t]+tg.trans[t*nTags+t]
				if i2 > b {
					row[t], brow[t] = i2+em[t], int32(t)
				} else {
					row[t], brow[t] = b+em[t], int32(t-1)
				}
				continue
			}
			best, arg := neg, int32(0)
			for p, ps := range prev {
				if s := ps + tg.trans[p*nTags+t]; s > best {
					best, arg = s, int32(p)
				}
			}
			row[t], brow[t] = best+em[t], arg
		}
	}
	out := make([]int, n)
	best := neg
	for t := range nTags {
		if s := score[(n-1)*nTags+t]; s > best {
			best, out[n-1] = s, t
		}
	}
	for i := n - 1; i > 0; i-- {
		out[i-1] = int(back[i*nTags+out[i]])
	}
	return out
}

// taggedSpan is a slot value the tagger found: normalised byte offsets.
type taggedSpan struct {
	slot string
	a, b int
}

// tag labels the input and returns the spans it found, in text order.
func (tg *tagger) tag(in *input) []taggedSpan {
	us := units(in.toks)
	if len(us) == 0 {
		return nil
	}
	nTags := 2*len(tg.slots) + 1
	tags := tg.viterbi(tg.featureRows(us, in.t.s, nil, nil, nil, nil, false), nTags)
	var out []taggedSpan
	for i := 0; i < len(tags); i++ {
		if tags[i] == 0 || tags[i]%2 == 0 {
			continue
		}
		j := i
		for j+1 < len(tags) && tags[j+1] == tags[i]+1 {
			j++
		}
		out = append(out, taggedSpan{slot: tg.slots[(tags[i]-1)/2], a: us[i].start, b: us[j].end})
		i = j
	}
	return out
}

// literalWords is the set of words tp says outside its placeholders. A
// sample's own words count as unseen for its training copies: a new
// phrasing brings words no sample used.
func literalWords(tp template) map[string]bool {
	out := map[string]bool{}
	for _, u := range units(tokenize(tp.norm)) {
		if u.script != scriptSlot {
			out[u.stem] = true
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// inSpans reports whether u lies inside one of spans.
func inSpans(u unit, spans [][2]int) bool {
	for _, sp := range spans {
		if u.start >= sp[0] && u.end <= sp[1] {
			return true
		}
	}
	return false
}

package nlu

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu/entity"
)

// maxInterpretations is Lex's limit on the ranked list.
const maxInterpretations = 5

// interpreter understands one trained bot locale. It is immutable after
// Train, so Interpret is safe for concurrent use.
type interpreter struct {
	localeID  string
	lang      string
	threshold float64
	fallback  string // the FallbackIntent's name, "" when the locale has none

	types    map[string]*slotType // by slot type name
	typeList []*slotType          // in definition order
	intents  []*intentInfo        // every intent but the fallback, in locale order
	classes  []*intentInfo        // the classified ones, by class
	exact    map[string][]int     // normalised utterance without slots → classes
	near     []nearUtterance      // the short ones, for typos
	model    *classifier
}

var _ parley.Interpreter = (*interpreter)(nil)

// input is one utterance prepared for interpretation, with per-call caches.
type input struct {
	t        text
	toks     []token
	exactM   map[*slotType][]valueMatch
	fuzzyM   map[*slotType][]valueMatch
	customM  map[customKey]customRead
	entities map[string][]entity.Match
}

func newInput(s string) *input {
	in := &input{t: normalize(s, false)}
	in.toks = tokenize(in.t.s)
	return in
}

// scored is one intent hypothesis under construction.
type scored struct {
	ii    *intentInfo
	prob  float64
	score float64
	slots map[string]*parley.SlotValue
}

// Interpret classifies q.Text, ranks the intents with the fallback placed
// as Lex places it, and fills slots.
func (ip *interpreter) Interpret(ctx context.Context, q parley.Query) (*parley.Understanding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := newInput(q.Text)
	u := &parley.Understanding{Slots: map[string]*parley.SlotValue{}, Answer: ip.answer(q)}

	hyps := ip.classify(in, q)
	exactOther := false
	for _, h := range hyps {
		if h.score >= 1 && h.ii.intent.Name != q.Intent {
			exactOther = true
		}
	}
	if cur := ip.intent(q.Intent); cur != nil {
		for name, sv := range ip.fillFor(in, q, cur, exactOther) {
			u.Slots[name] = sv
		}
		for _, h := range hyps {
			if h.ii == cur {
				h.slots = u.Slots
			}
		}
	}
	u.Intents = ip.rankWithFallback(hyps)
	return u, nil
}

func (ip *interpreter) intent(name string) *intentInfo {
	if name == "" {
		return nil
	}
	for _, ii := range ip.intents {
		if ii.intent.Name == name {
			return ii
		}
	}
	return nil
}

// classify scores the candidate intents: those with utterances whose input
// contexts are all active. It returns up to maxInterpretations of them,
// best first, with their slots filled.
func (ip *interpreter) classify(in *input, q parley.Query) []*scored {
	var cands []*scored
	if len(ip.classes) == 0 {
		return nil
	}
	feats := features(in.toks, nil)
	if sub := ip.classTokens(in, q); sub != "" {
		feats = sortUnique(append(feats, features(tokenize(sub), nil)...))
	}
	ids, wts, norm := ip.model.lookup(feats)
	probs := ip.model.probabilities(ids)
	exact := ip.exact[in.t.s]
	for _, ii := range ip.classes {
		if !contextsActive(ii.intent.InputContexts, q.ActiveContexts) {
			continue
		}
		cands = append(cands, &scored{ii: ii, prob: probs[ii.class]})
	}
	slices.SortStableFunc(cands, func(a, b *scored) int {
		if a.prob != b.prob {
			if a.prob > b.prob {
				return -1
			}
			return 1
		}
		return a.ii.order - b.ii.order
	})
	// The top of the classifier plus any intent the input matches exactly.
	var keep []*scored
	for i, c := range cands {
		if i < maxInterpretations || slices.Contains(exact, c.ii.class) {
			keep = append(keep, c)
		}
	}
	for i, c := range keep {
		sim := ip.model.similarity(ids, wts, norm, c.ii.class)
		if i > 0 && c.prob < templateMinProb && !slices.Contains(exact, c.ii.class) {
			// An unlikely intent cannot win on its template or its slot
			// values: ranking it needs no slot filling, the dearest step.
			c.slots = map[string]*parley.SlotValue{}
			if typo := ip.typoScore(in, c.ii.class); typo > c.score {
				c.score = typo
			}
			c.score = math.Round(max(c.score, ip.model.confidence(c.prob, sim))*100) / 100
			continue
		}
		got, exactTemplate := ip.fillSpans(in, q, c.ii)
		c.slots = got.values()
		if delex := ip.delexicalized(in, c.ii, got, feats); delex != nil {
			// Samples are learnt with their slots as type tokens, so an input
			// is also compared with the values this intent found in it
			// replaced the same way: an unseen name then costs nothing.
			dIDs, dWts, dNorm := ip.model.lookup(delex)
			sim = max(sim, ip.model.similarity(dIDs, dWts, dNorm, c.ii.class))
		}
		c.score = ip.model.confidence(c.prob, sim)
		// A template followed word for word is sure, unless the classifier
		// finds the input unlike the intent: free slot values can swallow
		// almost any words around a template's own.
		if (exactTemplate && c.prob >= templateMinProb) || slices.Contains(exact, c.ii.class) {
			c.score = 1
		} else if typo := ip.typoScore(in, c.ii.class); typo > c.score {
			c.score = typo
		}
		c.score = math.Round(c.score*100) / 100
	}
	slices.SortStableFunc(keep, func(a, b *scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		case a.prob > b.prob:
			return -1
		case a.prob < b.prob:
			return 1
		}
		return a.ii.order - b.ii.order
	})
	if len(keep) > maxInterpretations {
		keep = keep[:maxInterpretations]
	}
	return keep
}

// delexicalized returns feats with the features of the input whose slot
// values, as found for ii, are replaced by their types' class tokens; nil
// when no value was found.
func (ip *interpreter) delexicalized(in *input, ii *intentInfo, got slotFill, feats []uint64) []uint64 {
	type rep struct {
		a, b int
		r    rune
	}
	var reps []rep
	for name, f := range got {
		if a, b, ok := in.t.normSpan(f.oa, f.ob); ok && a < b {
			reps = append(reps, rep{a, b, ii.slotTypes[name].classRune})
		}
	}
	if len(reps) == 0 {
		return nil
	}
	slices.SortFunc(reps, func(x, y rep) int { return x.a - y.a })
	var b strings.Builder
	pos := 0
	for _, r := range reps {
		if r.a < pos {
			continue
		}
		b.WriteString(in.t.s[pos:r.a])
		b.WriteString(" ")
		b.WriteRune(r.r)
		b.WriteString(" ")
		pos = r.b
	}
	b.WriteString(in.t.s[pos:])
	return sortUnique(append(slices.Clone(feats), features(tokenize(b.String()), nil)...))
}

// maxTypoRunes bounds the utterances (in letters and jamo) compared for
// typos: short ones, where a single slip changes most n-grams.
const maxTypoRunes = 24

// nearUtterance is a short sample utterance spelt in jamo.
type nearUtterance struct {
	runes []rune
	class int
}

// typoScore is the confidence that the input is a mistyped sample of
// class (안녀, 안뇽 for 안녕): 1 − 1.5·d/n for an edit distance d within
// the fuzzy limit of the sample's n letters or jamo, else 0.
func (ip *interpreter) typoScore(in *input, class int) float64 {
	rs := jamoRunes(in.t.s)
	if len(rs) > maxTypoRunes {
		return 0
	}
	best := 0.0
	for _, u := range ip.near {
		lim := fuzzyLimit(len(u.runes))
		if u.class != class || lim == 0 || abs(len(u.runes)-len(rs)) > lim {
			continue
		}
		if d := editDistance(rs, u.runes, lim); d > 0 {
			best = max(best, 1-1.5*float64(d)/float64(len(u.runes)))
		}
	}
	return best
}

// rankWithFallback inserts the FallbackIntent just before the first intent
// scoring below the threshold (first when none reaches it, last when all
// do) and keeps at most five interpretations (Lex V2 §3.2).
func (ip *interpreter) rankWithFallback(hyps []*scored) []parley.IntentMatch {
	out := make([]parley.IntentMatch, 0, maxInterpretations)
	placed := ip.fallback == ""
	for _, h := range hyps {
		if !placed && h.score < ip.threshold {
			out = append(out, parley.IntentMatch{Name: ip.fallback, Fallback: true})
			placed = true
		}
		slots := h.slots
		if slots == nil {
			slots = map[string]*parley.SlotValue{}
		}
		out = append(out, parley.IntentMatch{Name: h.ii.intent.Name, Score: h.score, Slots: slots})
	}
	if !placed {
		out = append(out, parley.IntentMatch{Name: ip.fallback, Fallback: true})
	}
	if len(out) > maxInterpretations {
		out = out[:maxInterpretations]
	}
	return out
}

func contextsActive(required, active []string) bool {
	for _, c := range required {
		if !slices.Contains(active, c) {
			return false
		}
	}
	return true
}

// classTokens returns the input with every recognised slot value replaced
// by its type's class token, or "" when there is none, so that "order a
// large pizza" also reads as "order a {PizzaSize} pizza" to the classifier.
func (ip *interpreter) classTokens(in *input, q parley.Query) string {
	type rep struct {
		a, b int
		r    rune
	}
	var reps []rep
	for _, t := range ip.typeList {
		if !t.builtin {
			for _, m := range in.exactMatches(t) {
				reps = append(reps, rep{m.a, m.b, t.classRune})
			}
			continue
		}
		if t.name == typeFirstName || t.name == typeFreeForm || !entity.Supported(t.name) {
			continue
		}
		for _, m := range ip.entities(in, t.name, q) {
			if a, b, ok := in.t.normSpan(m.Start, m.End); ok {
				reps = append(reps, rep{a, b, t.classRune})
			}
		}
	}
	if len(reps) == 0 {
		return ""
	}
	slices.SortStableFunc(reps, func(x, y rep) int { return x.a - y.a })
	var b strings.Builder
	pos := 0
	for _, r := range reps {
		if r.a < pos {
			continue
		}
		b.WriteString(in.t.s[pos:r.a])
		b.WriteString(" ")
		b.WriteRune(r.r)
		b.WriteString(" ")
		pos = r.b
	}
	b.WriteString(in.t.s[pos:])
	return b.String()
}

// answer is the yes/no reading of the whole input, or "": every part of
// it must be the same answer ("네 맞아요") or a polite filler.
func (ip *interpreter) answer(q parley.Query) string {
	value := ""
	rest := q.Text
	for range 4 {
		ms := entity.Find("AMAZON.Confirmation", ip.localeID, rest, q.Now)
		if len(ms) == 0 || (value != "" && ms[0].Value != value) || strings.TrimSpace(normString(rest[:ms[0].Start])) != "" {
			break
		}
		value = ms[0].Value
		rest = rest[ms[0].End:]
	}
	if value == "" {
		return ""
	}
	for _, w := range strings.Fields(normString(rest)) {
		if !slices.Contains(answerFillers, w) {
			return ""
		}
	}
	return value
}

// answerFillers may follow a yes or no without changing it.
var answerFillers = []string{"please", "thanks", "thank", "you", "요", "네요", "맞아요", "맞아", "맞습니다", "그래요", "좋아요", "괜찮아요", "감사합니다", "고마워요", "谢谢", "吧"}

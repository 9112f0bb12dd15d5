package nlu

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parleybot/parley"
)

// Trainer builds interpreters; it holds no state, so one serves every bot.
type Trainer struct{}

var _ parley.Trainer = (*Trainer)(nil)

// New returns a Trainer.
func New() *Trainer { return &Trainer{} }

// intentInfo is what the interpreter knows about one intent of the locale.
type intentInfo struct {
	intent        *parley.Intent
	order         int // position in the locale, for stable ranking
	class         int // classifier class, or -1 when the intent is not classified
	templates     []template
	slotTemplates map[string][]template // per slot: its own sample utterances
	slotTypes     map[string]*slotType  // per slot name
	tagger        *tagger               // learned slot spans; nil without slots
}

// Train indexes the locale's slot types, turns every sample utterance into
// training examples and fits the intent classifier. Everything it needs is
// in the locale; the bot is part of the Trainer contract only.
func (tr *Trainer) Train(bot *parley.Bot, locale *parley.Locale) (parley.Interpreter, error) {
	if locale == nil {
		return nil, parley.Errorf(parley.ErrValidation, "nlu: no locale to train")
	}
	ip := &interpreter{
		localeID:  locale.ID,
		lang:      lang(locale.ID),
		threshold: locale.NLUConfidenceThreshold,
		types:     map[string]*slotType{},
		exact:     map[string][]int{},
	}
	if fb := locale.FallbackIntent(); fb != nil {
		ip.fallback = fb.Name
	}
	nextRune := rune(typeRuneBase)
	for _, st := range locale.SlotTypes {
		t, err := newCustomType(st, nextRune)
		if err != nil {
			return nil, err
		}
		nextRune++
		ip.types[st.Name] = t
		ip.typeList = append(ip.typeList, t)
	}

	// Parsing and featurising utterances is independent per utterance, so
	// it is spread over the cores; results stay in utterance order, which
	// keeps training deterministic.
	type job struct {
		ii  *intentInfo
		utt string
		tp  template
		exs []example
	}
	var jobs []*job
	for order, in := range locale.Intents {
		if in.IsFallback() {
			continue
		}
		ii := &intentInfo{intent: in, order: order, class: -1, slotTemplates: map[string][]template{}, slotTypes: map[string]*slotType{}}
		for _, s := range in.Slots {
			t := ip.types[s.SlotTypeName]
			if t == nil {
				if !strings.HasPrefix(s.SlotTypeName, "AMAZON.") {
					return nil, parley.Errorf(parley.ErrValidation, "intent %s: slot %s: unknown slot type %q", in.Name, s.Name, s.SlotTypeName)
				}
				t = newBuiltinType(s.SlotTypeName, ip.lang, nextRune)
				nextRune++
				ip.types[s.SlotTypeName] = t
				ip.typeList = append(ip.typeList, t)
			}
			ii.slotTypes[s.Name] = t
			for _, u := range s.SampleUtterances {
				ii.slotTemplates[s.Name] = append(ii.slotTemplates[s.Name], parseTemplate(u, in))
			}
		}
		utts := in.SampleUtterances
		if len(utts) == 0 {
			utts = builtinIntentSamples[in.ParentIntentSignature][ip.lang]
		}
		if len(utts) > 0 {
			ii.class = len(ip.classes)
			ip.classes = append(ip.classes, ii)
		}
		for _, u := range utts {
			jobs = append(jobs, &job{ii: ii, utt: u})
		}
		ip.intents = append(ip.intents, ii)
	}
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		j.tp = parseTemplate(j.utt, j.ii.intent)
		j.tp.spelled = len(j.tp.slots) == 0 && spellsValue(j.tp, j.ii)
		j.exs = examplesOf(j.ii, j.tp)
	})
	var exs []example
	for n, j := range jobs {
		ii, tp := j.ii, j.tp
		ii.templates = append(ii.templates, tp)
		for i := range j.exs {
			j.exs[i].utterance = n
		}
		exs = append(exs, j.exs...)
		if len(tp.slots) == 0 && tp.norm != "" && !slices.Contains(ip.exact[tp.norm], ii.class) {
			ip.exact[tp.norm] = append(ip.exact[tp.norm], ii.class)
			if rs := jamoRunes(tp.norm); len(rs) <= maxTypoRunes {
				ip.near = append(ip.near, nearUtterance{runes: rs, class: ii.class})
			}
		}
	}
	parallel(len(ip.intents), func(i int) { ip.intents[i].tagger = trainTagger(ip.intents[i], uint64(i)) })
	ip.model = trainClassifier(exs, len(ip.classes))
	return ip, nil
}

// parallel calls fn(0) … fn(n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// examplesOf turns one template into training examples. A template
// without slots is one example (and an exact-match key). One with slots
// is shown with each slot as its type's class token together with a few
// sample values in its place, so "order a large pizza" and "order a
// {PizzaSize} pizza" both look like the template.
func examplesOf(ii *intentInfo, tp template) []example {
	var exs []example
	if len(tp.slots) == 0 {
		if tp.norm == "" {
			return nil
		}
		return append(exs, example{feats: features(tokenize(tp.norm), nil), class: ii.class})
	}
	classText := substitute(tp.norm, func(i int) string { return string(ii.slotTypes[tp.slots[i]].classRune) })
	classFeats := features(tokenize(classText), nil)
	n := 0
	for _, name := range tp.slots {
		n = max(n, len(ii.slotTypes[name].samples))
	}
	if n == 0 {
		return append(exs, example{feats: classFeats, class: ii.class})
	}
	for v := 0; v < n; v++ {
		valText := substitute(tp.norm, func(i int) string {
			s := ii.slotTypes[tp.slots[i]].samples
			if len(s) == 0 {
				return string(ii.slotTypes[tp.slots[i]].classRune)
			}
			return s[v%len(s)]
		})
		f := append(features(tokenize(valText), nil), classFeats...)
		exs = append(exs, example{feats: sortUnique(f), class: ii.class})
	}
	return exs
}

// spellsValue reports whether a template contains a value of one of its
// intent's custom slot types, word for word.
func spellsValue(tp template, ii *intentInfo) bool {
	if len(ii.slotTypes) == 0 {
		return false
	}
	in := newInput(tp.norm)
	for _, st := range ii.slotTypes {
		if !st.builtin && len(in.exactMatches(st)) > 0 {
			return true
		}
	}
	return false
}

// substitute replaces the placeholder runes of a normalised template.
func substitute(norm string, with func(slot int) string) string {
	var b strings.Builder
	for _, r := range norm {
		if r >= slotRuneBase && r < typeRuneBase {
			b.WriteString(with(int(r - slotRuneBase)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

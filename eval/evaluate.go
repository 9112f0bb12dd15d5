package eval

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// Options tune an evaluation.
type Options struct {
	// Threshold, when above zero, replaces the locale's confidence threshold
	// by re-ranking: the best in-scope hypothesis is predicted when its
	// score is at least Threshold, FallbackIntent otherwise. Zero takes the
	// Interpreter's own first hypothesis, which applies the locale's
	// threshold (and any out-of-scope detection of its own).
	Threshold float64
	// Now is the time queries are said at; zero means time.Now().
	Now time.Time
}

// Report holds the figures of one evaluation. Labels are those of the test
// data (intent names are mapped back through Name).
type Report struct {
	// Name says what was evaluated, for the headline of the text and HTML
	// output; the caller sets it.
	Name string `json:"name,omitempty"`
	// Folds is the number of cross-validation folds, 0 for a train/test run.
	Folds int `json:"folds,omitempty"`

	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	// MacroF1 averages F1 over the intents that occur in the test data.
	MacroF1    float64       `json:"macroF1"`
	PerIntent  []IntentScore `json:"perIntent"`
	Confusions []Confusion   `json:"confusions"`

	// SlotN is the number of gold slot spans; the slot figures are exact
	// (slot name, code point span) matches, micro-averaged CoNLL style.
	SlotN         int     `json:"slotN"`
	SlotPrecision float64 `json:"slotPrecision"`
	SlotRecall    float64 `json:"slotRecall"`
	SlotF1        float64 `json:"slotF1"`

	// Threshold is the confidence threshold the predictions used.
	Threshold float64 `json:"threshold"`
	// HasOOS is set when the test data has FallbackIntent examples; then
	// InScopeAccuracy is the accuracy on the other examples (predicting
	// FallbackIntent for them is wrong) and OOSRecall the share of
	// FallbackIntent examples predicted as FallbackIntent.
	HasOOS          bool    `json:"hasOOS"`
	InScopeAccuracy float64 `json:"inScopeAccuracy"`
	OOSRecall       float64 `json:"oosRecall"`

	// Reliability has 10 bins of the best in-scope hypothesis's score (the
	// last bin includes 1): the mean score in each and how often that
	// hypothesis was the gold intent.
	Reliability []ReliabilityBin `json:"reliability"`
	// ECE is the expected calibration error over those bins: the mean gap
	// between score and accuracy, weighted by the bins' examples (0 is
	// perfect; a 0.9 right 80% of the time adds 0.1 for its share).
	ECE float64 `json:"ece"`

	// TrainTime is the time Train took (the mean over folds when
	// cross-validating), in nanoseconds in JSON.
	TrainTime time.Duration `json:"trainTimeNs"`
	// ParsesPerSecond is test examples interpreted per second, one at a time.
	ParsesPerSecond float64 `json:"parsesPerSecond"`
}

// IntentScore is the precision, recall and F1 of one intent label; Support
// is its number of test examples.
type IntentScore struct {
	Intent    string  `json:"intent"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Confusion counts test examples of Expected predicted as Predicted.
type Confusion struct {
	Expected  string `json:"expected"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// ReliabilityBin is one bin of scores in [Lo, Hi).
type ReliabilityBin struct {
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Confidence float64 `json:"confidence"`
	Accuracy   float64 `json:"accuracy"`
	Count      int     `json:"count"`
}

// prediction is what the Interpreter made of one test example, kept so that
// other thresholds can be applied without parsing again.
type prediction struct {
	gold     string     // gold label
	goldSpan []SlotSpan // gold slots with labels
	text     []rune
	// first is the label of the Interpreter's first hypothesis.
	first      string
	firstSlots map[string]*parley.SlotValue
	// top is the label of the best in-scope hypothesis ("" when none) and
	// score its score.
	top      string
	score    float64
	topSlots map[string]*parley.SlotValue
}

// predicted is the label and slots predicted at threshold (see
// Options.Threshold; zero takes the first hypothesis).
func (p *prediction) predicted(threshold float64) (string, map[string]*parley.SlotValue) {
	if threshold <= 0 {
		return p.first, p.firstSlots
	}
	if p.top == "" || p.score < threshold {
		return parley.FallbackIntentName, nil
	}
	return p.top, p.topSlots
}

// run is one trained-and-parsed batch.
type run struct {
	preds     []prediction
	trainTime time.Duration
	parseTime time.Duration
}

// Evaluate trains bot's locale with tr, interprets every test example and
// scores the predictions. It fails with an *parley.Error (ErrNotFound) for
// an unknown locale, ErrValidation for an empty test set, or with the
// Trainer's error.
func Evaluate(ctx context.Context, tr parley.Trainer, bot *parley.Bot, localeID string, test []Example, opts Options) (*Report, error) {
	loc := bot.Locale(localeID)
	if loc == nil {
		return nil, parley.Errorf(parley.ErrNotFound, "bot %s has no locale %s", bot.ID, localeID)
	}
	if len(test) == 0 {
		return nil, parley.Errorf(parley.ErrValidation, "no test examples")
	}
	r, err := predict(ctx, tr, bot, loc, test, opts.Now)
	if err != nil {
		return nil, err
	}
	return score([]run{r}, threshold(loc, opts)), nil
}

// threshold is the threshold a report states.
func threshold(loc *parley.Locale, opts Options) float64 {
	switch {
	case opts.Threshold > 0:
		return opts.Threshold
	case loc.NLUConfidenceThreshold > 0:
		return loc.NLUConfidenceThreshold
	}
	return parley.DefaultConfidenceThreshold
}

func predict(ctx context.Context, tr parley.Trainer, bot *parley.Bot, loc *parley.Locale, test []Example, now time.Time) (run, error) {
	start := time.Now()
	ip, err := tr.Train(bot, loc)
	if err != nil {
		return run{}, fmt.Errorf("eval: train %s: %w", loc.ID, err)
	}
	r := run{trainTime: time.Since(start), preds: make([]prediction, len(test))}
	if now.IsZero() {
		now = time.Now()
	}
	labels, slotLabels := labelMaps(loc, test)
	fallbacks := map[string]bool{parley.FallbackIntentName: true}
	if fb := loc.FallbackIntent(); fb != nil {
		fallbacks[fb.Name] = true
	}
	label := func(m parley.IntentMatch) string {
		if m.Fallback || fallbacks[m.Name] {
			return parley.FallbackIntentName
		}
		if l, ok := labels[m.Name]; ok {
			return l
		}
		return m.Name
	}
	relabel := func(slots map[string]*parley.SlotValue) map[string]*parley.SlotValue {
		if len(slots) == 0 {
			return nil
		}
		out := make(map[string]*parley.SlotValue, len(slots))
		for k, v := range slots {
			if l, ok := slotLabels[k]; ok {
				k = l
			}
			out[k] = v
		}
		return out
	}
	parseStart := time.Now()
	for i, ex := range test {
		u, err := ip.Interpret(ctx, parley.Query{Text: ex.Text, Now: now})
		if err != nil {
			return run{}, fmt.Errorf("eval: interpret %q: %w", ex.Text, err)
		}
		p := prediction{gold: ex.Intent, goldSpan: ex.Slots, text: []rune(ex.Text), first: parley.FallbackIntentName}
		if len(u.Intents) > 0 {
			p.first = label(u.Intents[0])
			p.firstSlots = relabel(u.Intents[0].Slots)
		}
		for _, m := range u.Intents {
			if l := label(m); l != parley.FallbackIntentName {
				p.top, p.score, p.topSlots = l, m.Score, relabel(m.Slots)
				break
			}
		}
		r.preds[i] = p
	}
	r.parseTime = time.Since(parseStart)
	return r, nil
}

// labelMaps maps intent and slot names back to labels: those of the test
// data, and those BotFromExamples kept in descriptions (for labels seen in
// training only). A description counts only when Name maps it to the name,
// so the free text of a hand-written bot is never taken for a label.
func labelMaps(loc *parley.Locale, test []Example) (intents, slots map[string]string) {
	intents, slots = map[string]string{}, map[string]string{}
	for _, in := range loc.Intents {
		if in.Description != "" && Name(in.Description) == in.Name {
			intents[in.Name] = in.Description
		}
		for _, s := range in.Slots {
			if s.Description != "" && Name(s.Description) == s.Name {
				slots[s.Name] = s.Description
			}
		}
	}
	for _, ex := range test {
		intents[Name(ex.Intent)] = ex.Intent
		for _, s := range ex.Slots {
			slots[Name(s.Slot)] = s.Slot
		}
	}
	return intents, slots
}

// score computes a report from the predictions of one or more runs.
func score(runs []run, threshold float64) *Report {
	rep := &Report{Threshold: threshold}
	tp := map[string]int{}
	support := map[string]int{}
	predicted := map[string]int{}
	confused := map[[2]string]int{}
	var correct, inN, inCorrect, oosN, oosHit int
	var slotTP, slotPred, slotGold int
	var parses int
	var parseTime, trainTime time.Duration
	bins := make([]ReliabilityBin, 10)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/10, float64(i+1)/10
	}
	for _, r := range runs {
		trainTime += r.trainTime
		parseTime += r.parseTime
		parses += len(r.preds)
		for i := range r.preds {
			p := &r.preds[i]
			got, slots := p.predicted(threshold)
			support[p.gold]++
			predicted[got]++
			if got == p.gold {
				correct++
				tp[got]++
			} else {
				confused[[2]string{p.gold, got}]++
			}
			if p.gold == parley.FallbackIntentName {
				oosN++
				if got == parley.FallbackIntentName {
					oosHit++
				}
			} else {
				inN++
				if got == p.gold {
					inCorrect++
				}
			}
			b := min(int(p.score*10), 9)
			bins[b].Count++
			bins[b].Confidence += p.score
			if p.top == p.gold {
				bins[b].Accuracy++
			}
			spans := predictedSpans(p.text, slots)
			slotPred += len(spans)
			slotGold += len(p.goldSpan)
			slotTP += matches(p.goldSpan, spans)
		}
	}
	rep.N = parses
	rep.Accuracy = ratio(correct, parses)
	labels := slices.Sorted(maps.Keys(support))
	for l := range predicted {
		if support[l] == 0 {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	var f1Sum float64
	for _, l := range labels {
		s := IntentScore{Intent: l, Support: support[l], Precision: ratio(tp[l], predicted[l]), Recall: ratio(tp[l], support[l])}
		s.F1 = f1(s.Precision, s.Recall)
		if s.Support > 0 {
			f1Sum += s.F1
		}
		rep.PerIntent = append(rep.PerIntent, s)
	}
	rep.MacroF1 = f1Sum / float64(max(len(support), 1))
	for k, n := range confused {
		rep.Confusions = append(rep.Confusions, Confusion{Expected: k[0], Predicted: k[1], Count: n})
	}
	slices.SortFunc(rep.Confusions, func(a, b Confusion) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Expected, b.Expected), strings.Compare(a.Predicted, b.Predicted))
	})
	rep.SlotN = slotGold
	rep.SlotPrecision, rep.SlotRecall = ratio(slotTP, slotPred), ratio(slotTP, slotGold)
	rep.SlotF1 = f1(rep.SlotPrecision, rep.SlotRecall)
	if oosN > 0 {
		rep.HasOOS = true
		rep.InScopeAccuracy, rep.OOSRecall = ratio(inCorrect, inN), ratio(oosHit, oosN)
	}
	for i := range bins {
		if bins[i].Count > 0 {
			rep.ECE += math.Abs(bins[i].Confidence-bins[i].Accuracy) / float64(max(parses, 1))
			bins[i].Confidence /= float64(bins[i].Count)
			bins[i].Accuracy /= float64(bins[i].Count)
		}
	}
	rep.Reliability = bins
	rep.TrainTime = trainTime / time.Duration(len(runs))
	if parseTime > 0 {
		rep.ParsesPerSecond = float64(parses) / parseTime.Seconds()
	}
	return rep
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// predictedSpans locates the original value of every predicted slot in the
// text, since an Interpreter reports values, not offsets. The rule: slots
// are taken in the order of the first occurrence of their value in the text
// (then by name); each is placed at the first occurrence that starts at or
// after the end of the previous slot's span, else at its first occurrence
// anywhere; the match is exact, then ignoring case. A value not found in
// the text keeps the span [-1,-1), so it counts as a wrong prediction.
// A list slot contributes one span per value.
func predictedSpans(text []rune, slots map[string]*parley.SlotValue) []SlotSpan {
	type item struct {
		slot, value string
		first       int
	}
	var items []item
	var add func(name string, v *parley.SlotValue)
	add = func(name string, v *parley.SlotValue) {
		if v == nil {
			return
		}
		if v.Value != nil && v.Value.OriginalValue != "" {
			items = append(items, item{slot: name, value: v.Value.OriginalValue, first: find(text, []rune(v.Value.OriginalValue), 0)})
		}
		for _, sub := range v.Values {
			add(name, sub)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(slots)) {
		add(name, slots[name])
	}
	slices.SortStableFunc(items, func(a, b item) int {
		ai, bi := a.first, b.first
		if ai < 0 {
			ai = len(text)
		}
		if bi < 0 {
			bi = len(text)
		}
		return cmp.Or(ai-bi, strings.Compare(a.slot, b.slot))
	})
	spans := make([]SlotSpan, 0, len(items))
	after := 0
	for _, it := range items {
		v := []rune(it.value)
		at := find(text, v, after)
		if at < 0 {
			at = it.first
		}
		if at < 0 {
			spans = append(spans, SlotSpan{Slot: it.slot, Start: -1, End: -1, Value: it.value})
			continue
		}
		spans = append(spans, SlotSpan{Slot: it.slot, Start: at, End: at + len(v), Value: it.value})
		after = at + len(v)
	}
	return spans
}

// find returns the first code point index ≥ from where v occurs in text,
// exactly or else ignoring case, or -1.
func find(text, v []rune, from int) int {
	if len(v) == 0 {
		return -1
	}
	for _, fold := range []bool{false, true} {
		for i := from; i+len(v) <= len(text); i++ {
			if equalRunes(text[i:i+len(v)], v, fold) {
				return i
			}
		}
	}
	return -1
}

func equalRunes(a, b []rune, fold bool) bool {
	if fold {
		return strings.EqualFold(string(a), string(b))
	}
	return slices.Equal(a, b)
}

// matches counts predicted spans equal to a gold span (slot and offsets),
// each gold span matched at most once.
func matches(gold, pred []SlotSpan) int {
	used := make([]bool, len(gold))
	n := 0
	for _, p := range pred {
		for i, g := range gold {
			if !used[i] && g.Slot == p.Slot && g.Start == p.Start && g.End == p.End {
				used[i] = true
				n++
				break
			}
		}
	}
	return n
}

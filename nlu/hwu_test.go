package nlu_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parleybot/parley"
)

// labelled is one sentence with its intent label and, where the corpus
// has one, its annotation with slots marked "[type : value]".
type labelled struct{ text, intent, annotated string }

// topAccuracy trains a bot on train and returns the share of test
// sentences whose best non-fallback intent is their label, and the share
// that is also above the locale's threshold.
func topAccuracy(t *testing.T, localeID string, trainSet, test []labelled) (top, accepted float64) {
	t.Helper()
	loc := &parley.Locale{ID: localeID, NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
	byLabel := map[string]*parley.Intent{}
	for _, ex := range trainSet {
		in := byLabel[ex.intent]
		if in == nil {
			in = &parley.Intent{Name: fmt.Sprintf("I%03d", len(byLabel))}
			byLabel[ex.intent] = in
			loc.Intents = append(loc.Intents, in)
		}
		in.SampleUtterances = append(in.SampleUtterances, ex.text)
	}
	loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	ip := train(t, &parley.Bot{ID: "CORPUSBOT1", Locales: []*parley.Locale{loc}})
	right, above := 0, 0
	for _, ex := range test {
		u := interpret(t, ip, parley.Query{Text: ex.text})
		for _, m := range u.Intents {
			if m.Fallback {
				continue
			}
			if in := byLabel[ex.intent]; in != nil && m.Name == in.Name {
				right++
				if !u.Intents[0].Fallback {
					above++
				}
			}
			break
		}
	}
	n := float64(len(test))
	return float64(right) / n, float64(above) / n
}

// hwuDir is fold 1 of HWU64 beside the repo.
var hwuDir = filepath.Join("..", "..", "shared", "nlu", "hwu64", "kfold1", "trainset")

// loadHWU reads the fold's training set (its test set stays untouched).
func loadHWU(t *testing.T) []labelled {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(hwuDir, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Skipf("HWU64 not available: %v", err)
	}
	slices.Sort(files)
	var out []labelled
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(string(raw)))
		r.Comma = ';'
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		for first := true; ; first = false {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if first || len(rec) < 5 {
				continue
			}
			out = append(out, labelled{text: rec[4], intent: rec[1] + "_" + rec[2], annotated: rec[3]})
		}
	}
	return out
}

// TestHWU64Validation reports HWU64 intent accuracy on a validation
// carve-out of fold 1's training set: per intent a seeded shuffle, the
// first tenth held out, and 10, 30 or all of the rest for training (the
// benchmark's 10-shot, 30-shot and full settings). It asserts only that
// the classifier is far better than chance.
func TestHWU64Validation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 64-intent bots")
	}
	all := loadHWU(t)
	byIntent := map[string][]labelled{}
	var intents []string
	for _, ex := range all {
		if byIntent[ex.intent] == nil {
			intents = append(intents, ex.intent)
		}
		byIntent[ex.intent] = append(byIntent[ex.intent], ex)
	}
	for _, k := range []int{10, 30, 0, -1} {
		var sum, sumAbove float64
		seeds := 3
		if k <= 0 {
			seeds = 1
		}
		for seed := range seeds {
			var train, valid []labelled
			for i, name := range intents {
				exs := slices.Clone(byIntent[name])
				rng := rand.New(rand.NewPCG(uint64(i), uint64(seed)))
				rng.Shuffle(len(exs), func(a, b int) { exs[a], exs[b] = exs[b], exs[a] })
				nv := len(exs) / 10
				valid = append(valid, exs[:nv]...)
				rest := exs[nv:]
				if k > 0 {
					rest = rest[:min(k, len(rest))]
				}
				train = append(train, rest...)
			}
			var top, above float64
			if k < 0 {
				top, above = slotAccuracy(t, train, valid)
			} else {
				top, above = topAccuracy(t, "en_US", train, valid)
			}
			sum += top
			sumAbove += above
		}
		acc := sum / float64(seeds)
		t.Logf("HWU64 validation carve-out, %d-shot (0 = all, -1 = all with slot templates), %d seeds: top-1 accuracy %.1f%%, right and above threshold %.1f%%", k, seeds, 100*acc, 100*sumAbove/float64(seeds))
		if acc < 0.5 {
			t.Errorf("%d-shot accuracy %.3f, want at least 0.5", k, acc)
		}
	}
}

// TestSNIPSValidation reports SNIPS-2017 intent accuracy (7 intents,
// trained on the joint split's train part, scored on its valid part).
func TestSNIPSValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 13,000 utterances")
	}
	dir := filepath.Join("..", "..", "shared", "nlu", "snips-2017", "joint-split")
	read := func(part string) []labelled {
		texts, err := os.ReadFile(filepath.Join(dir, part, "seq.in"))
		if err != nil {
			t.Skipf("SNIPS not available: %v", err)
		}
		labels, err := os.ReadFile(filepath.Join(dir, part, "label"))
		if err != nil {
			t.Skipf("SNIPS not available: %v", err)
		}
		ts := strings.Split(strings.TrimRight(string(texts), "\n"), "\n")
		ls := strings.Split(strings.TrimRight(string(labels), "\n"), "\n")
		if len(ts) != len(ls) {
			t.Fatalf("%s: %d sentences, %d labels", part, len(ts), len(ls))
		}
		out := make([]labelled, len(ts))
		for i := range ts {
			out[i] = labelled{text: strings.TrimSpace(ts[i]), intent: strings.TrimSpace(ls[i])}
		}
		return out
	}
	train, valid := read("train"), read("valid")
	top, accepted := topAccuracy(t, "en_US", train, valid)
	t.Logf("SNIPS-2017 valid: top-1 accuracy %.1f%%, right and above threshold %.1f%% (%d sentences)", 100*top, 100*accepted, len(valid))
	if top < 0.8 {
		t.Errorf("accuracy %.3f, want at least 0.8", top)
	}
}

// slotMark is one "[type : value]" of an HWU64 annotation.
var slotMark = regexp.MustCompile(`\[\s*([a-z_]+)\s*:\s*([^\]]*?)\s*\]`)

// slotAccuracy is topAccuracy for a bot built as a bot author would
// build it from annotated data: slot values replaced by {slot}
// placeholders, one custom slot type per slot holding the values seen.
func slotAccuracy(t *testing.T, trainSet, test []labelled) (top, accepted float64) {
	t.Helper()
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
	byLabel := map[string]*parley.Intent{}
	types := map[string]*parley.SlotType{}
	seen := map[string]bool{}
	for _, ex := range trainSet {
		in := byLabel[ex.intent]
		if in == nil {
			in = &parley.Intent{Name: fmt.Sprintf("I%03d", len(byLabel))}
			byLabel[ex.intent] = in
			loc.Intents = append(loc.Intents, in)
		}
		tmpl := slotMark.ReplaceAllStringFunc(ex.annotated, func(m string) string {
			g := slotMark.FindStringSubmatch(m)
			name := strings.ReplaceAll(g[1], "_", "")
			st := types[name]
			if st == nil {
				st = &parley.SlotType{Name: name + "Values", ResolutionStrategy: parley.ResolutionOriginalValue}
				types[name] = st
				loc.SlotTypes = append(loc.SlotTypes, st)
			}
			if !seen[name+"|"+g[2]] && g[2] != "" {
				seen[name+"|"+g[2]] = true
				st.Values = append(st.Values, parley.SlotTypeValue{Value: g[2]})
			}
			if in.Slot(name) == nil {
				in.Slots = append(in.Slots, &parley.Slot{Name: name, SlotTypeName: st.Name})
			}
			return "{" + name + "}"
		})
		tmpl = strings.Join(strings.Fields(tmpl), " ")
		if !seen[in.Name+"#"+tmpl] {
			seen[in.Name+"#"+tmpl] = true
			in.SampleUtterances = append(in.SampleUtterances, tmpl)
		}
	}
	loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	ip := train(t, &parley.Bot{ID: "CORPUSBOT2", Locales: []*parley.Locale{loc}})
	right, above := 0, 0
	for _, ex := range test {
		u := interpret(t, ip, parley.Query{Text: ex.text})
		for _, m := range u.Intents {
			if m.Fallback {
				continue
			}
			if m.Name == byLabel[ex.intent].Name {
				right++
				if !u.Intents[0].Fallback {
					above++
				}
			}
			break
		}
	}
	n := float64(len(test))
	return float64(right) / n, float64(above) / n
}

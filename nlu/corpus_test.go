package nlu_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parleybot/parley"
)

// clincDir holds the CLINC150 corpus in the shared folder beside the repo.
var clincDir = filepath.Join("..", "..", "shared", "nlu", "clinc150")

type clincData struct {
	Train  [][2]string `json:"train"`
	Val    [][2]string `json:"val"`
	OOSVal [][2]string `json:"oos_val"`
}

// loadCLINC reads the full corpus, skipping the caller when it is absent.
func loadCLINC(tb testing.TB) *clincData { return loadCLINCFile(tb, "data_full.json") }

// loadCLINCFile reads one variant of the corpus (data_full.json, data_small.json).
func loadCLINCFile(tb testing.TB, name string) *clincData {
	tb.Helper()
	clincPath := filepath.Join(clincDir, name)
	raw, err := os.ReadFile(clincPath)
	if err != nil {
		tb.Skipf("CLINC150 not available: %v", err)
	}
	var d clincData
	if err := json.Unmarshal(raw, &d); err != nil {
		tb.Fatalf("decode %s: %v", clincPath, err)
	}
	return &d
}

// clincBot builds a 150-intent en_US bot from the train split.
func clincBot(d *clincData) *parley.Bot {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
	byName := map[string]*parley.Intent{}
	for _, ex := range d.Train {
		in := byName[ex[1]]
		if in == nil {
			in = &parley.Intent{Name: fmt.Sprintf("I%03d", len(byName))}
			byName[ex[1]] = in
			loc.Intents = append(loc.Intents, in)
		}
		in.SampleUtterances = append(in.SampleUtterances, ex[0])
	}
	loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	names := map[string]string{}
	for label, in := range byName {
		names[in.Name] = label
	}
	clincLabels = names
	return &parley.Bot{ID: "CLINCBOT01", Name: "CLINC150", Locales: []*parley.Locale{loc}}
}

var clincLabels map[string]string

// TestCLINCValidation reports the in-scope accuracy (top intent right and
// above the threshold) and the out-of-scope recall (fallback first) on the
// validation split. It asserts only that the classifier is far better than
// chance; the numbers are for the log.
func TestCLINCValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a 150-intent bot")
	}
	for _, file := range []string{"data_full.json", "data_small.json"} {
		d := loadCLINCFile(t, file)
		bot := clincBot(d)
		loc := bot.Locales[0]
		ip := train(t, bot)
		top, accepted := 0, 0
		for _, ex := range d.Val {
			u := interpret(t, ip, parley.Query{Text: ex[0]})
			best := ""
			for _, m := range u.Intents {
				if !m.Fallback {
					best = clincLabels[m.Name]
					break
				}
			}
			if best == ex[1] {
				top++
				if !u.Intents[0].Fallback {
					accepted++
				}
			}
		}
		oos := 0
		for _, ex := range d.OOSVal {
			if u := interpret(t, ip, parley.Query{Text: ex[0]}); u.Intents[0].Fallback {
				oos++
			}
		}
		n := float64(len(d.Val))
		t.Logf("CLINC150 %s val: top-1 accuracy %.1f%%, in-scope accuracy at threshold %.2f: %.1f%%, OOS recall %.1f%% (%d queries)",
			file, 100*float64(top)/n, loc.NLUConfidenceThreshold, 100*float64(accepted)/n, 100*float64(oos)/float64(len(d.OOSVal)), len(d.OOSVal))
		if float64(top)/n < 0.8 {
			t.Errorf("%s: top-1 accuracy %.3f, want at least 0.8", file, float64(top)/n)
		}
	}
}

// paraKQCPath is the Korean paraphrase corpus (topics e-mail and
// scheduling) beside the repo.
var paraKQCPath = filepath.Join("..", "..", "shared", "nlu", "korean-parakqc", "paraKQC_v1_topics01.txt")

// TestParaKQC reports Korean intent accuracy with the corpus's protocol:
// per topic 250 intents; per intent a seeded shuffle of its 10 paraphrases,
// 5 for testing and k of the other 5 for training. It asserts only that
// the classifier is far better than chance.
func TestParaKQC(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 250-intent bots")
	}
	raw, err := os.ReadFile(paraKQCPath)
	if err != nil {
		t.Skipf("ParaKQC not available: %v", err)
	}
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	var blocks [][]string // 10 paraphrases per intent
	for i, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		if i%10 == 0 {
			blocks = append(blocks, nil)
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], f[2])
	}
	for _, k := range []int{3, 5} {
		for topic := 0; topic*250 < len(blocks); topic++ {
			loc := &parley.Locale{ID: "ko_KR", NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
			type test struct{ text, intent string }
			var tests []test
			for b := topic * 250; b < min(len(blocks), (topic+1)*250); b++ {
				sents := slices.Clone(blocks[b])
				rng := rand.New(rand.NewPCG(uint64(b), 7))
				rng.Shuffle(len(sents), func(i, j int) { sents[i], sents[j] = sents[j], sents[i] })
				name := fmt.Sprintf("B%04d", b)
				loc.Intents = append(loc.Intents, &parley.Intent{Name: name, SampleUtterances: sents[5 : 5+k]})
				for _, s := range sents[:5] {
					tests = append(tests, test{s, name})
				}
			}
			loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
			ip := train(t, &parley.Bot{ID: "PARAKQC001", Locales: []*parley.Locale{loc}})
			// The test sentences as written, and with every space taken out
			// (띄어쓰기 errors at their worst).
			for _, spacing := range []string{"as written", "without spaces"} {
				right, above := 0, 0
				for _, tc := range tests {
					text := tc.text
					if spacing == "without spaces" {
						text = strings.ReplaceAll(text, " ", "")
					}
					u := interpret(t, ip, parley.Query{Text: text})
					if m := u.Intents[0]; m.Name == tc.intent {
						above++
					}
					for _, m := range u.Intents {
						if !m.Fallback {
							if m.Name == tc.intent {
								right++
							}
							break
						}
					}
				}
				acc := float64(right) / float64(len(tests))
				t.Logf("ParaKQC topic %d, %d-shot, %d intents, %s: top-1 accuracy %.1f%%, right and above threshold %.1f%%", topic, k, len(loc.Intents)-1, spacing, 100*acc, 100*float64(above)/float64(len(tests)))
				if acc < 0.5 {
					t.Errorf("topic %d %d-shot %s: accuracy %.3f, want at least 0.5", topic, k, spacing, acc)
				}
			}
		}
	}
}

// TestXSID reports Chinese and English intent accuracy on the xSID
// validation file with the corpus protocol: 5-fold cross-validation within
// its 300 sentences (every fifth sentence held out in turn), the same
// sentences in both languages.
func TestXSID(t *testing.T) {
	if testing.Short() {
		t.Skip("trains ten bots")
	}
	for _, lang := range []struct{ file, locale string }{{"zh.valid.conll", "zh_CN"}, {"en.valid.conll", "en_US"}} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "shared", "nlu", "chinese-xsid", lang.file))
		if err != nil {
			t.Skipf("xSID not available: %v", err)
		}
		type sentence struct{ text, intent string }
		var all []sentence
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "# text = "); ok {
				all = append(all, sentence{text: v})
			}
			if v, ok := strings.CutPrefix(line, "# intent = "); ok && len(all) > 0 {
				all[len(all)-1].intent = v
			}
		}
		right, above := 0, 0
		for fold := range 5 {
			loc := &parley.Locale{ID: lang.locale, NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
			byName := map[string]*parley.Intent{}
			for i, s := range all {
				if i%5 == fold {
					continue
				}
				in := byName[s.intent]
				if in == nil {
					in = &parley.Intent{Name: fmt.Sprintf("I%02d", len(byName))}
					byName[s.intent] = in
					loc.Intents = append(loc.Intents, in)
				}
				in.SampleUtterances = append(in.SampleUtterances, s.text)
			}
			loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
			ip := train(t, &parley.Bot{ID: "XSIDBOT001", Locales: []*parley.Locale{loc}})
			for i, s := range all {
				if i%5 != fold || byName[s.intent] == nil {
					continue
				}
				u := interpret(t, ip, parley.Query{Text: s.text})
				if u.Intents[0].Name == byName[s.intent].Name {
					above++
				}
				for _, m := range u.Intents {
					if !m.Fallback {
						if m.Name == byName[s.intent].Name {
							right++
						}
						break
					}
				}
			}
		}
		acc := float64(right) / float64(len(all))
		t.Logf("xSID %s valid, 5-fold: top-1 accuracy %.1f%%, right and above threshold %.1f%% (%d sentences)", lang.locale, 100*acc, 100*float64(above)/float64(len(all)), len(all))
		if acc < 0.6 {
			t.Errorf("%s accuracy %.3f, want at least 0.6", lang.locale, acc)
		}
	}
}

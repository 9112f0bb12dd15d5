package nlubench_test

import (
	"context"
	"encoding/json"
	"flag"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	nlubench "github.com/parleybot/parley/bench/nlu"
	"github.com/parleybot/parley/eval"
	"github.com/parleybot/parley/nlu"
)

var updateFloors = flag.Bool("update-floors", false, "rewrite testdata/floors.json with the scores measured now")

const floorsPath = "testdata/floors.json"

// tolerance is how far (one point) a score may fall below its floor.
const tolerance = 0.01

// regressionCase is one fast split of the regression subset. Every one
// scores validation-style data only: a CV fold of xSID's validation file,
// ParaKQC's and SNIPS' held-out training sentences, CLINC150's val.
type regressionCase struct {
	name    string
	split   func(t *testing.T, data string) *nlubench.Split
	metrics map[string]func(*eval.Report) float64
}

func pick(t *testing.T, splits []*nlubench.Split, err error, setting string, seed int) *nlubench.Split {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range splits {
		if s.Setting == setting && s.Seed == seed {
			return s
		}
	}
	t.Fatalf("no split %s seed %d", setting, seed)
	return nil
}

func regressionCases() []regressionCase {
	acc := func(r *eval.Report) float64 { return r.Accuracy }
	slotF1 := func(r *eval.Report) float64 { return r.SlotF1 }
	xsid := func(setting string) func(*testing.T, string) *nlubench.Split {
		return func(t *testing.T, data string) *nlubench.Split {
			splits, err := nlubench.XSID(filepath.Join(data, "chinese-xsid"))
			return pick(t, splits, err, setting, 0)
		}
	}
	return []regressionCase{
		{"xsid/zh-fold0", xsid("zh-fold0"), map[string]func(*eval.Report) float64{"accuracy": acc, "slotF1": slotF1}},
		{"xsid/en-fold0", xsid("en-fold0"), map[string]func(*eval.Report) float64{"accuracy": acc, "slotF1": slotF1}},
		{"parakqc/topic0-3shot/seed0/valid", func(t *testing.T, data string) *nlubench.Split {
			f, err := os.Open(filepath.Join(data, "korean-parakqc", "paraKQC_v1_topics01.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sents, err := nlubench.ParseParaKQC(f, "parakqc")
			if err != nil {
				t.Fatal(err)
			}
			return onValid(nlubench.DrawParaKQC(sents, "0", 3, 0))
		}, map[string]func(*eval.Report) float64{"accuracy": acc}},
		{"clinc150/small/valid", func(t *testing.T, data string) *nlubench.Split {
			f, err := os.Open(filepath.Join(data, "clinc150", "data_small.json"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			train, valid, _, err := nlubench.ParseCLINC(f, "clinc150")
			if err != nil {
				t.Fatal(err)
			}
			return &nlubench.Split{Benchmark: "clinc150", Setting: "small", Train: train, Test: valid}
		}, map[string]func(*eval.Report) float64{
			"inScopeAccuracy": func(r *eval.Report) float64 { return r.InScopeAccuracy },
			"oosRecall":       func(r *eval.Report) float64 { return r.OOSRecall },
		}},
		{"snips2017/20/seed0/valid", func(t *testing.T, data string) *nlubench.Split {
			splits, err := nlubench.Snips2017(filepath.Join(data, "snips-2017"))
			return onValid(pick(t, splits, err, "20", 0))
		}, map[string]func(*eval.Report) float64{"slotF1": slotF1, "accuracy": acc}},
	}
}

// onValid makes a split's validation part the part that is scored, and
// drops its test part so that nothing here can read it.
func onValid(s *nlubench.Split) *nlubench.Split {
	return &nlubench.Split{Benchmark: s.Benchmark, Setting: s.Setting, Seed: s.Seed, Train: s.Train, Test: s.Valid}
}

// TestRegression fails when a score of the fast validation subset falls
// more than one point below its floor in testdata/floors.json; run it
// with -update-floors to pin the current scores.
func TestRegression(t *testing.T) {
	data := sharedData(t)
	floors := map[string]float64{}
	raw, err := os.ReadFile(floorsPath)
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &floors); err != nil {
			t.Fatalf("%s: %v", floorsPath, err)
		}
	case !*updateFloors:
		t.Fatalf("no floors (run go test ./bench/nlu -run TestRegression -update-floors): %v", err)
	}
	var mu sync.Mutex
	measured := map[string]float64{}
	t.Run("subset", func(t *testing.T) {
		for _, c := range regressionCases() {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				split := c.split(t, data)
				res, err := nlubench.Score(context.Background(), nlu.New(), split, nlubench.ScoreOptions{})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range slices.Sorted(maps.Keys(c.metrics)) {
					key := c.name + " " + m
					got := c.metrics[m](res.Report)
					mu.Lock()
					measured[key] = got
					mu.Unlock()
					if *updateFloors {
						continue
					}
					floor, ok := floors[key]
					if !ok {
						t.Errorf("%s: no floor in %s (run with -update-floors)", key, floorsPath)
						continue
					}
					if got < floor-tolerance {
						t.Errorf("%s = %.4f, more than one point below its floor %.4f", key, got, floor)
					}
					t.Logf("%s = %.4f (floor %.4f)", key, got, floor)
				}
			})
		}
	})
	if *updateFloors && !t.Failed() {
		for k, v := range measured {
			measured[k] = math.Round(v*1e4) / 1e4
		}
		out, err := json.MarshalIndent(measured, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(floorsPath, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d floors to %s", len(measured), floorsPath)
	}
}

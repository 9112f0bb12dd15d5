package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parleybot/parley/eval"
	"github.com/parleybot/parley/nlu"
)

// dataset is one split both engines are run on.
type dataset struct {
	Name   string // shown in the table
	Dir    string // the split's folder under -out
	Locale string // Parley's locale ID
	Lang   string // NLP.js's language code
}

// datasets is the representative set: one split per benchmark and language,
// seed 0 where a setting has seeds. CLINC150 is the small setting because
// NLP.js needs about a minute to train the 7,500 utterances of small and
// twice that for full, and the whole comparison must stay within minutes.
func datasets() []dataset {
	return []dataset{
		{"CLINC150 small", "clinc150/small/seed0", "en_US", "en"},
		{"HWU64 10-shot", "hwu64/10shot/seed0", "en_US", "en"},
		{"SNIPS-2017 70", "snips2017/70/seed0", "en_US", "en"},
		{"ParaKQC topic0 3-shot", "parakqc/topic0-3shot/seed0", "ko_KR", "ko"},
		{"xSID zh fold0", "xsid/zh-fold0/seed0", "zh_CN", "zh"},
	}
}

// score is one engine's figures on one split.
type score struct {
	Accuracy        float64 `json:"accuracy"`
	InScopeAccuracy float64 `json:"in_scope_accuracy"`
	OOSRecall       float64 `json:"oos_recall"`
	HasOOS          bool    `json:"has_oos"`
	TrainSeconds    float64 `json:"train_seconds"`
	ParsesPerSecond float64 `json:"parses_per_second"`
}

// result is one row of the comparison.
type result struct {
	Dataset string `json:"dataset"`
	Split   string `json:"split"`
	Locale  string `json:"locale"`
	Missing bool   `json:"missing,omitempty"`
	Train   int    `json:"train,omitempty"`
	// Test is the number of test examples both engines parsed; TestTotal the
	// split's, larger when the test set was subsampled (-max-test).
	Test         int     `json:"test,omitempty"`
	TestTotal    int     `json:"test_total,omitempty"`
	Parley       *score  `json:"parley,omitempty"`
	NLPJS        *score  `json:"nlpjs,omitempty"`
	TrainSpeedup float64 `json:"train_speedup,omitempty"`
	ParseSpeedup float64 `json:"parse_speedup,omitempty"`
}

// summary is what -out/nlpjs.json holds.
type summary struct {
	NodeNLP string    `json:"node_nlp"`
	Node    string    `json:"node"`
	Started time.Time `json:"started"`
	Results []result  `json:"results"`
}

type config struct {
	out, src, install string
	maxTest           int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.out, "out", "bench/out/nlu", "folder of the converted splits; nlpjs.json is written here")
	flag.StringVar(&cfg.src, "nlpjs", "bench/nlu/nlpjs", "folder of nlpjs.js, package.json and package-lock.json")
	flag.StringVar(&cfg.install, "install", "bench/out/nlpjs", "folder node-nlp is installed into (node_modules)")
	flag.IntVar(&cfg.maxTest, "max-test", 6000, "most test examples per split; larger test sets are subsampled evenly for both engines")
	timeout := flag.Duration("timeout", 8*time.Minute, "give up after this long")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, cfg, log); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	sum := summary{Started: time.Now().UTC()}
	var err error
	if sum.Node, err = nodeVersion(ctx); err != nil {
		return err
	}
	if sum.NodeNLP, err = install(ctx, cfg.src, cfg.install, log); err != nil {
		return err
	}
	found := 0
	for _, d := range datasets() {
		r, err := compare(ctx, cfg, d, log)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		if !r.Missing {
			found++
		}
		sum.Results = append(sum.Results, *r)
	}
	if err := writeTable(os.Stdout, sum); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(cfg.out, "nlpjs.json"), sum); err != nil {
		return err
	}
	if found == 0 {
		return fmt.Errorf("no split found under %s: run go run ./bench/nlu/convert first", cfg.out)
	}
	return nil
}

// compare runs both engines on one split, Parley first, one after the other
// so neither slows the other down.
func compare(ctx context.Context, cfg config, d dataset, log *slog.Logger) (*result, error) {
	r := &result{Dataset: d.Name, Split: d.Dir, Locale: d.Locale}
	dir := filepath.Join(cfg.out, filepath.FromSlash(d.Dir))
	trainPath, testPath := filepath.Join(dir, "train.jsonl"), filepath.Join(dir, "test.jsonl")
	train, err := readExamples(trainPath)
	if errors.Is(err, fs.ErrNotExist) {
		log.Warn("split missing, skipped", "split", dir)
		r.Missing = true
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	test, err := readExamples(testPath)
	if err != nil {
		return nil, err
	}
	r.Train, r.TestTotal = len(train), len(test)
	if len(test) > cfg.maxTest {
		// Both engines get the same subsample, written next to the install
		// so the split's own folder stays as the converter left it.
		test = subsample(test, cfg.maxTest)
		testPath = filepath.Join(cfg.install, "splits", filepath.FromSlash(d.Dir), "test.jsonl")
		if err := writeExamples(testPath, test); err != nil {
			return nil, err
		}
	}
	r.Test = len(test)

	log.Info("parley", "split", d.Dir, "train", len(train), "test", len(test))
	if r.Parley, err = runParley(ctx, d.Locale, train, test); err != nil {
		return nil, err
	}
	log.Info("nlpjs", "split", d.Dir, "train", len(train), "test", len(test))
	if r.NLPJS, err = runNLPJS(ctx, cfg, d.Lang, trainPath, testPath); err != nil {
		return nil, err
	}
	r.TrainSpeedup = ratio(r.NLPJS.TrainSeconds, r.Parley.TrainSeconds)
	r.ParseSpeedup = ratio(r.Parley.ParsesPerSecond, r.NLPJS.ParsesPerSecond)
	return r, nil
}

// runParley trains Parley's NLU on train and tests it on test at the
// locale's own threshold. Building the bot counts as training, as adding
// documents does for NLP.js.
func runParley(ctx context.Context, locale string, train, test []eval.Example) (*score, error) {
	start := time.Now()
	bot := eval.BotFromExamples("compare", locale, train)
	build := time.Since(start)
	rep, err := eval.Evaluate(ctx, nlu.New(), bot, locale, test, eval.Options{})
	if err != nil {
		return nil, fmt.Errorf("parley: %w", err)
	}
	return &score{
		Accuracy:        rep.Accuracy,
		InScopeAccuracy: rep.InScopeAccuracy,
		OOSRecall:       rep.OOSRecall,
		HasOOS:          rep.HasOOS,
		TrainSeconds:    (build + rep.TrainTime).Seconds(),
		ParsesPerSecond: rep.ParsesPerSecond,
	}, nil
}

// subsample keeps n examples spread evenly over exs, so the share of each
// intent (and of out-of-scope lines) stays about what it was.
func subsample(exs []eval.Example, n int) []eval.Example {
	if n <= 0 || n >= len(exs) {
		return exs
	}
	out := make([]eval.Example, n)
	for i := range out {
		out[i] = exs[i*len(exs)/n]
	}
	return out
}

// ratio is a/b, or 0 when b is not positive.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

func readExamples(path string) ([]eval.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return eval.ReadJSONL(bufio.NewReader(f), path)
}

func writeExamples(path string, exs []eval.Example) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	if err := eval.WriteJSONL(&b, exs); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func writeJSON(path string, sum summary) error {
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

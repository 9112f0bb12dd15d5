// Command run scores the engine on every split that bench/nlu/convert
// wrote and prints the benchmarks.md §8 targets table (test numbers):
//
//	go run ./bench/nlu/run -out bench/out/nlu
//
// It also writes <out>/results.json with every run's report.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	nlubench "github.com/parleybot/parley/bench/nlu"
	"github.com/parleybot/parley/nlu"
)

type job struct {
	benchmark, setting string
	seed               int
	order              int
}

func main() {
	out := flag.String("out", "bench/out/nlu", "folder the converted splits are in; results.json goes there")
	workers := flag.Int("workers", 2, "splits scored at once")
	closed := flag.Bool("closed-set", false, "score benchmarks without out-of-scope data by the best in-scope intent (never FallbackIntent)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(context.Background(), *out, *workers, nlubench.ScoreOptions{ClosedSet: *closed}, log); err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string, workers int, so nlubench.ScoreOptions, log *slog.Logger) error {
	start := time.Now()
	jobs, err := plan(out)
	if err != nil {
		return err
	}
	tr := nlu.New()
	results := make([]*nlubench.Result, len(jobs))
	errs := make([]error, len(jobs))
	queue := make(chan job)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for j := range queue {
				s, err := nlubench.ReadSplit(out, j.benchmark, j.setting, j.seed)
				if err != nil {
					errs[j.order] = err
					continue
				}
				res, err := nlubench.Score(ctx, tr, s, so)
				if err != nil {
					errs[j.order] = err
					continue
				}
				results[j.order] = res
				log.Info("scored", "split", fmt.Sprintf("%s/%s/seed%d", j.benchmark, j.setting, j.seed),
					"acc", fmt.Sprintf("%.4f", res.Report.Accuracy), "slotF1", fmt.Sprintf("%.4f", res.Report.SlotF1),
					"elapsed", res.Elapsed.Round(time.Millisecond))
			}
		})
	}
	// Largest splits first, so the pool does not end waiting on one.
	byCost := slices.Clone(jobs)
	slices.SortStableFunc(byCost, func(a, b job) int { return cost(b) - cost(a) })
	for _, j := range byCost {
		queue <- j
	}
	close(queue)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	rows := nlubench.Rows(results)
	wall := time.Since(start)
	mode := "intent = what the bot answers at the engine's own threshold (FallbackIntent counts as wrong)"
	if so.ClosedSet {
		mode = "closed-set: intent = best in-scope hypothesis, FallbackIntent never predicted (-closed-set)"
	}
	fmt.Printf("NLU targets (benchmarks.md §8), test splits, every seed of the protocol, %d workers (GOMAXPROCS %d), scored in %s\n"+
		"CLINC150: threshold tuned on val + oos_val; other benchmarks: %s\n\n",
		workers, runtime.GOMAXPROCS(0), wall.Round(time.Second), mode)
	if err := nlubench.WriteTable(os.Stdout, rows); err != nil {
		return err
	}
	return writeResults(filepath.Join(out, "results.json"), rows, results, workers, so, wall)
}

// plan lists every split the targets need, failing on a missing one.
func plan(out string) ([]job, error) {
	var jobs []job
	seen := map[string]bool{}
	for _, t := range nlubench.Targets() {
		for _, bs := range t.Settings {
			if seen[bs] {
				continue
			}
			seen[bs] = true
			benchmark, setting, _ := strings.Cut(bs, "/")
			seeds, err := nlubench.Seeds(out, benchmark, setting)
			if err != nil {
				return nil, fmt.Errorf("%w (run bench/nlu/convert first)", err)
			}
			if len(seeds) == 0 {
				return nil, fmt.Errorf("no seeds for %s under %s (run bench/nlu/convert first)", bs, out)
			}
			for _, seed := range seeds {
				jobs = append(jobs, job{benchmark: benchmark, setting: setting, seed: seed, order: len(jobs)})
			}
		}
	}
	return jobs, nil
}

// cost ranks jobs by expected work: the big training sets first.
func cost(j job) int {
	switch {
	case j.benchmark == "clinc150" && j.setting == "full":
		return 6
	case j.benchmark == "snips2017" && j.setting == "full", j.benchmark == "hwu64" && j.setting == "full":
		return 5
	case j.benchmark == "clinc150":
		return 4
	case j.benchmark == "hwu64":
		return 3
	case j.benchmark == "parakqc":
		return 2
	}
	return 1
}

func writeResults(path string, rows []nlubench.Row, results []*nlubench.Result, workers int, so nlubench.ScoreOptions, wall time.Duration) error {
	doc := struct {
		Generated time.Time          `json:"generated"`
		Workers   int                `json:"workers"`
		ClosedSet bool               `json:"closedSet"`
		WallTime  time.Duration      `json:"wallTimeNs"`
		Rows      []nlubench.Row     `json:"rows"`
		Runs      []*nlubench.Result `json:"runs"`
	}{time.Now().UTC(), workers, so.ClosedSet, wall, rows, results}
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return nil
}

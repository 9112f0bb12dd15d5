package nlubench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
)

// evalNow is the instant every benchmark query is said at, so relative
// dates resolve the same way on every run.
var evalNow = time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)

// Locale is the locale a benchmark setting's bot is built for.
func Locale(benchmark, setting string) string {
	switch {
	case benchmark == "parakqc":
		return "ko_KR"
	case benchmark == "xsid" && strings.HasPrefix(setting, "zh"):
		return "zh_CN"
	}
	return "en_US"
}

// Result is the outcome of scoring one split.
type Result struct {
	Benchmark string       `json:"benchmark"`
	Setting   string       `json:"setting"`
	Seed      int          `json:"seed"`
	Locale    string       `json:"locale"`
	Report    *eval.Report `json:"report"`
	// Elapsed is the wall time of the whole job (threshold tuning included).
	Elapsed time.Duration `json:"elapsedNs"`
}

// ScoreOptions choose what Score evaluates.
type ScoreOptions struct {
	// ClosedSet scores test data without out-of-scope examples by the
	// best in-scope intent, never FallbackIntent: the classic closed-set
	// accuracy of the research tables, as opposed to what a bot at the
	// engine's own threshold answers (the default).
	ClosedSet bool
}

// closedSetThreshold re-ranks to the best in-scope hypothesis whatever its
// score (eval treats only a threshold above zero as an override).
const closedSetThreshold = 1e-12

// Score trains tr on the split's training part and evaluates its test
// part. When the test data has
// out-of-scope examples and the split has validation data, the threshold
// is first tuned on the validation data (CLINC150: val + oos_val);
// otherwise the engine's own threshold applies.
func Score(ctx context.Context, tr parley.Trainer, s *Split, so ScoreOptions) (*Result, error) {
	start := time.Now()
	loc := Locale(s.Benchmark, s.Setting)
	bot := eval.BotFromExamples(fmt.Sprintf("%s-%s-seed%d", s.Benchmark, s.Setting, s.Seed), loc, s.Train)
	opts := eval.Options{Now: evalNow}
	test := s.Test
	switch {
	case so.ClosedSet && !hasOOS(test):
		opts.Threshold = closedSetThreshold
	case hasOOS(test) && len(s.Valid) > 0:
		thr, err := eval.TuneThreshold(ctx, tr, bot, loc, s.Valid)
		if err != nil {
			return nil, fmt.Errorf("nlubench: tune %s/%s: %w", s.Benchmark, s.Setting, err)
		}
		opts.Threshold = thr
	}
	if len(test) == 0 {
		return nil, fmt.Errorf("nlubench: %s/%s/seed%d: no examples to score", s.Benchmark, s.Setting, s.Seed)
	}
	rep, err := eval.Evaluate(ctx, tr, bot, loc, test, opts)
	if err != nil {
		return nil, fmt.Errorf("nlubench: evaluate %s/%s/seed%d: %w", s.Benchmark, s.Setting, s.Seed, err)
	}
	return &Result{Benchmark: s.Benchmark, Setting: s.Setting, Seed: s.Seed, Locale: loc, Report: rep, Elapsed: time.Since(start)}, nil
}

func hasOOS(exs []eval.Example) bool {
	for _, ex := range exs {
		if ex.Intent == Fallback {
			return true
		}
	}
	return false
}

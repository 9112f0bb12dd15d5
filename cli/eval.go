package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
	"github.com/parleybot/parley/nlu"
)

// evalBotID is the id of the bot eval builds from labelled files.
const evalBotID = "EVALBOT001"

type evalFlags struct {
	folds         int
	locale        string
	seed          int64
	train, test   string
	valid         string
	threshold     float64
	tuneThreshold bool
	json          bool
	report        string
}

func newEvalCommand() *cobra.Command {
	var f evalFlags
	cmd := &cobra.Command{
		Use:   "eval [BOT_PATH] [flags]",
		Short: "Measure how well the NLU understands a bot or labelled data",
		Long: "Eval measures intent accuracy, macro-F1, per-intent precision/recall/F1, the\n" +
			"most confused intents, exact-span slot F1 and, when the test data has\n" +
			"FallbackIntent examples, in-scope accuracy and out-of-scope recall.\n\n" +
			"With BOT_PATH it cross-validates the bot's own sample utterances (slot\n" +
			"placeholders filled with values of their types). With --train and --test it\n" +
			"trains on one JSONL file of labelled examples and tests on another (format:\n" +
			"eval/FORMAT.md); --tune-threshold picks the confidence threshold on --valid.",
		Example: "  parley eval examples/pizza\n" +
			"  parley eval --train train.jsonl --test test.jsonl --report report.html\n" +
			"  parley eval --train train.jsonl --valid valid.jsonl --test test.jsonl --tune-threshold --json",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := runEval(cmd.Context(), cmd.ErrOrStderr(), args, f)
			if err != nil {
				return err
			}
			if f.report != "" {
				if err := writeHTMLReport(f.report, rep); err != nil {
					return err
				}
			}
			if f.json {
				return rep.WriteJSON(cmd.OutOrStdout())
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.folds, "folds", 5, "cross-validation folds (with BOT_PATH)")
	fl.StringVar(&f.locale, "locale", "", "locale to evaluate (default: the bot's first locale; en_US for --train)")
	fl.Int64Var(&f.seed, "seed", 1, "seed of the cross-validation folds")
	fl.StringVar(&f.train, "train", "", "JSONL file of training examples")
	fl.StringVar(&f.test, "test", "", "JSONL file of test examples")
	fl.StringVar(&f.valid, "valid", "", "JSONL file of validation examples (for --tune-threshold)")
	fl.Float64Var(&f.threshold, "threshold", 0, "confidence threshold (default: the locale's)")
	fl.BoolVar(&f.tuneThreshold, "tune-threshold", false, "choose the threshold on --valid")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON")
	fl.StringVar(&f.report, "report", "", "also write an HTML report to this file")
	return cmd
}

// runEval checks the flag combination and runs the evaluation it asks for.
func runEval(ctx context.Context, stderr io.Writer, args []string, f evalFlags) (*eval.Report, error) {
	if f.threshold < 0 || f.threshold > 1 {
		return nil, fmt.Errorf("--threshold %v: want a number in [0,1]", f.threshold)
	}
	if f.tuneThreshold && f.threshold > 0 {
		return nil, errors.New("--threshold and --tune-threshold exclude each other")
	}
	opts := eval.Options{Threshold: f.threshold}
	if len(args) == 1 {
		if f.train != "" || f.test != "" || f.valid != "" || f.tuneThreshold {
			return nil, errors.New("give either BOT_PATH or --train and --test, not both")
		}
		bot, err := loadBot(args[0], channellessBotOptions(), nil)
		if err != nil {
			return nil, err
		}
		localeID := f.locale
		if localeID == "" {
			localeID = bot.Locales[0].ID
		}
		rep, err := eval.CrossValidate(ctx, nlu.New(), bot, localeID, f.folds, f.seed, opts)
		if err != nil {
			return nil, userError(err)
		}
		rep.Name = fmt.Sprintf("%s (%s), %d-fold cross-validation, seed %d", args[0], localeID, f.folds, f.seed)
		return rep, nil
	}
	if f.train == "" || f.test == "" {
		return nil, errors.New("give BOT_PATH, or --train FILE and --test FILE")
	}
	if f.tuneThreshold && f.valid == "" {
		return nil, errors.New("--tune-threshold needs --valid FILE")
	}
	localeID := f.locale
	if localeID == "" {
		localeID = "en_US"
	}
	train, err := readExamples(f.train)
	if err != nil {
		return nil, err
	}
	test, err := readExamples(f.test)
	if err != nil {
		return nil, err
	}
	bot := eval.BotFromExamples(evalBotID, localeID, train)
	if f.tuneThreshold {
		valid, err := readExamples(f.valid)
		if err != nil {
			return nil, err
		}
		t, err := eval.TuneThreshold(ctx, nlu.New(), bot, localeID, valid)
		if err != nil {
			return nil, userError(err)
		}
		fmt.Fprintf(stderr, "tuned threshold on %s: %.4f\n", f.valid, t)
		opts.Threshold = t
	}
	rep, err := eval.Evaluate(ctx, nlu.New(), bot, localeID, test, opts)
	if err != nil {
		return nil, userError(err)
	}
	rep.Name = fmt.Sprintf("train %s, test %s (%s)", f.train, f.test, localeID)
	return rep, nil
}

// userError drops the error code of a domain error, which means nothing to
// someone at a terminal.
func userError(err error) error {
	var pe *parley.Error
	if errors.As(err, &pe) && pe.Err == nil {
		return errors.New(pe.Message)
	}
	return err
}

func readExamples(path string) ([]eval.Example, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	exs, err := eval.ReadJSONL(file, path)
	if err != nil {
		return nil, err
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("%s: no examples", path)
	}
	return exs, nil
}

func writeHTMLReport(path string, rep *eval.Report) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.WriteHTML(file); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

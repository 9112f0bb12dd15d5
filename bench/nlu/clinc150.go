package nlubench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parleybot/parley/eval"
)

// Fallback is the intent label of out-of-scope examples.
const Fallback = "FallbackIntent"

// ParseCLINC reads one oos-eval data file: train = train + oos_train,
// valid = val + oos_val, test = test + oos_test, with "oos" relabelled
// FallbackIntent (eval.BotFromExamples does not train on those).
func ParseCLINC(r io.Reader, name string) (train, valid, test []eval.Example, err error) {
	var raw map[string][][2]string
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, nil, nil, fmt.Errorf("nlubench: clinc150: %s: %w", name, err)
	}
	part := func(keys ...string) ([]eval.Example, error) {
		var out []eval.Example
		for _, k := range keys {
			rows, ok := raw[k]
			if !ok {
				return nil, fmt.Errorf("nlubench: clinc150: %s: no %q list", name, k)
			}
			for _, row := range rows {
				intent := row[1]
				if row[1] == "oos" {
					intent = Fallback
				}
				out = append(out, eval.Example{Text: row[0], Intent: intent})
			}
		}
		return out, nil
	}
	if train, err = part("train", "oos_train"); err != nil {
		return nil, nil, nil, err
	}
	if valid, err = part("val", "oos_val"); err != nil {
		return nil, nil, nil, err
	}
	if test, err = part("test", "oos_test"); err != nil {
		return nil, nil, nil, err
	}
	return train, valid, test, nil
}

// CLINC150 converts the "full" and "small" variants (one split each).
func CLINC150(dir string) ([]*Split, error) {
	var splits []*Split
	for _, v := range []struct{ setting, file string }{{"full", "data_full.json"}, {"small", "data_small.json"}} {
		path := filepath.Join(dir, v.file)
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("nlubench: clinc150: %w", err)
		}
		train, valid, test, err := ParseCLINC(f, path)
		f.Close()
		if err != nil {
			return nil, err
		}
		splits = append(splits, &Split{Benchmark: "clinc150", Setting: v.setting, Train: train, Valid: valid, Test: test})
	}
	return splits, nil
}

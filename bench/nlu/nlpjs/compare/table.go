package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// targetSpeedup is Parley's own target over NLP.js for both training and
// parsing (issue 4, scope 5).
const targetSpeedup = 10

// writeTable prints the comparison for people: one row per split, then notes
// (subsampling, out-of-scope figures) and how many rows meet the targets.
func writeTable(w io.Writer, sum summary) error {
	fmt.Fprintf(w, "Parley vs NLP.js (node-nlp %s on Node %s), same split, same run; test-split figures\n\n", sum.NodeNLP, sum.Node)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "dataset\ttest n\tParley acc\tNLP.js acc\tParley train s\tNLP.js train s\ttrain speed-up\tParley parses/s\tNLP.js parses/s\tparse speed-up\t")
	var notes []string
	var rows, ahead, trainFast, parseFast int
	for _, r := range sum.Results {
		if r.Missing {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t\n", r.Dataset)
			notes = append(notes, fmt.Sprintf("%s: split %s missing (go run ./bench/nlu/convert)", r.Dataset, r.Split))
			continue
		}
		p, n := r.Parley, r.NLPJS
		testN := fmt.Sprint(r.Test)
		if r.Test < r.TestTotal {
			testN += "*"
			notes = append(notes, fmt.Sprintf("%s: * test subsampled evenly to %d of %d for both engines", r.Dataset, r.Test, r.TestTotal))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\t%.3f\t%.2f\t%.1f×\t%.0f\t%.0f\t%.1f×\t\n",
			r.Dataset, testN, p.Accuracy, n.Accuracy, p.TrainSeconds, n.TrainSeconds,
			r.TrainSpeedup, p.ParsesPerSecond, n.ParsesPerSecond, r.ParseSpeedup)
		if p.HasOOS {
			notes = append(notes, fmt.Sprintf("%s: in-scope acc / OOS recall: Parley %.3f / %.3f, NLP.js %.3f / %.3f (NLP.js \"None\" counts as FallbackIntent)",
				r.Dataset, p.InScopeAccuracy, p.OOSRecall, n.InScopeAccuracy, n.OOSRecall))
		}
		rows++
		if p.Accuracy > n.Accuracy {
			ahead++
		}
		if r.TrainSpeedup >= targetSpeedup {
			trainFast++
		}
		if r.ParseSpeedup >= targetSpeedup {
			parseFast++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nParley more accurate on %d/%d; training >= %d× faster on %d/%d; parsing >= %d× faster on %d/%d\n",
		ahead, rows, targetSpeedup, trainFast, rows, targetSpeedup, parseFast, rows)
	if len(notes) > 0 {
		fmt.Fprintf(w, "%s\n", strings.Join(notes, "\n"))
	}
	return nil
}

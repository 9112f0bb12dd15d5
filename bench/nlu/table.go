package nlubench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley/eval"
)

// Target is one row of the benchmarks.md §8 targets table: a metric,
// averaged over every run of the listed settings (all seeds, folds or
// topics), and the value it must reach.
type Target struct {
	Benchmark string   `json:"benchmark"`
	Metric    string   `json:"metric"`
	Goal      float64  `json:"target"`
	Settings  []string `json:"settings"` // "benchmark/setting"
	// Percent shows the figures as percentages, as the source tables do.
	Percent bool                       `json:"percent,omitempty"`
	Value   func(*eval.Report) float64 `json:"-"`
}

func accuracy(r *eval.Report) float64 { return r.Accuracy }

// Targets lists the rows of the targets table, in its order.
func Targets() []Target {
	var xsid = func(lang string) []string {
		var out []string
		for f := range XSIDFolds {
			out = append(out, fmt.Sprintf("xsid/%s-fold%d", lang, f))
		}
		return out
	}
	return []Target{
		{"HWU64 10-shot", "accuracy", 0.80, []string{"hwu64/10shot"}, false, accuracy},
		{"HWU64 30-shot", "accuracy", 0.88, []string{"hwu64/30shot"}, false, accuracy},
		{"HWU64 full (kfold1)", "intent F1 (micro = acc)", 0.89, []string{"hwu64/full"}, false, accuracy},
		{"HWU64 full (kfold1)", "entity F1 (micro)", 0.78, []string{"hwu64/full"}, false, func(r *eval.Report) float64 { return r.SlotF1 }},
		{"CLINC150 full", "in-scope acc %", 93, []string{"clinc150/full"}, true, func(r *eval.Report) float64 { return r.InScopeAccuracy }},
		{"CLINC150 full", "OOS recall %", 50, []string{"clinc150/full"}, true, func(r *eval.Report) float64 { return r.OOSRecall }},
		{"CLINC150 small", "in-scope acc %", 91, []string{"clinc150/small"}, true, func(r *eval.Report) float64 { return r.InScopeAccuracy }},
		{"CLINC150 small", "OOS recall %", 56, []string{"clinc150/small"}, true, func(r *eval.Report) float64 { return r.OOSRecall }},
		{"SNIPS-2017 70 utt/intent", "slot F1 (micro)", 0.85, []string{"snips2017/70"}, false, func(r *eval.Report) float64 { return r.SlotF1 }},
		{"SNIPS-2017 20 utt/intent", "slot F1 (micro)", 0.70, []string{"snips2017/20"}, false, func(r *eval.Report) float64 { return r.SlotF1 }},
		{"SNIPS-2017 10 utt/intent", "slot F1 (micro)", 0.60, []string{"snips2017/10"}, false, func(r *eval.Report) float64 { return r.SlotF1 }},
		{"SNIPS-2017 joint split", "intent F1 (mean per intent)", 0.99, []string{"snips2017/full"}, false, func(r *eval.Report) float64 { return r.MacroF1 }},
		{"ParaKQC topics 0-1", "3-shot accuracy", 0.90, []string{"parakqc/topic0-3shot", "parakqc/topic1-3shot"}, false, accuracy},
		{"ParaKQC topics 0-1", "5-shot accuracy", 0.94, []string{"parakqc/topic0-5shot", "parakqc/topic1-5shot"}, false, accuracy},
		{"xSID zh (5-fold CV, valid)", "accuracy", 0.93, xsid("zh"), false, accuracy},
		{"xSID en (5-fold CV, valid)", "accuracy", 0.93, xsid("en"), false, accuracy},
	}
}

// Row is a Target with the measured figures.
type Row struct {
	Target
	Ours  float64 `json:"ours"`
	Met   bool    `json:"met"`
	Runs  int     `json:"runs"`
	Seeds []int   `json:"seeds"`
	// TrainTime and ParsesPerSecond are means over the runs.
	TrainTime       time.Duration `json:"trainTimeNs"`
	ParsesPerSecond float64       `json:"parsesPerSecond"`
}

// Rows scores every target over results; a target without any run gets
// Runs == 0 and is not met.
func Rows(results []*Result) []Row {
	var rows []Row
	for _, t := range Targets() {
		row := Row{Target: t}
		var sum, pps float64
		var train time.Duration
		for _, r := range results {
			if !slices.Contains(t.Settings, r.Benchmark+"/"+r.Setting) {
				continue
			}
			v := t.Value(r.Report)
			if t.Percent {
				v *= 100
			}
			sum += v
			train += r.Report.TrainTime
			pps += r.Report.ParsesPerSecond
			row.Runs++
			if !slices.Contains(row.Seeds, r.Seed) {
				row.Seeds = append(row.Seeds, r.Seed)
			}
		}
		if row.Runs > 0 {
			row.Ours = sum / float64(row.Runs)
			row.TrainTime = train / time.Duration(row.Runs)
			row.ParsesPerSecond = pps / float64(row.Runs)
			row.Met = row.Ours >= t.Goal
		}
		slices.Sort(row.Seeds)
		rows = append(rows, row)
	}
	return rows
}

// WriteTable prints rows as a Markdown table: benchmark | metric | target
// | ours | met? | runs | train time | parses/s.
func WriteTable(w io.Writer, rows []Row) error {
	var b strings.Builder
	b.WriteString("| benchmark | metric | target | ours | met? | runs (seeds) | train time | parses/s |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	met := 0
	for _, r := range rows {
		format := "%.3f"
		if r.Percent {
			format = "%.1f"
		}
		ours, ok := "–", "no"
		if r.Runs > 0 {
			ours = fmt.Sprintf(format, r.Ours)
		}
		if r.Met {
			ok = "yes"
			met++
		}
		fmt.Fprintf(&b, "| %s | %s | >= "+format+" | %s | %s | %d (%s) | %s | %.0f |\n",
			r.Benchmark, r.Metric, r.Goal, ours, ok, r.Runs, seedList(r.Seeds), r.TrainTime.Round(time.Millisecond), r.ParsesPerSecond)
	}
	fmt.Fprintf(&b, "\n%d of %d targets met.\n", met, len(rows))
	_, err := io.WriteString(w, b.String())
	return err
}

func seedList(seeds []int) string {
	parts := make([]string, len(seeds))
	for i, s := range seeds {
		parts[i] = fmt.Sprint(s)
	}
	return strings.Join(parts, ",")
}

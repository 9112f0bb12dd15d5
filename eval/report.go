package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// maxConfusions is how many confused pairs the text output lists.
const maxConfusions = 10

// WriteText writes the report for people: the headline figures, then the
// per-intent table, then the most confused pairs.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	if r.Name != "" {
		ew.printf("%s\n", r.Name)
	}
	ew.printf("accuracy %.4f  macro-F1 %.4f  (%d examples)\n", r.Accuracy, r.MacroF1, r.N)
	if r.SlotN > 0 {
		ew.printf("slot F1 %.4f  precision %.4f  recall %.4f  (%d slots)\n", r.SlotF1, r.SlotPrecision, r.SlotRecall, r.SlotN)
	}
	if r.HasOOS {
		ew.printf("in-scope accuracy %.4f  OOS recall %.4f  at threshold %.3f\n", r.InScopeAccuracy, r.OOSRecall, r.Threshold)
	} else {
		ew.printf("threshold %.3f\n", r.Threshold)
	}
	ew.printf("calibration error (ECE) %.4f\n", r.ECE)
	ew.printf("train %s  %.0f parses/s\n", r.TrainTime.Round(time.Microsecond), r.ParsesPerSecond)
	ew.printf("\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "intent\tprecision\trecall\t    F1\tsupport\n")
	for _, s := range r.PerIntent {
		fmt.Fprintf(tw, "%s\t%9.3f\t%6.3f\t%6.3f\t%7d\n", s.Intent, s.Precision, s.Recall, s.F1, s.Support)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	if len(r.Confusions) > 0 {
		ew.printf("\nmost confused (expected → predicted):\n")
		for _, c := range r.Confusions[:min(len(r.Confusions), maxConfusions)] {
			ew.printf("  %4d  %s → %s\n", c.Count, c.Expected, c.Predicted)
		}
	}
	if ew.err != nil {
		return fmt.Errorf("eval: write report: %w", ew.err)
	}
	return nil
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("eval: write report: %w", err)
	}
	return nil
}

// errWriter keeps the first write error so a long report is written
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

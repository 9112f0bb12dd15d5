package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestEvalCommand(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"text":"hi","intent":"greet"}`+"\n"+`{"text":"hi", "intent":}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr string   // substring
	}{
		{
			name:   "cross-validates a bot",
			args:   []string{"eval", "../examples/pizza"},
			stdout: []string{"5-fold cross-validation", "accuracy ", "macro-F1 ", "OrderPizza"},
		},
		{
			name:   "train and test files",
			args:   []string{"eval", "--train", "testdata/eval/train.jsonl", "--test", "testdata/eval/test.jsonl"},
			stdout: []string{"accuracy ", "in-scope accuracy ", "OOS recall ", "weather/query", "slot F1 "},
		},
		{
			name:   "bad JSONL names file, line and column",
			args:   []string{"eval", "--train", bad, "--test", "testdata/eval/test.jsonl"},
			code:   1,
			stderr: bad + ":2:24: ",
		},
		{
			name:   "tuning needs validation data",
			args:   []string{"eval", "--train", "testdata/eval/train.jsonl", "--test", "testdata/eval/test.jsonl", "--tune-threshold"},
			code:   1,
			stderr: "--tune-threshold needs --valid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runParley(t, "", tt.args...)
			if r.Code != tt.code {
				t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, tt.code, r.Stdout, r.Stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.Stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.Stdout)
				}
			}
			if !strings.Contains(r.Stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.Stderr)
			}
		})
	}
}

func TestEvalJSON(t *testing.T) {
	r := runParley(t, "", "eval", "--train", "testdata/eval/train.jsonl", "--valid", "testdata/eval/valid.jsonl",
		"--test", "testdata/eval/test.jsonl", "--tune-threshold", "--json")
	if r.Code != 0 {
		t.Fatalf("exit status %d\nstderr:\n%s", r.Code, r.Stderr)
	}
	var rep struct {
		N               int     `json:"n"`
		Accuracy        float64 `json:"accuracy"`
		HasOOS          bool    `json:"hasOOS"`
		Threshold       float64 `json:"threshold"`
		PerIntent       []struct{ Intent string }
		ParsesPerSecond float64 `json:"parsesPerSecond"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.Stdout)
	}
	if rep.N != 12 || !rep.HasOOS || len(rep.PerIntent) < 5 || rep.ParsesPerSecond <= 0 {
		t.Errorf("report %+v: want 12 examples with out-of-scope ones, 5 intents, a parse rate", rep)
	}
	if rep.Threshold <= 0 || rep.Threshold > 1 || !strings.Contains(r.Stderr, "tuned threshold") {
		t.Errorf("threshold %v, stderr %q: want a tuned threshold in (0,1]", rep.Threshold, r.Stderr)
	}
}

// TestEvalReportBrowser renders the HTML report in headless Chromium: the
// page must stand alone (it is opened from a file) and show its charts.
func TestEvalReportBrowser(t *testing.T) {
	chromium := requireTool(t, "chromium")
	dir := t.TempDir()
	report := filepath.Join(dir, "r.html")
	r := runParley(t, "", "eval", "--train", "testdata/eval/train.jsonl", "--test", "testdata/eval/test.jsonl", "--report", report)
	if r.Code != 0 {
		t.Fatalf("exit status %d\nstderr:\n%s", r.Code, r.Stderr)
	}
	page, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, external := range []string{"<script", "src=", "href=", "@import", "url("} {
		if strings.Contains(string(page), external) {
			t.Errorf("report contains %q: it must be self-contained", external)
		}
	}

	ctx, problems := newBrowser(t, chromium)
	abs, err := filepath.Abs(report)
	if err != nil {
		t.Fatal(err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	step(t, ctx, "open the report",
		chromedp.EmulateViewport(1200, 900),
		chromedp.Navigate(u.String()),
		chromedp.WaitVisible(chromedp.ID("heatmap")),
	)
	if title := evaluate[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Parley NLU evaluation") {
		t.Errorf("title %q", title)
	}
	headings := evaluate[[]string](t, ctx, `[...document.querySelectorAll("h2")].map(h => h.textContent)`)
	for _, want := range []string{"Summary", "Per intent", "Confusion heat-map", "Confidence histogram", "Reliability curve"} {
		if !strings.Contains(strings.Join(headings, "|"), want) {
			t.Errorf("headings %q lack %q", headings, want)
		}
	}
	// Five labels (four intents and FallbackIntent): a 5×5 grid, drawn with
	// a size; every row has examples, so at least one shaded cell each.
	cells := evaluate[int](t, ctx, `document.querySelectorAll("#heatmap rect.cell").length`)
	if cells != 25 {
		t.Errorf("heat-map has %d cells, want 25", cells)
	}
	if w := evaluate[float64](t, ctx, `document.querySelector("#heatmap rect.cell").getBoundingClientRect().width`); w < 5 {
		t.Errorf("heat-map cells are %v px wide", w)
	}
	if shaded := evaluate[int](t, ctx, `[...document.querySelectorAll("#heatmap rect.cell")].filter(c => c.getAttribute("fill").startsWith("rgba(")).length`); shaded < 5 {
		t.Errorf("heat-map shades %d cells, want at least one per row", shaded)
	}
	if bars := evaluate[int](t, ctx, `[...document.querySelectorAll("#confidence-histogram rect")].filter(r => r.getBBox().height > 0).length`); bars == 0 {
		t.Error("confidence histogram has no bars")
	}
	if dots := evaluate[int](t, ctx, `document.querySelectorAll("#reliability-curve circle").length`); dots == 0 {
		t.Error("reliability curve has no points")
	}
	sctx, cancel := context.WithTimeout(ctx, browserStepLimit)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(t.TempDir(), "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if p := problems(); len(p) > 0 {
		t.Errorf("browser reported problems: %q", p)
	}
}

package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
)

func tinyReport(t *testing.T) *eval.Report {
	t.Helper()
	bot := eval.BotFromExamples("TINYBOT001", "en_US", tinyTest)
	rep, err := eval.Evaluate(context.Background(), tinyTrainer(), bot, "en_US", tinyTest, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep.Name = "tiny <set>"
	return rep
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := tinyReport(t).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Headline figures first, then the per-intent table, then confusions.
	order := []string{
		"tiny <set>\n",
		"accuracy 0.8000  macro-F1 0.8333  (5 examples)\n",
		"slot F1 0.6667  precision 0.6667  recall 0.6667  (3 slots)\n",
		"in-scope accuracy 0.7500  OOS recall 1.0000  at threshold 0.400\n",
		"intent ",
		"\nalarm_set ",
		"\nweather/query ",
		"most confused (expected → predicted):\n     1  alarm_set → play_music\n",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("output lacks %q after offset %d:\n%s", s, at, out)
		}
		at += i + len(s)
	}
}

func TestWriteJSON(t *testing.T) {
	rep := tinyReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back eval.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.N != 5 || back.Accuracy != rep.Accuracy || len(back.PerIntent) != 4 || back.TrainTime != rep.TrainTime || !back.HasOOS {
		t.Errorf("read back %+v", back)
	}
	for _, key := range []string{`"macroF1"`, `"perIntent"`, `"slotF1"`, `"inScopeAccuracy"`, `"oosRecall"`, `"reliability"`, `"trainTimeNs"`, `"parsesPerSecond"`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestWriteHTML(t *testing.T) {
	many := &eval.Report{N: 40, Reliability: make([]eval.ReliabilityBin, 10)}
	for i := range 40 {
		many.PerIntent = append(many.PerIntent, eval.IntentScore{Intent: fmt.Sprintf("intent%02d", i), Support: 1})
	}
	many.Confusions = []eval.Confusion{{Expected: "intent00", Predicted: "intent39", Count: 1}}
	tests := []struct {
		name  string
		rep   *eval.Report
		cells int
		has   []string
	}{
		{
			name: "small", rep: tinyReport(t), cells: 16,
			has: []string{"<title>Parley NLU evaluation: tiny &lt;set&gt;</title>", "<h2 id=\"heat-map\">", "id=\"confidence-histogram\"", "id=\"reliability-curve\"",
				"<polyline", "weather/query → weather/query: 1"},
		},
		{name: "many intents: those with errors first", rep: many, cells: 25 * 25, has: []string{"Showing the 25 of 40 intents", "intent00 → intent39: 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rep.WriteHTML(&buf); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			if n := strings.Count(page, `<rect class="cell"`); n != tt.cells {
				t.Errorf("%d heat-map cells, want %d", n, tt.cells)
			}
			for _, s := range tt.has {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if m := regexp.MustCompile(`(?i)<script|https?://|src=|href=|url\(`).FindString(page); m != "" {
				t.Errorf("page is not self-contained: %q", m)
			}
		})
	}
}

// A report of a bot whose test set has no out-of-scope examples says so.
func TestWriteTextWithoutOOS(t *testing.T) {
	test := []eval.Example{{Text: "play jazz", Intent: "play_music"}}
	tr := &fakeTrainer{answers: map[string]*parley.Understanding{"play jazz": understood(match("play_music", 0.8))}}
	rep, err := eval.Evaluate(context.Background(), tr, eval.BotFromExamples("TINYBOT001", "en_US", test), "en_US", test, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "OOS") || strings.Contains(buf.String(), "slot F1") || strings.Contains(buf.String(), "confused") {
		t.Errorf("output speaks of absent figures:\n%s", buf.String())
	}
}

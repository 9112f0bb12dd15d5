package eval_test

import (
	"context"
	"math"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
)

// tinyTest is a hand-made test set whose figures are worked out by hand in
// TestEvaluate.
var tinyTest = []eval.Example{
	{Text: "wake me at 7", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 12, Value: "7"}}},
	{Text: "play jazz", Intent: "play_music", Slots: []eval.SlotSpan{{Slot: "genre", Start: 5, End: 9, Value: "jazz"}}},
	{Text: "set alarm", Intent: "alarm_set"},
	{Text: "what is love", Intent: "FallbackIntent"},
	{Text: "weather in paris", Intent: "weather/query", Slots: []eval.SlotSpan{{Slot: "city", Start: 11, End: 16, Value: "paris"}}},
}

func tinyTrainer() *fakeTrainer {
	return &fakeTrainer{answers: map[string]*parley.Understanding{
		"wake me at 7":     understood(match("alarm_set", 0.9, "time", "7")),
		"play jazz":        understood(match("play_music", 0.8, "genre", "Jazz")),
		"set alarm":        understood(match("play_music", 0.5), match("alarm_set", 0.45)),
		"what is love":     understood(fallback(), match("play_music", 0.3)),
		"weather in paris": understood(match(eval.Name("weather/query"), 0.7, "city", "lyon")),
	}}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name                   string
		threshold              float64
		acc, macroF1           float64
		inScope, oosRecall     float64
		wantThreshold          float64
		confExpected, confPred string
		alarmP, alarmR, playP  float64
		slotP, slotR, slotF1   float64
	}{
		{
			name: "locale threshold", acc: 0.8, macroF1: (1 + 2.0/3 + 2.0/3 + 1) / 4,
			inScope: 0.75, oosRecall: 1, wantThreshold: 0.4,
			confExpected: "alarm_set", confPred: "play_music",
			alarmP: 1, alarmR: 0.5, playP: 0.5,
			slotP: 2.0 / 3, slotR: 2.0 / 3, slotF1: 2.0 / 3,
		},
		{
			name: "higher threshold re-ranks to fallback", threshold: 0.6, acc: 0.8,
			// FallbackIntent: P 1/2 R 1; alarm_set: P 1 R 1/2; play_music 1; weather 1.
			macroF1: (2.0/3 + 2.0/3 + 1 + 1) / 4,
			inScope: 0.75, oosRecall: 1, wantThreshold: 0.6,
			confExpected: "alarm_set", confPred: "FallbackIntent",
			alarmP: 1, alarmR: 0.5, playP: 1,
			slotP: 2.0 / 3, slotR: 2.0 / 3, slotF1: 2.0 / 3,
		},
		{
			name: "lower threshold lets out-of-scope through", threshold: 0.2, acc: 0.6,
			// FallbackIntent: 0; alarm_set: P 1 R 1/2; play_music: P 1/3 R 1; weather 1.
			macroF1: (0 + 2.0/3 + 0.5 + 1) / 4,
			inScope: 0.75, oosRecall: 0, wantThreshold: 0.2,
			confExpected: "FallbackIntent", confPred: "play_music",
			alarmP: 1, alarmR: 0.5, playP: 1.0 / 3,
			slotP: 2.0 / 3, slotR: 2.0 / 3, slotF1: 2.0 / 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := eval.BotFromExamples("TINYBOT001", "en_US", tinyTest)
			rep, err := eval.Evaluate(context.Background(), tinyTrainer(), bot, "en_US", tinyTest, eval.Options{Threshold: tt.threshold})
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				what      string
				got, want float64
			}{
				{"accuracy", rep.Accuracy, tt.acc},
				{"macro-F1", rep.MacroF1, tt.macroF1},
				{"in-scope accuracy", rep.InScopeAccuracy, tt.inScope},
				{"OOS recall", rep.OOSRecall, tt.oosRecall},
				{"threshold", rep.Threshold, tt.wantThreshold},
				{"slot precision", rep.SlotPrecision, tt.slotP},
				{"slot recall", rep.SlotRecall, tt.slotR},
				{"slot F1", rep.SlotF1, tt.slotF1},
			}
			for _, c := range checks {
				if !near(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
			if rep.N != 5 || !rep.HasOOS || rep.SlotN != 3 {
				t.Errorf("N %d HasOOS %v SlotN %d, want 5 true 3", rep.N, rep.HasOOS, rep.SlotN)
			}
			scores := map[string]eval.IntentScore{}
			for _, s := range rep.PerIntent {
				scores[s.Intent] = s
			}
			if _, ok := scores["weather/query"]; !ok {
				t.Errorf("per-intent %+v lacks the original label weather/query", rep.PerIntent)
			}
			if a := scores["alarm_set"]; !near(a.Precision, tt.alarmP) || !near(a.Recall, tt.alarmR) || a.Support != 2 {
				t.Errorf("alarm_set %+v, want P %v R %v support 2", a, tt.alarmP, tt.alarmR)
			}
			if p := scores["play_music"]; !near(p.Precision, tt.playP) {
				t.Errorf("play_music %+v, want P %v", p, tt.playP)
			}
			if len(rep.Confusions) == 0 || rep.Confusions[0].Expected != tt.confExpected || rep.Confusions[0].Predicted != tt.confPred {
				t.Errorf("confusions %+v, want %s → %s first", rep.Confusions, tt.confExpected, tt.confPred)
			}
		})
	}
}

func TestEvaluateReliability(t *testing.T) {
	bot := eval.BotFromExamples("TINYBOT001", "en_US", tinyTest)
	rep, err := eval.Evaluate(context.Background(), tinyTrainer(), bot, "en_US", tinyTest, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Reliability) != 10 {
		t.Fatalf("%d bins, want 10", len(rep.Reliability))
	}
	// Scores 0.9 ✓, 0.8 ✓, 0.5 ✗, 0.3 ✗ (play_music for out-of-scope), 0.7 ✓.
	want := map[int]struct {
		conf, acc float64
	}{9: {0.9, 1}, 8: {0.8, 1}, 7: {0.7, 1}, 5: {0.5, 0}, 3: {0.3, 0}}
	for i, b := range rep.Reliability {
		w, ok := want[i]
		switch {
		case !ok && b.Count != 0:
			t.Errorf("bin %d has %d examples, want 0", i, b.Count)
		case ok && (b.Count != 1 || !near(b.Confidence, w.conf) || !near(b.Accuracy, w.acc)):
			t.Errorf("bin %d = %+v, want 1 example, confidence %v, accuracy %v", i, b, w.conf, w.acc)
		}
		if !near(b.Lo, float64(i)/10) || !near(b.Hi, float64(i+1)/10) {
			t.Errorf("bin %d is [%v,%v)", i, b.Lo, b.Hi)
		}
	}
	// Gaps 0.1, 0.2, 0.3, 0.5 and 0.3, one example each.
	if !near(rep.ECE, 0.28) {
		t.Errorf("ECE = %v, want 0.28", rep.ECE)
	}
}

func TestEvaluateErrors(t *testing.T) {
	bot := eval.BotFromExamples("TINYBOT001", "en_US", tinyTest)
	tests := []struct {
		name   string
		locale string
		test   []eval.Example
		code   parley.ErrorCode
	}{
		{name: "unknown locale", locale: "ko_KR", test: tinyTest, code: parley.ErrNotFound},
		{name: "no test examples", locale: "en_US", code: parley.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := eval.Evaluate(context.Background(), tinyTrainer(), bot, tt.locale, tt.test, eval.Options{})
			if got := parley.ErrorCodeOf(err); got != tt.code {
				t.Errorf("error %v has code %q, want %q", err, got, tt.code)
			}
		})
	}
}

// A label seen only in training is reported as the label, not as the name
// BotFromExamples gave its intent.
func TestEvaluateTrainOnlyLabel(t *testing.T) {
	train := []eval.Example{{Text: "plan a route", Intent: "route/plan"}, {Text: "play jazz", Intent: "play_music"}}
	test := []eval.Example{{Text: "play jazz", Intent: "play_music"}}
	tr := &fakeTrainer{answers: map[string]*parley.Understanding{"play jazz": understood(match(eval.Name("route/plan"), 0.8))}}
	rep, err := eval.Evaluate(context.Background(), tr, eval.BotFromExamples("TINYBOT001", "en_US", train), "en_US", test, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Confusions) != 1 || rep.Confusions[0].Predicted != "route/plan" {
		t.Errorf("confusions %+v, want play_music → route/plan", rep.Confusions)
	}
}

package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

// recorder is an engine.Observer that keeps what it was told.
type recorder struct {
	mu  sync.Mutex
	obs []engine.TurnObservation
}

var _ engine.Observer = (*recorder)(nil)

func (r *recorder) ObserveTurn(o engine.TurnObservation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.obs = append(r.obs, o)
}

func TestObserver(t *testing.T) {
	tests := []struct {
		name           string
		hook           parley.CodeHook
		text           string
		wantCode       parley.ErrorCode
		wantHookErrors int
		wantConfidence float64 // 0: none
	}{
		{"answered", answering(func(*parley.CodeHookResponse) {}), "coffee", "", 0, 0.9},
		{"fallback has no score", answering(func(*parley.CodeHookResponse) {}), "what?", "", 0, 0},
		{"hook failed", failing(errors.New("boom")), "coffee", parley.ErrDependencyFailed, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			f := hookFixture(t, tc.hook, func(_ *parley.Bot, o *engine.Options) { o.Observer = rec })
			_, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: tc.text})
			if got := parley.ErrorCodeOf(err); got != tc.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tc.wantCode)
			}
			if len(rec.obs) != 1 {
				t.Fatalf("observed %d turns, want 1", len(rec.obs))
			}
			o := rec.obs[0]
			if o.Key != key("s1") || o.Code != tc.wantCode || o.HookErrors != tc.wantHookErrors || o.LLMErrors != 0 {
				t.Errorf("observation = %+v", o)
			}
			switch {
			case tc.wantConfidence == 0 && o.Confidence != nil:
				t.Errorf("confidence = %v, want none", *o.Confidence)
			case tc.wantConfidence != 0 && (o.Confidence == nil || *o.Confidence != tc.wantConfidence):
				t.Errorf("confidence = %v, want %v", o.Confidence, tc.wantConfidence)
			}
			if o.Total < o.NLU+o.Hooks+o.Store {
				t.Errorf("total %v is less than its stages %+v", o.Total, o)
			}
		})
	}
}

// TestObserverMasksObfuscatedSlots shows what an operator's logs get from
// a turn that fills an obfuscated slot: the text and the result read
// {Size} wherever the value was, while the caller's result keeps it.
func TestObserverMasksObfuscatedSlots(t *testing.T) {
	rec := &recorder{}
	f := hookFixture(t, parley.CodeHookFunc(delegating), func(b *parley.Bot, o *engine.Options) {
		b.Locales[0].Intent("OrderCoffee").Slots[0].Obfuscate = true
		o.Observer = rec
	})
	res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "large coffee"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.SessionState.Intent.Slots["Size"].Value.InterpretedValue; got != "large" {
		t.Errorf("caller's Size = %q, want large", got)
	}
	if len(res.Messages) == 0 || !strings.Contains(res.Messages[0].Content, "large") {
		t.Errorf("caller's messages = %+v, want the size said", res.Messages)
	}
	if len(rec.obs) != 1 {
		t.Fatalf("observed %d turns, want 1", len(rec.obs))
	}
	o := rec.obs[0]
	if o.Input != "{Size} coffee" {
		t.Errorf("observed input = %q, want {Size} coffee", o.Input)
	}
	size := o.Result.SessionState.Intent.Slots["Size"].Value
	masked := slices.Repeat([]string{"{Size}"}, len(res.SessionState.Intent.Slots["Size"].Value.ResolvedValues))
	if size.OriginalValue != "{Size}" || size.InterpretedValue != "{Size}" || !slices.Equal(size.ResolvedValues, masked) {
		t.Errorf("observed Size = %+v, want {Size} throughout", size)
	}
	for _, in := range o.Result.Interpretations {
		if v := in.Intent.Slots["Size"]; v != nil && v.Value.InterpretedValue != "{Size}" {
			t.Errorf("interpretation %s Size = %+v, want {Size}", in.Intent.Name, v.Value)
		}
	}
	for _, m := range o.Result.Messages {
		if strings.Contains(strings.ToLower(m.Content), "large") {
			t.Errorf("observed message %q shows the value", m.Content)
		}
	}
}

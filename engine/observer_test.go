package engine_test

import (
	"context"
	"errors"
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

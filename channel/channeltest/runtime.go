package channeltest

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// Runtime is a parley.Runtime for connector tests: each turn answers with
// the messages Script returns for the text (an echo "you said: TEXT" when
// Script is nil) and is recorded. Delay, when set, is waited before
// answering, to play a slow code hook. Safe for concurrent use.
type Runtime struct {
	Script func(req *parley.TurnRequest) []parley.Message
	Delay  time.Duration

	mu    sync.Mutex
	turns []*parley.TurnRequest
	cond  *sync.Cond
}

var _ parley.Runtime = (*Runtime)(nil)

// RecognizeText implements parley.Runtime.
func (r *Runtime) RecognizeText(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	r.mu.Lock()
	r.turns = append(r.turns, req)
	r.broadcast()
	r.mu.Unlock()
	if r.Delay > 0 {
		t := time.NewTimer(r.Delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, parley.Errorf(parley.ErrDependencyFailed, "turn cancelled: %v", ctx.Err())
		case <-t.C:
		}
	}
	msgs := []parley.Message{{ContentType: parley.ContentPlainText, Content: "you said: " + req.Text}}
	if r.Script != nil {
		msgs = r.Script(req)
	}
	return &parley.TurnResult{SessionID: req.Key.SessionID, Messages: msgs, InputTranscript: req.Text,
		SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionElicitIntent}}}, nil
}

// PutSession implements parley.Runtime; connectors do not call it.
func (r *Runtime) PutSession(context.Context, *parley.PutSessionRequest) (*parley.TurnResult, error) {
	return nil, parley.Errorf(parley.ErrUnsupported, "channeltest: PutSession is not used by connectors")
}

// GetSession implements parley.Runtime; connectors do not call it.
func (r *Runtime) GetSession(context.Context, parley.SessionKey) (*parley.Session, error) {
	return nil, parley.Errorf(parley.ErrNotFound, "channeltest: no sessions")
}

// DeleteSession implements parley.Runtime; connectors do not call it.
func (r *Runtime) DeleteSession(context.Context, parley.SessionKey) error { return nil }

// Turns returns the turns that reached the runtime so far.
func (r *Runtime) Turns() []*parley.TurnRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*parley.TurnRequest(nil), r.turns...)
}

// Texts returns the texts of the turns so far.
func (r *Runtime) Texts() []string {
	var out []string
	for _, t := range r.Turns() {
		out = append(out, t.Text)
	}
	return out
}

// WaitTurns waits until at least n turns arrived or d passed, and returns
// the turns.
func (r *Runtime) WaitTurns(n int, d time.Duration) []*parley.TurnRequest {
	deadline := time.Now().Add(d)
	r.mu.Lock()
	if r.cond == nil {
		r.cond = sync.NewCond(&r.mu)
	}
	for len(r.turns) < n && time.Now().Before(deadline) {
		timer := time.AfterFunc(time.Until(deadline), func() {
			r.mu.Lock()
			r.cond.Broadcast()
			r.mu.Unlock()
		})
		r.cond.Wait()
		timer.Stop()
	}
	defer r.mu.Unlock()
	return append([]*parley.TurnRequest(nil), r.turns...)
}

func (r *Runtime) broadcast() {
	if r.cond != nil {
		r.cond.Broadcast()
	}
}

// joined is a helper for failure messages.
func joined(texts []string) string { return strings.Join(texts, " | ") }

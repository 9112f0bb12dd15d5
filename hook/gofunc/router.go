package gofunc

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/parleybot/parley"
)

// HandlerFunc handles the code hook events of one intent. A returned error
// fails the turn: an *parley.Error keeps its code, anything else becomes
// ErrDependencyFailed.
type HandlerFunc func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error)

// Router is a code hook that dispatches events to handlers by intent name.
// Its zero value is not usable; call [NewRouter]. Handlers may be added
// while it serves.
type Router struct {
	mu       sync.RWMutex
	handlers map[string]HandlerFunc
	fallback HandlerFunc
}

var _ parley.CodeHook = (*Router)(nil)

// NewRouter returns a router with no handlers: it delegates every event.
func NewRouter() *Router {
	return &Router{handlers: make(map[string]HandlerFunc)}
}

// Handle registers fn for the intent. It panics when intent is empty, fn is
// nil or the intent already has a handler: all mistakes of the program, not
// of its input.
func (r *Router) Handle(intent string, fn HandlerFunc) {
	if intent == "" {
		panic("gofunc: Handle with an empty intent name")
	}
	if fn == nil {
		panic("gofunc: Handle with a nil handler for intent " + intent)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.handlers[intent]; dup {
		panic("gofunc: Handle called twice for intent " + intent)
	}
	r.handlers[intent] = fn
}

// HandleDefault registers fn for the intents that have no handler of their
// own, in place of delegating. It panics when fn is nil.
func (r *Router) HandleDefault(fn HandlerFunc) {
	if fn == nil {
		panic("gofunc: HandleDefault with a nil handler")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fallback = fn
}

// Invoke runs the handler of the event's intent: sessionState.intent, or the
// top interpretation when the session has none. With no handler it
// delegates. A handler that panics, fails or answers nothing yields an
// ErrDependencyFailed that names the handler; one that fails after its
// context's deadline yields an ErrDependencyFailed that wraps
// context.DeadlineExceeded. Safe for concurrent use.
func (r *Router) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (resp *parley.CodeHookResponse, err error) {
	intent := intentName(ev)
	r.mu.RLock()
	fn, label := r.handlers[intent], intent
	if fn == nil {
		fn, label = r.fallback, "default"
	}
	r.mu.RUnlock()
	if fn == nil {
		return Delegate(ev), nil
	}

	defer func() {
		if p := recover(); p != nil {
			resp = nil
			err = &parley.Error{
				Code:    parley.ErrDependencyFailed,
				Message: fmt.Sprintf("Code hook panicked in %s handler: %v", label, p),
				Err:     fmt.Errorf("gofunc: panic: %v\n%s", p, debug.Stack()),
			}
		}
	}()
	resp, err = fn(ctx, ev)
	switch {
	case err != nil:
		return nil, handlerError(ctx, label, err)
	case resp == nil:
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Code hook %s handler returned no response and no error", label)
	}
	return resp, nil
}

// handlerError classifies a handler's error: its own code when it chose
// one, a timeout when its deadline passed, a dependency failure otherwise.
func handlerError(ctx context.Context, label string, err error) error {
	var e *parley.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &parley.Error{
			Code:    parley.ErrDependencyFailed,
			Message: fmt.Sprintf("Code hook timed out in %s handler", label),
			Err:     ctx.Err(),
		}
	}
	return &parley.Error{
		Code:    parley.ErrDependencyFailed,
		Message: fmt.Sprintf("Code hook %s handler failed: %v", label, err),
		Err:     err,
	}
}

// intentName is the intent an event is about.
func intentName(ev *parley.CodeHookEvent) string {
	if in := ev.SessionState.Intent; in != nil && in.Name != "" {
		return in.Name
	}
	if len(ev.Interpretations) > 0 {
		return ev.Interpretations[0].Intent.Name
	}
	return ""
}

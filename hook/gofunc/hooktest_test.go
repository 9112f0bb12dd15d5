package gofunc_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
	"github.com/parleybot/parley/hook/hooktest"
)

// maxResponseBytes is the default response limit of the transports; a Go
// handler has no bytes to measure, so the adapter below applies it to the
// reference handler's answer.
const maxResponseBytes = 25600

// respond runs hooktest's reference handler as a Go handler: a crash is a
// panic (to exercise the router's recovery), and the answer's bytes are
// checked as a transport checks them before they are decoded.
func respond(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	body, err := hooktest.Respond(ctx, ev)
	if errors.Is(err, hooktest.ErrCrash) {
		panic(err)
	}
	if err != nil {
		return nil, err
	}
	if len(body) > maxResponseBytes {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "response is %d bytes, more than the 25,600-byte limit", len(body))
	}
	var resp parley.CodeHookResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "response is not valid JSON: %v", err)
	}
	return &resp, nil
}

func TestConformance(t *testing.T) {
	hooktest.Run(t, func(t *testing.T) parley.CodeHook {
		r := gofunc.NewRouter()
		r.Handle("OrderPizza", respond)
		// The engine puts the hook's time limit on the context; the suite
		// expects 1 s.
		return parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return r.Invoke(ctx, ev)
		})
	})
}

package hooktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
)

// reference is the smallest faithful transport: it runs hooktest.Respond in
// process under a 1 s limit and checks the answer's size and syntax the way
// a real transport does. The suite must pass against it.
func reference(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	const limit = 25600
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	body, err := hooktest.Respond(ctx, ev)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, &parley.Error{Code: parley.ErrDependencyFailed, Message: "Code hook timed out after 1s (reference)", Err: err}
	case errors.Is(err, hooktest.ErrCrash):
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Code hook process exited: exit status 3 (reference)")
	case err != nil:
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: Received error response from Lambda (Unhandled): %v", err)
	case len(body) > limit:
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: response is %d bytes, more than the 25,600-byte limit", len(body))
	}
	var resp parley.CodeHookResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: Received invalid response from Lambda: not valid JSON: %v", err)
	}
	return &resp, nil
}

func TestRunReference(t *testing.T) {
	hooktest.Run(t, func(t *testing.T) parley.CodeHook { return parley.CodeHookFunc(reference) })
}

func TestRespondRejectsUnknownScenario(t *testing.T) {
	for _, transcript := range []string{"hooktest:nope", "I want a pizza"} {
		ev := hooktest.Event("close")
		ev.InputTranscript = transcript
		if _, err := hooktest.Respond(t.Context(), ev); err == nil {
			t.Errorf("Respond(%q) succeeded, want an error", transcript)
		}
	}
}

func TestRespondTimeoutFollowsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := hooktest.Respond(ctx, hooktest.Event("timeout")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Respond(timeout) with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestEventIsFresh(t *testing.T) {
	a, b := hooktest.Event("echo"), hooktest.Event("echo")
	a.SessionState.SessionAttributes["x"] = "y"
	a.SessionState.Intent.Slots["Topping"] = parley.ScalarSlot("cheese", "cheese")
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if bytes.Equal(ja, jb) {
		t.Fatal("changing one event changed another")
	}
	if _, ok := b.SessionState.SessionAttributes["x"]; ok {
		t.Fatal("events share their session attributes")
	}
}

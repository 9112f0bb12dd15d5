package hooktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
)

// guard bounds every invocation, so that a transport that ignores its own
// timeout fails the test instead of hanging it.
const guard = 30 * time.Second

// concurrency is how many echo invocations the concurrent case runs at once.
const concurrency = 8

// Run runs the conformance suite: one subtest per scenario, each on a fresh
// hook from newHook. newHook must return a hook whose function implements
// the scenarios (see the package documentation), built with a 1 s timeout
// and the default 25,600-byte response limit; it may register cleanups with
// t.
func Run(t *testing.T, newHook func(t *testing.T) parley.CodeHook) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHook(t)
			if h == nil {
				t.Fatal("newHook returned a nil hook")
			}
			c.check(t, h)
		})
	}
}

var cases = []struct {
	name  string
	check func(t *testing.T, h parley.CodeHook)
}{
	{"close", checkClose},
	{"elicit_slot", checkElicitSlot},
	{"confirm_intent", checkConfirmIntent},
	{"delegate", checkDelegate},
	{"elicit_intent", checkElicitIntent},
	{"session_attributes", checkSessionAttributes},
	{"session_attributes_clear", checkSessionAttributesClear},
	{"active_contexts", checkActiveContexts},
	{"echo", checkEcho},
	{"throw", checkThrow},
	{"crash", checkCrash},
	{"timeout", checkTimeout},
	{"not_json", checkNotJSON},
	{"oversize", checkOversize},
	{"bad_shape", checkBadShape},
	{"concurrent", checkConcurrent},
}

func checkClose(t *testing.T, h parley.CodeHook) {
	wantClose(t, mustInvoke(t, h, "close"))
}

// wantClose checks the close scenario's answer; the crash and timeout cases
// use it to show that the hook recovered.
func wantClose(t *testing.T, resp *parley.CodeHookResponse) {
	t.Helper()
	wantAction(t, resp, parley.ActionClose)
	wantIntent(t, resp)
	if got := resp.SessionState.Intent.State; got != parley.IntentFulfilled {
		t.Errorf("intent.state = %q, want Fulfilled", got)
	}
	wantPlainText(t, resp, closeText)
	wantValid(t, resp)
}

func checkElicitSlot(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "elicit_slot")
	wantAction(t, resp, parley.ActionElicitSlot)
	if got := resp.SessionState.DialogAction.SlotToElicit; got != "Crust" {
		t.Errorf("dialogAction.slotToElicit = %q, want Crust", got)
	}
	wantIntent(t, resp)
	slots := resp.SessionState.Intent.Slots
	if v, ok := slots["Crust"]; !ok || v != nil {
		t.Errorf("intent.slots.Crust = %v (present %t), want null: a null slot clears it", v, ok)
	}
	wantSlot(t, resp, "Size", "large")
	wantPlainText(t, resp, elicitSlotText)
	wantValid(t, resp)
}

func checkConfirmIntent(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "confirm_intent")
	wantAction(t, resp, parley.ActionConfirmIntent)
	wantIntent(t, resp)
	wantSlot(t, resp, "Topping", "mushroom")
	wantPlainText(t, resp, confirmText)
	wantValid(t, resp)
}

func checkDelegate(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "delegate")
	wantAction(t, resp, parley.ActionDelegate)
	wantIntent(t, resp)
	wantSlot(t, resp, "Size", "large")
	wantSlot(t, resp, "Crust", "thin")
	wantSlot(t, resp, "Topping", "mushroom")
	if len(resp.Messages) != 0 {
		t.Errorf("messages = %+v, want none", resp.Messages)
	}
	wantValid(t, resp)
}

func checkElicitIntent(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "elicit_intent")
	wantAction(t, resp, parley.ActionElicitIntent)
	wantPlainText(t, resp, elicitIntentText)
	wantValid(t, resp)
}

func checkSessionAttributes(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "session_attributes")
	wantAction(t, resp, parley.ActionDelegate)
	if got, want := resp.SessionState.SessionAttributes, newAttributes(); !maps.Equal(got, want) {
		t.Errorf("sessionAttributes = %v, want %v (the hook's map replaces the session's)", got, want)
	}
	wantValid(t, resp)
}

func checkSessionAttributesClear(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "session_attributes_clear")
	wantAction(t, resp, parley.ActionDelegate)
	// Nil keeps the stored attributes and empty clears them, so the
	// transport must not lose the difference.
	if got := resp.SessionState.SessionAttributes; got == nil || len(got) != 0 {
		t.Errorf("sessionAttributes = %#v, want an empty non-nil map for {}", got)
	}
	wantValid(t, resp)
}

func checkActiveContexts(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "active_contexts")
	wantAction(t, resp, parley.ActionDelegate)
	want := []parley.ActiveContext{newContext()}
	if got := resp.SessionState.ActiveContexts; !reflect.DeepEqual(got, want) {
		t.Errorf("activeContexts = %+v, want %+v", got, want)
	}
	wantValid(t, resp)
}

func checkEcho(t *testing.T, h parley.CodeHook) {
	ev := Event("echo")
	resp, err := invoke(t, h, ev)
	if err != nil {
		t.Fatalf("echo: %v", err)
	}
	got := decodeEcho(t, resp)
	want := asJSON(t, ev)

	for _, key := range []string{"messageVersion", "sessionId", "invocationSource", "inputMode", "inputTranscript", "bot", "requestAttributes", "transcriptions", "proposedNextState"} {
		if !reflect.DeepEqual(got[key], want[key]) {
			t.Errorf("event.%s arrived as %v, want %v", key, got[key], want[key])
		}
	}
	if got["messageVersion"] != "1.0" {
		t.Errorf("event.messageVersion = %v, want \"1.0\"", got["messageVersion"])
	}

	interps, _ := got["interpretations"].([]any)
	if len(interps) != 2 {
		t.Fatalf("event.interpretations arrived as %v, want 2 interpretations", got["interpretations"])
	}
	first, _ := interps[0].(map[string]any)
	if score, ok := first["nluConfidence"].(float64); !ok || score != confidence {
		t.Errorf("interpretations[0].nluConfidence arrived as %#v, want the bare number %v", first["nluConfidence"], confidence)
	}
	if !reflect.DeepEqual(first["intent"], want["interpretations"].([]any)[0].(map[string]any)["intent"]) {
		t.Errorf("interpretations[0].intent arrived as %v", first["intent"])
	}
	fallback, _ := interps[1].(map[string]any)
	if score, ok := fallback["nluConfidence"]; ok {
		t.Errorf("interpretations[1] (FallbackIntent) has nluConfidence %v, want none", score)
	}

	state, _ := got["sessionState"].(map[string]any)
	wantState := want["sessionState"].(map[string]any)
	for _, key := range []string{"sessionAttributes", "activeContexts", "intent", "dialogAction"} {
		if !reflect.DeepEqual(state[key], wantState[key]) {
			t.Errorf("sessionState.%s arrived as %v, want %v", key, state[key], wantState[key])
		}
	}
	attrs, _ := state["sessionAttributes"].(map[string]any)
	if attrs["greeting"] != greeting {
		t.Errorf("sessionAttributes.greeting arrived as %q, want %q (UTF-8 intact)", attrs["greeting"], greeting)
	}
}

func checkThrow(t *testing.T, h parley.CodeHook) {
	_, err := invoke(t, h, Event("throw"))
	e := wantFailure(t, err)
	if !strings.Contains(e.Message, thrown) {
		t.Errorf("message %q does not contain the thrown error %q", e.Message, thrown)
	}
}

func checkCrash(t *testing.T, h parley.CodeHook) {
	_, err := invoke(t, h, Event("crash"))
	wantFailure(t, err)
	wantRecovered(t, h, "crash")
}

func checkTimeout(t *testing.T, h parley.CodeHook) {
	start := time.Now()
	_, err := invoke(t, h, Event("timeout"))
	took := time.Since(start)
	e := wantFailure(t, err)
	if !strings.Contains(strings.ToLower(e.Message), "timed out") {
		t.Errorf("message %q does not say the hook timed out", e.Message)
	}
	// Not a speed check: a hook that returns after the function's whole
	// sleep has waited for it instead of giving up at its 1 s limit.
	if took >= sleep {
		t.Errorf("returned after %v, not before the function's %v sleep ended: was the hook built with a 1 s timeout?", took, sleep)
	}
	wantRecovered(t, h, "timeout")
}

func checkNotJSON(t *testing.T, h parley.CodeHook) {
	_, err := invoke(t, h, Event("not_json"))
	e := wantFailure(t, err)
	if !strings.Contains(strings.ToLower(e.Message), "json") {
		t.Errorf("message %q does not say the answer is not JSON", e.Message)
	}
}

func checkOversize(t *testing.T, h parley.CodeHook) {
	_, err := invoke(t, h, Event("oversize"))
	e := wantFailure(t, err)
	if !strings.Contains(e.Message, "25,600") && !strings.Contains(e.Message, "25600") {
		t.Errorf("message %q does not name the 25,600-byte limit", e.Message)
	}
}

func checkBadShape(t *testing.T, h parley.CodeHook) {
	resp := mustInvoke(t, h, "bad_shape")
	if a := resp.SessionState.DialogAction; a != nil && a.Type != "" {
		t.Errorf("dialogAction.type = %q, want none: the function sent none", a.Type)
	}
	e := wantFailure(t, resp.Validate())
	if !strings.Contains(e.Message, "dialogAction.type") {
		t.Errorf("Validate message %q does not name dialogAction.type", e.Message)
	}
}

func checkConcurrent(t *testing.T, h parley.CodeHook) {
	events := make([]*parley.CodeHookEvent, concurrency)
	resps := make([]*parley.CodeHookResponse, concurrency)
	errs := make([]error, concurrency)
	var wg sync.WaitGroup
	for i := range events {
		events[i] = Event("echo")
		events[i].SessionID = fmt.Sprintf("hooktest-concurrent-%d", i)
		wg.Go(func() { resps[i], errs[i] = invoke(t, h, events[i]) })
	}
	wg.Wait()
	for i, ev := range events {
		if errs[i] != nil {
			t.Errorf("invocation %d: %v", i, errs[i])
			continue
		}
		if got := decodeEcho(t, resps[i])["sessionId"]; got != ev.SessionID {
			t.Errorf("invocation %d answered for session %v, want %s", i, got, ev.SessionID)
		}
	}
}

// invoke sends ev to h under the guard deadline.
func invoke(t *testing.T, h parley.CodeHook, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	defer cancel()
	resp, err := h.Invoke(ctx, ev)
	if err == nil && resp == nil {
		return nil, errors.New("hooktest: Invoke returned neither a response nor an error")
	}
	return resp, err
}

func mustInvoke(t *testing.T, h parley.CodeHook, scenario string) *parley.CodeHookResponse {
	t.Helper()
	resp, err := invoke(t, h, Event(scenario))
	if err != nil {
		t.Fatalf("%s: Invoke: %v", scenario, err)
	}
	return resp
}

// wantRecovered checks that the hook works again after a failure: the
// runner restarted, the connection recovered.
func wantRecovered(t *testing.T, h parley.CodeHook, after string) {
	t.Helper()
	resp, err := invoke(t, h, Event("close"))
	if err != nil {
		t.Fatalf("the invocation after %s failed: %v", after, err)
	}
	wantClose(t, resp)
}

// wantFailure checks that err is an ErrDependencyFailed with a message and
// returns it.
func wantFailure(t *testing.T, err error) *parley.Error {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want DependencyFailedException")
	}
	var e *parley.Error
	if !errors.As(err, &e) || e.Code != parley.ErrDependencyFailed {
		t.Fatalf("error %v (code %s), want code %s", err, parley.ErrorCodeOf(err), parley.ErrDependencyFailed)
	}
	if e.Message == "" {
		t.Fatalf("error %v has an empty message; it must say what was wrong", err)
	}
	return e
}

func wantAction(t *testing.T, resp *parley.CodeHookResponse, want parley.DialogActionType) {
	t.Helper()
	if resp.SessionState.DialogAction == nil {
		t.Fatalf("sessionState.dialogAction is missing, want type %s", want)
	}
	if got := resp.SessionState.DialogAction.Type; got != want {
		t.Fatalf("dialogAction.type = %q, want %q", got, want)
	}
}

func wantIntent(t *testing.T, resp *parley.CodeHookResponse) {
	t.Helper()
	in := resp.SessionState.Intent
	if in == nil {
		t.Fatalf("sessionState.intent is missing, want %s", intentName)
	}
	if in.Name != intentName {
		t.Fatalf("intent.name = %q, want %s", in.Name, intentName)
	}
}

func wantSlot(t *testing.T, resp *parley.CodeHookResponse, slot, want string) {
	t.Helper()
	v := resp.SessionState.Intent.Slots[slot]
	if v == nil || v.Value == nil || v.Value.InterpretedValue != want {
		t.Errorf("intent.slots.%s = %+v, want interpretedValue %q", slot, v, want)
	}
}

func wantPlainText(t *testing.T, resp *parley.CodeHookResponse, want string) {
	t.Helper()
	if len(resp.Messages) != 1 {
		t.Fatalf("messages = %+v, want one PlainText message", resp.Messages)
	}
	if m := resp.Messages[0]; m.ContentType != parley.ContentPlainText || m.Content != want {
		t.Errorf("messages[0] = %+v, want PlainText %q", m, want)
	}
}

// decodeEcho returns the event the echo scenario sent back.
func decodeEcho(t *testing.T, resp *parley.CodeHookResponse) map[string]any {
	t.Helper()
	if len(resp.Messages) != 1 || resp.Messages[0].ContentType != parley.ContentCustomPayload {
		t.Fatalf("messages = %+v, want one CustomPayload message", resp.Messages)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(resp.Messages[0].Content), &ev); err != nil {
		t.Fatalf("echoed event: %v", err)
	}
	return ev
}

// asJSON returns ev as the generic JSON value a function receives.
func asJSON(t *testing.T, ev *parley.CodeHookEvent) map[string]any {
	t.Helper()
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantValid(t *testing.T, resp *parley.CodeHookResponse) {
	t.Helper()
	if err := resp.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

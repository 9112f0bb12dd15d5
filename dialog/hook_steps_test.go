package dialog_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

// elicitingCrust returns a session of pizzaBot waiting for the crust of a
// large pizza, at the given retry attempt.
func elicitingCrust(t *testing.T, retries int) *parley.Session {
	t.Helper()
	s := step(t, newSession(), und("", nil, match("OrderPizza", 0.9, "Size=large")), t0)
	for range retries {
		s = step(t, s, und("", nil, match("FallbackIntent", 0)), t0)
	}
	if got := summary(s); got[:len("OrderPizza InProgress None Size=large Crust=-")] != "OrderPizza InProgress None Size=large Crust=-" {
		t.Fatalf("setup: %s", got)
	}
	return s
}

func TestHookEvent(t *testing.T) {
	bot, loc := hookBot()
	s := newSession()
	s.State.SessionAttributes = map[string]string{"customer": "Kim"}
	out := dialog.Step(dialog.Input{
		Bot: bot, Locale: loc, Session: s, Text: "a large pizza", InputMode: parley.InputText,
		RequestAttributes: map[string]string{"x-amz-lex:channels:platform": "web"},
		RequestID:         "req-1",
		Understanding:     und("", nil, match("OrderPizza", 0.9, "Size=large"), match("FallbackIntent", 0), match("CheckOrderStatus", 0.2)),
		Now:               t0,
	})
	if out.Pending == nil {
		t.Fatal("no pending hook")
	}
	ev := out.Pending.Event
	if ev.MessageVersion != "1.0" || ev.InvocationSource != parley.DialogCodeHook || ev.InvocationLabel != "" || ev.InputMode != parley.InputText ||
		ev.ResponseContentType != "text/plain; charset=utf-8" || ev.SessionID != "s1" {
		t.Errorf("header fields %+v", ev)
	}
	if ev.InputTranscript != "a large pizza" || ev.RawInputTranscript != "a large pizza" {
		t.Errorf("transcripts %q %q", ev.InputTranscript, ev.RawInputTranscript)
	}
	if ev.Bot != (parley.HookBot{ID: "PIZZABOT01", Name: "PizzaShop", AliasID: parley.DraftAliasID, AliasName: "TestBotAlias", LocaleID: "en_US", Version: "DRAFT"}) {
		t.Errorf("bot %+v", ev.Bot)
	}
	if ev.RequestAttributes["x-amz-lex:channels:platform"] != "web" {
		t.Errorf("requestAttributes %v", ev.RequestAttributes)
	}
	if ev.SessionState.OriginatingRequestID != "req-1" || ev.SessionState.SessionAttributes["customer"] != "Kim" {
		t.Errorf("sessionState %+v", ev.SessionState)
	}
	var names []string
	for _, it := range ev.Interpretations {
		names = append(names, it.Intent.Name)
		if (it.Intent.Name == "FallbackIntent") != (it.NLUConfidence == nil) {
			t.Errorf("interpretation %s has confidence %v", it.Intent.Name, it.NLUConfidence)
		}
	}
	if len(names) != 3 || names[0] != "OrderPizza" || names[1] != "FallbackIntent" || *ev.Interpretations[0].NLUConfidence != 0.9 {
		t.Errorf("interpretations %v", names)
	}
	if len(ev.Transcriptions) != 1 {
		t.Fatalf("transcriptions %+v", ev.Transcriptions)
	}
	tr := ev.Transcriptions[0]
	if tr.Transcription != "a large pizza" || tr.TranscriptionConfidence != 1 || tr.ResolvedContext == nil || tr.ResolvedContext.Intent != "OrderPizza" {
		t.Errorf("transcription %+v", tr)
	}
	if len(tr.ResolvedSlots) != 1 || tr.ResolvedSlots["Size"].Value.InterpretedValue != "large" {
		t.Errorf("resolvedSlots %v", tr.ResolvedSlots)
	}
	ps := ev.ProposedNextState
	if ps.DialogAction.Type != parley.ActionElicitSlot || ps.DialogAction.SlotToElicit != "Crust" || ps.Prompt.Attempt != "Initial" || ps.Intent.Name != "OrderPizza" {
		t.Errorf("proposedNextState %+v", ps)
	}
}

func TestHookRequestAttributesGoBack(t *testing.T) {
	p := startHook(t, und("", nil, match("OrderPizza", 0.9)))
	r := delegate(p.Event)
	r.RequestAttributes = map[string]string{"trace": "42"}
	out := dialog.Resume(p, r, nil)
	if out.Err != nil || out.RequestAttributes["trace"] != "42" {
		t.Errorf("err %v, requestAttributes %v", out.Err, out.RequestAttributes)
	}
}

func TestDialogHookWhenRetriesRunOut(t *testing.T) {
	tests := []struct {
		name   string
		answer func(ev *parley.CodeHookEvent) *parley.CodeHookResponse
		want   string
	}{
		{"delegate goes on to the failure path", delegate,
			"OrderPizza Failed None Size=large Crust=- Topping=- Note=- | Close | Sorry?"},
		{"a slot filled by the hook continues the intent", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.SessionState.Intent.State = parley.IntentInProgress
			r.SessionState.Intent.Slots["Crust"] = slot("thin")
			return r
		}, "OrderPizza InProgress None Size=large Crust=thin Topping=- Note=- | ElicitSlot Topping | What topping?"},
		{"elicit slot asks again", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.SessionState.Intent.State = parley.IntentInProgress
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
			r.Messages = []parley.Message{plain("Thin or thick?")}
			return r
		}, "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Thin or thick?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bot, loc := hookBot()
			s := elicitingCrust(t, 2)
			out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: und("", nil, match("FallbackIntent", 0)), Text: "blue", Now: t0})
			if out.Pending == nil {
				t.Fatalf("the dialog hook was skipped: %s", summary(out.Session))
			}
			ps := out.Pending.Event.ProposedNextState
			if ps.DialogAction.Type != parley.ActionClose || ps.Intent.State != parley.IntentFailed {
				t.Errorf("proposed %+v %+v", ps.DialogAction, ps.Intent)
			}
			out = dialog.Resume(out.Pending, tc.answer(out.Pending.Event), nil)
			if out.Err != nil || out.Pending != nil {
				t.Fatalf("Resume: %v %v", out.Err, out.Pending)
			}
			if got := summary(out.Session); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestInitialResponseCodeHook(t *testing.T) {
	bot, loc := pizzaBot()
	loc.Intent("LeaveNote").InitialCodeHook = &parley.CodeHookStep{InvocationLabel: "NoteStart"}
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: newSession(), Understanding: und("", nil, match("LeaveNote", 0.9)), Text: "leave a note", Now: t0})
	if out.Pending == nil {
		t.Fatal("the initial response hook was not called")
	}
	ev := out.Pending.Event
	if ev.InvocationLabel != "NoteStart" || ev.InvocationSource != parley.DialogCodeHook || ev.ProposedNextState.DialogAction.SlotToElicit != "Text" {
		t.Errorf("event label %q source %s proposed %+v", ev.InvocationLabel, ev.InvocationSource, ev.ProposedNextState.DialogAction)
	}
	r := delegate(ev)
	r.Messages = []parley.Message{plain("What should the note say?")}
	out = dialog.Resume(out.Pending, r, nil)
	if got, want := summary(out.Session), "LeaveNote InProgress None Text=- | ElicitSlot Text | Sure. | What should the note say?"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// The next turn of the intent runs without a hook: only the start has one.
	out = dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: out.Session, Understanding: und("", nil), Text: "call mum", Now: t0})
	if out.Pending != nil {
		t.Errorf("a hook was called on the second turn")
	}
}

func TestElicitationCodeHook(t *testing.T) {
	bot, loc := pizzaBot()
	loc.Intent("OrderPizza").Slot("Crust").ElicitationCodeHook = &parley.CodeHookStep{InvocationLabel: "CrustRetry"}
	tests := []struct {
		name        string
		retries     int
		wantAttempt string
		wantHook    bool
	}{
		{"first retry", 0, "Retry1", true},
		{"second retry", 1, "Retry2", true},
		{"retries ran out: no elicitation hook", 2, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := elicitingCrust(t, tc.retries)
			out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: und("", nil, match("FallbackIntent", 0)), Text: "blue", Now: t0})
			if (out.Pending != nil) != tc.wantHook {
				t.Fatalf("pending %v, want a hook call %v", out.Pending, tc.wantHook)
			}
			if !tc.wantHook {
				return
			}
			ev := out.Pending.Event
			if ev.InvocationLabel != "CrustRetry" || ev.ProposedNextState.Prompt.Attempt != tc.wantAttempt || ev.ProposedNextState.DialogAction.SlotToElicit != "Crust" {
				t.Errorf("label %q attempt %q action %+v", ev.InvocationLabel, ev.ProposedNextState.Prompt.Attempt, ev.ProposedNextState.DialogAction)
			}
			r := delegate(ev)
			r.Messages = []parley.Message{plain("We have thin, thick and stuffed.")}
			out = dialog.Resume(out.Pending, r, nil)
			if got, want := summary(out.Session), "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | We have thin, thick and stuffed."; got != want {
				t.Errorf("\n got %s\nwant %s", got, want)
			}
			if out.Session.Memory.Attempt != tc.retries+1 {
				t.Errorf("attempt %d, want %d", out.Session.Memory.Attempt, tc.retries+1)
			}
		})
	}
}

func TestFulfillmentUpdatesReachThePendingCall(t *testing.T) {
	bot, loc := hookBot()
	loc.Intent("CheckOrderStatus").Fulfillment.Updates = &parley.FulfillmentUpdates{
		StartResponse:  resp("Checking, [customer]..."),
		StartDelay:     2e9,
		UpdateResponse: resp("Still checking."),
		UpdateEvery:    5e9,
		Timeout:        60e9,
	}
	s := newSession()
	s.State.SessionAttributes = map[string]string{"customer": "Kim"}
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: und("", nil, match("CheckOrderStatus", 0.9)), Text: "status", Now: t0})
	p := out.Pending
	if p == nil || p.Event.InvocationSource != parley.FulfillmentCodeHook {
		t.Fatalf("pending %+v", p)
	}
	if p.Timeout != 60e9 || p.Updates == nil || p.Updates.StartDelay != 2e9 || p.Updates.UpdateEvery != 5e9 {
		t.Fatalf("timeout %v updates %+v", p.Timeout, p.Updates)
	}
	if len(p.Updates.Start) != 1 || p.Updates.Start[0].Content != "Checking, Kim..." || len(p.Updates.Update) != 1 || p.Updates.Update[0].Content != "Still checking." {
		t.Errorf("messages %+v %+v", p.Updates.Start, p.Updates.Update)
	}
	// The updates are not part of the turn's answer.
	out = dialog.Resume(p, delegate(p.Event), nil)
	if got, want := summary(out.Session), "CheckOrderStatus Fulfilled None | Close | In the oven."; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

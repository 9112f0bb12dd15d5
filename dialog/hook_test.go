package dialog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

// hookBot is pizzaBot with a dialog code hook on OrderPizza and a
// fulfillment code hook on CheckOrderStatus (with failure and timeout
// responses) and on Silent (without).
func hookBot() (*parley.Bot, *parley.Locale) {
	bot, loc := pizzaBot()
	loc.Intent("OrderPizza").DialogCodeHook = true
	loc.Intent("CheckOrderStatus").Fulfillment = &parley.FulfillmentSetting{
		CodeHook:        true,
		SuccessResponse: resp("In the oven."),
		FailureResponse: resp("Cannot check now."),
		TimeoutResponse: resp("That took too long."),
	}
	loc.Intent("Silent").Fulfillment = &parley.FulfillmentSetting{CodeHook: true}
	return bot, loc
}

func startHook(t *testing.T, u *parley.Understanding) *dialog.Pending {
	t.Helper()
	bot, loc := hookBot()
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: newSession(), Understanding: u, Text: "hi", Now: t0})
	if out.Pending == nil {
		t.Fatalf("no pending hook; session %s", summary(out.Session))
	}
	return out.Pending
}

func delegate(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
	r, _ := parley.NopCodeHook.Invoke(context.Background(), ev)
	return r
}

func plain(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func TestDialogCodeHook(t *testing.T) {
	orderStart := und("", nil, match("OrderPizza", 0.9, "Size=large"))
	tests := []struct {
		name   string
		answer func(ev *parley.CodeHookEvent) *parley.CodeHookResponse
		want   string
	}{
		{"delegate continues as proposed", delegate,
			"OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Which crust?"},
		{"delegate with changed slots", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.SessionState.Intent.Slots["Crust"] = slot("thick")
			r.SessionState.Intent.Slots["Topping"] = slot("cheese")
			return r
		}, "OrderPizza InProgress None Size=large Crust=thick Topping=cheese Note=- | ConfirmIntent | A large thick pizza with cheese?"},
		{"delegate with messages replaces the prompt", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.Messages = []parley.Message{plain("Crust please.")}
			return r
		}, "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitSlot Crust | Crust please."},
		{"elicit slot overrides", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Size"}
			r.SessionState.Intent.Slots["Size"] = nil
			r.Messages = []parley.Message{plain("We are out of large.")}
			return r
		}, "OrderPizza InProgress None Size=- Crust=- Topping=- Note=- | ElicitSlot Size | We are out of large."},
		{"close failed", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			r := delegate(ev)
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
			r.SessionState.Intent.State = parley.IntentFailed
			r.Messages = []parley.Message{plain("Closed today.")}
			return r
		}, "OrderPizza Failed None Size=large Crust=- Topping=- Note=- | Close | Closed today."},
		{"elicit intent", func(ev *parley.CodeHookEvent) *parley.CodeHookResponse {
			return &parley.CodeHookResponse{
				SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionElicitIntent}},
				Messages:     []parley.Message{plain("What else?")},
			}
		}, "OrderPizza InProgress None Size=large Crust=- Topping=- Note=- | ElicitIntent | What else?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startHook(t, orderStart)
			ev := p.Event
			if ev.InvocationSource != parley.DialogCodeHook || ev.InputTranscript != "hi" || ev.Bot.ID != "PIZZABOT01" || ev.Bot.AliasName != "TestBotAlias" {
				t.Errorf("event %+v", ev)
			}
			ps := ev.ProposedNextState
			if ps == nil || ps.DialogAction.Type != parley.ActionElicitSlot || ps.DialogAction.SlotToElicit != "Crust" || ps.Prompt.Attempt != "Initial" {
				t.Errorf("proposed %+v", ps)
			}
			if len(ev.Interpretations) == 0 || ev.Interpretations[0].Intent.Name != "OrderPizza" {
				t.Errorf("interpretations %+v", ev.Interpretations)
			}
			out := dialog.Resume(p, tc.answer(ev), nil)
			if out.Err != nil || out.Pending != nil {
				t.Fatalf("Resume: %v %v", out.Err, out.Pending)
			}
			if got := summary(out.Session); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestFulfillmentCodeHook(t *testing.T) {
	failed := func(msgs ...parley.Message) func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		return func(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			r := delegate(ev)
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = parley.IntentFailed
			r.Messages = msgs
			return r, nil
		}
	}
	tests := []struct {
		name     string
		intent   string
		answer   func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error)
		want     string
		wantCode parley.ErrorCode
		wantMsg  string
	}{
		{"success", "CheckOrderStatus", func(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) { return delegate(ev), nil },
			"CheckOrderStatus Fulfilled None | Close | In the oven.", "", ""},
		{"success with messages", "CheckOrderStatus", func(ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			r := delegate(ev)
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = parley.IntentFulfilled
			r.Messages = []parley.Message{plain("Five minutes.")}
			return r, nil
		}, "CheckOrderStatus Fulfilled None | Close | Five minutes.", "", ""},
		{"failed without messages says the failure response", "CheckOrderStatus", failed(),
			"CheckOrderStatus Failed None | Close | Cannot check now.", "", ""},
		{"failed with messages says them", "CheckOrderStatus", failed(plain("Kitchen closed.")),
			"CheckOrderStatus Failed None | Close | Kitchen closed.", "", ""},
		{"error with a failure response", "CheckOrderStatus", func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, errors.New("boom")
		}, "CheckOrderStatus Failed None | Close | Cannot check now.", "", ""},
		{"timeout with a timeout response", "CheckOrderStatus", func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, context.DeadlineExceeded
		}, "CheckOrderStatus Failed None | Close | That took too long.", "", ""},
		{"error without a failure response", "Silent", func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, errors.New("boom")
		}, "", parley.ErrDependencyFailed, "Invalid Lambda Response: Received error response from Lambda: Unhandled: boom"},
		{"coded hook error passes through", "Silent", func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, parley.Errorf(parley.ErrThrottling, "too many")
		}, "", parley.ErrThrottling, "too many"},
		{"timeout without a timeout response", "Silent", func(*parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, context.DeadlineExceeded
		}, "", parley.ErrDependencyFailed, "Code hook timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startHook(t, und("", nil, match(tc.intent, 0.9)))
			if p.Event.InvocationSource != parley.FulfillmentCodeHook || p.Event.SessionState.Intent.State != parley.IntentReadyForFulfillment {
				t.Fatalf("event source %s state %s", p.Event.InvocationSource, p.Event.SessionState.Intent.State)
			}
			r, err := tc.answer(p.Event)
			out := dialog.Resume(p, r, err)
			if tc.wantCode != "" {
				if parley.ErrorCodeOf(out.Err) != tc.wantCode || parley.ErrorMessageOf(out.Err) != tc.wantMsg {
					t.Fatalf("error %v, want %s %q", out.Err, tc.wantCode, tc.wantMsg)
				}
				return
			}
			if out.Err != nil {
				t.Fatalf("Resume: %v", out.Err)
			}
			if got := summary(out.Session); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestHookResponseValidation(t *testing.T) {
	order := func(mod func(r *parley.CodeHookResponse)) *parley.CodeHookResponse {
		r := &parley.CodeHookResponse{SessionState: parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionDelegate},
			Intent:       &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": slot("large")}},
		}}
		mod(r)
		return r
	}
	tests := []struct {
		name string
		resp *parley.CodeHookResponse
		want string // substring of the message; "" = valid
	}{
		{"valid delegate", order(func(*parley.CodeHookResponse) {}), ""},
		{"empty response", nil, "the response is empty"},
		{"missing dialog action", order(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction = nil }), "sessionState.dialogAction is required"},
		{"unknown action type", order(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = "Fulfil" }), "sessionState.dialogAction.type"},
		{"unknown intent", order(func(r *parley.CodeHookResponse) { r.SessionState.Intent.Name = "BookHotel" }), `intent "BookHotel" does not exist`},
		{"unknown slot", order(func(r *parley.CodeHookResponse) { r.SessionState.Intent.Slots["Colour"] = slot("red") }), "sessionState.intent.slots.Colour"},
		{"slot without value", order(func(r *parley.CodeHookResponse) {
			r.SessionState.Intent.Slots["Crust"] = &parley.SlotValue{Shape: parley.ShapeScalar}
		}), "sessionState.intent.slots.Crust.value is required"},
		{"slot without interpreted value", order(func(r *parley.CodeHookResponse) {
			r.SessionState.Intent.Slots["Crust"] = &parley.SlotValue{Value: &parley.Value{OriginalValue: "thin"}}
		}), "interpretedValue"},
		{"elicit slot without slot", order(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = parley.ActionElicitSlot }), "slotToElicit"},
		{"elicit slot without intent", order(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Size"}
			r.SessionState.Intent = nil
		}), "is required when dialogAction.type is ElicitSlot"},
		{"elicit an unknown slot", order(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Colour"}
		}), `has no slot "Colour"`},
		{"elicit intent without messages", order(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = parley.ActionElicitIntent }), "messages are required"},
		{"ready for fulfillment with confirm intent", order(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionConfirmIntent
			r.SessionState.Intent.State = parley.IntentReadyForFulfillment
		}), "ReadyForFulfillment is only allowed with dialogAction.type Delegate"},
		{"confirm intent without messages or a configured prompt", order(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionConfirmIntent
			r.SessionState.Intent.Name = "CheckOrderStatus"
			r.SessionState.Intent.Slots = nil
		}), "intent CheckOrderStatus has no confirmation prompt"},
		{"close in progress", order(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = parley.IntentInProgress
		}), "must be Fulfilled or Failed"},
		{"message without content type", order(func(r *parley.CodeHookResponse) { r.Messages = []parley.Message{{Content: "hi"}} }), "messages[0].contentType"},
		{"card without title", order(func(r *parley.CodeHookResponse) {
			r.Messages = []parley.Message{{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{}}}
		}), "messages[0].imageResponseCard.title"},
		{"bad context", order(func(r *parley.CodeHookResponse) {
			r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "x", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 1, TurnsToLive: 1}}}
		}), "timeToLiveInSeconds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startHook(t, und("", nil, match("OrderPizza", 0.9)))
			out := dialog.Resume(p, tc.resp, nil)
			if tc.want == "" {
				if out.Err != nil {
					t.Fatalf("unexpected error %v", out.Err)
				}
				return
			}
			if parley.ErrorCodeOf(out.Err) != parley.ErrDependencyFailed {
				t.Fatalf("error %v, want DependencyFailedException", out.Err)
			}
			msg := parley.ErrorMessageOf(out.Err)
			if !strings.HasPrefix(msg, "Invalid Lambda Response: Received invalid response from Lambda: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want the Lex prefix and %q", msg, tc.want)
			}
		})
	}
}

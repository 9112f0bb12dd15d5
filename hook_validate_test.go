package parley_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parleybot/parley"
)

func TestCodeHookResponseValidate(t *testing.T) {
	plain := func(s string) parley.Message { return parley.Message{ContentType: parley.ContentPlainText, Content: s} }
	// valid returns a Delegate response with a filled slot; mod breaks it.
	valid := func(mod func(r *parley.CodeHookResponse)) *parley.CodeHookResponse {
		r := &parley.CodeHookResponse{SessionState: parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionDelegate},
			Intent: &parley.SessionIntent{Name: "OrderPizza", State: parley.IntentInProgress,
				Slots: map[string]*parley.SlotValue{"Size": parley.ScalarSlot("big", "large", "large"), "Crust": nil}},
		}}
		if mod != nil {
			mod(r)
		}
		return r
	}
	action := func(typ parley.DialogActionType) func(*parley.CodeHookResponse) {
		return func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = typ }
	}
	tests := []struct {
		name string
		resp *parley.CodeHookResponse
		want string // a substring of the message naming the field; "" = valid
	}{
		{"delegate", valid(nil), ""},
		{"elicit slot", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
		}), ""},
		{"close fulfilled", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = parley.IntentFulfilled
		}), ""},
		{"close without intent", &parley.CodeHookResponse{SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionClose}}}, ""},
		{"elicit intent with a message", &parley.CodeHookResponse{
			SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionElicitIntent}},
			Messages:     []parley.Message{plain("What else?")},
		}, ""},
		{"nil response", nil, "the response is empty"},
		{"dialog action missing", valid(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction = nil }), "sessionState.dialogAction is required"},
		{"type missing", valid(action("")), "sessionState.dialogAction.type is required"},
		{"type unknown", valid(action("Fulfill")), `sessionState.dialogAction.type must be one of Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot; got "Fulfill"`},
		{"type None", valid(action(parley.ActionNone)), "sessionState.dialogAction.type"},
		{"elicit slot without slotToElicit", valid(action(parley.ActionElicitSlot)), "sessionState.dialogAction.slotToElicit is required"},
		{"elicit slot without intent", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
			r.SessionState.Intent = nil
		}), "sessionState.intent is required when dialogAction.type is ElicitSlot"},
		{"confirm intent without intent", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionConfirmIntent
			r.SessionState.Intent = nil
		}), "sessionState.intent is required when dialogAction.type is ConfirmIntent"},
		{"elicit intent without messages", valid(action(parley.ActionElicitIntent)), "messages are required when dialogAction.type is ElicitIntent"},
		{"close in progress", valid(action(parley.ActionClose)), `sessionState.intent.state must be Fulfilled or Failed when dialogAction.type is Close, got "InProgress"`},
		{"close without state", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = ""
		}), "sessionState.intent.state must be Fulfilled or Failed"},
		{"ready for fulfillment with elicit slot", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"}
			r.SessionState.Intent.State = parley.IntentReadyForFulfillment
		}), "sessionState.intent.state ReadyForFulfillment is only allowed with dialogAction.type Delegate, got ElicitSlot"},
		{"ready for fulfillment with confirm intent", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionConfirmIntent
			r.SessionState.Intent.State = parley.IntentReadyForFulfillment
		}), "ReadyForFulfillment is only allowed with dialogAction.type Delegate"},
		{"unknown intent state", valid(func(r *parley.CodeHookResponse) { r.SessionState.Intent.State = "Done" }), "sessionState.intent.state"},
		{"intent without name", valid(func(r *parley.CodeHookResponse) { r.SessionState.Intent.Name = "" }), "sessionState.intent.name"},
		{"filled slot without value", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.Intent.Slots["Crust"] = &parley.SlotValue{Shape: parley.ShapeScalar}
		}), "sessionState.intent.slots.Crust.value is required"},
		{"slot without interpretedValue", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.Intent.Slots["Crust"] = &parley.SlotValue{Value: &parley.Value{OriginalValue: "thin"}}
		}), "sessionState.intent.slots.Crust.value.interpretedValue"},
		{"message without content type", valid(func(r *parley.CodeHookResponse) { r.Messages = []parley.Message{{Content: "hi"}} }), "messages[0].contentType"},
		{"message with unknown content type", valid(func(r *parley.CodeHookResponse) {
			r.Messages = []parley.Message{plain("ok"), {ContentType: "Markdown", Content: "*hi*"}}
		}), "messages[1].contentType"},
		{"empty content", valid(func(r *parley.CodeHookResponse) { r.Messages = []parley.Message{plain("")} }), "messages[0].content"},
		{"card missing", valid(func(r *parley.CodeHookResponse) {
			r.Messages = []parley.Message{{ContentType: parley.ContentImageResponseCard}}
		}), "messages[0].imageResponseCard: is required"},
		{"card without title", valid(func(r *parley.CodeHookResponse) {
			r.Messages = []parley.Message{{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{}}}
		}), "messages[0].imageResponseCard.title"},
		{"too many messages", valid(func(r *parley.CodeHookResponse) {
			for range 11 {
				r.Messages = append(r.Messages, plain("x"))
			}
		}), "messages: at most 10"},
		{"context name", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "_bad", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 2}}}
		}), "sessionState.activeContexts[0].name"},
		{"context seconds out of range", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "ok", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 1, TurnsToLive: 2}}}
		}), "sessionState.activeContexts[0].timeToLive.timeToLiveInSeconds"},
		{"context turns out of range", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "ok", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 21}}}
		}), "sessionState.activeContexts[0].timeToLive.turnsToLive"},
		{"empty session attribute key", valid(func(r *parley.CodeHookResponse) {
			r.SessionState.SessionAttributes = map[string]string{"": "x"}
		}), "sessionState.sessionAttributes"},
		{"empty request attribute key", valid(func(r *parley.CodeHookResponse) { r.RequestAttributes = map[string]string{"": "x"} }), "requestAttributes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.resp.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if parley.ErrorCodeOf(err) != parley.ErrDependencyFailed {
				t.Fatalf("error %v, want %s", err, parley.ErrDependencyFailed)
			}
			msg := parley.ErrorMessageOf(err)
			if !strings.HasPrefix(msg, parley.HookInvalidPrefix) || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q\nwant the prefix %q and %q", msg, parley.HookInvalidPrefix, tc.want)
			}
		})
	}
}

// Attributes are string to string; a hook answering other types fails to
// decode before any rule is checked.
func TestCodeHookResponseDecodeRejectsNonStringAttributes(t *testing.T) {
	tests := []struct{ name, body string }{
		{"number session attribute", `{"sessionState":{"dialogAction":{"type":"Delegate"},"sessionAttributes":{"count":1}}}`},
		{"object request attribute", `{"sessionState":{"dialogAction":{"type":"Delegate"}},"requestAttributes":{"x":{"y":"z"}}}`},
		{"intent as a string", `{"sessionState":{"dialogAction":{"type":"Delegate"},"intent":"OrderPizza"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r parley.CodeHookResponse
			if err := json.Unmarshal([]byte(tc.body), &r); err == nil {
				t.Errorf("decoded %s without error", tc.body)
			}
		})
	}
}

// FuzzCodeHookResponseValidate feeds arbitrary hook responses to Validate:
// it must never panic, must reject with DependencyFailedException and the
// Lex prefix, and a response it accepts must survive a JSON round trip.
func FuzzCodeHookResponseValidate(f *testing.F) {
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"Delegate"}}}`))
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Crust"},"intent":{"name":"OrderPizza","slots":{"Size":{"value":{"interpretedValue":"large"}}}}}}`))
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"Close"},"intent":{"name":"X","state":"Fulfilled"}},"messages":[{"contentType":"ImageResponseCard","imageResponseCard":{"title":"t","buttons":[{"text":"a","value":"b"}]}}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r *parley.CodeHookResponse
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		err := r.Validate()
		if err != nil {
			if parley.ErrorCodeOf(err) != parley.ErrDependencyFailed || !strings.HasPrefix(parley.ErrorMessageOf(err), parley.HookInvalidPrefix) {
				t.Fatalf("error %v", err)
			}
			return
		}
		again, _ := json.Marshal(r)
		var back *parley.CodeHookResponse
		if err := json.Unmarshal(again, &back); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("valid response invalid after a round trip: %v\n%s", err, again)
		}
	})
}

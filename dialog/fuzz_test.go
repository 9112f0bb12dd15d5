package dialog_test

import (
	"encoding/json"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

// FuzzResume feeds arbitrary code hook responses (as a Lambda could send
// them) to a waiting dialog hook: the dialog must never panic, and must
// either reject the response as a dependency failure or produce a state
// that passes the runtime API's validation.
func FuzzResume(f *testing.F) {
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"Delegate"}}}`))
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Crust"},"intent":{"name":"OrderPizza","slots":{"Size":{"value":{"interpretedValue":"large"}}}}},"messages":[{"contentType":"PlainText","content":"Crust?"}]}`))
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"Close"},"intent":{"name":"CheckOrderStatus","state":"Failed"},"sessionAttributes":{},"activeContexts":[]}}`))
	f.Add([]byte(`{"sessionState":{"dialogAction":{"type":"ConfirmIntent"},"intent":{"name":"OrderPizza","slots":{"Size":{"shape":"List","values":[null]}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp *parley.CodeHookResponse
		if err := json.Unmarshal(data, &resp); err != nil {
			return
		}
		bot, loc := hookBot()
		out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: newSession(), Understanding: und("", nil, match("OrderPizza", 0.9)), Now: t0})
		for range 2 {
			if out.Pending == nil {
				break
			}
			out = dialog.Resume(out.Pending, resp, nil)
		}
		if out.Err != nil {
			if parley.ErrorCodeOf(out.Err) != parley.ErrDependencyFailed {
				t.Fatalf("error %v, want DependencyFailedException", out.Err)
			}
			return
		}
		if err := out.Session.State.Validate("sessionState"); err != nil {
			t.Fatalf("resulting state is invalid: %v", err)
		}
		if err := parley.ValidateMessages("messages", out.Session.Messages); err != nil {
			t.Fatalf("resulting messages are invalid: %v", err)
		}
	})
}

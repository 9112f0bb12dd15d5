package convtest

import (
	"regexp"

	"github.com/parleybot/parley"
)

// Expectation describes what a turn did as the expectation of a test:
// intent, state, dialog action, every slot of the intent (null when
// unfilled), and the exact text of the messages. Recording a chat with it
// gives a test that fails when any of that changes.
func Expectation(res *parley.TurnResult) *Expect {
	e := &Expect{}
	st := res.SessionState
	if in := st.Intent; in != nil {
		e.Intent = in.Name
		e.State = string(in.State)
		if len(in.Slots) > 0 {
			e.Slots = make(map[string]*string, len(in.Slots))
			for name, v := range in.Slots {
				if !in.Filled(name) {
					e.Slots[name] = nil
					continue
				}
				text := slotText(v)
				e.Slots[name] = &text
			}
		}
	}
	if a := st.DialogAction; a != nil {
		e.DialogAction = string(a.Type)
		e.SlotToElicit = a.SlotToElicit
	}
	if len(res.Messages) > 0 {
		e.Message = "^" + regexp.QuoteMeta(MessageText(res.Messages)) + "$"
		e.message = regexp.MustCompile(e.Message)
	}
	return e
}

package dialog_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

// BenchmarkStep measures one slot-answer turn of the dialog alone.
func BenchmarkStep(b *testing.B) {
	bot, loc := pizzaBot()
	s := newSession()
	first := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: und("", nil, match("OrderPizza", 0.9, "Size=large")), Now: t0})
	answer := und("", []string{"Crust=thin"}, match("FallbackIntent", 0), match("OrderPizza", 0.3))
	b.ReportAllocs()
	for b.Loop() {
		out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: first.Session, Understanding: answer, Text: "thin", Now: t0})
		if out.Session.State.DialogAction.Type != parley.ActionElicitSlot {
			b.Fatal("unexpected action")
		}
	}
}

package nlu_test

import (
	"context"
	"testing"

	"github.com/parleybot/parley"
)

// FuzzInterpret feeds arbitrary text, in every dialog situation, to the
// Korean and English example bots: no panics, scores in [0,1], at most
// five interpretations with one fallback.
func FuzzInterpret(f *testing.F) {
	for _, s := range []string{"안녕", "안녕 나는 홍길동이야", "제 이름은 김다은이에요", "order a large pizza", "I want a big thin crust pizza",
		"ＨＥＬＬＯ　１２３", "在北京租车", "ｶﾀｶﾅ", "\xff\xfe", "{Name}", "\ue000\ue400", "태연이랑 태연을 태연이", "   ", "a b c d e f g h i j k l"} {
		f.Add(s, 0)
		f.Add(s, 1)
		f.Add(s, 2)
	}
	hello := train(f, helloBot())
	pizza := train(f, pizzaBot())
	queries := []func(string) (parley.Interpreter, parley.Query){
		func(s string) (parley.Interpreter, parley.Query) { return hello, parley.Query{Text: s, Now: refNow} },
		func(s string) (parley.Interpreter, parley.Query) {
			return hello, parley.Query{Text: s, Intent: "HelloIntent", ElicitSlot: "Name", Now: refNow}
		},
		func(s string) (parley.Interpreter, parley.Query) {
			return pizza, parley.Query{Text: s, Intent: "OrderPizza", ElicitSlot: "Size", ActiveContexts: []string{"order_placed"}, Now: refNow}
		},
	}
	f.Fuzz(func(t *testing.T, text string, mode int) {
		ip, q := queries[(mode%3+3)%3](text)
		u, err := ip.Interpret(context.Background(), q)
		if err != nil {
			t.Fatalf("Interpret(%q): %v", text, err)
		}
		if n := len(u.Intents); n == 0 || n > 5 {
			t.Fatalf("Interpret(%q): %d interpretations", text, n)
		}
		fallbacks := 0
		for _, m := range u.Intents {
			if m.Score < 0 || m.Score > 1 {
				t.Errorf("Interpret(%q): %s scores %v", text, m.Name, m.Score)
			}
			if m.Fallback {
				fallbacks++
			}
			for name, sv := range m.Slots {
				if sv == nil || sv.Value == nil {
					t.Errorf("Interpret(%q): slot %s of %s is empty", text, name, m.Name)
				}
			}
		}
		if fallbacks > 1 {
			t.Errorf("Interpret(%q): %d fallbacks", text, fallbacks)
		}
	})
}

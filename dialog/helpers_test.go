package dialog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

var t0 = time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)

func text(s string) parley.MessageGroup {
	return parley.MessageGroup{Message: parley.Message{ContentType: parley.ContentPlainText, Content: s}}
}

func resp(texts ...string) *parley.Response {
	r := &parley.Response{}
	for _, s := range texts {
		r.MessageGroups = append(r.MessageGroups, text(s))
	}
	return r
}

func prompt(retries int, texts ...string) parley.PromptSpecification {
	return parley.PromptSpecification{MessageGroups: resp(texts...).MessageGroups, MaxRetries: retries}
}

// pizzaBot is a hand-built bot shaped like examples/pizza, plus an intent
// with a free-form slot and one that says nothing.
func pizzaBot() (*parley.Bot, *parley.Locale) {
	loc := &parley.Locale{
		ID:                     "en_US",
		NLUConfidenceThreshold: 0.4,
		Intents: []*parley.Intent{
			{
				Name: "OrderPizza",
				Slots: []*parley.Slot{
					{Name: "Size", SlotTypeName: "PizzaSize", Required: true, Prompt: prompt(2, "What size?")},
					{Name: "Crust", SlotTypeName: "CrustType", Required: true, Prompt: prompt(2, "Which crust?")},
					{Name: "Topping", SlotTypeName: "PizzaTopping", Required: true, Prompt: prompt(2, "What topping?")},
					{Name: "Note", SlotTypeName: "AMAZON.FreeFormInput"},
				},
				Confirmation: &parley.ConfirmationSetting{
					Prompt:              prompt(1, "A {Size} {Crust} pizza with {Topping}?"),
					DeclinationResponse: resp("Cancelled."),
				},
				Fulfillment:    &parley.FulfillmentSetting{SuccessResponse: resp("Your {Size} pizza is on its way!")},
				Closing:        resp("Thanks, [customer]."),
				OutputContexts: []parley.OutputContext{{Name: "order_placed", TimeToLiveInSeconds: 600, TurnsToLive: 2}},
			},
			{
				Name:        "CheckOrderStatus",
				Fulfillment: &parley.FulfillmentSetting{SuccessResponse: resp("In the oven.")},
			},
			{
				Name:          "AddDrink",
				InputContexts: []string{"order_placed"},
				Slots: []*parley.Slot{
					{Name: "Drink", SlotTypeName: "DrinkType", Required: true, Prompt: prompt(0, "Which drink?"),
						DefaultValues: []string{"#order_placed.Drink", "[favourite]", "water"}},
					{Name: "Size", SlotTypeName: "PizzaSize", DefaultValues: []string{"#order_placed.Size"}},
				},
				Fulfillment: &parley.FulfillmentSetting{SuccessResponse: resp("Added a {Size} {Drink}.")},
			},
			{
				Name:            "LeaveNote",
				InitialResponse: resp("Sure."),
				Slots:           []*parley.Slot{{Name: "Text", SlotTypeName: "AMAZON.FreeFormInput", Required: true, Prompt: prompt(1, "Your note?")}},
			},
			{Name: "Silent"},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature, Closing: resp("Sorry?")},
		},
	}
	bot := &parley.Bot{ID: "PIZZABOT01", Name: "PizzaShop", Locales: []*parley.Locale{loc}}
	return bot, loc
}

func slot(v string) *parley.SlotValue { return parley.ScalarSlot(v, v, v) }

// match is an intent hypothesis; name "FallbackIntent" is the fallback.
func match(name string, score float64, slots ...string) parley.IntentMatch {
	m := parley.IntentMatch{Name: name, Score: score, Slots: map[string]*parley.SlotValue{}}
	if name == "FallbackIntent" {
		m.Fallback, m.Score = true, 0
	}
	for _, kv := range slots {
		k, v, _ := strings.Cut(kv, "=")
		m.Slots[k] = slot(v)
	}
	return m
}

// und builds an understanding: ranked intents and, for the intent in
// progress, slots "Name=value" and an answer.
func und(answer string, slots []string, intents ...parley.IntentMatch) *parley.Understanding {
	u := &parley.Understanding{Intents: intents, Answer: answer, Slots: map[string]*parley.SlotValue{}}
	for _, kv := range slots {
		k, v, _ := strings.Cut(kv, "=")
		u.Slots[k] = slot(v)
	}
	return u
}

func newSession() *parley.Session {
	return &parley.Session{Key: parley.SessionKey{BotID: "PIZZABOT01", AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: "s1"}}
}

// step runs one turn the way the engine does, without hooks.
func step(t *testing.T, s *parley.Session, u *parley.Understanding, now time.Time) *parley.Session {
	t.Helper()
	bot, loc := pizzaBot()
	dialog.Merge(s, loc, nil, now)
	out := dialog.Step(dialog.Input{Bot: bot, Locale: loc, Session: s, Understanding: u, Text: "input", Now: now})
	if out.Err != nil || out.Pending != nil {
		t.Fatalf("Step: err %v, pending %v", out.Err, out.Pending)
	}
	return out.Session
}

// summary renders the parts of a session a test compares.
func summary(s *parley.Session) string {
	var b strings.Builder
	st := s.State
	if st.Intent != nil {
		b.WriteString(st.Intent.Name + " " + string(st.Intent.State) + " " + string(st.Intent.ConfirmationState))
		for _, name := range []string{"Size", "Crust", "Topping", "Note", "Drink", "Text"} {
			v, ok := st.Intent.Slots[name]
			switch {
			case !ok:
			case v == nil:
				b.WriteString(" " + name + "=-")
			default:
				b.WriteString(" " + name + "=" + v.Value.InterpretedValue)
			}
		}
	}
	if st.DialogAction != nil {
		b.WriteString(" | " + string(st.DialogAction.Type))
		if st.DialogAction.SlotToElicit != "" {
			b.WriteString(" " + st.DialogAction.SlotToElicit)
		}
	}
	for _, m := range s.Messages {
		b.WriteString(" | " + m.Content)
	}
	return b.String()
}

package eval_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
)

func pizzaBot() *parley.Bot {
	return &parley.Bot{ID: "PIZZABOT01", Locales: []*parley.Locale{{
		ID: "en_US", NLUConfidenceThreshold: 0.4,
		SlotTypes: []*parley.SlotType{{Name: "PizzaSize", Values: []parley.SlotTypeValue{{Value: "small"}, {Value: "large"}}}},
		Intents: []*parley.Intent{
			{Name: "OrderPizza", SampleUtterances: []string{"a {Size} pizza", "{Count} pizzas please", "pizza", "i want pizza", "order pizza now"},
				Slots: []*parley.Slot{{Name: "Size", SlotTypeName: "PizzaSize"}, {Name: "Count", SlotTypeName: "AMAZON.Number"}}},
			{Name: "CheckStatus", SampleUtterances: []string{"where is my order", "order status", "status please"}},
			{Name: "Lonely", SampleUtterances: []string{"just one"}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		},
	}}}
}

func pizzaTrainer() *fakeTrainer {
	return &fakeTrainer{answers: map[string]*parley.Understanding{
		"a small pizza":     understood(match("OrderPizza", 0.9, "Size", "small")),
		"3 pizzas please":   understood(match("OrderPizza", 0.8, "Count", "3")),
		"pizza":             understood(match("OrderPizza", 0.7)),
		"i want pizza":      understood(match("CheckStatus", 0.6)),
		"order pizza now":   understood(match("OrderPizza", 0.9)),
		"where is my order": understood(match("CheckStatus", 0.9)),
		"order status":      understood(match("OrderPizza", 0.5)),
		"status please":     understood(match("CheckStatus", 0.8)),
	}}
}

func TestCrossValidate(t *testing.T) {
	bot := pizzaBot()
	tr := pizzaTrainer()
	rep, err := eval.CrossValidate(context.Background(), tr, bot, "en_US", 3, 7, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.N != 8 || !near(rep.Accuracy, 0.75) || rep.Folds != 3 {
		t.Errorf("N %d accuracy %v folds %d, want 8, 0.75, 3", rep.N, rep.Accuracy, rep.Folds)
	}
	if rep.SlotN != 2 || !near(rep.SlotF1, 1) {
		t.Errorf("slots %d F1 %v, want 2 and 1", rep.SlotN, rep.SlotF1)
	}
	if len(tr.trained) != 3 {
		t.Fatalf("trained %d times, want once per fold", len(tr.trained))
	}
	var all, sizes []string
	for run, loc := range tr.trained {
		queries := tr.queries[run]
		all = append(all, queries...)
		sizes = append(sizes, string(rune('0'+len(queries))))
		trained := 0
		for _, in := range loc.Intents {
			trained += len(in.SampleUtterances)
		}
		// Every utterance is either trained or tested in each fold, and
		// Lonely, with one utterance, is always trained.
		if trained+len(queries) != 9 || len(loc.Intent("Lonely").SampleUtterances) != 1 {
			t.Errorf("fold %d trained %d utterances and tested %d, want 9 in all", run, trained, len(queries))
		}
	}
	slices.Sort(all)
	want := []string{"3 pizzas please", "a small pizza", "i want pizza", "order pizza now", "order status", "pizza", "status please", "where is my order"}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("tested %q, want every utterance once: %q", all, want)
	}
	slices.Sort(sizes)
	if !reflect.DeepEqual(sizes, []string{"2", "3", "3"}) {
		t.Errorf("fold sizes %v, want balanced 2, 3, 3", sizes)
	}
	if got := bot.Locales[0].Intents[0].SampleUtterances; len(got) != 5 {
		t.Errorf("the bot was changed: %q", got)
	}

	again := pizzaTrainer()
	if _, err := eval.CrossValidate(context.Background(), again, pizzaBot(), "en_US", 3, 7, eval.Options{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.queries, tr.queries) {
		t.Errorf("the same seed dealt other folds: %q vs %q", again.queries, tr.queries)
	}
}

func TestCrossValidateFillsSlots(t *testing.T) {
	tests := []struct {
		name      string
		locale    string
		utterance string
		slotType  string
		types     []*parley.SlotType
		want      string
	}{
		{name: "custom type", locale: "en_US", utterance: "a {S} one", slotType: "Colour",
			types: []*parley.SlotType{{Name: "Colour", Values: []parley.SlotTypeValue{{Value: "red"}}}}, want: "a red one"},
		{name: "English number", locale: "en_US", utterance: "{S} of them", slotType: "AMAZON.Number", want: "3 of them"},
		{name: "Korean date", locale: "ko_KR", utterance: "{S} 알람 맞춰줘", slotType: "AMAZON.Date", want: "내일 알람 맞춰줘"},
		{name: "Chinese date", locale: "zh_CN", utterance: "{S}提醒我", slotType: "AMAZON.Date", want: "明天提醒我"},
		{name: "English phrase when a language has none", locale: "zh_CN", utterance: "发到{S}", slotType: "AMAZON.EmailAddress", want: "发到jane@example.com"},
		{name: "pattern type without values", locale: "en_US", utterance: "code {S}", slotType: "Code",
			types: []*parley.SlotType{{Name: "Code", ParentSlotTypeSignature: "AMAZON.AlphaNumeric", RegexFilter: "[A-Z][0-9]+"}}, want: "code A123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := &parley.Bot{ID: "FILLBOT001", Locales: []*parley.Locale{{
				ID: tt.locale, SlotTypes: tt.types,
				Intents: []*parley.Intent{{Name: "A", SampleUtterances: []string{tt.utterance, "other words"},
					Slots: []*parley.Slot{{Name: "S", SlotTypeName: tt.slotType}}}},
			}}}
			tr := &fakeTrainer{}
			if _, err := eval.CrossValidate(context.Background(), tr, bot, tt.locale, 2, 1, eval.Options{}); err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, q := range tr.queries {
				all = append(all, q...)
			}
			if !slices.Contains(all, tt.want) {
				t.Errorf("tested %q, want %q among them", all, tt.want)
			}
		})
	}
}

func TestCrossValidateErrors(t *testing.T) {
	lonely := &parley.Bot{ID: "LONELYBOT1", Locales: []*parley.Locale{{ID: "en_US",
		Intents: []*parley.Intent{{Name: "A", SampleUtterances: []string{"only one"}}}}}}
	tests := []struct {
		name   string
		bot    *parley.Bot
		locale string
		folds  int
		code   parley.ErrorCode
	}{
		{name: "one fold", bot: pizzaBot(), locale: "en_US", folds: 1, code: parley.ErrValidation},
		{name: "unknown locale", bot: pizzaBot(), locale: "ko_KR", folds: 5, code: parley.ErrNotFound},
		{name: "nothing to test", bot: lonely, locale: "en_US", folds: 5, code: parley.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := eval.CrossValidate(context.Background(), pizzaTrainer(), tt.bot, tt.locale, tt.folds, 1, eval.Options{})
			if got := parley.ErrorCodeOf(err); got != tt.code {
				t.Errorf("error %v has code %q, want %q", err, got, tt.code)
			}
		})
	}
}

func TestTuneThreshold(t *testing.T) {
	valid := []eval.Example{
		{Text: "a", Intent: "A"}, {Text: "b", Intent: "B"}, {Text: "c", Intent: "C"}, {Text: "d", Intent: "D"},
		{Text: "e", Intent: "FallbackIntent"}, {Text: "f", Intent: "FallbackIntent"},
	}
	tr := &fakeTrainer{answers: map[string]*parley.Understanding{
		"a": understood(match("A", 0.9)),
		"b": understood(match("B", 0.6)),
		"c": understood(fallback(), match("C", 0.35)),
		"d": understood(match("A", 0.5)),
		"e": understood(fallback(), match("A", 0.3)),
		"f": understood(match("B", 0.55)),
	}}
	bot := eval.BotFromExamples("TUNEBOT001", "en_US", valid)
	// Candidates .15 .325 .425 .525 .575 .75 .95 score (in-scope + OOS)
	// .75+0, .75+.5, .5+.5, .5+.5, .5+1, .25+1, 0+1: .575 wins.
	got, err := eval.TuneThreshold(context.Background(), tr, bot, "en_US", valid)
	if err != nil || !near(got, 0.575) {
		t.Errorf("TuneThreshold = %v, %v; want 0.575", got, err)
	}
	inOnly := valid[:4]
	if _, err := eval.TuneThreshold(context.Background(), tr, bot, "en_US", inOnly); parley.ErrorCodeOf(err) != parley.ErrValidation {
		t.Errorf("without out-of-scope examples: %v, want a validation error", err)
	}
}

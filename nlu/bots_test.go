package nlu_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu"
)

// helloBot is examples/hello's ko_KR locale, built in code.
func helloBot() *parley.Bot {
	name := &parley.Slot{Name: "Name", SlotTypeName: "AMAZON.FirstName", Required: true,
		SampleUtterances: []string{"{Name}이에요", "{Name}입니다", "제 이름은 {Name}이에요"}}
	loc := &parley.Locale{ID: "ko_KR", NLUConfidenceThreshold: 0.40, Intents: []*parley.Intent{
		{Name: "HelloIntent", Slots: []*parley.Slot{name}, SampleUtterances: []string{
			"안녕", "안녕하세요", "하이", "반가워", "반갑습니다", "헬로", "안녕 나는 {Name}이야", "내 이름은 {Name}이야", "저는 {Name}입니다"}},
		{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
	}}
	return &parley.Bot{ID: "HELLOBOT01", Name: "HelloWorld", Locales: []*parley.Locale{loc}}
}

// pizzaBot is examples/pizza's en_US locale, built in code.
func pizzaBot() *parley.Bot {
	restricted := func(name string, vals ...parley.SlotTypeValue) *parley.SlotType {
		return &parley.SlotType{Name: name, ResolutionStrategy: parley.ResolutionTopResolution, Values: vals}
	}
	v := func(value string, syn ...string) parley.SlotTypeValue {
		return parley.SlotTypeValue{Value: value, Synonyms: syn}
	}
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: 0.40,
		SlotTypes: []*parley.SlotType{
			restricted("PizzaSize", v("small", "personal", "little"), v("medium", "regular"), v("large", "big", "family")),
			restricted("CrustType", v("thin", "thin crust", "crispy"), v("thick", "deep dish", "pan"), v("stuffed", "stuffed crust")),
			restricted("PizzaTopping", v("pepperoni"), v("mushroom", "mushrooms"), v("cheese", "extra cheese", "plain"), v("veggie", "vegetables", "vegetarian")),
			restricted("DrinkType", v("cola", "coke"), v("lemonade"), v("water")),
		},
		Intents: []*parley.Intent{
			{Name: "OrderPizza", SampleUtterances: []string{"I want to order a pizza", "order a pizza", "I'd like a pizza",
				"order a {Size} pizza", "I want a {Size} {Crust} crust pizza", "a {Size} {Topping} pizza please",
				"I'd like a {Size} {Crust} pizza with {Topping}", "can I get a {Topping} pizza"},
				Slots: []*parley.Slot{
					{Name: "Size", SlotTypeName: "PizzaSize", Required: true},
					{Name: "Crust", SlotTypeName: "CrustType", Required: true},
					{Name: "Topping", SlotTypeName: "PizzaTopping", Required: true},
				},
				OutputContexts: []parley.OutputContext{{Name: "order_placed", TurnsToLive: 5, TimeToLiveInSeconds: 600}}},
			{Name: "CheckOrderStatus", SampleUtterances: []string{"where is my order", "check my order status", "order status", "how long will my pizza take"}},
			{Name: "AddDrink", InputContexts: []string{"order_placed"}, SampleUtterances: []string{"add a drink", "add a drink to my order", "can I add a {Drink}", "I want a {Drink} too"},
				Slots: []*parley.Slot{{Name: "Drink", SlotTypeName: "DrinkType", Required: true}}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		}}
	return &parley.Bot{ID: "PIZZABOT01", Name: "PizzaShop", Locales: []*parley.Locale{loc}}
}

// train trains the bot's first locale.
func train(t testing.TB, bot *parley.Bot) parley.Interpreter {
	t.Helper()
	ip, err := nlu.New().Train(bot, bot.Locales[0])
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	return ip
}

var refNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func interpret(t testing.TB, ip parley.Interpreter, q parley.Query) *parley.Understanding {
	t.Helper()
	if q.Now.IsZero() {
		q.Now = refNow
	}
	u, err := ip.Interpret(context.Background(), q)
	if err != nil {
		t.Fatalf("Interpret(%q): %v", q.Text, err)
	}
	return u
}

package hooks_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/engine"
	_ "github.com/parleybot/parley/examples/pizza-go/hooks"
	"github.com/parleybot/parley/hook/gofunc"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

// newEngine serves examples/pizza-go/bot with the registered go:pizza hook,
// as cli does for its codeHooks binding.
func newEngine(t *testing.T) (*engine.Engine, *parley.Bot) {
	t.Helper()
	bot, err := botdef.Load("../bot")
	if err != nil {
		t.Fatalf("load bot: %v", err)
	}
	if b := bot.CodeHookBinding(parley.DraftAliasID, "en_US"); b == nil || b.URI != "go:pizza" {
		t.Fatalf("bot binding %+v, want go:pizza", b)
	}
	hook, ok := gofunc.Lookup("pizza")
	if !ok {
		t.Fatal(`importing the hooks package did not register "pizza"`)
	}
	store := memory.New(memory.Options{Now: time.Now})
	t.Cleanup(func() { store.Close() })
	eng, err := engine.New(engine.Options{
		Store:    store,
		Trainer:  nlu.New(),
		CodeHook: func(string, string, string) parley.CodeHook { return hook },
	}, bot)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	return eng, bot
}

// turn is one user input and what the bot must answer.
type turn struct {
	say  string
	want string // the bot's messages joined by " | "
}

func converse(t *testing.T, eng *engine.Engine, bot *parley.Bot, session string, turns []turn) *parley.TurnResult {
	t.Helper()
	key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: session}
	var res *parley.TurnResult
	for _, tt := range turns {
		var err error
		res, err = eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key, Text: tt.say})
		if err != nil {
			t.Fatalf("%q: %v", tt.say, err)
		}
		var got []string
		for _, m := range res.Messages {
			if m.ContentType == parley.ContentPlainText {
				got = append(got, m.Content)
			}
		}
		if strings.Join(got, " | ") != tt.want {
			t.Fatalf("%q: bot said %q, want %q", tt.say, strings.Join(got, " | "), tt.want)
		}
	}
	return res
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name  string
		turns []turn
		total string
	}{
		{
			name: "unknown crust is asked again",
			turns: []turn{
				{"I'd like a large pizza", "Which crust: thin, thick or stuffed?"},
				{"cauliflower", "Sorry, we don't have cauliflower crust. Which crust: thin, thick or stuffed?"},
				{"stuffed", "What topping would you like?"},
				{"pepperoni", "So that's a large stuffed crust pizza with pepperoni. Shall I place the order?"},
				{"yes", "Your large pepperoni pizza is on its way! | Thanks for ordering with Parley Pizza."},
			},
			total: "17.25", // 14.00 large + 1.50 stuffed + 1.75 pepperoni
		},
		{
			name: "everything at once",
			turns: []turn{
				{"I'd like a small thin pizza with mushrooms", "So that's a small thin crust pizza with mushroom. Shall I place the order?"},
				{"yes", "Your small mushroom pizza is on its way! | Thanks for ordering with Parley Pizza."},
			},
			total: "10.25", // 9.00 small + 1.25 mushroom
		},
	}
	eng, bot := newEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := converse(t, eng, bot, strings.ReplaceAll(tt.name, " ", "-"), tt.turns)
			attrs := res.SessionState.SessionAttributes
			if !regexp.MustCompile(`^PZ-\d{6}$`).MatchString(attrs["orderId"]) {
				t.Errorf("orderId %q, want PZ-NNNNNN", attrs["orderId"])
			}
			if attrs["orderTotal"] != tt.total {
				t.Errorf("orderTotal %q, want %s", attrs["orderTotal"], tt.total)
			}
			if in := res.SessionState.Intent; in == nil || in.State != parley.IntentFulfilled {
				t.Errorf("intent %+v, want Fulfilled", in)
			}
		})
	}
}

func TestOtherIntentsAreLeftToTheBot(t *testing.T) {
	eng, bot := newEngine(t)
	res := converse(t, eng, bot, "status", []turn{
		{"where is my order", "Your pizza is in the oven and will arrive in about 20 minutes."},
	})
	if _, ok := res.SessionState.SessionAttributes["orderId"]; ok {
		t.Error("checking the status placed an order")
	}
}

package bottest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

// BenchmarkConversation measures whole turns in-process (real NLU, engine,
// memory store): each iteration is one turn of a conversation that cycles
// through the example bot's full flow on fresh sessions.
func BenchmarkConversation(b *testing.B) {
	for _, bc := range []struct {
		bot, locale string
		turns       []string
	}{
		{"../examples/hello", "ko_KR", []string{"안녕", "홍길동이에요", "네"}},
		{"../examples/pizza", "en_US", []string{"I'd like a large thin pizza with mushrooms", "yes", "add a drink", "coke"}},
	} {
		b.Run(bc.locale, func(b *testing.B) {
			bot, err := botdef.Load(bc.bot)
			if err != nil {
				b.Fatal(err)
			}
			eng, err := engine.New(engine.Options{Store: memory.New(memory.Options{}), Trainer: nlu.New(), Now: time.Now}, bot)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: bc.locale, SessionID: "bench-" + strconv.Itoa(i/len(bc.turns))}
				if _, err := eng.RecognizeText(ctx, &parley.TurnRequest{Key: key, Text: bc.turns[i%len(bc.turns)]}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

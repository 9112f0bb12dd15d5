package nlu_test

import (
	"context"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu"
)

// BenchmarkTrain150Intents trains the CLINC150 bot (150 intents, 100
// utterances each).
func BenchmarkTrain150Intents(b *testing.B) {
	d := loadCLINC(b)
	bot := clincBot(d)
	loc := bot.Locales[0]
	tr := nlu.New()
	b.ResetTimer()
	for b.Loop() {
		if _, err := tr.Train(bot, loc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInterpret parses the CLINC150 validation utterances with the
// trained 150-intent bot, one per iteration.
func BenchmarkInterpret(b *testing.B) {
	d := loadCLINC(b)
	ip := train(b, clincBot(d))
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if _, err := ip.Interpret(ctx, parley.Query{Text: d.Val[i%len(d.Val)][0], Now: refNow}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

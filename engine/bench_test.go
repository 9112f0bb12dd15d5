package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/parleybot/parley"
)

// BenchmarkRecognizeText measures the engine's own cost per turn (load,
// merge, dialog, save) with a scripted interpreter and a map store: "nop
// hook" has no code hook bound (the engine delegates), "hook" calls a bound
// hook (and so claims the session first), "parallel" runs one conversation
// per goroutine with no hook, as a server does with many users.
func BenchmarkRecognizeText(b *testing.B) {
	b.Run("nop hook", func(b *testing.B) { benchTurns(b, newFixture(b, nil)) })
	b.Run("hook", func(b *testing.B) {
		benchTurns(b, newFixture(b, parley.CodeHookFunc(delegating)))
	})
	b.Run("parallel", func(b *testing.B) {
		f := newFixture(b, nil)
		var sessions atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			k := key(fmt.Sprint("p", sessions.Add(1)))
			for pb.Next() {
				if _, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: k, Text: "status"}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func benchTurns(b *testing.B, f *fixture) {
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		req := &parley.TurnRequest{Key: key(fmt.Sprintf("s%d", i%64)), Text: "status"}
		if _, err := f.eng.RecognizeText(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

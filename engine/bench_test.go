package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parleybot/parley"
)

// BenchmarkRecognizeText measures the engine's own cost per turn (load,
// merge, dialog, save) with a scripted interpreter and a map store.
func BenchmarkRecognizeText(b *testing.B) {
	f := newFixture(b, nil)
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

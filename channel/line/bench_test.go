package line_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures one message's way through the connector:
// signature check, parse, dedupe, the (echo) turn, rendering and the reply
// call to the fake API on loopback.
func BenchmarkInbound(b *testing.B) {
	p := &platform{}
	rt := &channeltest.Runtime{}
	ch := p.connect(b, rt)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = p.Message(nil, fmt.Sprintf("user-%d", i%64), "hello there", fmt.Sprintf("01HBENCH%018d", i))
	}
	b.ResetTimer()
	for _, req := range reqs {
		if rec := serve(ch, req); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	if err := ch.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if replies, _, _ := p.fake.counts(); replies != b.N {
		b.Fatalf("%d replies for %d messages", replies, b.N)
	}
}

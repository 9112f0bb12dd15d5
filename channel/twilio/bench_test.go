package twilio_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures one SMS's way through the connector: form
// parsing, signature check, dedupe, the (echo) turn, rendering and the
// TwiML answer.
func BenchmarkInbound(b *testing.B) {
	p := &platform{}
	rt := &channeltest.Runtime{}
	ch := p.connect(b, rt)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = signedForm(smsForm(phoneOf(fmt.Sprint("user-", i%64)), "hello there", fmt.Sprintf("SM%032d", i)))
	}
	b.ResetTimer()
	for _, req := range reqs {
		if rec := serve(ch, req); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.StopTimer()
	if err := ch.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	if got := len(rt.Turns()); got != b.N {
		b.Fatalf("%d turns for %d messages", got, b.N)
	}
}

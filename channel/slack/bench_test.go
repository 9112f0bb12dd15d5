package slack_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures one message end to end through the connector:
// signature check, parse, dedupe, an echo turn, Block Kit rendering and
// chat.postMessage to the fake Web API on loopback (which validates it).
// The requests are built and signed before the clock starts.
func BenchmarkInbound(b *testing.B) {
	fake := newFakeSlack(b, testToken, mainChannel)
	fake.discard = true
	ch := newChannel(b, &channeltest.Runtime{}, fake, nil)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		ts := fmt.Sprintf("%d.%06d", testNow.Unix(), i)
		reqs[i] = signedEvent(userMessage(fmt.Sprintf("EvBench%d", i), mainChannel, fmt.Sprintf("U%d", i%50), "hello there", ts))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, req := range reqs {
		if rec := serve(ch, req); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		select {
		case <-fake.notify:
		case <-time.After(10 * time.Second):
			b.Fatal("no reply reached the fake Web API")
		}
	}
	b.StopTimer()
	closeChannel(b, ch)
}

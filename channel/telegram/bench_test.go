package telegram_test

import (
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures the connector's cost per message: the webhook
// POST (secret check, parse, de-duplication, queueing), the echo turn and
// the sendMessage call to the fake Bot API on loopback, until Close has
// seen every reply out.
func BenchmarkInbound(b *testing.B) {
	rt := &channeltest.Runtime{}
	ch, api, _ := connect(b, rt, nil)
	api.addChat(42)
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = messageUpdate(int64(i+1), 42, "I would like a large pizza")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, body := range bodies {
		if rec := serve(ch, webhook(body)); rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
	closeWithin(b, ch)
	b.StopTimer()
	if n := api.count("sendMessage"); n != b.N {
		b.Fatalf("%d replies for %d messages", n, b.N)
	}
}

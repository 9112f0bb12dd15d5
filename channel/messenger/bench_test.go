package messenger_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures the connector's cost per message, end to end:
// a signed notification through the handler (signature, parse, dedupe,
// queue), the echo turn, the typing indicator and the reply through the
// Send API fake on loopback, waiting for the reply before the next
// message. The platform's side (building and signing the body) is outside
// the timer.
func BenchmarkInbound(b *testing.B) {
	fake := newFakeGraph(b, testPageToken, testAppSecret)
	delivered := make(chan struct{}, 1)
	fake.delivered = delivered
	ch := newChannel(b, fake, &channeltest.Runtime{}, &sleeps{})
	defer closeChannel(b, ch)
	bodies := make([][]byte, b.N)
	sigs := make([]string, b.N)
	for i := range bodies {
		bodies[i] = notification(textEvent("PSID_B", fmt.Sprintf("m_bench_%d", i), "hello there"))
		sigs[i] = sign(bodies[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(bodies[i]))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Hub-Signature-256", sigs[i])
		if rec := serve(ch, r); rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
		<-delivered
	}
}

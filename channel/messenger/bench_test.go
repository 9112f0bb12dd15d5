package messenger_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/channeltest"
)

// BenchmarkInbound measures the connector's cost per message with the
// echo runtime and the Send API fake on loopback. "reply" is end to end:
// a signed notification through the handler (signature, parse, dedupe,
// queue), the turn, the typing indicator and the reply, waiting for the
// reply before the next message. "ack" is what Meta waits for, the
// handler alone: the user's first turn never ends, so the others queue
// behind it and no turn or send competes for the CPU. Building and
// signing the body is the platform's side, outside the timer.
func BenchmarkInbound(b *testing.B) {
	for _, mode := range []string{"reply", "ack"} {
		b.Run(mode, func(b *testing.B) {
			fake := newFakeGraph(b, testPageToken, testAppSecret)
			delivered := make(chan struct{}, b.N)
			fake.delivered = delivered
			rt := &channeltest.Runtime{}
			if mode == "ack" {
				rt.Delay = time.Hour
			}
			ch := newChannel(b, fake, rt, &sleeps{})
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
				if rec := serve(ch, r); rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				if mode == "reply" {
					<-delivered
				}
			}
			b.StopTimer()
			if mode == "reply" {
				closeChannel(b, ch)
				return
			}
			// Cancel the queued turns rather than wait an hour.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_ = ch.Close(ctx)
		})
	}
}

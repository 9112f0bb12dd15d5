package webhook_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

// BenchmarkInvoke measures the transport's per-call overhead over loopback:
// encode and sign the event, POST it on a kept-alive connection, verify and
// decode it in Handler, answer Delegate, decode the answer.
func BenchmarkInvoke(b *testing.B) {
	secret := []byte("bench secret")
	srv := httptest.NewServer(webhook.Handler(secret, parley.NopCodeHook))
	defer srv.Close()
	h, err := webhook.New(srv.URL+"/hook", webhook.Options{Secret: secret})
	if err != nil {
		b.Fatal(err)
	}
	ev := hooktest.Event("delegate")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

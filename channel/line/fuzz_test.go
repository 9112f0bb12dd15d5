package line_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// FuzzWebhook feeds signed bodies to the webhook: whatever the bytes, the
// connector answers 200 or 400 and never panics.
func FuzzWebhook(f *testing.F) {
	f.Add([]byte(`{"destination":"U0123456789abcdef0123456789abcdef","events":[]}`))
	f.Add([]byte(`{"destination":"U1","events":[{"type":"message","mode":"active","source":{"type":"group","groupId":"C1","userId":"U2"},"webhookEventId":"01H","replyToken":"r","message":{"type":"text","text":"hi"}}]}`))
	f.Add([]byte(`{"events":[{"type":"postback","source":{"type":"room","roomId":"R1"},"postback":{"data":"a=b"}}]}`))
	f.Add([]byte(`{"events":null}`))
	f.Add([]byte(`[]`))
	// One channel for all inputs (closed at the end): the fuzzer's speed
	// goes to the parser, not to starting fake servers.
	p := &platform{}
	ch := p.connect(f, &channeltest.Runtime{})
	p.fake.lenient = true
	f.Cleanup(func() { _ = ch.Close(context.Background()) })
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serve(ch, p.Signed(t, body))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

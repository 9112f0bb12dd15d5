package twilio_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// FuzzWebhook feeds signed form bodies to the webhook: whatever the bytes,
// the connector answers 200 with TwiML or 400, and never panics.
func FuzzWebhook(f *testing.F) {
	f.Add(smsForm("+15551230000", "hello", "SM00000000000000000000000000000001").Encode())
	f.Add("MessageSid=SM1&From=whatsapp%3A%2B1555&To=whatsapp%3A%2B1666&ButtonPayload=x&NumMedia=3&MediaUrl0=a")
	f.Add("MessageSid=SM1&MessageStatus=sent&From=a&To=b")
	f.Add("Body=%zz&From=x")
	f.Add("a;b=c")
	// One channel for all inputs (closed at the end): the fuzzer's speed
	// goes to the parser, not to starting fake servers.
	p := &platform{}
	ch := p.connect(f, &channeltest.Runtime{})
	f.Cleanup(func() { _ = ch.Close(context.Background()) })
	f.Fuzz(func(t *testing.T, body string) {
		rec := serve(ch, p.Signed(t, []byte(body)))
		switch rec.Code {
		case http.StatusOK:
			parseTwiML(t, rec)
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

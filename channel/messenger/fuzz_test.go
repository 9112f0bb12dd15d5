package messenger_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// FuzzWebhook feeds arbitrary bodies through the whole inbound pipeline:
// signed, a body is accepted (200) or refused as malformed (400), a
// refused one never reaches the runtime, and whatever the connector sends
// back passes the fake Send API's checks; unsigned, it is always 401.
func FuzzWebhook(f *testing.F) {
	seeds := []string{
		`{"object":"page","entry":[{"id":"PAGE_ID","time":1700000000000,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1700000000000,"message":{"mid":"m_1","text":"hello"}}]}]}`,
		`{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"U"},"message":{"mid":"m","text":"Red","quick_reply":{"payload":"RED"}}},{"sender":{"id":"U"},"postback":{"mid":"p","title":"T","payload":"X"}}]}]}`,
		`{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"P"},"message":{"is_echo":true,"mid":"e","text":"x"}}]}]}`,
		`{"object":"page","entry":[{"id":"P","messaging":[{"message":{"mid":"m","text":"no sender"}}]}]}`,
		`{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"U"},"message":{"mid":"m","text":"\uc548\ub155\u0000"}}]}]}`,
		`{"object":"page","entry":[{"id":"P","standby":[{"sender":{"id":"U"}}]}]}`,
		`{"object":"user","entry":[]}`,
		`{"object":"page","entry":null}`,
		`[]`, `null`, ``, `{`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	fake := newFakeGraph(f, testPageToken, testAppSecret)
	fake.reportViolationTo = func(string, ...any) {} // checked per input below
	f.Fuzz(func(t *testing.T, body []byte) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, fake, rt, &sleeps{})
		before := len(fake.violationsSoFar())

		forged := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		forged.Header.Set("Content-Type", "application/json")
		forged.Header.Set("X-Hub-Signature-256", "sha256=00")
		if rec := serve(ch, forged); rec.Code != http.StatusUnauthorized {
			t.Errorf("unsigned body: status %d, want 401", rec.Code)
		}
		rec := serve(ch, signedRequest(body))
		closeChannel(t, ch)
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest:
			if n := len(rt.Turns()); n != 0 {
				t.Errorf("a refused body ran %d turns", n)
			}
		default:
			t.Errorf("signed body: status %d, want 200 or 400", rec.Code)
		}
		if v := fake.violationsSoFar()[before:]; len(v) > 0 {
			t.Errorf("the Send API would refuse: %q", v)
		}
	})
}

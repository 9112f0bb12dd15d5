package messenger_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/messenger"
)

const (
	testAppSecret   = "test_app_secret"
	testVerifyToken = "verify-me-123"
	testPageToken   = "EAAGpage-token"
	testPageID      = "PAGE_ID"
)

// sleeps records the retry waits the connector asked for; tests never
// really wait.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func testConfig(fake *fakeGraph, rt parley.Runtime, sl *sleeps) connector.Config {
	return connector.Config{
		Name:     "fb",
		Type:     "messenger",
		Bot:      &parley.Bot{ID: "MUSICBOT01", Locales: []*parley.Locale{{ID: "en_US"}}},
		LocaleID: "en_US",
		Settings: map[string]string{
			"appSecret":       testAppSecret,
			"verifyToken":     testVerifyToken,
			"pageAccessToken": testPageToken,
			"apiBase":         fake.base(),
		},
		Runtime: rt,
		Client:  fake.srv.Client(),
		Sleep:   sl.sleep,
	}
}

func newChannel(t testing.TB, fake *fakeGraph, rt parley.Runtime, sl *sleeps) *messenger.Channel {
	t.Helper()
	ch, err := messenger.New(testConfig(fake, rt, sl))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return ch
}

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(testAppSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func signedRequest(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Hub-Signature-256", sign(body))
	return r
}

// notification wraps events in one page entry each.
func notification(events ...map[string]any) []byte {
	var entries []any
	for _, ev := range events {
		entries = append(entries, map[string]any{"id": testPageID, "time": 1700000000000, "messaging": []any{ev}})
	}
	b, _ := json.Marshal(map[string]any{"object": "page", "entry": entries})
	return b
}

func textEvent(psid, mid, text string) map[string]any {
	return map[string]any{
		"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": testPageID}, "timestamp": 1700000000000,
		"message": map[string]any{"mid": mid, "text": text},
	}
}

func quickReplyEvent(psid, mid, title, payload string) map[string]any {
	ev := textEvent(psid, mid, title)
	ev["message"].(map[string]any)["quick_reply"] = map[string]any{"payload": payload}
	return ev
}

func postbackEvent(psid, mid, title, payload string) map[string]any {
	return map[string]any{
		"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": testPageID}, "timestamp": 1700000000000,
		"postback": map[string]any{"mid": mid, "title": title, "payload": payload},
	}
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func closeChannel(t testing.TB, ch *messenger.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// platform plays Messenger for the conformance suite.
type platform struct {
	fake *fakeGraph
}

func (p *platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	p.fake = newFakeGraph(t, testPageToken, testAppSecret)
	return newChannel(t, p.fake, rt, &sleeps{})
}

func (p *platform) Message(_ *testing.T, user, text, eventID string) *http.Request {
	return signedRequest(notification(textEvent(user, eventID, text)))
}

func (p *platform) Signed(_ *testing.T, body []byte) *http.Request { return signedRequest(body) }

func (p *platform) Forge(_ *testing.T, r *http.Request) {
	mac := hmac.New(sha256.New, []byte("not the app secret"))
	r.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
}

func (p *platform) UnknownEvent() []byte {
	return notification(map[string]any{
		"sender": map[string]any{"id": "PSID_9"}, "recipient": map[string]any{"id": testPageID}, "timestamp": 1700000000000,
		"read": map[string]any{"watermark": 1700000000000},
	})
}

func (p *platform) Replies(_ *testing.T, user string, _ *httptest.ResponseRecorder, want int) []string {
	var out []string
	for _, m := range p.fake.next(user, want, 5*time.Second) {
		out = append(out, visible(m))
	}
	return out
}

func (p *platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 4 << 20, Deduplicates: true, OKStatus: http.StatusOK}
}

func TestConformance(t *testing.T) {
	channeltest.Run(t, &platform{})
}

// TestVector checks channels.md §0.5: the exact body bytes, their
// signature, and that the connector accepts them and answers PSID_1.
func TestVector(t *testing.T) {
	body := []byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1700000000000,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1700000000000,"message":{"mid":"m_1","text":"hello"}}]}]}`)
	const want = "sha256=16394f3180835d5989cd18d4eddd3c36ffe3918edff7a5261f53ebadb181670d"
	if got := sign(body); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	rt := &channeltest.Runtime{}
	ch := newChannel(t, fake, rt, &sleeps{})
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Hub-Signature-256", want)
	rec := serve(ch, r)
	closeChannel(t, ch)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	turns := rt.Turns()
	if len(turns) != 1 || turns[0].Text != "hello" || turns[0].Key.SessionID != "messenger:PSID_1" {
		t.Fatalf("turns %+v, want one 'hello' in session messenger:PSID_1", turns)
	}
	if p := turns[0].RequestAttributes["x-amz-lex:channels:platform"]; p != "Facebook" {
		t.Errorf("platform attribute %q, want Facebook", p)
	}
	calls := fake.all()
	if len(calls) != 2 || calls[0].Action != "typing_on" || calls[1].PSID != "PSID_1" || visible(calls[1].Msg) != "you said: hello" {
		t.Fatalf("Send API calls %+v, want typing_on then the echo to PSID_1", calls)
	}
}

func TestHandshake(t *testing.T) {
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	cases := []struct {
		name   string
		query  string
		method string
		status int
		body   string
	}{
		{"subscribe with the right token", "hub.mode=subscribe&hub.verify_token=" + testVerifyToken + "&hub.challenge=1158201444", http.MethodGet, 200, "1158201444"},
		{"challenge echoed byte for byte", "hub.mode=subscribe&hub.verify_token=" + testVerifyToken + "&hub.challenge=%3Cb%3Ex%20y", http.MethodGet, 200, "<b>x y"},
		{"wrong token", "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", http.MethodGet, 403, ""},
		{"token differing in case", "hub.mode=subscribe&hub.verify_token=" + strings.ToUpper(testVerifyToken) + "&hub.challenge=1", http.MethodGet, 403, ""},
		{"wrong mode", "hub.mode=unsubscribe&hub.verify_token=" + testVerifyToken + "&hub.challenge=1", http.MethodGet, 403, ""},
		{"no challenge", "hub.mode=subscribe&hub.verify_token=" + testVerifyToken, http.MethodGet, 403, ""},
		{"no parameters", "", http.MethodGet, 403, ""},
		{"DELETE", "", http.MethodDelete, 405, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := newChannel(t, fake, &channeltest.Runtime{}, &sleeps{})
			rec := serve(ch, httptest.NewRequest(c.method, "/?"+c.query, nil))
			if rec.Code != c.status || rec.Body.String() != c.body {
				t.Fatalf("status %d body %q, want %d %q", rec.Code, rec.Body, c.status, c.body)
			}
			if c.status == 200 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("content type %q, want text/plain", rec.Header().Get("Content-Type"))
			}
			if c.status == 405 && rec.Header().Get("Allow") != "GET, POST" {
				t.Errorf("Allow %q, want GET, POST", rec.Header().Get("Allow"))
			}
			if s := ch.Stats(); (c.status == 200) != (s.Accepted == 1) || (c.status != 200) != (s.Rejected == 1) {
				t.Errorf("stats %+v after status %d", s, c.status)
			}
		})
	}
}

// TestRejectionMatrix runs channels.md §8.2's POST rows: each request's
// status, the turns that reached the runtime and the messages sent.
func TestRejectionMatrix(t *testing.T) {
	hello := notification(textEvent("PSID_1", "m_1", "hello"))
	// Meta escapes non-ASCII and some ASCII in what it signs; the raw bytes
	// must be hashed, not a re-encoding.
	escaped := []byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"message":{"mid":"m_esc","text":"\uc548\ub155 a\/b \u003ctag\u003e 100\u0025 \u0040me"}}]}]}`)
	cases := []struct {
		name   string
		req    func() []*http.Request
		status int
		turns  []string
		sends  int // messages (not sender actions) the fake received
	}{
		{"valid message", one(signedRequest(hello)), 200, []string{"hello"}, 1},
		{"no X-Hub-Signature-256 though the SHA-1 header is valid", one(func() *http.Request {
			r := signedRequest(hello)
			r.Header.Del("X-Hub-Signature-256")
			mac := hmac.New(sha1.New, []byte(testAppSecret))
			mac.Write(hello)
			r.Header.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(mac.Sum(nil)))
			return r
		}()), 401, nil, 0},
		{"wrong signature", one(func() *http.Request {
			r := signedRequest(hello)
			r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
			return r
		}()), 401, nil, 0},
		{"body changed after signing", one(func() *http.Request {
			r := signedRequest(bytes.Replace(hello, []byte("hello"), []byte("hellO"), 1))
			r.Header.Set("X-Hub-Signature-256", sign(hello))
			return r
		}()), 401, nil, 0},
		{"signature without the sha256= prefix", one(func() *http.Request {
			r := signedRequest(hello)
			r.Header.Set("X-Hub-Signature-256", strings.TrimPrefix(sign(hello), "sha256="))
			return r
		}()), 401, nil, 0},
		{"signature that is not hex", one(func() *http.Request {
			r := signedRequest(hello)
			r.Header.Set("X-Hub-Signature-256", "sha256=zz")
			return r
		}()), 401, nil, 0},
		{"unsigned garbage", one(func() *http.Request {
			r := signedRequest([]byte("{garbage"))
			r.Header.Del("X-Hub-Signature-256")
			return r
		}()), 401, nil, 0},
		{"signed body with \\u escapes", one(signedRequest(escaped)), 200, []string{"안녕 a/b <tag> 100% @me"}, 1},
		{"signed, malformed JSON", one(signedRequest([]byte(`{"object":"page","entry":[`))), 400, nil, 0},
		{"signed, empty body", one(signedRequest(nil)), 400, nil, 0},
		{"signed, JSON that is not an object", one(signedRequest([]byte(`["page"]`))), 400, nil, 0},
		{"signed, entry of the wrong type", one(signedRequest([]byte(`{"object":"page","entry":{}}`))), 400, nil, 0},
		{"signed, message without sender", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"P","messaging":[{"message":{"mid":"m_x","text":"hi"}}]}]}`))), 400, nil, 0},
		{"object other than page", one(signedRequest([]byte(`{"object":"instagram","entry":[{"id":"P","messaging":[{"sender":{"id":"PSID_1"},"message":{"mid":"m_ig","text":"hi"}}]}]}`))), 200, nil, 0},
		{"same mid twice", func() []*http.Request {
			return []*http.Request{signedRequest(hello), signedRequest(hello)}
		}, 200, []string{"hello"}, 1},
		{"same postback mid twice", func() []*http.Request {
			b := notification(postbackEvent("PSID_1", "m_pb", "Yes", "CONFIRM_YES"))
			return []*http.Request{signedRequest(b), signedRequest(b)}
		}, 200, []string{"CONFIRM_YES"}, 1},
		{"echo of the page's own message", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"messaging":[{"sender":{"id":"PAGE_ID"},"recipient":{"id":"PSID_1"},"timestamp":1,"message":{"is_echo":true,"app_id":1517776481860111,"mid":"m_echo","text":"you said: hi"}}]}]}`))), 200, nil, 0},
		{"delivery, read, reaction and unknown keys", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"messaging":[` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"delivery":{"mids":["m_1"],"watermark":1}},` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"read":{"watermark":1}},` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"reaction":{"reaction":"love","emoji":"❤","action":"react","mid":"m_1"}},` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"brand_new_event":{"x":1}}]}],"unknown_top":true}`))), 200, nil, 0},
		{"standby (handover) events", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"standby":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"message":{"mid":"m_sb","text":"hi"}}]}]}`))), 200, nil, 0},
		{"an image without text", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"message":{"mid":"m_img","attachments":[{"type":"image","payload":{"url":"https://example.com/a.png"}}]}}]}]}`))), 200, nil, 0},
		{"two entries, and quick reply + postback in one entry, in order", one(signedRequest([]byte(`{"object":"page","entry":[` +
			`{"id":"PAGE_ID","time":1,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"message":{"mid":"m_a","text":"first"}}]},` +
			`{"id":"PAGE_ID","time":2,"messaging":[` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":2,"message":{"mid":"m_b","text":"Red","quick_reply":{"payload":"COLOR_RED"}}},` +
			`{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":3,"postback":{"mid":"m_c","title":"Large","payload":"SIZE_L"}}]}]}`))), 200, []string{"first", "COLOR_RED", "SIZE_L"}, 3},
		{"quick reply tap gives the payload, not the title", one(signedRequest(notification(quickReplyEvent("PSID_1", "m_qr", "Pepperoni", "pizza_pepperoni")))), 200, []string{"pizza_pepperoni"}, 1},
		{"postback without mid still runs", one(signedRequest([]byte(`{"object":"page","entry":[{"id":"PAGE_ID","time":1,"messaging":[{"sender":{"id":"PSID_1"},"recipient":{"id":"PAGE_ID"},"timestamp":1,"postback":{"title":"Get Started","payload":"GET_STARTED"}}]}]}`))), 200, []string{"GET_STARTED"}, 1},
		{"PUT", one(func() *http.Request {
			r := signedRequest(hello)
			r.Method = http.MethodPut
			return r
		}()), 405, nil, 0},
		{"wrong content type", one(func() *http.Request {
			r := signedRequest(hello)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}()), 415, nil, 0},
		{"body over 4 MiB", one(signedRequest(bytes.Repeat([]byte(" "), 4<<20+1))), 413, nil, 0},
		{"unknown path", one(func() *http.Request {
			r := signedRequest(hello)
			r.URL.Path = "/other"
			return r
		}()), 404, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeGraph(t, testPageToken, testAppSecret)
			rt := &channeltest.Runtime{}
			ch := newChannel(t, fake, rt, &sleeps{})
			for _, r := range c.req() {
				if rec := serve(ch, r); rec.Code != c.status {
					t.Errorf("status %d, want %d", rec.Code, c.status)
				}
			}
			closeChannel(t, ch)
			if got := rt.Texts(); !slices.Equal(got, c.turns) {
				t.Errorf("runtime got %q, want %q", got, c.turns)
			}
			if got := fake.messagesTo("PSID_1"); len(got) != c.sends {
				t.Errorf("Send API got %d messages, want %d", len(got), c.sends)
			}
			if s := ch.Stats(); c.status >= 400 && s.Rejected == 0 || c.status < 400 && s.Rejected != 0 {
				t.Errorf("stats %+v after status %d", s, c.status)
			}
		})
	}
}

func one(r *http.Request) func() []*http.Request {
	return func() []*http.Request { return []*http.Request{r} }
}

func TestNewSettings(t *testing.T) {
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	cases := []struct {
		name    string
		change  func(map[string]string)
		setting string // named in the error; "" for no error
	}{
		{"complete", func(map[string]string) {}, ""},
		{"default apiBase", func(s map[string]string) { delete(s, "apiBase") }, ""},
		{"no app secret", func(s map[string]string) { delete(s, "appSecret") }, "appSecret"},
		{"no verify token", func(s map[string]string) { s["verifyToken"] = "" }, "verifyToken"},
		{"no page token", func(s map[string]string) { delete(s, "pageAccessToken") }, "pageAccessToken"},
		{"typo in a key", func(s map[string]string) { s["appSecert"] = "x" }, "appSecert"},
		{"apiBase not a URL", func(s map[string]string) { s["apiBase"] = "graph.facebook.com" }, "apiBase"},
		{"apiBase with a query", func(s map[string]string) { s["apiBase"] = "https://graph.facebook.com/v19.0?access_token=x" }, "apiBase"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(fake, &channeltest.Runtime{}, &sleeps{})
			c.change(cfg.Settings)
			ch, err := messenger.New(cfg)
			if c.setting == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				closeChannel(t, ch)
				return
			}
			if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(err.Error(), c.setting) {
				t.Fatalf("New: %v; want a ValidationException naming %s", err, c.setting)
			}
		})
	}
}

package line_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/line"
)

const (
	testSecret = "test_channel_secret"
	testToken  = "test-channel-access-token"
	botUserID  = "U0123456789abcdef0123456789abcdef"
)

// platform plays LINE for the conformance suite and the tests below.
type platform struct {
	fake *fakeLINE

	mu   sync.Mutex
	seen map[string]int // messages already read per recipient
}

var _ channeltest.Platform = (*platform)(nil)

func testBot() *parley.Bot {
	return &parley.Bot{ID: "LINEBOT001", Locales: []*parley.Locale{{ID: "en_US"}}}
}

func (p *platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	return p.connect(t, rt)
}

func (p *platform) connect(t testing.TB, rt parley.Runtime) *line.Channel {
	t.Helper()
	// Enough idle connections for every conversation's worker, as a server
	// would configure its platform client; the default two per host turns
	// a burst into new loopback connections.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	t.Cleanup(transport.CloseIdleConnections)
	p.fake = newFakeLINE(t, testToken)
	p.mu.Lock()
	p.seen = map[string]int{}
	p.mu.Unlock()
	ch, err := line.New(connector.Config{
		Name: "line", Type: "line", Bot: testBot(), Runtime: rt,
		Settings: map[string]string{"channelSecret": testSecret, "channelAccessToken": testToken, "apiBase": p.fake.srv.URL},
		Sleep:    func(context.Context, time.Duration) error { return nil },
		Client:   &http.Client{Transport: transport, Timeout: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close(context.Background()) })
	return ch
}

// userID maps a test user name onto a LINE user id.
func userID(user string) string {
	sum := md5.Sum([]byte(user))
	return "U" + hex.EncodeToString(sum[:])
}

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(testSecret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ev is a webhook event as LINE sends it.
type ev map[string]any

func (p *platform) textEvent(user, text, eventID string) ev {
	return ev{
		"type": "message", "mode": "active", "timestamp": 1700000000000,
		"source":         map[string]any{"type": "user", "userId": userID(user)},
		"webhookEventId": eventID, "deliveryContext": map[string]any{"isRedelivery": false},
		"replyToken": p.fake.issue(userID(user)),
		"message":    map[string]any{"id": "468789577898262530", "type": "text", "quoteToken": "q3Plxr4AgKd", "text": text},
	}
}

func webhookBody(events ...ev) []byte {
	if events == nil {
		events = []ev{}
	}
	body, _ := json.Marshal(map[string]any{"destination": botUserID, "events": events})
	return body
}

func (p *platform) Message(t *testing.T, user, text, eventID string) *http.Request {
	return p.Signed(t, webhookBody(p.textEvent(user, text, eventID)))
}

func (p *platform) Signed(t *testing.T, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "LineBotWebhook/2.0")
	req.Header.Set("X-Line-Signature", sign(body))
	return req
}

func (p *platform) Forge(t *testing.T, req *http.Request) {
	req.Header.Set("X-Line-Signature", sign([]byte("something else")))
}

func (p *platform) UnknownEvent() []byte {
	return webhookBody(ev{"type": "beacon", "mode": "active", "timestamp": 1700000000000,
		"source": map[string]any{"type": "user", "userId": userID("u")}, "webhookEventId": "01HBEACON000000000000000000",
		"deliveryContext": map[string]any{"isRedelivery": false}, "replyToken": "rt-beacon",
		"beacon": map[string]any{"hwid": "d41d8cd98f", "type": "enter"}})
}

func (p *platform) Replies(t *testing.T, user string, _ *httptest.ResponseRecorder, want int) []string {
	msgs := p.newMessages(userID(user), want)
	var texts []string
	for _, m := range msgs {
		texts = append(texts, messageText(m))
	}
	return texts
}

// newMessages returns the messages to received since the last call,
// waiting for at least want of them.
func (p *platform) newMessages(to string, want int) []json.RawMessage {
	p.mu.Lock()
	from := p.seen[to]
	p.mu.Unlock()
	all := p.fake.waitMessages(to, from+want)
	p.mu.Lock()
	p.seen[to] = len(all)
	p.mu.Unlock()
	return all[from:]
}

func (p *platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 1 << 20, Deduplicates: true}
}

// messageText is what a user reads of a message: its text, or a
// template's alt text and texts.
func messageText(raw json.RawMessage) string {
	var m msgObject
	_ = json.Unmarshal(raw, &m)
	switch {
	case m.Text != nil:
		return *m.Text
	case m.Template != nil:
		s := *m.AltText + "\n" + m.Template.Text
		for _, c := range m.Template.Columns {
			s += "\n" + c.Text
		}
		return s
	}
	return string(raw)
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func closeChannel(t *testing.T, ch connector.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestConformance(t *testing.T) {
	channeltest.Run(t, &platform{})
}

// TestSignatureVector checks channels.md §0.5's LINE vector byte for byte:
// the console's verify request is accepted and sends nothing, and the same
// signature over other bytes is refused.
func TestSignatureVector(t *testing.T) {
	const (
		secret = "test_channel_secret"
		body   = `{"destination":"U0123456789abcdef0123456789abcdef","events":[]}`
		sig    = "RdS+t5AfkJzW575TfVdHFyBLPlxZv5m+FZVUBNrhbfU="
	)
	cases := []struct {
		name   string
		body   string
		status int
	}{
		{"the vector", body, http.StatusOK},
		{"re-serialised with a space", strings.Replace(body, `,"events"`, `, "events"`, 1), http.StatusUnauthorized},
		{"another destination", strings.Replace(body, "U0123", "U9123", 1), http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("x-line-signature", sig)
			if rec := serve(ch, req); rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			closeChannel(t, ch)
			if r, pu, _ := p.fake.counts(); r+pu != 0 || len(rt.Turns()) != 0 {
				t.Errorf("%d replies, %d pushes, %d turns; the verify request sends nothing", r, pu, len(rt.Turns()))
			}
		})
	}
	if secret != testSecret {
		t.Fatal("the test secret must be the vector's")
	}
}

// TestRejectionMatrix plays channels.md §8.6 row by row.
func TestRejectionMatrix(t *testing.T) {
	type result struct {
		status int
		turns  []string // texts that reached the runtime
	}
	cases := []struct {
		name string
		reqs func(p *platform) []*http.Request
		want result
	}{
		{"valid message event", func(p *platform) []*http.Request {
			return []*http.Request{p.Message(t, "a", "hello", "01H0000000000000000000000A")}
		}, result{http.StatusOK, []string{"hello"}}},
		{"events: [] (console verify)", func(p *platform) []*http.Request {
			return []*http.Request{p.Signed(t, webhookBody())}
		}, result{http.StatusOK, nil}},
		{"missing x-line-signature", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000B")
			r.Header.Del("X-Line-Signature")
			return []*http.Request{r}
		}, result{http.StatusUnauthorized, nil}},
		{"signature not base64", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000C")
			r.Header.Set("X-Line-Signature", "%%%")
			return []*http.Request{r}
		}, result{http.StatusUnauthorized, nil}},
		{"wrong signature", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000D")
			p.Forge(t, r)
			return []*http.Request{r}
		}, result{http.StatusUnauthorized, nil}},
		{"body re-serialised after signing", func(p *platform) []*http.Request {
			body := webhookBody(p.textEvent("a", "hello", "01H0000000000000000000000E"))
			sig := sign(body)
			var v any
			_ = json.Unmarshal(body, &v)
			pretty, _ := json.MarshalIndent(v, "", " ")
			r := p.Signed(t, pretty)
			r.Header.Set("X-Line-Signature", sig)
			return []*http.Request{r}
		}, result{http.StatusUnauthorized, nil}},
		{"signed, malformed JSON", func(p *platform) []*http.Request {
			return []*http.Request{p.Signed(t, []byte(`{"destination":"U1","events":[{`))}
		}, result{http.StatusBadRequest, nil}},
		{"signed, no events array", func(p *platform) []*http.Request {
			return []*http.Request{p.Signed(t, []byte(`{"destination":"U1"}`))}
		}, result{http.StatusBadRequest, nil}},
		{"signed, empty body", func(p *platform) []*http.Request {
			return []*http.Request{p.Signed(t, nil)}
		}, result{http.StatusBadRequest, nil}},
		{"GET", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000F")
			r.Method = http.MethodGet
			return []*http.Request{r}
		}, result{http.StatusMethodNotAllowed, nil}},
		{"PUT", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000G")
			r.Method = http.MethodPut
			return []*http.Request{r}
		}, result{http.StatusMethodNotAllowed, nil}},
		{"form content type", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000H")
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return []*http.Request{r}
		}, result{http.StatusUnsupportedMediaType, nil}},
		{"body over 1 MiB", func(p *platform) []*http.Request {
			return []*http.Request{p.Signed(t, bytes.Repeat([]byte(" "), 1<<20+1))}
		}, result{http.StatusRequestEntityTooLarge, nil}},
		{"another path", func(p *platform) []*http.Request {
			r := p.Message(t, "a", "hello", "01H0000000000000000000000I")
			r.URL.Path = "/other"
			return []*http.Request{r}
		}, result{http.StatusNotFound, nil}},
		{"same webhookEventId twice, then as a redelivery", func(p *platform) []*http.Request {
			first := p.textEvent("a", "once", "01H0000000000000000000000J")
			redelivered := p.textEvent("a", "once", "01H0000000000000000000000J")
			redelivered["deliveryContext"] = map[string]any{"isRedelivery": true}
			return []*http.Request{p.Signed(t, webhookBody(first)), p.Signed(t, webhookBody(first)), p.Signed(t, webhookBody(redelivered))}
		}, result{http.StatusOK, []string{"once"}}},
		{"standby mode", func(p *platform) []*http.Request {
			e := p.textEvent("a", "hello", "01H0000000000000000000000K")
			e["mode"] = "standby"
			return []*http.Request{p.Signed(t, webhookBody(e))}
		}, result{http.StatusOK, nil}},
		{"postback event", func(p *platform) []*http.Request {
			e := p.textEvent("a", "", "01H0000000000000000000000L")
			delete(e, "message")
			e["type"] = "postback"
			e["postback"] = map[string]any{"data": "size=large"}
			return []*http.Request{p.Signed(t, webhookBody(e))}
		}, result{http.StatusOK, []string{"size=large"}}},
		{"unknown event types", func(p *platform) []*http.Request {
			var reqs []*http.Request
			for i, typ := range []string{"beacon", "videoPlayComplete", "follow", "somethingNew"} {
				e := p.textEvent("a", "", fmt.Sprintf("01H000000000000000000000U%d", i))
				delete(e, "message")
				e["type"] = typ
				reqs = append(reqs, p.Signed(t, webhookBody(e)))
			}
			return reqs
		}, result{http.StatusOK, nil}},
		{"sticker message", func(p *platform) []*http.Request {
			e := p.textEvent("a", "", "01H0000000000000000000000M")
			e["message"] = map[string]any{"id": "1", "type": "sticker", "packageId": "446", "stickerId": "1988"}
			return []*http.Request{p.Signed(t, webhookBody(e))}
		}, result{http.StatusOK, nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			for _, req := range c.reqs(p) {
				if rec := serve(ch, req); rec.Code != c.want.status {
					t.Errorf("status %d, want %d", rec.Code, c.want.status)
				}
			}
			closeChannel(t, ch)
			got := rt.Texts()
			if strings.Join(got, "|") != strings.Join(c.want.turns, "|") {
				t.Errorf("turns %q, want %q", got, c.want.turns)
			}
			replies, pushes, _ := p.fake.counts()
			if replies+pushes != len(c.want.turns) {
				t.Errorf("%d replies and %d pushes for %d turns", replies, pushes, len(c.want.turns))
			}
		})
	}
}

// TestPushFallback: a reply token LINE refuses (a redelivered or expired
// event) still reaches the user, by push.
func TestPushFallback(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(p *platform, e ev)
	}{
		{"token refused once", func(p *platform, e ev) { p.fake.refuseNextReply(1) }},
		{"token expired", func(p *platform, e ev) { p.fake.ttl = -time.Second }},
		{"token already used", func(p *platform, e ev) {
			p.fake.mu.Lock()
			p.fake.tokens[e["replyToken"].(string)].used = true
			p.fake.mu.Unlock()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			e := p.textEvent("r", "are you there", "01H00000000000000000000PF1")
			e["deliveryContext"] = map[string]any{"isRedelivery": true}
			c.spoil(p, e)
			if rec := serve(ch, p.Signed(t, webhookBody(e))); rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			got := p.newMessages(userID("r"), 1)
			closeChannel(t, ch)
			if len(got) != 1 || messageText(got[0]) != "you said: are you there" {
				t.Fatalf("user received %q", got)
			}
			if replies, pushes, refusals := p.fake.counts(); replies != 0 || pushes != 1 || refusals != 1 {
				t.Errorf("replies %d, pushes %d, refusals %d; want 0, 1, 1", replies, pushes, refusals)
			}
			if s := ch.Stats(); s.Failed != 0 {
				t.Errorf("stats %+v: the fallback is not a failure", s)
			}
		})
	}
}

// TestManyMessages: an answer of more than five messages goes out as one
// reply of five and pushes for the rest, all in order.
func TestManyMessages(t *testing.T) {
	for _, n := range []int{5, 6, 12} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message {
				var msgs []parley.Message
				for i := range n {
					msgs = append(msgs, parley.Message{ContentType: parley.ContentPlainText, Content: fmt.Sprintf("line %d", i+1)})
				}
				return msgs
			}}
			ch := p.connect(t, rt)
			serve(ch, p.Message(t, "m", "talk a lot", "01H00000000000000000000MM1"))
			got := p.newMessages(userID("m"), n)
			closeChannel(t, ch)
			if len(got) != n {
				t.Fatalf("user received %d messages, want %d", len(got), n)
			}
			for i, m := range got {
				if want := fmt.Sprintf("line %d", i+1); messageText(m) != want {
					t.Errorf("message %d is %q, want %q", i, messageText(m), want)
				}
			}
			replies, pushes, _ := p.fake.counts()
			if wantPushes := (n - 5 + 4) / 5; replies != 1 || pushes != wantPushes {
				t.Errorf("replies %d, pushes %d; want 1 and %d", replies, pushes, wantPushes)
			}
		})
	}
}

func TestNewSettings(t *testing.T) {
	cases := []struct {
		name     string
		settings map[string]string
		wantErr  bool
	}{
		{"complete", map[string]string{"channelSecret": "s", "channelAccessToken": "t"}, false},
		{"with apiBase", map[string]string{"channelSecret": "s", "channelAccessToken": "t", "apiBase": "http://127.0.0.1:1"}, false},
		{"no secret", map[string]string{"channelAccessToken": "t"}, true},
		{"no token", map[string]string{"channelSecret": "s"}, true},
		{"unknown key", map[string]string{"channelSecret": "s", "channelAccessToken": "t", "channelSecrte": "x"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := line.New(connector.Config{Name: "line", Type: "line", Bot: testBot(), Settings: c.settings})
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, want error %v", err, c.wantErr)
			}
			if err != nil && parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Errorf("code %s, want %s", parley.ErrorCodeOf(err), parley.ErrValidation)
			}
		})
	}
}

// TestPushRetryKey: when a push went through but LINE's answer was lost
// (500), the retry carries the same X-Line-Retry-Key, LINE answers 409, and
// the user has the message once.
func TestPushRetryKey(t *testing.T) {
	p := &platform{}
	rt := &channeltest.Runtime{}
	ch := p.connect(t, rt)
	p.fake.refuseNextReply(1)
	p.fake.loseAnswers = 1
	serve(ch, p.Message(t, "k", "once please", "01H00000000000000000000RK1"))
	closeChannel(t, ch)
	got := p.fake.waitMessages(userID("k"), 1)
	if len(got) != 1 || messageText(got[0]) != "you said: once please" {
		t.Fatalf("user received %d messages: %q", len(got), got)
	}
	if s := ch.Stats(); s.Failed != 0 {
		t.Errorf("stats %+v: a 409 for an accepted retry key is success", s)
	}
}

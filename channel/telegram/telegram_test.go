package telegram_test

import (
	"bytes"
	"context"
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
	"github.com/parleybot/parley/channel/telegram"
)

const (
	testToken  = "123456:ABC-test_token"
	testSecret = "s3cr3t_token-1"
)

func testBot() *parley.Bot {
	return &parley.Bot{ID: "TESTBOT001", Name: "test", Locales: []*parley.Locale{{ID: "en_US"}}}
}

// sleeps records the waits the connector asks for and returns at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// connect builds a channel against a fresh fake Bot API; extra settings
// are added to the webhook ones (an empty value removes a setting).
func connect(t testing.TB, rt parley.Runtime, extra map[string]string) (*telegram.Channel, *botAPI, *sleeps) {
	t.Helper()
	api := newBotAPI(t, testToken)
	ch, sl := connectTo(t, api, rt, extra)
	return ch, api, sl
}

// connectTo builds a channel against api, which the test may have set up.
func connectTo(t testing.TB, api *botAPI, rt parley.Runtime, extra map[string]string) (*telegram.Channel, *sleeps) {
	t.Helper()
	settings := map[string]string{"botToken": testToken, "secretToken": testSecret, "apiBase": api.srv.URL}
	for k, v := range extra {
		if v == "" {
			delete(settings, k)
		} else {
			settings[k] = v
		}
	}
	sl := &sleeps{}
	ch, err := telegram.New(connector.Config{Name: "tg", Type: "telegram", Bot: testBot(), Runtime: rt,
		Settings: settings, Client: api.srv.Client(), Sleep: sl.sleep})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { closeWithin(t, ch) })
	return ch, sl
}

func closeWithin(t testing.TB, ch *telegram.Channel) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func messageUpdate(id, chat int64, text string) []byte {
	return mustJSON(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "date": 1700000000, "text": text,
		"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Ada", "language_code": "en"},
		"chat": map[string]any{"id": chat, "type": "private", "first_name": "Ada"},
	}})
}

func callbackUpdate(id, chat int64, queryID, data string) []byte {
	return mustJSON(map[string]any{"update_id": id, "callback_query": map[string]any{
		"id": queryID, "chat_instance": "-42", "data": data,
		"from":    map[string]any{"id": chat, "is_bot": false, "first_name": "Ada"},
		"message": map[string]any{"message_id": 1, "date": 1700000000, "chat": map[string]any{"id": chat, "type": "private"}},
	}})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// webhook is Telegram's POST of one update with the secret token.
func webhook(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// platform plays Telegram for the conformance suite.
type platform struct {
	api *botAPI

	mu      sync.Mutex
	chats   map[string]int64
	updates map[string]int64
}

func (p *platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	ch, api, _ := connect(t, rt, nil)
	p.api = api
	return ch
}

func (p *platform) chat(user string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.chats == nil {
		p.chats, p.updates = map[string]int64{}, map[string]int64{}
	}
	if _, ok := p.chats[user]; !ok {
		p.chats[user] = int64(1000 + len(p.chats))
	}
	return p.chats[user]
}

func (p *platform) updateID(event string) int64 {
	p.chat("") // initialises the maps
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.updates[event]; !ok {
		p.updates[event] = int64(500000 + len(p.updates))
	}
	return p.updates[event]
}

func (p *platform) Message(t *testing.T, user, text, eventID string) *http.Request {
	chat := p.chat(user)
	p.api.addChat(chat)
	return webhook(messageUpdate(p.updateID(eventID), chat, text))
}

func (p *platform) Signed(t *testing.T, body []byte) *http.Request { return webhook(body) }

func (p *platform) Forge(t *testing.T, r *http.Request) {
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "not-the-secret")
}

func (p *platform) UnknownEvent() []byte {
	return []byte(`{"update_id":77,"edited_message":{"message_id":5,"date":1700000000,"edit_date":1700000100,"chat":{"id":1,"type":"private"},"from":{"id":1,"is_bot":false,"first_name":"Ada"},"text":"edited"}}`)
}

func (p *platform) Replies(t *testing.T, user string, _ *httptest.ResponseRecorder, want int) []string {
	var out []string
	for _, s := range p.api.waitSent(p.chat(user), want) {
		out = append(out, s.Text)
	}
	return out
}

func (p *platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 1 << 20, Deduplicates: true}
}

func TestConformance(t *testing.T) {
	channeltest.Run(t, &platform{})
}

// TestRejectionMatrix is channels.md §8.4 (and the §8 general rows): each
// input gets its status, and none of them reaches the dialog.
func TestRejectionMatrix(t *testing.T) {
	rt := &channeltest.Runtime{}
	ch, api, _ := connect(t, rt, nil)
	api.addChat(42)
	withHeader := func(body []byte, k, v string) func() *http.Request {
		return func() *http.Request {
			r := webhook(body)
			if v == "" {
				r.Header.Del(k)
			} else {
				r.Header.Set(k, v)
			}
			return r
		}
	}
	good := messageUpdate(1, 42, "hello")
	other := func(kind string, v any) []byte { return mustJSON(map[string]any{"update_id": 9, kind: v}) }
	someMessage := map[string]any{"message_id": 3, "date": 1700000000, "chat": map[string]any{"id": 42, "type": "private"}, "from": map[string]any{"id": 42, "is_bot": false, "first_name": "Ada"}, "text": "x"}
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"secret header missing", withHeader(good, "X-Telegram-Bot-Api-Secret-Token", ""), 401},
		{"secret header wrong", withHeader(good, "X-Telegram-Bot-Api-Secret-Token", "s3cr3t_token-2"), 401},
		{"secret header a prefix of the secret", withHeader(good, "X-Telegram-Bot-Api-Secret-Token", testSecret[:5]), 401},
		{"unsigned garbage", withHeader([]byte("{not json"), "X-Telegram-Bot-Api-Secret-Token", ""), 401},
		{"malformed JSON with the secret", func() *http.Request { return webhook([]byte(`{"update_id":1,"message":`)) }, 400},
		{"JSON without update_id", func() *http.Request { return webhook([]byte(`{"message":{"text":"hi"}}`)) }, 400},
		{"JSON array", func() *http.Request { return webhook([]byte(`[1,2]`)) }, 400},
		{"empty body with the secret", func() *http.Request { return webhook(nil) }, 400},
		{"GET", func() *http.Request { r := webhook(good); r.Method = http.MethodGet; return r }, 405},
		{"form content type", withHeader(good, "Content-Type", "application/x-www-form-urlencoded"), 415},
		{"body over 1 MiB", func() *http.Request { return webhook(bytes.Repeat([]byte(" "), 1<<20+1)) }, 413},
		{"another path", func() *http.Request { r := webhook(good); r.URL.Path = "/other"; return r }, 404},
		{"edited_message", func() *http.Request { return webhook(other("edited_message", someMessage)) }, 200},
		{"channel_post", func() *http.Request { return webhook(other("channel_post", someMessage)) }, 200},
		{"poll", func() *http.Request {
			return webhook(other("poll", map[string]any{"id": "p1", "question": "?", "options": []any{}, "total_voter_count": 0}))
		}, 200},
		{"my_chat_member", func() *http.Request {
			return webhook(other("my_chat_member", map[string]any{"chat": map[string]any{"id": 42, "type": "private"}, "date": 1}))
		}, 200},
		{"chat_join_request", func() *http.Request {
			return webhook(other("chat_join_request", map[string]any{"chat": map[string]any{"id": -100, "type": "supergroup"}, "date": 1}))
		}, 200},
		{"inline_query", func() *http.Request {
			return webhook(other("inline_query", map[string]any{"id": "q", "from": map[string]any{"id": 42}, "query": "x", "offset": ""}))
		}, 200},
		{"message from a bot", func() *http.Request {
			m := map[string]any{"message_id": 4, "date": 1, "chat": map[string]any{"id": 42, "type": "private"}, "from": map[string]any{"id": 99, "is_bot": true, "first_name": "B"}, "text": "bot talk"}
			return webhook(mustJSON(map[string]any{"update_id": 10, "message": m}))
		}, 200},
		{"photo without text", func() *http.Request {
			m := map[string]any{"message_id": 5, "date": 1, "chat": map[string]any{"id": 42, "type": "private"}, "from": map[string]any{"id": 42, "is_bot": false, "first_name": "A"}, "photo": []any{map[string]any{"file_id": "f", "width": 1, "height": 1}}}
			return webhook(mustJSON(map[string]any{"update_id": 11, "message": m}))
		}, 200},
	}
	rejected := int64(0)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(ch, c.req())
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			if c.status >= 400 && rec.Body.Len() != 0 {
				t.Errorf("rejection body %q; want none", rec.Body)
			}
		})
		if c.status >= 400 {
			rejected++
		}
	}
	if rec := serve(ch, webhook(messageUpdate(12, 42, "the good one"))); rec.Code != 200 {
		t.Fatalf("good update: status %d", rec.Code)
	}
	closeWithin(t, ch)
	if got := rt.Texts(); len(got) != 1 || got[0] != "the good one" {
		t.Errorf("runtime got %q; only the good update may reach it", got)
	}
	if s := ch.Stats(); s.Rejected != rejected {
		t.Errorf("stats %+v, want %d rejected", s, rejected)
	}
}

func TestSameUpdateTwiceRunsOnce(t *testing.T) {
	rt := &channeltest.Runtime{}
	ch, api, _ := connect(t, rt, nil)
	api.addChat(42)
	for range 2 {
		if rec := serve(ch, webhook(messageUpdate(900, 42, "once"))); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	closeWithin(t, ch)
	if got := rt.Texts(); len(got) != 1 {
		t.Fatalf("runtime got %q, want one turn", got)
	}
	if n := api.count("sendMessage"); n != 1 {
		t.Errorf("%d sendMessage calls, want 1", n)
	}
}

// TestThrottledSendWaitsRetryAfter: a 429 with parameters.retry_after is
// waited out (the body's value, not a default backoff) and sent again.
func TestThrottledSendWaitsRetryAfter(t *testing.T) {
	rt := &channeltest.Runtime{}
	ch, api, sl := connect(t, rt, nil)
	api.addChat(42)
	api.mu.Lock()
	api.throttle, api.retryAfter = 1, 7
	api.mu.Unlock()
	serve(ch, webhook(messageUpdate(1, 42, "hello")))
	got := api.waitSent(42, 1)
	closeWithin(t, ch)
	if len(got) != 1 || got[0].Text != "you said: hello" {
		t.Fatalf("sent %+v, want the echo once", got)
	}
	if api.throttled != 1 {
		t.Errorf("fake throttled %d calls, want 1", api.throttled)
	}
	if w := sl.waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Errorf("connector waited %v, want [7s] from retry_after", w)
	}
	if s := ch.Stats(); s.Failed != 0 {
		t.Errorf("stats %+v: a throttled send that went through is no failure", s)
	}
}

// TestSendFailureCounts: a reply Telegram keeps refusing counts as failed.
func TestSendFailureCounts(t *testing.T) {
	rt := &channeltest.Runtime{}
	ch, api, _ := connect(t, rt, nil)
	api.lenient = true // chat 43 is unknown to the fake: "chat not found"
	serve(ch, webhook(messageUpdate(1, 43, "hello")))
	closeWithin(t, ch)
	if s := ch.Stats(); s.Failed != 1 || s.Accepted != 1 {
		t.Errorf("stats %+v, want 1 accepted and 1 failed", s)
	}
}

func TestNewValidatesSettings(t *testing.T) {
	rt := &channeltest.Runtime{}
	cases := []struct {
		name     string
		settings map[string]string
		mention  string
	}{
		{"no token", map[string]string{"secretToken": testSecret}, "botToken"},
		{"token with a slash", map[string]string{"botToken": "1:a/b", "secretToken": testSecret}, "botToken"},
		{"webhook without secret", map[string]string{"botToken": testToken}, "secretToken"},
		{"secret with a space", map[string]string{"botToken": testToken, "secretToken": "a b"}, "secretToken"},
		{"secret too long", map[string]string{"botToken": testToken, "secretToken": strings.Repeat("a", 257)}, "secretToken"},
		{"unknown mode", map[string]string{"botToken": testToken, "secretToken": testSecret, "mode": "push"}, "mode"},
		{"apiBase not a URL", map[string]string{"botToken": testToken, "secretToken": testSecret, "apiBase": "ftp://x"}, "apiBase"},
		{"unknown setting", map[string]string{"botToken": testToken, "secretToken": testSecret, "secret": "x"}, "secret"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := telegram.New(connector.Config{Name: "tg", Type: "telegram", Bot: testBot(), Runtime: rt, Settings: c.settings})
			if parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Fatalf("err %v, want a ValidationException", err)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("err %q does not name %q", err, c.mention)
			}
			if strings.Contains(err.Error(), "ABC-test_token") {
				t.Errorf("err %q repeats the token", err)
			}
		})
	}
	t.Run("poll mode needs no secret", func(t *testing.T) {
		api := newBotAPI(t, testToken)
		ch, err := telegram.New(connector.Config{Name: "tg", Bot: testBot(), Runtime: rt, Client: api.srv.Client(),
			Settings: map[string]string{"botToken": testToken, "mode": "poll", "apiBase": api.srv.URL}})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		closeWithin(t, ch)
		// Without a secret no webhook POST can be authentic.
		if rec := serve(ch, webhook(messageUpdate(1, 42, "x"))); rec.Code != 401 {
			t.Errorf("webhook in poll mode without a secret: status %d, want 401", rec.Code)
		}
	})
}

// TestTokenNeverLogged: failing API calls log at debug and warn, and no
// line holds the token (the Bot API puts it in the URL path).
func TestTokenNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slogTo(&buf, &mu)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connection refused from now on
	rt := &channeltest.Runtime{}
	ch, err := telegram.New(connector.Config{Name: "tg", Bot: testBot(), Runtime: rt, Logger: log,
		Sleep:    (&sleeps{}).sleep,
		Settings: map[string]string{"botToken": testToken, "secretToken": testSecret, "apiBase": dead.URL}})
	if err != nil {
		t.Fatal(err)
	}
	serve(ch, webhook(messageUpdate(1, 42, "hello")))
	closeWithin(t, ch)
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "telegram reply failed") {
		t.Fatalf("log lacks the failed reply:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "ABC-test_token") || strings.Contains(buf.String(), testSecret) {
		t.Errorf("log holds a secret:\n%s", buf.String())
	}
}

func ExampleNew() {
	ch, err := telegram.New(connector.Config{Name: "telegram", Bot: testBot(), Runtime: &channeltest.Runtime{},
		Settings: map[string]string{"botToken": "123456:ABC-example", "secretToken": "a-long-random-secret"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ch.Close(context.Background())
	fmt.Println(ch.Stats())
	// Output: {0 0 0}
}

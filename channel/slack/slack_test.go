package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/slack"
)

const (
	testSecret  = "test_signing_secret"
	testToken   = "xoxb-test-token"
	testBotUser = "UPARLEYBOT"
	mainChannel = "C0PARLEY1"
	otherChan   = "C0OTHER22"
)

// testNow is the frozen clock of the tests; requests are signed for it.
var testNow = time.Unix(1_700_000_000, 0)

// newChannel builds a connector against fake, with instant retries and
// the frozen clock; extra settings are added to the required ones.
func newChannel(t testing.TB, rt parley.Runtime, fake *fakeSlack, extra map[string]string) *slack.Channel {
	t.Helper()
	settings := map[string]string{"signingSecret": testSecret, "botToken": testToken, "apiBase": fake.apiBase(), "botUserId": testBotUser}
	for k, v := range extra {
		settings[k] = v
	}
	ch, err := slack.New(connector.Config{
		Name: "slack", Type: "slack", Bot: &parley.Bot{ID: "TESTBOT001"}, LocaleID: "en_US",
		Settings: settings, Runtime: rt,
		Now:   func() time.Time { return testNow },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return ch
}

// signed returns a request to path carrying body, signed for ts.
func signed(path, contentType string, body []byte, ts time.Time) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", signature(testSecret, stamp, body))
	return req
}

func signature(secret, stamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func signedEvent(body []byte) *http.Request {
	return signed("/events", "application/json", body, testNow)
}

func signedForm(path string, form url.Values) *http.Request {
	return signed(path, "application/x-www-form-urlencoded", []byte(form.Encode()), testNow)
}

// inner is the part of a message or app_mention event the tests vary.
type inner struct {
	Type     string `json:"type"`
	Subtype  string `json:"subtype,omitempty"`
	BotID    string `json:"bot_id,omitempty"`
	User     string `json:"user,omitempty"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts,omitempty"`
}

// callback is an event_callback envelope as Slack sends it.
func callback(eventID string, ev inner) []byte {
	body, _ := json.Marshal(map[string]any{
		"token": "legacy", "team_id": "T0TEAM", "api_app_id": "A0APP", "type": "event_callback",
		"event_id": eventID, "event_time": testNow.Unix(), "event": ev,
		"authorizations": []map[string]any{{"team_id": "T0TEAM", "user_id": testBotUser, "is_bot": true}},
	})
	return body
}

func userMessage(eventID, channel, user, text, ts string) []byte {
	return callback(eventID, inner{Type: "message", User: user, Channel: channel, Text: text, TS: ts})
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func closeChannel(t testing.TB, ch *slack.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// platform plays Slack for the conformance suite: messages are
// event_callbacks in one channel, and a user's replies are the messages
// posted in the thread of that user's last message.
type platform struct {
	fake *fakeSlack

	mu         sync.Mutex
	tsOf       map[string]string // event_id → the message's ts
	deliveries map[string]int    // event_id → deliveries so far
	lastTS     map[string]string // user → ts of the last message
}

var _ channeltest.Platform = (*platform)(nil)

func (p *platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	p.fake = newFakeSlack(t, testToken, mainChannel)
	p.tsOf, p.deliveries, p.lastTS = map[string]string{}, map[string]int{}, map[string]string{}
	return newChannel(t, rt, p.fake, nil)
}

func (p *platform) Message(t *testing.T, user, text, eventID string) *http.Request {
	p.mu.Lock()
	ts, ok := p.tsOf[eventID]
	if !ok {
		ts = fmt.Sprintf("%d.%06d", testNow.Unix(), len(p.tsOf)+1)
		p.tsOf[eventID] = ts
	}
	p.deliveries[eventID]++
	retry := p.deliveries[eventID] - 1
	p.lastTS[user] = ts
	p.mu.Unlock()
	req := signedEvent(userMessage(eventID, mainChannel, user, text, ts))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	return req
}

func (p *platform) Signed(t *testing.T, body []byte) *http.Request { return signedEvent(body) }

func (p *platform) Forge(t *testing.T, req *http.Request) {
	sig := req.Header.Get("X-Slack-Signature")
	last := "0"
	if strings.HasSuffix(sig, "0") {
		last = "1"
	}
	req.Header.Set("X-Slack-Signature", sig[:len(sig)-1]+last)
}

func (p *platform) UnknownEvent() []byte {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": "Ev0UNKNOWN", "team_id": "T0TEAM",
		"event": map[string]any{"type": "reaction_added", "user": "U1", "reaction": "thumbsup", "event_ts": "1700000000.000001"}})
	return body
}

func (p *platform) Replies(t *testing.T, user string, _ *httptest.ResponseRecorder, want int) []string {
	p.mu.Lock()
	ts := p.lastTS[user]
	p.mu.Unlock()
	var texts []string
	for _, post := range p.fake.waitPosts(want, 5*time.Second, func(q post) bool { return q.Channel == mainChannel && q.ThreadTS == ts }) {
		texts = append(texts, post.Text)
	}
	return texts
}

func (p *platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 1 << 20, Deduplicates: true}
}

func TestConformance(t *testing.T) {
	channeltest.Run(t, &platform{})
}

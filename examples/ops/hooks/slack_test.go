package hooks_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/examples/ops/hooks"
)

// fakeSlackAPI is a loopback Slack Web API: chat.postMessage as Slack
// checks it (bearer token, JSON, a channel the bot is in, a thread_ts that
// is a message ts, Block Kit blocks of known types within Slack's limits)
// and a response_url for button clicks. It fails the test on anything
// Slack would refuse.
type fakeSlackAPI struct {
	t      *testing.T
	srv    *httptest.Server
	member map[string]bool // the channels the bot was invited to

	mu     sync.Mutex
	posts  []slackPost
	nextTS int
	posted chan struct{}
}

// slackPost is one message the bot posted.
type slackPost struct {
	Channel  string           `json:"channel"`
	ThreadTS string           `json:"thread_ts"`
	Text     string           `json:"text"`
	Blocks   []map[string]any `json:"blocks"`
	TS       string           `json:"-"`
}

var slackTS = regexp.MustCompile(`^\d{10}\.\d{6}$`)

func newFakeSlackAPI(t *testing.T, channels ...string) *fakeSlackAPI {
	f := &fakeSlackAPI{t: t, member: map[string]bool{}, posted: make(chan struct{}, 100)}
	for _, c := range channels {
		f.member[c] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat.postMessage", f.postMessage)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fake Slack: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlackAPI) refuse(w http.ResponseWriter, code, format string, args ...any) {
	f.t.Errorf("fake Slack refused chat.postMessage (%s): %s", code, fmt.Sprintf(format, args...))
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
}

func (f *fakeSlackAPI) postMessage(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+slackToken {
		f.refuse(w, "invalid_auth", "Authorization %q", r.Header.Get("Authorization"))
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		f.refuse(w, "invalid_form_data", "content type %q", r.Header.Get("Content-Type"))
		return
	}
	var p slackPost
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		f.refuse(w, "invalid_json", "%v", err)
		return
	}
	switch {
	case !f.member[p.Channel]:
		f.refuse(w, "not_in_channel", "channel %q", p.Channel)
		return
	case p.ThreadTS != "" && !slackTS.MatchString(p.ThreadTS):
		f.refuse(w, "invalid_thread_ts", "%q", p.ThreadTS)
		return
	case p.Text == "" && len(p.Blocks) == 0:
		f.refuse(w, "no_text", "neither text nor blocks")
		return
	case len([]rune(p.Text)) > 40000:
		f.refuse(w, "msg_too_long", "text of %d characters", len([]rune(p.Text)))
		return
	}
	if problem := checkBlocks(p.Blocks); problem != "" {
		f.refuse(w, "invalid_blocks", "%s", problem)
		return
	}
	f.mu.Lock()
	f.nextTS++
	p.TS = fmt.Sprintf("1800000000.%06d", f.nextTS)
	f.posts = append(f.posts, p)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS})
	f.posted <- struct{}{}
}

// checkBlocks returns what Slack would refuse in blocks, or "".
func checkBlocks(blocks []map[string]any) string {
	if len(blocks) > 50 {
		return fmt.Sprintf("%d blocks", len(blocks))
	}
	for i, b := range blocks {
		switch b["type"] {
		case "section":
			text, _ := b["text"].(map[string]any)
			if s, _ := text["text"].(string); s == "" || len([]rune(s)) > 3000 {
				return fmt.Sprintf("block %d: section text of %d characters", i, len([]rune(s)))
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				return fmt.Sprintf("block %d: %d elements", i, len(els))
			}
			for _, e := range els {
				el, _ := e.(map[string]any)
				text, _ := el["text"].(map[string]any)
				label, _ := text["text"].(string)
				value, _ := el["value"].(string)
				if el["type"] != "button" || label == "" || len([]rune(label)) > 75 || len(value) > 2000 || el["action_id"] == "" {
					return fmt.Sprintf("block %d: bad button %v", i, el)
				}
			}
		case "header", "divider", "image", "context":
		default:
			return fmt.Sprintf("block %d: unknown type %v", i, b["type"])
		}
	}
	return ""
}

// next waits for the bot's next post. The deadline only keeps a broken
// build from hanging; nothing is timed.
func (f *fakeSlackAPI) next(t *testing.T) slackPost {
	t.Helper()
	select {
	case <-f.posted:
	case <-time.After(30 * time.Second):
		t.Fatal("the bot posted nothing")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[len(f.posts)-1]
}

func (f *fakeSlackAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

// sections is the mrkdwn of a post's section blocks, one per line.
func (p slackPost) sections() string {
	var out []string
	for _, b := range p.Blocks {
		if b["type"] == "section" {
			text, _ := b["text"].(map[string]any)
			s, _ := text["text"].(string)
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

// button returns the value of the post's button labelled label.
func (p slackPost) button(t *testing.T, label string) string {
	t.Helper()
	for _, b := range p.Blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			text, _ := el["text"].(map[string]any)
			if text["text"] == label {
				v, _ := el["value"].(string)
				return v
			}
		}
	}
	t.Fatalf("post %+v has no button %q", p.Blocks, label)
	return ""
}

// slackClient plays Slack's side of the Events API and interactivity: it
// signs each request with the app's signing secret (v0 HMAC-SHA256 over
// "v0:timestamp:body").
type slackClient struct {
	t      *testing.T
	mount  string // the channel's URL: .../channels/PERKINSBOT/slack
	secret string
	events int
}

func (c *slackClient) post(path, contentType string, body []byte) *http.Response {
	c.t.Helper()
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(c.secret))
	io.WriteString(mac, "v0:"+stamp+":")
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, c.mount+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// message sends a message event from user in channel and returns its ts.
func (c *slackClient) message(channel, user, text string) (string, *http.Response) {
	c.t.Helper()
	c.events++
	ts := fmt.Sprintf("1700000000.%06d", c.events)
	body, _ := json.Marshal(map[string]any{
		"token": "legacy-unused", "team_id": "T0OPSTEAM1", "api_app_id": "A0PERKINS1",
		"type": "event_callback", "event_id": fmt.Sprintf("Ev0OPS%04d", c.events), "event_time": 1700000000,
		"event": map[string]any{"type": "message", "channel": channel, "channel_type": "channel", "user": user, "text": text, "ts": ts},
	})
	return ts, c.post("/events", "application/json", body)
}

// click sends a block_actions interaction: user clicked the button with
// value on the bot's message msg, in the thread of threadTS.
func (c *slackClient) click(user string, msg slackPost, threadTS, value string) *http.Response {
	c.t.Helper()
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": "1.2.3", "response_url": "https://hooks.slack.invalid/actions/1",
		"user":      map[string]any{"id": user},
		"channel":   map[string]any{"id": msg.Channel},
		"container": map[string]any{"type": "message", "channel_id": msg.Channel, "message_ts": msg.TS},
		"message":   map[string]any{"ts": msg.TS, "thread_ts": threadTS},
		"actions":   []any{map[string]any{"type": "button", "action_id": "parley-1", "block_id": "b1", "value": value, "action_ts": "1700000001.000001"}},
	})
	return c.post("/interactions", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(payload)}}.Encode()))
}

// TestSlack serves the bot as `go run ./examples/ops serve examples/ops/bot`
// does (the parley server, with the bot file's go:perkins hook on a fake
// EC2 and its Slack channel on a fake Slack Web API) and talks to it
// through signed Events API and interactivity requests: staff in the
// allow-listed channel list, start and stop servers, a stop waits for the
// confirmation button; a channel or a person outside the lists gets one
// refusal and never reaches the dialog, so EC2 is never called for them.
func TestSlack(t *testing.T) {
	ec2 := newFakeEC2(t, account()...)
	api := newFakeSlackAPI(t, opsChannel, otherChannel)
	logger := slog.New(slog.DiscardHandler)
	kinds := cli.HookKinds()
	kinds["go"] = cli.HookKind{Usage: "go:NAME", New: func(uri string, _ *parley.CodeHookBinding, _ cli.HookEnv) (parley.CodeHook, error) {
		if uri != "go:"+hooks.Name {
			return nil, fmt.Errorf("unexpected hook %s", uri)
		}
		return hooks.Router(ec2.client(), logger), nil
	}}
	env := testEnv(map[string]string{"OPS_SLACK_API_BASE": api.srv.URL + "/api"})
	srv := cli.NewServerWith(cli.Config{Addr: "127.0.0.1:0", Store: "memory:", Bots: []string{"../bot"}}, logger,
		cli.ServerOptions{Hooks: cli.HookOptions{Kinds: kinds, Env: cli.Env(env)}})
	if err := srv.Open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	closed := false
	shutdown := func() {
		if closed {
			return
		}
		closed = true
		stop()
		if err := <-ran; err != nil {
			t.Error(err)
		}
		// Close waits for the channel's turns in flight.
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(shutdown)

	var banner strings.Builder
	srv.WriteBanner(&banner)
	mount := srv.URL() + "/channels/PERKINSBOT/slack"
	if want := "channel slack (slack) for PERKINSBOT: POST " + mount + "/"; !strings.Contains(banner.String(), want) {
		t.Errorf("banner\n%s\nlacks %q", banner.String(), want)
	}
	slack := &slackClient{t: t, mount: mount, secret: slackSecret}
	ack := func(what string, resp *http.Response) {
		t.Helper()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, want 200", what, resp.StatusCode)
		}
	}
	expectCalls := func(what string, want ...string) {
		t.Helper()
		if got := ec2.takeCalls(); !slices.Equal(got, want) {
			t.Fatalf("%s: EC2 calls %q, want %q", what, got, want)
		}
	}
	expectPost := func(what string, threadTS, want string) slackPost {
		t.Helper()
		p := api.next(t)
		if p.Channel != opsChannel || p.ThreadTS != threadTS {
			t.Fatalf("%s: posted to %s thread %s, want %s thread %s", what, p.Channel, p.ThreadTS, opsChannel, threadTS)
		}
		if !strings.Contains(p.sections(), want) {
			t.Fatalf("%s: bot said %q, want %q", what, p.sections(), want)
		}
		return p
	}

	// Alice, in the operations channel.
	ts, resp := slack.message(opsChannel, alice, "list my servers")
	ack("list", resp)
	expectPost("list", ts, listEN)
	expectCalls("list", describe)

	ts, resp = slack.message(opsChannel, alice, "start db-1")
	ack("start", resp)
	expectPost("start", ts, "Starting db-1 ("+dbID+"): stopped → pending.")
	expectCalls("start", describe, "StartInstances "+dbID)

	// A stop asks first, with buttons; clicking "Stop it" says yes.
	ts, resp = slack.message(opsChannel, alice, "stop web-1")
	ack("stop", resp)
	confirm := expectPost("stop", ts, "Stop web-1 ("+webID+")? Anything running on it goes down. Yes or no?")
	expectCalls("stop", describe)
	ack("click", slack.click(alice, confirm, ts, confirm.button(t, "Stop it")))
	expectPost("confirmed", ts, "Stopping web-1 ("+webID+"): running → stopping.")
	expectCalls("confirmed", "StopInstances "+webID)

	// Bob declines in words: nothing is stopped.
	ts, resp = slack.message(opsChannel, bob, "shut down batch-worker")
	ack("ambiguous stop", resp)
	expectPost("ambiguous stop", ts, "2 servers are called batch-worker")
	expectCalls("ambiguous stop", describe)
	_, resp = slack.message(opsChannel, bob, batch1ID)
	ack("stop by id", resp)
	// The answer goes to the thread of the message it answers.
	expectPost("stop by id", fmt.Sprintf("1700000000.%06d", slack.events), "Stop batch-worker ("+batch1ID+")?")
	expectCalls("stop by id", describe)
	_, resp = slack.message(opsChannel, bob, "no")
	ack("decline", resp)
	expectPost("decline", fmt.Sprintf("1700000000.%06d", slack.events), "OK, I left batch-worker alone.")
	expectCalls("decline")

	// Outside the allow-lists: a channel that is not listed, then a person
	// who is not. Each gets one refusal, later messages none, and none of
	// them reaches the dialog.
	posts := api.count()
	ts, resp = slack.message(otherChannel, alice, "stop web-1")
	ack("other channel", resp)
	if p := api.next(t); p.Channel != otherChannel || p.ThreadTS != ts || !strings.Contains(p.sections(), "This bot only works in authorised channels.") {
		t.Fatalf("other channel: bot posted %+v, want the channel refusal in the thread", p)
	}
	_, resp = slack.message(otherChannel, bob, "start db-1")
	ack("other channel again", resp)
	ts, resp = slack.message(opsChannel, mallory, "stop web-1")
	ack("unlisted user", resp)
	if p := api.next(t); p.Channel != opsChannel || p.ThreadTS != ts || !strings.Contains(p.sections(), "Sorry, you are not authorised to use this bot.") {
		t.Fatalf("unlisted user: bot posted %+v, want the user refusal in the thread", p)
	}
	_, resp = slack.message(opsChannel, mallory, "start db-1")
	ack("unlisted user again", resp)
	// Mallory clicks the button of Alice's confirmation: dropped.
	ack("unlisted click", slack.click(mallory, confirm, confirm.ThreadTS, "yes"))

	// A request that is not signed with the app's secret is refused before
	// anything else.
	forged := &slackClient{t: t, mount: mount, secret: "not-the-secret", events: 100}
	if _, resp := forged.message(opsChannel, alice, "stop web-1"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged signature: status %d, want 401", resp.StatusCode)
	}

	shutdown()
	if got := api.count() - posts; got != 2 {
		t.Errorf("outside the allow-lists the bot posted %d messages, want the 2 refusals", got)
	}
	expectCalls("outside the allow-lists")
	for id, want := range map[string]string{webID: "stopped", dbID: "running", batch1ID: "running"} {
		if got := ec2.state(id); got != want {
			t.Errorf("%s is %s, want %s", id, got, want)
		}
	}
}

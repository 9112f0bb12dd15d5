package slack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/channeltest"
)

// step is one request of a rejection-matrix case and what must come back.
type step struct {
	req    func(f *fakeSlack) *http.Request
	status int
	// body, when set, must be contained in the answer; empty asks for an
	// empty answer when emptyBody is set.
	body      string
	emptyBody bool
	header    [2]string // a response header that must be set
}

func msgReq(eventID, text, ts string) func(*fakeSlack) *http.Request {
	return func(*fakeSlack) *http.Request {
		return signedEvent(userMessage(eventID, mainChannel, "U0ALICE", text, ts))
	}
}

func withHeaders(r func(*fakeSlack) *http.Request, kv ...string) func(*fakeSlack) *http.Request {
	return func(f *fakeSlack) *http.Request {
		req := r(f)
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				req.Header.Del(kv[i])
			} else {
				req.Header.Set(kv[i], kv[i+1])
			}
		}
		return req
	}
}

func eventAt(body []byte, ts time.Time) func(*fakeSlack) *http.Request {
	return func(*fakeSlack) *http.Request { return signed("/events", "application/json", body, ts) }
}

func blockAction(user, value, responseURL string) url.Values {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": "T" + value, "response_url": responseURL,
		"user":      map[string]any{"id": user, "username": "alice", "team_id": "T0TEAM"},
		"team":      map[string]any{"id": "T0TEAM", "domain": "parley"},
		"container": map[string]any{"type": "message", "message_ts": "1700000100.000001", "channel_id": mainChannel, "is_ephemeral": false},
		"channel":   map[string]any{"id": mainChannel, "name": "ops"},
		"message":   map[string]any{"ts": "1700000100.000001", "thread_ts": "1700000000.000001", "text": "pick one"},
		"actions": []map[string]any{{"type": "button", "action_id": "parley-1", "block_id": "b1", "value": value,
			"text": map[string]any{"type": "plain_text", "text": value}, "action_ts": "1700000101.000001"}},
	})
	return url.Values{"payload": {string(payload)}}
}

func slashForm(user, channel, text, responseURL string) url.Values {
	return url.Values{"token": {"legacy"}, "team_id": {"T0TEAM"}, "team_domain": {"parley"}, "channel_id": {channel},
		"channel_name": {"ops"}, "user_id": {user}, "user_name": {"alice"}, "command": {"/perkins"}, "text": {text},
		"response_url": {responseURL}, "trigger_id": {"13345224609.738474920.8088930838d88f008e0"}, "api_app_id": {"A0APP"}}
}

// TestRejectionMatrix walks channels.md §8.3: every input with its status,
// and which turns (if any) reach the dialog.
func TestRejectionMatrix(t *testing.T) {
	good := userMessage("Ev01", mainChannel, "U0ALICE", "hello", "1700000000.000001")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	cases := []struct {
		name  string
		steps []step
		turns []string
		posts int // messages the fake must receive
	}{
		{"valid url_verification", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent([]byte(`{"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
		}, status: 200, body: `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`}}, nil, 0},
		{"missing signature", []step{{req: withHeaders(eventAt(good, testNow), "X-Slack-Signature", ""), status: 401, emptyBody: true}}, nil, 0},
		{"missing timestamp", []step{{req: withHeaders(eventAt(good, testNow), "X-Slack-Request-Timestamp", ""), status: 401}}, nil, 0},
		{"bad signature", []step{{req: withHeaders(eventAt(good, testNow), "X-Slack-Signature", "v0="+strings.Repeat("ab", 32)), status: 401}}, nil, 0},
		{"tampered body", []step{{req: func(*fakeSlack) *http.Request {
			r := signedEvent(good)
			r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(good, []byte("hello"), []byte("HELLO"), 1)))
			return r
		}, status: 401}}, nil, 0},
		{"v1= prefix", []step{{req: withHeaders(eventAt(good, testNow), "X-Slack-Signature", "v1="+signature(testSecret, ts, good)[3:]), status: 401}}, nil, 0},
		{"non-numeric timestamp", []step{{req: func(*fakeSlack) *http.Request {
			r := signedEvent(good)
			r.Header.Set("X-Slack-Request-Timestamp", "17e8")
			r.Header.Set("X-Slack-Signature", signature(testSecret, "17e8", good))
			return r
		}, status: 401}}, nil, 0},
		{"timestamp 301 s old", []step{{req: eventAt(good, testNow.Add(-301*time.Second)), status: 401}}, nil, 0},
		{"timestamp 301 s in the future", []step{{req: eventAt(good, testNow.Add(301*time.Second)), status: 401}}, nil, 0},
		{"signed, malformed JSON", []step{{req: func(*fakeSlack) *http.Request { return signedEvent([]byte(`{"type":"event_callback",`)) }, status: 400}}, nil, 0},
		{"signed, empty body", []step{{req: func(*fakeSlack) *http.Request { return signedEvent(nil) }, status: 400}}, nil, 0},
		{"event_callback without event_id", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent([]byte(`{"type":"event_callback","event":{"type":"message","user":"U1","channel":"C0PARLEY1","text":"x","ts":"1.2"}}`))
		}, status: 400}}, nil, 0},
		{"message from a user", []step{{req: msgReq("Ev01", "hello", "1700000000.000001"), status: 200, emptyBody: true}}, []string{"hello"}, 1},
		{"retry of a seen event", []step{
			{req: msgReq("Ev01", "hello", "1700000000.000001"), status: 200},
			{req: withHeaders(msgReq("Ev01", "hello", "1700000000.000001"), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"), status: 200, header: [2]string{"X-Slack-No-Retry", "1"}},
			{req: withHeaders(msgReq("Ev01", "hello", "1700000000.000001"), "X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_error"), status: 200},
		}, []string{"hello"}, 1},
		{"replay inside the window", []step{
			{req: msgReq("Ev01", "hello", "1700000000.000001"), status: 200},
			{req: msgReq("Ev01", "hello", "1700000000.000001"), status: 200},
		}, []string{"hello"}, 1},
		{"a bot's message", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent(callback("Ev02", inner{Type: "message", BotID: "B01", User: "U0OTHERBOT", Channel: mainChannel, Text: "beep", TS: "1.1"}))
		}, status: 200}}, nil, 0},
		{"subtype bot_message", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent(callback("Ev03", inner{Type: "message", Subtype: "bot_message", Channel: mainChannel, Text: "beep", TS: "1.1"}))
		}, status: 200}}, nil, 0},
		{"an edit", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent(callback("Ev04", inner{Type: "message", Subtype: "message_changed", Channel: mainChannel, TS: "1.1"}))
		}, status: 200}}, nil, 0},
		{"the bot's own message", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent(userMessage("Ev05", mainChannel, testBotUser, "you said: hi", "1.1"))
		}, status: 200}}, nil, 0},
		{"app_mention and message for one (channel, ts)", []step{
			{req: func(*fakeSlack) *http.Request {
				return signedEvent(callback("Ev06", inner{Type: "app_mention", User: "U0ALICE", Channel: mainChannel, Text: "<@" + testBotUser + "> status", TS: "1700000000.000009"}))
			}, status: 200},
			{req: func(*fakeSlack) *http.Request {
				return signedEvent(callback("Ev07", inner{Type: "message", User: "U0ALICE", Channel: mainChannel, Text: "<@" + testBotUser + "> status", TS: "1700000000.000009"}))
			}, status: 200},
		}, []string{"status"}, 1},
		{"unknown event type", []step{{req: func(*fakeSlack) *http.Request { return signedEvent((&platform{}).UnknownEvent()) }, status: 200}}, nil, 0},
		{"app_rate_limited", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent([]byte(`{"token":"legacy","type":"app_rate_limited","team_id":"T0TEAM","minute_rate_limited":1518467820,"api_app_id":"A0APP"}`))
		}, status: 200}}, nil, 0},
		{"slash command", []step{{req: func(f *fakeSlack) *http.Request {
			return signedForm("/commands", slashForm("U0ALICE", mainChannel, "list instances", f.responseURL("cmd1")))
		}, status: 200, emptyBody: true}}, []string{"list instances"}, 1},
		{"ssl_check", []step{{req: func(*fakeSlack) *http.Request {
			return signedForm("/commands", url.Values{"ssl_check": {"1"}, "token": {"legacy"}})
		}, status: 200, emptyBody: true}}, nil, 0},
		{"unsigned ssl_check", []step{{req: func(*fakeSlack) *http.Request {
			r := signedForm("/commands", url.Values{"ssl_check": {"1"}, "token": {"legacy"}})
			r.Header.Del("X-Slack-Signature")
			return r
		}, status: 200, emptyBody: true}}, nil, 0},
		{"unsigned slash command", []step{{req: func(f *fakeSlack) *http.Request {
			r := signedForm("/commands", slashForm("U0ALICE", mainChannel, "list instances", f.responseURL("cmd9")))
			r.Header.Del("X-Slack-Signature")
			return r
		}, status: 401}}, nil, 0},
		{"interactivity payload is not JSON", []step{{req: func(*fakeSlack) *http.Request {
			return signedForm("/interactions", url.Values{"payload": {"{not json"}})
		}, status: 400}}, nil, 0},
		{"interactivity without payload", []step{{req: func(*fakeSlack) *http.Request {
			return signedForm("/interactions", url.Values{"other": {"1"}})
		}, status: 400}}, nil, 0},
		{"block_actions button", []step{{req: func(f *fakeSlack) *http.Request {
			return signedForm("/interactions", blockAction("U0ALICE", "pepperoni", f.responseURL("act1")))
		}, status: 200, emptyBody: true}}, []string{"pepperoni"}, 1},
		{"block_actions of a link button", []step{{req: func(f *fakeSlack) *http.Request {
			return signedForm("/interactions", blockAction("U0ALICE", "", f.responseURL("act2")))
		}, status: 200}}, nil, 0},
		{"interaction with a bad signature", []step{{req: func(f *fakeSlack) *http.Request {
			r := signedForm("/interactions", blockAction("U0ALICE", "pepperoni", f.responseURL("act3")))
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64))
			return r
		}, status: 401}}, nil, 0},
		{"GET on events", []step{{req: withMethod(http.MethodGet, msgReq("Ev01", "hello", "1.1")), status: 405, header: [2]string{"Allow", "POST"}}}, nil, 0},
		{"PUT on commands", []step{{req: withMethod(http.MethodPut, func(f *fakeSlack) *http.Request {
			return signedForm("/commands", slashForm("U0ALICE", mainChannel, "x", f.responseURL("c")))
		}), status: 405}}, nil, 0},
		{"JSON on the form endpoint", []step{{req: func(*fakeSlack) *http.Request {
			return signed("/commands", "application/json", good, testNow)
		}, status: 415}}, nil, 0},
		{"form on the events endpoint", []step{{req: func(*fakeSlack) *http.Request {
			return signed("/events", "application/x-www-form-urlencoded", good, testNow)
		}, status: 415}}, nil, 0},
		{"body over the cap", []step{{req: func(*fakeSlack) *http.Request {
			return signedEvent(bytes.Repeat([]byte(" "), 1<<20+1))
		}, status: 413}}, nil, 0},
		{"unknown endpoint", []step{{req: func(*fakeSlack) *http.Request {
			return signed("/oauth", "application/json", good, testNow)
		}, status: 404}}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeSlack(t, testToken, mainChannel)
			rt := &channeltest.Runtime{}
			ch := newChannel(t, rt, fake, nil)
			for i, s := range c.steps {
				rec := serve(ch, s.req(fake))
				if rec.Code != s.status {
					t.Errorf("step %d: status %d, want %d (body %q)", i, rec.Code, s.status, rec.Body)
				}
				if s.body != "" && !strings.Contains(rec.Body.String(), s.body) {
					t.Errorf("step %d: body %q, want %s", i, rec.Body, s.body)
				}
				if s.emptyBody && rec.Body.Len() != 0 {
					t.Errorf("step %d: body %q, want none", i, rec.Body)
				}
				if s.header[0] != "" && rec.Header().Get(s.header[0]) != s.header[1] {
					t.Errorf("step %d: header %s = %q, want %q", i, s.header[0], rec.Header().Get(s.header[0]), s.header[1])
				}
			}
			if c.posts > 0 {
				fake.waitPosts(c.posts, 5*time.Second, func(post) bool { return true })
			}
			closeChannel(t, ch)
			if got := rt.Texts(); !slices.Equal(got, c.turns) {
				t.Errorf("runtime got %q, want %q", got, c.turns)
			}
			if got := len(fake.Posts()); got != c.posts {
				t.Errorf("fake Slack got %d messages, want %d: %+v", got, c.posts, fake.Posts())
			}
		})
	}
}

func withMethod(m string, r func(*fakeSlack) *http.Request) func(*fakeSlack) *http.Request {
	return func(f *fakeSlack) *http.Request {
		req := r(f)
		req.Method = m
		return req
	}
}

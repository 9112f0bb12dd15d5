package slack_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/slack"
)

// toFake sends every request to the fake, whatever host a fuzzed
// response_url names, so fuzzing never leaves loopback.
type toFake struct{ host string }

func (tf toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = "http", tf.host
	return http.DefaultTransport.RoundTrip(r)
}

// fuzzChannel is a connector with its own fake for one fuzz input: the
// fake reports what Slack would refuse to that input's test, and closing
// the channel waits for the input's turn.
func fuzzChannel(t *testing.T) (*slack.Channel, *channeltest.Runtime) {
	fake := newFakeSlack(t, testToken)
	fake.anyChannel = true
	rt := &channeltest.Runtime{}
	ch, err := slack.New(connector.Config{
		Name: "slack", Type: "slack", Bot: &parley.Bot{ID: "TESTBOT001"}, LocaleID: "en_US", Runtime: rt,
		Settings: map[string]string{"signingSecret": testSecret, "botToken": testToken, "apiBase": fake.apiBase(), "botUserId": testBotUser},
		Client:   &http.Client{Transport: toFake{host: fake.srv.Listener.Addr().String()}},
		Now:      func() time.Time { return testNow },
		Sleep:    func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return ch, rt
}

// FuzzEvents feeds signed Events API bodies: the connector answers 200 or
// 400 and never panics, and whatever it renders for a turn passes the fake
// Web API's Block Kit checks.
func FuzzEvents(f *testing.F) {
	f.Add([]byte(vectorBody))
	f.Add(userMessage("Ev1", mainChannel, "U0ALICE", "hello <@U1|x> <https://a|b> &amp;", "1.2"))
	f.Add([]byte(`{"type":"url_verification","challenge":"c"}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"E","event":{"type":"app_mention","user":"U","channel":"C0PARLEY1","ts":"1.1","text":"<@U"}}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"E","event":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ch, _ := fuzzChannel(t)
		rec := serve(ch, signedEvent(body))
		closeChannel(t, ch)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}

// FuzzInteractions feeds signed interactivity forms whose payload is
// arbitrary: 200 or 400, never a panic, and valid Block Kit out.
func FuzzInteractions(f *testing.F) {
	f.Add(blockAction("U0ALICE", "pepperoni", "http://hooks.slack.test/respond/x").Get("payload"))
	f.Add(`{"type":"block_actions","user":{"id":"U"},"container":{"is_ephemeral":true},"response_url":"https://h/respond/1","actions":[{"value":"v"}]}`)
	f.Add(`{"type":"block_actions","user":{"id":"U"},"actions":[]}`)
	f.Add(`{"type":"view_submission"}`)
	f.Add(`{`)
	f.Fuzz(func(t *testing.T, payload string) {
		ch, _ := fuzzChannel(t)
		rec := serve(ch, signedForm("/interactions", url.Values{"payload": {payload}}))
		closeChannel(t, ch)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("status %d for %q", rec.Code, payload)
		}
	})
}

package slack_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/slack"
)

// The test vector of channels.md §0.5, from slack-go's security_test.go:
// the exact one-line body that Slack signed.
const (
	vectorSecret    = "e6b19c573432dcc6b075501d51b51bb8"
	vectorTimestamp = "1531431954"
	vectorSignature = "v0=adada4ed31709aef585c2580ca3267678c6a8eaeb7e0c1aca3ee57b656886b2c"
	vectorBody      = `{"token":"aF5ynEYQH0dFN9imlgcADxDB","team_id":"XXXXXXXXX","api_app_id":"YYYYYYYYY","event":{"type":"app_mention","user":"AAAAAAAAA","text":"<@EEEEEEEEE> hello world","client_msg_id":"477cc591-ch73-a14z-4db8-g0cd76321bec","ts":"1531431954.000073","channel":"TTTTTTTTT","event_ts":"1531431954.000073"},"type":"event_callback","event_id":"TvBP7LRED7","event_time":1531431954,"authed_users":["EEEEEEEEE"]}`
)

func TestSignatureVector(t *testing.T) {
	if got := signature(vectorSecret, vectorTimestamp, []byte(vectorBody)); got != vectorSignature {
		t.Fatalf("the tests' own signer gives %s for the vector, want %s", got, vectorSignature)
	}
	signedAt := time.Unix(1531431954, 0)
	cases := []struct {
		name   string
		now    time.Time
		body   string
		sig    string
		status int
		turns  []string
	}{
		{"the vector at its own time", signedAt, vectorBody, vectorSignature, http.StatusOK, []string{"hello world"}},
		{"the vector 300 s later", signedAt.Add(300 * time.Second), vectorBody, vectorSignature, http.StatusOK, []string{"hello world"}},
		{"the vector 300 s early", signedAt.Add(-300 * time.Second), vectorBody, vectorSignature, http.StatusOK, []string{"hello world"}},
		{"the vector 301 s later is stale", signedAt.Add(301 * time.Second), vectorBody, vectorSignature, http.StatusUnauthorized, nil},
		{"the vector 301 s early is stale", signedAt.Add(-301 * time.Second), vectorBody, vectorSignature, http.StatusUnauthorized, nil},
		{"the vector with today's clock is stale", time.Now(), vectorBody, vectorSignature, http.StatusUnauthorized, nil},
		{"one byte of the body changed", signedAt, strings.Replace(vectorBody, "hello", "hellO", 1), vectorSignature, http.StatusUnauthorized, nil},
		{"signature in capitals", signedAt, vectorBody, "v0=" + strings.ToUpper(vectorSignature[3:]), http.StatusOK, []string{"hello world"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeSlack(t, testToken, "TTTTTTTTT")
			rt := &channeltest.Runtime{}
			ch, err := slack.New(connector.Config{
				Name: "slack", Type: "slack", Bot: &parley.Bot{ID: "TESTBOT001"}, LocaleID: "en_US", Runtime: rt,
				Settings: map[string]string{"signingSecret": vectorSecret, "botToken": testToken, "apiBase": fake.apiBase()},
				Now:      func() time.Time { return c.now },
			})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, "/events", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Slack-Request-Timestamp", vectorTimestamp)
			req.Header.Set("X-Slack-Signature", c.sig)
			rec := serve(ch, req)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			if c.turns != nil {
				posts := fake.waitPosts(1, 5*time.Second, func(post) bool { return true })
				if len(posts) != 1 || posts[0].Channel != "TTTTTTTTT" || posts[0].ThreadTS != "1531431954.000073" {
					t.Errorf("posts %+v: want one reply in the mention's thread", posts)
				}
			}
			closeChannel(t, ch)
			if got := rt.Texts(); strings.Join(got, "|") != strings.Join(c.turns, "|") {
				t.Errorf("runtime got %q, want %q", got, c.turns)
			}
		})
	}
}

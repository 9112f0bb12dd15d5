package messenger_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/messenger"
)

// TestCloseCancelsSlowTurns: Close gives up when its context ends, the
// turn in flight is cancelled (its context is not the request's), later
// notifications get 503 so Meta delivers them again, and a second Close
// returns at once.
func TestCloseCancelsSlowTurns(t *testing.T) {
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	rt := &channeltest.Runtime{Delay: time.Hour}
	ch := newChannel(t, fake, rt, &sleeps{})
	if rec := serve(ch, signedRequest(notification(textEvent("PSID_S", "m_s1", "slow")))); rec.Code != http.StatusOK {
		t.Fatalf("status %d: the ack must not wait for the turn", rec.Code)
	}
	if turns := rt.WaitTurns(1, 5*time.Second); len(turns) != 1 {
		t.Fatalf("the turn did not start")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ch.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close: %v, want context.Canceled", err)
	}
	if rec := serve(ch, signedRequest(notification(textEvent("PSID_S", "m_s2", "late")))); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("after Close: status %d, want 503", rec.Code)
	}
	if err := ch.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if got := rt.Texts(); len(got) != 1 {
		t.Errorf("runtime got %q; nothing may run after Close", got)
	}
}

// TestSecretsNeverLogged runs good, forged and failing traffic with a
// debug logger and looks for the secrets in everything logged.
func TestSecretsNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	cfg := testConfig(fake, &channeltest.Runtime{}, &sleeps{})
	cfg.Logger = logger
	// The send goes to a port nobody listens on: transport errors quote
	// the URL, which must not hold the token.
	dead := httptest.NewServer(http.NotFoundHandler())
	cfg.Settings["apiBase"] = dead.URL + "/v19.0"
	dead.Close()
	ch, err := messenger.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	serve(ch, signedRequest(notification(textEvent("PSID_1", "m_1", "hello"))))
	forged := signedRequest(notification(textEvent("PSID_1", "m_2", "hello")))
	forged.Header.Set("X-Hub-Signature-256", "sha256=00")
	serve(ch, forged)
	serve(ch, httptest.NewRequest(http.MethodGet, "/?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", nil))
	closeChannel(t, ch)
	out := logs.String()
	if !strings.Contains(out, "reply not delivered") {
		t.Fatalf("the failed send was not logged:\n%s", out)
	}
	for _, secret := range []string{testPageToken, testAppSecret, testVerifyToken} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret was logged:\n%s", out)
		}
	}
}

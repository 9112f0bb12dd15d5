package telegram_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/channeltest"
)

var pollSettings = map[string]string{"mode": "poll", "secretToken": ""}

// TestPolling: without a public URL the connector deletes the webhook,
// reads updates with getUpdates, confirms them through the offset, runs
// them like webhook updates and stops on Close.
func TestPolling(t *testing.T) {
	api := newBotAPI(t, testToken)
	api.webhook = "https://old.example/hook" // getUpdates refuses while it is set
	api.addChat(42)
	api.queue(1, messageUpdate(1, 42, "one"))
	api.queue(2, messageUpdate(2, 42, "two"))
	rt := &channeltest.Runtime{}
	ch, _ := connectTo(t, api, rt, pollSettings)

	if got := api.waitSent(42, 2); len(got) != 2 || got[0].Text != "you said: one" || got[1].Text != "you said: two" {
		t.Fatalf("replies %+v, want the two echoes in order", got)
	}
	api.queue(3, messageUpdate(3, 42, "three"))
	if got := api.waitSent(42, 1); len(got) != 1 || got[0].Text != "you said: three" {
		t.Fatalf("replies %+v, want the third echo", got)
	}
	// The call after the third update confirms it.
	if !api.waitFor(func(f *botAPI) bool { return slices.Contains(f.offsets, 4) }) {
		t.Fatalf("offsets %v never reached 4", api.offsets)
	}
	closeWithin(t, ch)
	// Close cancelled the held long poll; the server notices the closed
	// connection on its own time.
	if !api.waitFor(func(f *botAPI) bool { return !f.polling }) {
		t.Error("a getUpdates call is still held after Close")
	}

	api.mu.Lock()
	defer api.mu.Unlock()
	if api.webhook != "" || api.methods["deleteWebhook"] != 1 {
		t.Errorf("webhook %q after %d deleteWebhook calls; want it deleted once", api.webhook, api.methods["deleteWebhook"])
	}
	if !slices.Equal(api.offsets[:3], []int64{0, 3, 4}) {
		t.Errorf("getUpdates offsets %v, want 0, 3, 4: each batch confirmed by the next call", api.offsets)
	}
	if got := rt.Texts(); !slices.Equal(got, []string{"one", "two", "three"}) {
		t.Errorf("runtime got %q", got)
	}
	if s := ch.Stats(); s.Accepted != 3 {
		t.Errorf("stats %+v, want 3 accepted", s)
	}
}

// TestPollingConflictBacksOff: a 409 (a webhook set behind the poller's
// back, or a second poller) deletes the webhook again after a growing
// wait, never in a hot loop.
func TestPollingConflictBacksOff(t *testing.T) {
	api := newBotAPI(t, testToken)
	api.conflicts = 2
	api.addChat(42)
	api.queue(1, messageUpdate(1, 42, "after the conflicts"))
	ch, sl := connectTo(t, api, &channeltest.Runtime{}, pollSettings)
	if got := api.waitSent(42, 1); len(got) != 1 {
		t.Fatalf("no reply after the conflicts")
	}
	closeWithin(t, ch)
	if n := api.count("deleteWebhook"); n != 3 {
		t.Errorf("deleteWebhook called %d times, want 3 (start and after each 409)", n)
	}
	if w := sl.waits(); !slices.Equal(w, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("waits %v, want 1s then 2s", w)
	}
}

// TestPollingStopsOnRejectedToken: a token Telegram refuses ends polling
// with one call and a clear log line, instead of retrying forever.
func TestPollingStopsOnRejectedToken(t *testing.T) {
	api := newBotAPI(t, "999:another-bot")
	api.lenient = true
	ch, sl := connectTo(t, api, &channeltest.Runtime{}, pollSettings)
	if !api.waitFor(func(f *botAPI) bool { return len(f.refusals) > 0 }) {
		t.Fatal("the connector never called the API")
	}
	closeWithin(t, ch)
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.refusals) != 1 || len(sl.waits()) != 0 {
		t.Errorf("refusals %q and waits %v; want one call and no retry", api.refusals, sl.waits())
	}
}

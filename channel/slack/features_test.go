package slack_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/slack"
)

func TestSlashCommand(t *testing.T) {
	fake := newFakeSlack(t, testToken, mainChannel)
	rt := &channeltest.Runtime{Script: pizzaScript}
	ch := newChannel(t, rt, fake, map[string]string{"allowUsers": "U0ALICE, U0BOB"})

	rec := serve(ch, signedForm("/commands", slashForm("U0ALICE", mainChannel, "hello", fake.responseURL("cmd1"))))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Fatalf("command: status %d body %q, want 200 and no body", rec.Code, rec.Body)
	}
	posts := fake.waitPosts(1, 5*time.Second, func(post) bool { return true })
	if len(posts) != 1 || posts[0].Endpoint != "response_url" || posts[0].URLID != "cmd1" || posts[0].ResponseType != "ephemeral" {
		t.Fatalf("posts %+v: want one ephemeral answer through the response_url", posts)
	}
	if !slices.Contains(blockTypes(posts[0]), "actions") {
		t.Errorf("answer blocks %v lack the card's buttons", blockTypes(posts[0]))
	}

	ephemeral := func(rec interface{ Bytes() []byte }) (m struct{ ResponseType, Text string }) {
		var raw map[string]string
		json.Unmarshal(rec.Bytes(), &raw)
		m.ResponseType, m.Text = raw["response_type"], raw["text"]
		return m
	}
	rec = serve(ch, signedForm("/commands", slashForm("U0MALLORY", mainChannel, "stop everything", fake.responseURL("cmd2"))))
	if got := ephemeral(rec.Body); rec.Code != 200 || got.ResponseType != "ephemeral" || got.Text != "Sorry, you are not authorised to use this bot." {
		t.Errorf("command from an unlisted user: %d %q, want an ephemeral refusal", rec.Code, rec.Body)
	}
	rec = serve(ch, signedForm("/commands", slashForm("U0BOB", mainChannel, "  ", fake.responseURL("cmd3"))))
	if got := ephemeral(rec.Body); got.ResponseType != "ephemeral" || got.Text != "Type /perkins followed by your request." {
		t.Errorf("command without text: %q, want usage", rec.Body)
	}
	closeChannel(t, ch)
	if got := rt.Texts(); !slices.Equal(got, []string{"hello"}) {
		t.Errorf("runtime got %q; only the allowed command with text may reach it", got)
	}
	if turns := rt.Turns(); turns[0].Key.SessionID != "slack:"+mainChannel+":U0ALICE" {
		t.Errorf("session %q, want the (channel, user) session", turns[0].Key.SessionID)
	}
}

func TestAllowLists(t *testing.T) {
	fake := newFakeSlack(t, testToken, mainChannel, otherChan)
	rt := &channeltest.Runtime{}
	ch := newChannel(t, rt, fake, map[string]string{"allowChannels": mainChannel, "allowUsers": "U0ALICE"})
	steps := []struct {
		name                 string
		channel, user, text  string
		wantRefusalInChannel string
	}{
		{"unlisted channel", otherChan, "U0ALICE", "start db-1", otherChan},
		{"unlisted channel again: silent", otherChan, "U0BOB", "start db-2", ""},
		{"unlisted user", mainChannel, "U0MALLORY", "stop db-1", mainChannel},
		{"unlisted user again: silent", mainChannel, "U0MALLORY", "stop db-2", ""},
		{"listed user in listed channel", mainChannel, "U0ALICE", "list instances", ""},
	}
	for i, s := range steps {
		ts := "1700000000.00000" + string(rune('1'+i))
		if rec := serve(ch, signedEvent(userMessage("EvAllow"+ts, s.channel, s.user, s.text, ts))); rec.Code != 200 {
			t.Errorf("%s: status %d", s.name, rec.Code)
		}
	}
	// Clicks from an unlisted user are dropped too.
	serve(ch, signedForm("/interactions", blockAction("U0MALLORY", "stop db-3", fake.responseURL("a"))))
	rt.WaitTurns(1, 5*time.Second)
	posts := fake.waitPosts(3, 5*time.Second, func(post) bool { return true })
	closeChannel(t, ch)
	if got := rt.Texts(); !slices.Equal(got, []string{"list instances"}) {
		t.Fatalf("runtime got %q; nothing from outside the allow-lists may reach it", got)
	}
	var refusals []string
	for _, p := range fake.Posts() {
		if p.Text != "you said: list instances" {
			refusals = append(refusals, p.Channel+": "+p.Text)
		}
	}
	want := []string{otherChan + ": This bot only works in authorised channels.", mainChannel + ": Sorry, you are not authorised to use this bot."}
	slices.Sort(refusals)
	slices.Sort(want)
	if !slices.Equal(refusals, want) || len(posts) != 3 {
		t.Errorf("refusals %q, want each once: %q", refusals, want)
	}
}

func TestSessionPerChannelAndUser(t *testing.T) {
	fake := newFakeSlack(t, testToken, mainChannel, otherChan)
	rt := &channeltest.Runtime{}
	ch := newChannel(t, rt, fake, nil)
	serve(ch, signedEvent(userMessage("EvS1", mainChannel, "U0ALICE", "one", "1700000000.000001")))
	serve(ch, signedEvent(userMessage("EvS2", otherChan, "U0ALICE", "two", "1700000000.000002")))
	serve(ch, signedEvent(callback("EvS3", inner{Type: "app_mention", User: "U0ALICE", Channel: mainChannel, Text: "<@" + testBotUser + "> three", TS: "1700000000.000003", ThreadTS: "1700000000.000001"})))
	rt.WaitTurns(3, 5*time.Second)
	posts := fake.waitPosts(3, 5*time.Second, func(post) bool { return true })
	closeChannel(t, ch)
	sessions := map[string]string{}
	for _, turn := range rt.Turns() {
		sessions[turn.Text] = turn.Key.SessionID
		if turn.RequestAttributes["slack:userId"] != "U0ALICE" || turn.RequestAttributes["x-amz-lex:channels:platform"] != "Slack" {
			t.Errorf("request attributes %v", turn.RequestAttributes)
		}
	}
	if sessions["one"] == sessions["two"] || sessions["one"] != sessions["three"] {
		t.Errorf("sessions %v: want one per (channel, user)", sessions)
	}
	threads := map[string]bool{}
	for _, p := range posts {
		threads[p.Channel+"/"+p.ThreadTS] = true
	}
	if !threads[mainChannel+"/1700000000.000001"] || !threads[otherChan+"/1700000000.000002"] || len(threads) != 2 {
		t.Errorf("replies went to %v; a reply in a thread stays in that thread", threads)
	}
}

func TestCleanText(t *testing.T) {
	cases := []struct {
		name, evType, text, want string
	}{
		{"the bot's mention", "message", "<@" + testBotUser + "> restart web-1", "restart web-1"},
		{"leading mention of app_mention", "app_mention", "<@UOTHERID> hi there", "hi there"},
		{"other people", "message", "ask <@U123|bob> and <@U456>", "ask @bob and @U456"},
		{"channels and specials", "message", "post in <#C1|ops> to <!here>", "post in #ops to @here"},
		{"links", "message", "see <https://example.com|example.com> or <https://x.org/a?b=1&amp;c=2>", "see example.com or https://x.org/a?b=1&c=2"},
		{"entities", "message", "a &lt;3 b &amp; c &gt; d", "a <3 b & c > d"},
	}
	fake := newFakeSlack(t, testToken, mainChannel)
	rt := &channeltest.Runtime{}
	ch := newChannel(t, rt, fake, nil)
	for i, c := range cases {
		ts := "1700000000.00000" + string(rune('1'+i))
		serve(ch, signedEvent(callback("EvClean"+ts, inner{Type: c.evType, User: "U0ALICE", Channel: mainChannel, Text: c.text, TS: ts})))
	}
	rt.WaitTurns(len(cases), 5*time.Second)
	closeChannel(t, ch)
	got := rt.Texts()
	for i, c := range cases {
		if i >= len(got) || got[i] != c.want {
			t.Errorf("%s: runtime got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAPIFailures(t *testing.T) {
	cases := []struct {
		name       string
		okFalse    int
		errorCode  string
		wantPosts  int
		wantFailed int64
	}{
		{"ratelimited under HTTP 200 is tried again", 1, "ratelimited", 1, 0},
		{"channel_not_found is a failure", 1, "channel_not_found", 0, 1},
		{"ratelimited for ever gives up", 10, "ratelimited", 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeSlack(t, testToken, mainChannel)
			fake.okFalseNext, fake.okFalseError = c.okFalse, c.errorCode
			rt := &channeltest.Runtime{}
			ch := newChannel(t, rt, fake, nil)
			serve(ch, signedEvent(userMessage("EvF", mainChannel, "U0ALICE", "hi", "1700000000.000001")))
			rt.WaitTurns(1, 5*time.Second)
			closeChannel(t, ch)
			if got := len(fake.Posts()); got != c.wantPosts {
				t.Errorf("fake got %d messages, want %d", got, c.wantPosts)
			}
			if s := ch.Stats(); s.Failed != c.wantFailed || s.Accepted != 1 {
				t.Errorf("stats %+v, want %d failed", s, c.wantFailed)
			}
		})
	}
}

func TestNewSettings(t *testing.T) {
	full := map[string]string{"signingSecret": "s", "botToken": "xoxb-1"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for key, val := range full {
			m[key] = val
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name     string
		settings map[string]string
		ok       bool
	}{
		{"required only", full, true},
		{"everything", with("allowChannels", "C1,C2"), true},
		{"no signing secret", with("signingSecret", ""), false},
		{"no bot token", with("botToken", ""), false},
		{"a typo", with("signingSecrets", "s"), false},
		{"apiBase not a URL", with("apiBase", "slack.com/api"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := slack.New(connector.Config{Name: "slack", Type: "slack", Bot: &parley.Bot{ID: "TESTBOT001"}, Runtime: &channeltest.Runtime{}, Settings: c.settings})
			if c.ok != (err == nil) {
				t.Fatalf("New: %v, want ok %v", err, c.ok)
			}
			var pe *parley.Error
			if err != nil && (!errors.As(err, &pe) || pe.Code != parley.ErrValidation) {
				t.Errorf("error %v is not an ErrValidation", err)
			}
		})
	}
}

// TestResponseURLUses answers a slash command with more than five
// messages' worth of blocks: a response_url takes five posts, so the rest
// is dropped and the delivery counts as failed, without a sixth post.
func TestResponseURLUses(t *testing.T) {
	var msgs []parley.Message
	for range 6*50 + 1 {
		msgs = append(msgs, parley.Message{ContentType: parley.ContentPlainText, Content: "row"})
	}
	fake := newFakeSlack(t, testToken, mainChannel)
	rt := &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message { return msgs }}
	ch := newChannel(t, rt, fake, nil)
	serve(ch, signedForm("/commands", slashForm("U0ALICE", mainChannel, "report", fake.responseURL("big"))))
	rt.WaitTurns(1, 5*time.Second)
	closeChannel(t, ch)
	if got := len(fake.Posts()); got != 5 {
		t.Errorf("response_url got %d posts, want 5", got)
	}
	if s := ch.Stats(); s.Failed != 1 {
		t.Errorf("stats %+v, want the cut answer counted as failed", s)
	}
}

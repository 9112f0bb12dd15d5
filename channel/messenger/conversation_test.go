package messenger_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
)

func text(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func card(title, subtitle, image string, buttons ...string) parley.Message {
	c := &parley.ImageResponseCard{Title: title, Subtitle: subtitle, ImageURL: image}
	for i := 0; i+1 < len(buttons); i += 2 {
		c.Buttons = append(c.Buttons, parley.Button{Text: buttons[i], Value: buttons[i+1]})
	}
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: c}
}

// musicBot answers like the music example: a carousel of artists with
// buttons, then genre choices as quick replies.
func musicBot(req *parley.TurnRequest) []parley.Message {
	switch req.Text {
	case "hi":
		return []parley.Message{
			text("Welcome to the music bot!"),
			card("IU", "K-pop · ballad", "https://img.example.com/iu.jpg",
				"Top tracks", "tracks IU", "Related", "related IU", "Genre", "genre IU",
				"Website", "https://example.com/iu", "More", "more IU"),
			card("BTS", "K-pop", "https://img.example.com/bts.jpg", "Top tracks", "tracks BTS", "Related", "related BTS"),
			card("Pick a genre", "", "", "Pop", "pop", "Rock", "rock", "Jazz", "jazz"),
		}
	case "tracks IU":
		return []parley.Message{
			text(strings.Repeat("Good day (좋은 날) — ", 250)),
			card("Play it?", "Opens in the player", "", "Yes", "play yes", "No", "play no"),
			{ContentType: parley.ContentCustomPayload, Content: `{"messenger":{"attachment":{"type":"image","payload":{"url":"https://img.example.com/cover.jpg","is_reusable":true}}},"kakao":{"simpleText":{"text":"x"}}}`},
		}
	case "rock":
		return []parley.Message{{ContentType: parley.ContentSSML, Content: "<speak>Rock it <break/> is!</speak>"}}
	}
	return []parley.Message{text("you said: " + req.Text)}
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestConversation plays a whole exchange with rich messages against the
// validating fake: a carousel whose 4th and 5th buttons follow as quick
// replies and a link, final choices as quick replies, a postback and a
// quick reply tap coming back as their values, a long text split, a
// button template, a native CustomPayload, and a 429 that is retried.
func TestConversation(t *testing.T) {
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	rt := &channeltest.Runtime{Script: musicBot}
	sl := &sleeps{}
	ch := newChannel(t, fake, rt, sl)
	const user = "PSID_42"

	// The typing indicator is throttled once: the kit retries it after
	// the Retry-After the fake sent.
	fake.failNext(http.StatusTooManyRequests, "1", graphError(4, "(#4) Application request limit reached"))
	if rec := serve(ch, signedRequest(notification(textEvent(user, "m_1", "hi")))); rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	got := fake.next(user, 4, 5*time.Second)
	want := []string{
		`{"text":"Welcome to the music bot!"}`,
		`{"attachment":{"payload":{"elements":[` +
			`{"buttons":[{"payload":"tracks IU","title":"Top tracks","type":"postback"},{"payload":"related IU","title":"Related","type":"postback"},{"payload":"genre IU","title":"Genre","type":"postback"}],"image_url":"https://img.example.com/iu.jpg","subtitle":"K-pop · ballad","title":"IU"},` +
			`{"buttons":[{"payload":"tracks BTS","title":"Top tracks","type":"postback"},{"payload":"related BTS","title":"Related","type":"postback"}],"image_url":"https://img.example.com/bts.jpg","subtitle":"K-pop","title":"BTS"}],` +
			`"template_type":"generic"},"type":"template"}}`,
		`{"quick_replies":[{"content_type":"text","payload":"more IU","title":"More"}],"text":"IU\nWebsite: https://example.com/iu"}`,
		`{"quick_replies":[{"content_type":"text","payload":"pop","title":"Pop"},{"content_type":"text","payload":"rock","title":"Rock"},{"content_type":"text","payload":"jazz","title":"Jazz"}],"text":"Pick a genre"}`,
	}
	if len(got) != len(want) {
		t.Fatalf("user got %d messages: %v", len(got), got)
	}
	for i := range want {
		if s := asJSON(got[i]); s != want[i] {
			t.Errorf("message %d:\n got %s\nwant %s", i, s, want[i])
		}
	}
	if calls := fake.all(); calls[0].Action != "typing_on" {
		t.Errorf("first call %+v, want the typing indicator before the reply", calls[0])
	}
	if w := sl.all(); !slices.Equal(w, []time.Duration{time.Second}) {
		t.Errorf("retry waits %v, want [1s] from Retry-After", w)
	}

	// The user taps the carousel's "Top tracks": the postback's payload is
	// the turn's text.
	serve(ch, signedRequest(notification(postbackEvent(user, "m_2", "Top tracks", "tracks IU"))))
	got = fake.next(user, 5, 5*time.Second)
	if len(got) != 5 {
		t.Fatalf("user got %d messages after the postback: %v", len(got), got)
	}
	var long strings.Builder
	for _, m := range got[:3] {
		s := m["text"].(string)
		if n := utf8.RuneCountInString(s); n > 2000 {
			t.Errorf("a text of %d characters", n)
		}
		long.WriteString(s)
	}
	if wantLong := strings.ReplaceAll(strings.Repeat("Good day (좋은 날) — ", 250), " ", ""); strings.ReplaceAll(long.String(), " ", "") != wantLong {
		t.Errorf("split text does not join back to the original")
	}
	if s, w := asJSON(got[3]), `{"attachment":{"payload":{"buttons":[{"payload":"play yes","title":"Yes","type":"postback"},{"payload":"play no","title":"No","type":"postback"}],"template_type":"button","text":"Play it?\nOpens in the player"},"type":"template"}}`; s != w {
		t.Errorf("button template\n got %s\nwant %s", s, w)
	}
	if s, w := asJSON(got[4]), `{"attachment":{"payload":{"is_reusable":true,"url":"https://img.example.com/cover.jpg"},"type":"image"}}`; s != w {
		t.Errorf("custom payload\n got %s\nwant %s", s, w)
	}

	// The user taps the "Rock" quick reply: its payload is the turn's text.
	serve(ch, signedRequest(notification(quickReplyEvent(user, "m_3", "Rock", "rock"))))
	got = fake.next(user, 1, 5*time.Second)
	if len(got) != 1 || got[0]["text"] != "Rock it is!" {
		t.Errorf("after the quick reply: %v, want the SSML's text", got)
	}
	closeChannel(t, ch)
	if texts := rt.Texts(); !slices.Equal(texts, []string{"hi", "tracks IU", "rock"}) {
		t.Errorf("runtime got %q", texts)
	}
	for _, turn := range rt.Turns() {
		if turn.Key.SessionID != "messenger:"+user {
			t.Errorf("session %q, want messenger:%s", turn.Key.SessionID, user)
		}
	}
	if s := ch.Stats(); s != (connector.Stats{Accepted: 3}) {
		t.Errorf("stats %+v", s)
	}
}

// TestLimits makes the bot exceed every Messenger limit; the validating
// fake refuses anything the platform would, so passing means the
// connector degraded each one.
func TestLimits(t *testing.T) {
	long := strings.Repeat("가나다라마바사아자차", 30) // 300 runes
	var buttons []string
	for i := range 14 {
		buttons = append(buttons, fmt.Sprintf("choice %d %s", i, long), fmt.Sprintf("v%d", i))
	}
	var carousel []parley.Message
	for i := range 12 {
		carousel = append(carousel, card(fmt.Sprintf("%d %s", i, long), long, "https://img.example.com/x.jpg",
			"b1 "+long, "v1", "b2", "v2", "link", "https://example.com/"+fmt.Sprint(i), "b4", "v4", "b5", strings.Repeat("p", 1200)))
	}
	script := func(*parley.TurnRequest) []parley.Message {
		return append(append([]parley.Message{
			text(strings.Repeat("x", 4001)),
			card(strings.Repeat("t", 700), "", "", "ok", "ok"),
			card("no buttons, no image", "just text", ""),
			card("", "", "https://img.example.com/untitled.jpg", "", "empty text"),
		}, carousel...), card("Pick one", "", "", buttons...))
	}
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	ch := newChannel(t, fake, &channeltest.Runtime{Script: script}, &sleeps{})
	serve(ch, signedRequest(notification(textEvent("PSID_L", "m_l", "go"))))
	closeChannel(t, ch)
	msgs := fake.messagesTo("PSID_L")
	var generics, elements, quick int
	for _, m := range msgs {
		if att, ok := m["attachment"].(map[string]any); ok {
			p := att["payload"].(map[string]any)
			if p["template_type"] == "generic" {
				generics++
				elements += len(p["elements"].([]any))
			}
		}
		if qr, ok := m["quick_replies"].([]any); ok {
			quick = len(qr)
		}
	}
	// 3 texts, a button template, a text card, two generic templates for
	// the 13 consecutive image cards (10 + 3), 12 follow-ups for the
	// cards' 4th and 5th buttons, the final prompt.
	if len(msgs) != 3+1+1+2+12+1 || generics != 2 || elements != 13 || quick != 13 {
		t.Errorf("%d messages, %d generic templates with %d elements, %d quick replies on the last",
			len(msgs), generics, elements, quick)
	}
	if s := ch.Stats(); s.Failed != 0 {
		t.Errorf("stats %+v: a send was refused", s)
	}
}

// TestOneUsersTurnsInOrder sends several messages at once; each turn runs
// after the previous one's replies went out.
func TestOneUsersTurnsInOrder(t *testing.T) {
	fake := newFakeGraph(t, testPageToken, testAppSecret)
	rt := &channeltest.Runtime{}
	ch := newChannel(t, fake, rt, &sleeps{})
	var want []string
	for i := range 8 {
		serve(ch, signedRequest(notification(textEvent("PSID_O", fmt.Sprintf("m_o%d", i), fmt.Sprint(i)))))
		want = append(want, fmt.Sprintf("you said: %d", i))
	}
	closeChannel(t, ch)
	var got []string
	for _, m := range fake.messagesTo("PSID_O") {
		got = append(got, visible(m))
	}
	if !slices.Equal(got, want) {
		t.Errorf("replies %q, want %q", got, want)
	}
	var actions []string
	for _, c := range fake.all() {
		if c.Action != "" {
			actions = append(actions, c.Action)
		} else {
			actions = append(actions, "message")
		}
	}
	if !slices.Equal(actions, slices.Repeat([]string{"typing_on", "message"}, 8)) {
		t.Errorf("calls %q: want typing_on before each reply", actions)
	}
}

// TestSendFailures: a refusal the platform will not change its mind about
// (the 24-hour window, code 10) is not retried and counts as failed; 5xx
// is retried up to the kit's limit.
func TestSendFailures(t *testing.T) {
	cases := []struct {
		name    string
		script  func(f *fakeGraph)
		tries   int
		sent    int
		failed  int64
		retries int
	}{
		{"outside the 24-hour window", func(f *fakeGraph) {
			f.failNext(0, "", "") // the typing indicator passes
			f.failNext(http.StatusBadRequest, "", graphError(10, "(#10) This message is sent outside of allowed window."))
		}, 2, 0, 1, 0},
		{"invalid token", func(f *fakeGraph) {
			f.failNext(http.StatusBadRequest, "", graphError(190, "Invalid OAuth access token."))
			f.failNext(http.StatusBadRequest, "", graphError(190, "Invalid OAuth access token."))
		}, 2, 0, 1, 0},
		{"a 500 then success", func(f *fakeGraph) {
			f.failNext(0, "", "")
			f.failNext(http.StatusInternalServerError, "", `{"error":{"message":"unknown","code":2}}`)
		}, 3, 1, 0, 1},
		{"always 503", func(f *fakeGraph) {
			f.failNext(0, "", "")
			for range 4 {
				f.failNext(http.StatusServiceUnavailable, "", "")
			}
		}, 5, 0, 1, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeGraph(t, testPageToken, testAppSecret)
			c.script(fake)
			sl := &sleeps{}
			ch := newChannel(t, fake, &channeltest.Runtime{}, sl)
			serve(ch, signedRequest(notification(textEvent("PSID_F", "m_f", "hello"))))
			closeChannel(t, ch)
			if got := fake.tries(); got != c.tries {
				t.Errorf("%d requests, want %d", got, c.tries)
			}
			if got := len(fake.messagesTo("PSID_F")); got != c.sent {
				t.Errorf("%d messages delivered, want %d", got, c.sent)
			}
			if s := ch.Stats(); s.Failed != c.failed {
				t.Errorf("stats %+v, want %d failed", s, c.failed)
			}
			if got := len(sl.all()); got != c.retries {
				t.Errorf("%d retry waits, want %d", got, c.retries)
			}
		})
	}
}

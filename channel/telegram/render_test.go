package telegram_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

// TestRenderEdges sends what a code hook might produce beyond Lex's own
// limits; the fake Bot API refuses anything Telegram would, and each case
// checks what the user gets.
func TestRenderEdges(t *testing.T) {
	card := func(c parley.ImageResponseCard) parley.Message {
		return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &c}
	}
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	cases := []struct {
		name  string
		msgs  []parley.Message
		want  int // sends
		check func(t *testing.T, sent []sentCall)
	}{
		{"caption over 1,024 characters", []parley.Message{card(parley.ImageResponseCard{
			Title: strings.Repeat("T", 250), Subtitle: strings.Repeat("s&", 1000), ImageURL: "https://img.example/a.png"})}, 1,
			func(t *testing.T, sent []sentCall) {
				if n := units(sent[0].Text); n != 1024 || !strings.HasSuffix(sent[0].Text, "…") {
					t.Errorf("caption of %d units ending %q; want 1024 ending with …", n, sent[0].Text[len(sent[0].Text)-5:])
				}
			}},
		{"emoji text counted in UTF-16", []parley.Message{{ContentType: parley.ContentPlainText, Content: strings.Repeat("😀", 3000)}}, 2,
			func(t *testing.T, sent []sentCall) {
				if units(sent[0].Text)+units(sent[1].Text) != 6000 {
					t.Errorf("pieces of %d and %d units", units(sent[0].Text), units(sent[1].Text))
				}
			}},
		{"whitespace-only text is not sent", []parley.Message{{ContentType: parley.ContentPlainText, Content: "  \n "}}, 0, nil},
		{"choices without a title ride on a placeholder", []parley.Message{card(parley.ImageResponseCard{
			Buttons: []parley.Button{{Text: "Yes", Value: "yes"}, {Value: "no"}}})}, 1,
			func(t *testing.T, sent []sentCall) {
				want := `{"chat_id":42,"text":"…","reply_markup":{"keyboard":[[{"text":"Yes"}],[{"text":"no"}]],"one_time_keyboard":true,"resize_keyboard":true}}`
				if sent[0].Raw != want {
					t.Errorf("got %s\nwant %s", sent[0].Raw, want)
				}
			}},
		{"a value that looks like a key travels as a key", []parley.Message{card(parley.ImageResponseCard{
			Title: "t", Subtitle: "s", Buttons: []parley.Button{{Text: "odd", Value: "\x1ek1"}, {Text: strings.Repeat("x", 50), Value: strings.Repeat("v", 65)}}})}, 1,
			func(t *testing.T, sent []sentCall) {
				a, b := buttonData(t, sent[0], 0), buttonData(t, sent[0], 1)
				if !strings.HasPrefix(a, "\x1ek") || !strings.HasPrefix(b, "\x1ek") || a == b || len(b) > 64 {
					t.Errorf("callback data %q and %q", a, b)
				}
			}},
		{"a custom payload without a method is left out", []parley.Message{
			{ContentType: parley.ContentCustomPayload, Content: `{"telegram":{"text":"no method"}}`},
			{ContentType: parley.ContentCustomPayload, Content: `{"telegram":{"method":"../getMe"}}`},
			{ContentType: parley.ContentPlainText, Content: "after"}}, 1,
			func(t *testing.T, sent []sentCall) {
				if sent[0].Text != "after" {
					t.Errorf("sent %q", sent[0].Text)
				}
			}},
		{"a custom payload for another platform is text", []parley.Message{
			{ContentType: parley.ContentCustomPayload, Content: `{"slack":{"blocks":[]}}`}}, 1,
			func(t *testing.T, sent []sentCall) {
				if sent[0].Text != `{"slack":{"blocks":[]}}` {
					t.Errorf("sent %q", sent[0].Text)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message { return c.msgs }}
			ch, api, _ := connect(t, rt, nil)
			api.addChat(42)
			serve(ch, webhook(messageUpdate(1, 42, "go")))
			closeWithin(t, ch)
			sent := api.waitSent(42, c.want)
			if len(sent) != c.want {
				t.Fatalf("%d sends (%v), want %d", len(sent), methods(sent), c.want)
			}
			if c.check != nil {
				c.check(t, sent)
			}
		})
	}
}

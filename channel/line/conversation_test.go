package line_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

func card(title, subtitle, image string, buttons ...parley.Button) parley.Message {
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
		Title: title, Subtitle: subtitle, ImageURL: image, Buttons: buttons}}
}

func text(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func btn(text, value string) parley.Button { return parley.Button{Text: text, Value: value} }

// musicScript is a small bot with rich answers.
func musicScript(req *parley.TurnRequest) []parley.Message {
	switch req.Text {
	case "menu":
		return []parley.Message{text("Welcome to the music bot!"),
			card("Genres", "Pick a genre to hear what is hot in it this week", "https://img.example.com/genres.png",
				btn("Rock", "rock"), btn("Jazz", "jazz"), btn("Website", "https://music.example.com"), btn("Pop", "pop"), btn("Indie", "indie"))}
	case "artists":
		return []parley.Message{
			card("Miles Davis", "Kind of Blue", "https://img.example.com/miles.png", btn("Top tracks", "tracks miles")),
			card("John Coltrane", "A Love Supreme", "https://img.example.com/trane.png",
				btn("Top tracks", "tracks trane"), btn("Related", "related trane"), btn("Albums", "albums trane"), btn("Bio", "bio trane")),
			card("Nina Simone", "I Put a Spell on You", "https://img.example.com/nina.png"),
		}
	case "choose":
		return []parley.Message{card("Which one do you want?", "", "", btn("Rock", "rock"), btn("Jazz", "jazz"), btn("Classical", "classical"))}
	case "jazz":
		return []parley.Message{text("You picked jazz."),
			{ContentType: parley.ContentCustomPayload, Content: `{"line":{"type":"sticker","packageId":"446","stickerId":"1988"},"kakao":{"simpleText":{"text":"x"}}}`}}
	case "essay":
		return []parley.Message{text(strings.Repeat("All that jazz. ", 400)),
			card("Plain http image", strings.Repeat("long subtitle ", 30), "http://img.example.com/insecure.png", btn("OK", "ok"))}
	}
	return []parley.Message{text("?")}
}

// TestConversation runs a conversation with rich answers against the fake,
// which refuses anything LINE would, and checks what the user saw and that
// a tapped button's value came back as the next turn.
func TestConversation(t *testing.T) {
	p := &platform{}
	rt := &channeltest.Runtime{Script: musicScript}
	ch := p.connect(t, rt)
	user := userID("listener")
	say := func(text string, want int) []msgObject {
		t.Helper()
		if rec := serve(ch, p.Message(t, "listener", text, "01HCONV"+strings.ToUpper(text))); rec.Code != http.StatusOK {
			t.Fatalf("%q: status %d", text, rec.Code)
		}
		return decode(t, p.newMessages(user, want))
	}

	menu := say("menu", 2)
	if len(menu) != 2 || *menu[0].Text != "Welcome to the music bot!" {
		t.Fatalf("menu: %+v", menu)
	}
	tpl := menu[1].Template
	if tpl == nil || tpl.Type != "buttons" || tpl.ThumbnailImageURL != "https://img.example.com/genres.png" || tpl.Title != "Genres" {
		t.Fatalf("menu card: %+v", menu[1])
	}
	if got := actionSummary(tpl.Actions); got != "postback Rock rock|postback Jazz jazz|uri Website https://music.example.com|postback Pop pop" {
		t.Errorf("card actions %s", got)
	}
	if q := menu[1].QuickReply; q == nil || len(q.Items) != 1 || q.Items[0].Action.Data != "indie" {
		t.Errorf("the fifth button must be a quick reply: %+v", q)
	}

	artists := say("artists", 1)
	if len(artists) != 1 || artists[0].Template == nil || artists[0].Template.Type != "carousel" || len(artists[0].Template.Columns) != 3 {
		t.Fatalf("artists: %+v", artists)
	}
	for i, col := range artists[0].Template.Columns {
		if len(col.Actions) != 3 || col.ThumbnailImageURL == "" || col.Title == "" {
			t.Errorf("column %d: %+v; want an image, a title and three actions", i, col)
		}
	}
	if got := actionSummary(artists[0].Template.Columns[1].Actions); got != "postback Top tracks tracks trane|postback Related related trane|postback Albums albums trane" {
		t.Errorf("column 1 actions %s", got)
	}

	choose := say("choose", 1)
	if len(choose) != 1 || *choose[0].Text != "Which one do you want?" || choose[0].QuickReply == nil {
		t.Fatalf("choose: %+v", choose)
	}
	var values []string
	for _, it := range choose[0].QuickReply.Items {
		values = append(values, it.Action.Type+" "+it.Action.Data+" "+*it.Action.DisplayText)
	}
	if got := strings.Join(values, "|"); got != "postback rock Rock|postback jazz Jazz|postback classical Classical" {
		t.Errorf("quick replies %s", got)
	}

	// The user taps "Jazz": LINE shows the displayText and posts back the data.
	e := p.textEvent("listener", "", "01HCONVTAP")
	delete(e, "message")
	e["type"] = "postback"
	e["postback"] = map[string]any{"data": choose[0].QuickReply.Items[1].Action.Data}
	if rec := serve(ch, p.Signed(t, webhookBody(e))); rec.Code != http.StatusOK {
		t.Fatalf("postback: status %d", rec.Code)
	}
	jazz := decode(t, p.newMessages(user, 2))
	if len(jazz) != 2 || *jazz[0].Text != "You picked jazz." || jazz[1].Type != "sticker" || jazz[1].StickerID != "1988" {
		t.Fatalf("after the tap: %+v", jazz)
	}

	essay := say("essay", 3)
	if len(essay) != 3 || essay[0].Type != "text" || essay[1].Type != "text" {
		t.Fatalf("essay: %d messages", len(essay))
	}
	if joined := *essay[0].Text + " " + *essay[1].Text; strings.Count(joined, "All that jazz.") != 400 {
		t.Errorf("the long text lost words when split")
	}
	if tpl := essay[2].Template; tpl == nil || tpl.ThumbnailImageURL != "" || !strings.HasSuffix(tpl.Text, "…") {
		t.Errorf("an http image is dropped and a long subtitle shortened: %+v", essay[2].Template)
	}

	closeChannel(t, ch)
	if got := strings.Join(rt.Texts(), "|"); got != "menu|artists|choose|jazz|essay" {
		t.Errorf("turns %s", got)
	}
	if s := ch.Stats(); s.Failed != 0 || s.Rejected != 0 {
		t.Errorf("stats %+v", s)
	}
}

func decode(t *testing.T, raws []json.RawMessage) []msgObject {
	t.Helper()
	out := make([]msgObject, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func actionSummary(actions []actObject) string {
	var parts []string
	for _, a := range actions {
		v := a.Data
		if a.Type == "uri" {
			v = a.URI
		}
		parts = append(parts, a.Type+" "+a.Label+" "+v)
	}
	return strings.Join(parts, "|")
}

// TestLongInput: a text longer than a turn takes is read in part, cut
// between characters, instead of failing the turn.
func TestLongInput(t *testing.T) {
	cases := []struct {
		name, text string
		wantUnits  int
	}{
		{"5,000 ASCII", strings.Repeat("a", 5000), 1024},
		{"emoji across the limit", strings.Repeat("a", 1023) + "🎷" + "b", 1023},
		{"exactly the limit", strings.Repeat("가", 1024), 1024},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			serve(ch, p.Message(t, "long", c.text, "01HLONG"+string(rune('A'+i))))
			closeChannel(t, ch)
			texts := rt.Texts()
			if len(texts) != 1 || parley.UTF16Len(texts[0]) != c.wantUnits || !strings.HasPrefix(c.text, texts[0]) {
				t.Fatalf("turn texts %d; want one of %d units", len(texts), c.wantUnits)
			}
			if ch.Stats().Failed != 0 {
				t.Errorf("stats %+v", ch.Stats())
			}
		})
	}
}

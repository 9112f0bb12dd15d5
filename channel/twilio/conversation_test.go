package twilio_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/twilio"
)

func card(title, subtitle, image string, buttons ...parley.Button) parley.Message {
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
		Title: title, Subtitle: subtitle, ImageURL: image, Buttons: buttons}}
}

func text(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func btn(text, value string) parley.Button { return parley.Button{Text: text, Value: value} }

func musicScript(req *parley.TurnRequest) []parley.Message {
	switch req.Text {
	case "menu":
		return []parley.Message{text("Welcome to <Rock & Roll> radio!"),
			card("Genres", "Pick one", "https://img.example.com/genres.png",
				btn("Rock", "rock"), btn("Jazz", "jazz"), btn("Website", "https://music.example.com"))}
	case "jazz":
		return []parley.Message{
			card("Miles Davis", "Kind of Blue", "https://img.example.com/miles.png", btn("Top tracks", "tracks miles")),
			card("Nina Simone", "I Put a Spell on You", "https://img.example.com/nina.png", btn("Top tracks", "tracks nina")),
			card("More?", "", "", btn("Yes", "more jazz"), btn("No", "stop")),
		}
	case "tracks nina", "stop":
		return []parley.Message{text("Playing " + req.Text),
			{ContentType: parley.ContentCustomPayload, Content: `{"twilio":{"body":"Now playing","mediaUrl":["https://img.example.com/cover.jpg"]}}`}}
	case "essay":
		return []parley.Message{text(strings.Repeat("All that jazz. ", 250))}
	}
	return []parley.Message{text("?")}
}

// TestConversation runs a conversation with rich answers and checks what
// the user reads, that a number or a button's text comes back as its value,
// and that late answers pass the validating REST fake.
func TestConversation(t *testing.T) {
	p := &platform{}
	rt := &channeltest.Runtime{Script: musicScript}
	ch := p.connect(t, rt)
	const from = "+15551230000"
	n := 0
	say := func(body string) []twimlMessage {
		t.Helper()
		n++
		return parseTwiML(t, serve(ch, signedForm(smsForm(from, body, sid("SM", "conv"+body+string(rune('a'+n)))))))
	}

	menu := say("menu")
	if len(menu) != 2 || menu[0].text() != "Welcome to <Rock & Roll> radio!" {
		t.Fatalf("menu: %+v", menu)
	}
	if got, want := menu[1].text(), "Genres\nPick one\n1) Rock\n2) Jazz\nWebsite: https://music.example.com"; got != want {
		t.Errorf("card text %q, want %q", got, want)
	}
	if len(menu[1].Media) != 1 || menu[1].Media[0] != "https://img.example.com/genres.png" {
		t.Errorf("card media %q", menu[1].Media)
	}

	jazz := say("2") // the number of "Jazz"
	if len(jazz) != 3 {
		t.Fatalf("carousel: %+v", jazz)
	}
	if got := jazz[0].text(); got != "Miles Davis\nKind of Blue\n1) Top tracks" {
		t.Errorf("first card %q", got)
	}
	if got := jazz[1].text(); got != "Nina Simone\nI Put a Spell on You\n2) Top tracks" {
		t.Errorf("second card %q", got)
	}
	if got := jazz[2].text(); got != "More?\n3) Yes\n4) No" {
		t.Errorf("the quick replies %q", got)
	}

	nina := say("2)")
	if len(nina) != 2 || nina[0].text() != "Playing tracks nina" || nina[1].text() != "Now playing" || len(nina[1].Media) != 1 {
		t.Fatalf("after choosing 2): %+v", nina)
	}
	if got := say("1"); len(got) != 1 || got[0].text() != "?" {
		t.Errorf("no buttons were offered last, so 1 is text: %+v", got)
	}

	say("jazz")
	if got := say(" no "); len(got) < 1 || got[0].text() != "Playing stop" {
		t.Errorf("a button's text maps to its value: %+v", got)
	}

	essay := say("essay")
	if len(essay) != 3 || strings.Count(essay[0].text()+" "+essay[1].text()+" "+essay[2].text(), "All that jazz.") != 250 {
		t.Errorf("a 3,750-character text is three messages without loss: %d", len(essay))
	}

	closeChannel(t, ch)
	want := "menu|jazz|tracks nina|1|jazz|stop|essay"
	if got := strings.Join(rt.Texts(), "|"); got != want {
		t.Errorf("turns %s, want %s", got, want)
	}
}

// TestLateRichAnswer sends a rich answer through REST: the fake refuses
// bodies over 1,600 characters and media that are not URLs.
func TestLateRichAnswer(t *testing.T) {
	p := &platform{settings: map[string]string{"replyTimeout": "1ms"}}
	rt := &blockingRuntime{release: make(chan struct{})}
	rt.Script = func(*parley.TurnRequest) []parley.Message {
		return append(musicScript(&parley.TurnRequest{Text: "essay"}), musicScript(&parley.TurnRequest{Text: "jazz"})...)
	}
	defer rt.unblock()
	ch := p.connect(t, rt)
	serve(ch, signedForm(smsForm("+15551230000", "everything", sid("SM", "late-rich"))))
	rt.unblock()
	closeChannel(t, ch)
	sent := p.fake.waitSent(0)
	if len(sent) != 6 {
		t.Fatalf("%d REST sends, want 3 text pieces, 2 cards and the quick replies", len(sent))
	}
	if got := sent[3]; got.Get("Body") != "Miles Davis\nKind of Blue\n1) Top tracks" || !equal(got["MediaUrl"], "https://img.example.com/miles.png") {
		t.Errorf("card sent as %v", got)
	}
}

func equal(got []string, want ...string) bool {
	return strings.Join(got, " ") == strings.Join(want, " ")
}

func TestNew(t *testing.T) {
	cases := []struct {
		name     string
		settings map[string]string
		public   string
		wantErr  bool
	}{
		{"complete", map[string]string{"authToken": "t", "accountSid": "AC1", "apiBase": "http://127.0.0.1:1", "replyTimeout": "5s"}, publicURL, false},
		{"only the token", map[string]string{"authToken": "t"}, publicURL, false},
		{"no token", map[string]string{"accountSid": "AC1"}, publicURL, true},
		{"no public URL", map[string]string{"authToken": "t"}, "", true},
		{"replyTimeout not a duration", map[string]string{"authToken": "t", "replyTimeout": "10"}, publicURL, true},
		{"replyTimeout beyond Twilio's 15 s", map[string]string{"authToken": "t", "replyTimeout": "15s"}, publicURL, true},
		{"unknown key", map[string]string{"authToken": "t", "authtoken": "t"}, publicURL, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := twilio.New(connector.Config{Name: "sms", Type: "twilio", Bot: testBot(), Settings: c.settings, PublicURL: c.public})
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, want error %v", err, c.wantErr)
			}
			if err != nil && parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Errorf("code %s, want %s", parley.ErrorCodeOf(err), parley.ErrValidation)
			}
		})
	}
}

func TestSignRepeatedParameters(t *testing.T) {
	// A name given twice contributes both values, sorted: the order on the
	// wire does not change the signature, the values do.
	a := twilio.Sign("tok", "https://x.example/", url.Values{"MediaUrl": {"b", "a"}})
	b := twilio.Sign("tok", "https://x.example/", url.Values{"MediaUrl": {"a", "b"}})
	c := twilio.Sign("tok", "https://x.example/", url.Values{"MediaUrl": {"a"}})
	if a != b || a == c {
		t.Errorf("signatures %s %s %s", a, b, c)
	}
}

// TestLongInput: a body longer than a turn takes is read in part, cut
// between characters, instead of failing the turn.
func TestLongInput(t *testing.T) {
	cases := []struct {
		name, body string
		wantUnits  int
	}{
		{"1,600 ASCII", strings.Repeat("a", 1600), 1024},
		{"emoji across the limit", strings.Repeat("a", 1023) + "🎷" + "b", 1023},
		{"exactly the limit", strings.Repeat("가", 1024), 1024},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			serve(ch, signedForm(smsForm("+15551230000", c.body, sid("SM", c.name))))
			closeChannel(t, ch)
			texts := rt.Texts()
			if len(texts) != 1 || parley.UTF16Len(texts[0]) != c.wantUnits || !strings.HasPrefix(c.body, texts[0]) {
				t.Fatalf("turn texts %d, first of %d units; want one of %d", len(texts), parley.UTF16Len(strings.Join(texts, "")), c.wantUnits)
			}
			if ch.Stats().Failed != 0 {
				t.Errorf("stats %+v", ch.Stats())
			}
		})
	}
}

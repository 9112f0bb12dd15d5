package telegram_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

// longValue is a button value over callback_data's 64 bytes (Korean takes
// three bytes a character), so it travels as a short key.
const longValue = "마르게리타 피자를 큰 사이즈로 지금 바로 주문하고 싶어요"

var longText = strings.Repeat("lorem ipsum dolor ", 500) // 9,000 characters

func pizzaScript(req *parley.TurnRequest) []parley.Message {
	text := func(s string) parley.Message { return parley.Message{ContentType: parley.ContentPlainText, Content: s} }
	card := func(c parley.ImageResponseCard) parley.Message {
		return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &c}
	}
	switch req.Text {
	case "menu":
		return []parley.Message{
			text("Here is our menu:"),
			card(parley.ImageResponseCard{Title: "Margherita & <Basil>", Subtitle: "Tomato, mozzarella", ImageURL: "https://img.example/margherita.jpg",
				Buttons: []parley.Button{{Text: "Order", Value: "order margherita"}, {Text: "큰 사이즈", Value: longValue}, {Text: "Website", Value: "https://pizza.example/margherita"}}}),
			card(parley.ImageResponseCard{Title: "Pepperoni", ImageURL: "https://img.example/pepperoni.jpg",
				Buttons: []parley.Button{{Text: "Order", Value: "order pepperoni"}}}),
			text("Or build your own:"),
			card(parley.ImageResponseCard{Title: "Custom", Subtitle: "Any toppings", Buttons: []parley.Button{{Text: "Start", Value: "custom pizza"}}}),
		}
	case longValue:
		return []parley.Message{
			text("A large margherita. Which crust?"),
			card(parley.ImageResponseCard{Title: "Pick a crust", Buttons: []parley.Button{{Text: "Thin", Value: "crust-thin"}, {Text: "Thick", Value: "crust-thick"}}}),
		}
	case "crust-thick":
		return []parley.Message{
			{ContentType: parley.ContentSSML, Content: "<speak>Done, a <emphasis>thick</emphasis> one.</speak>"},
			{ContentType: parley.ContentCustomPayload, Content: `{"telegram":{"method":"sendLocation","latitude":37.5665,"longitude":126.978}}`},
			text(longText),
		}
	}
	return []parley.Message{text("you said: " + req.Text)}
}

// TestConversation is a full conversation with rich messages against the
// fake Bot API: a carousel of photo cards with an inline keyboard, a
// button whose long value comes back through a short key, a reply keyboard
// whose tap comes back as the value, a native call passed through, and a
// long text split under the limit.
func TestConversation(t *testing.T) {
	rt := &channeltest.Runtime{Script: pizzaScript}
	ch, api, _ := connect(t, rt, nil)
	const chat = 42
	api.addChat(chat)
	post := func(body []byte) {
		t.Helper()
		if rec := serve(ch, webhook(body)); rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}

	post(messageUpdate(1, chat, "menu"))
	sent := api.waitSent(chat, 5)
	if got := methods(sent); !slices.Equal(got, []string{"sendMessage", "sendPhoto", "sendPhoto", "sendMessage", "sendMessage"}) {
		t.Fatalf("menu: calls %v", got)
	}
	// The exact request of the first card: HTML caption with escaping,
	// one button a row, the long value as a key, the URL as a link.
	wantPhoto := `{"chat_id":42,"photo":"https://img.example/margherita.jpg","caption":"<b>Margherita &amp; &lt;Basil&gt;</b>\nTomato, mozzarella","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"Order","callback_data":"order margherita"}],[{"text":"큰 사이즈","callback_data":"\u001ek1"}],[{"text":"Website","url":"https://pizza.example/margherita"}]]}}`
	if sent[1].Raw != wantPhoto {
		t.Errorf("first card:\n got %s\nwant %s", sent[1].Raw, wantPhoto)
	}
	if sent[1].Text != "Margherita & <Basil>\nTomato, mozzarella" {
		t.Errorf("first card shows %q", sent[1].Text)
	}
	wantCustom := `{"chat_id":42,"text":"<b>Custom</b>\nAny toppings","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"Start","callback_data":"custom pizza"}]]}}`
	if sent[4].Raw != wantCustom {
		t.Errorf("image-less card:\n got %s\nwant %s", sent[4].Raw, wantCustom)
	}

	// Tap the button with the long value.
	key := buttonData(t, sent[1], 1)
	api.addCallback("cbq-1")
	post(callbackUpdate(2, chat, "cbq-1", key))
	sent = api.waitSent(chat, 2)
	if got := rt.Texts(); len(got) != 2 || got[1] != longValue {
		t.Fatalf("runtime got %q; the button's value must come back", got)
	}
	if n := api.count("answerCallbackQuery"); n != 1 {
		t.Errorf("answerCallbackQuery called %d times, want 1", n)
	}
	wantKeyboard := `{"chat_id":42,"text":"Pick a crust","reply_markup":{"keyboard":[[{"text":"Thin"}],[{"text":"Thick"}]],"one_time_keyboard":true,"resize_keyboard":true}}`
	if len(sent) != 2 || sent[1].Raw != wantKeyboard {
		t.Fatalf("quick replies: got %+v\nwant last %s", sent, wantKeyboard)
	}

	// Tap the reply keyboard: Telegram sends the option's text.
	post(messageUpdate(3, chat, "Thick"))
	sent = api.waitSent(chat, 5)
	if got := rt.Texts(); len(got) != 3 || got[2] != "crust-thick" {
		t.Fatalf("runtime got %q; the option's value must come back", got)
	}
	if got := methods(sent); !slices.Equal(got, []string{"sendMessage", "sendLocation", "sendMessage", "sendMessage", "sendMessage"}) {
		t.Fatalf("last turn: calls %v", got)
	}
	if sent[0].Text != "Done, a thick one." {
		t.Errorf("SSML shown as %q", sent[0].Text)
	}
	if loc := sent[1].Params; string(loc["latitude"]) != "37.5665" || string(loc["chat_id"]) != "42" {
		t.Errorf("custom payload sent as %s", sent[1].Raw)
	}
	var joined []string
	for _, s := range sent[2:] {
		if n := len(utf16.Encode([]rune(s.Text))); n > 4096 {
			t.Errorf("a piece of %d units", n)
		}
		joined = append(joined, s.Text)
	}
	if strings.TrimSpace(strings.Join(joined, " ")) != strings.TrimSpace(longText) {
		t.Errorf("the long text's pieces do not add up to it: %d pieces, lengths %d", len(joined), len(strings.Join(joined, " ")))
	}

	// The offer ended with its turn: the same text now is just text.
	post(messageUpdate(4, chat, "Thick"))
	api.waitSent(chat, 1)
	// A short value comes back as it was sent.
	api.addCallback("cbq-2")
	post(callbackUpdate(5, chat, "cbq-2", "order pepperoni"))
	api.waitSent(chat, 1)
	// A key the connector never gave (or forgot) is answered, not run.
	api.addCallback("cbq-3")
	post(callbackUpdate(6, chat, "cbq-3", "\x1ekzz"))
	closeWithin(t, ch)

	turns := rt.Turns()
	if got := rt.Texts(); !slices.Equal(got, []string{"menu", longValue, "crust-thick", "Thick", "order pepperoni"}) {
		t.Errorf("runtime got %q", got)
	}
	for _, tr := range turns {
		if tr.Key.SessionID != "telegram:42" || tr.RequestAttributes["x-amz-lex:channels:platform"] != "Telegram" {
			t.Errorf("turn %q: session %q, attributes %v; want the chat's session", tr.Text, tr.Key.SessionID, tr.RequestAttributes)
		}
	}
	if n := api.count("answerCallbackQuery"); n != 3 {
		t.Errorf("answerCallbackQuery called %d times, want one per callback query (3)", n)
	}
	if s := ch.Stats(); s.Accepted != 6 || s.Failed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestGroupChatIsOneSession: in a group the chat, not the member, is the
// session, so the group talks to the bot as one conversation.
func TestGroupChatIsOneSession(t *testing.T) {
	rt := &channeltest.Runtime{}
	ch, api, _ := connect(t, rt, nil)
	const group = -1001234567890
	api.addChat(group)
	for i, from := range []int64{1, 2} {
		u := map[string]any{"update_id": 10 + i, "message": map[string]any{"message_id": i, "date": 1, "text": "hi",
			"from": map[string]any{"id": from, "is_bot": false, "first_name": "M"},
			"chat": map[string]any{"id": group, "type": "supergroup", "title": "Team"}}}
		serve(ch, webhook(mustJSON(u)))
	}
	if got := api.waitSent(group, 2); len(got) != 2 {
		t.Fatalf("group got %d replies, want 2", len(got))
	}
	closeWithin(t, ch)
	turns := rt.Turns()
	if len(turns) != 2 || turns[0].Key.SessionID != "telegram:-1001234567890" || turns[1].Key != turns[0].Key {
		t.Errorf("turns %+v; want both in the group's session", turns)
	}
}

func methods(sent []sentCall) []string {
	var out []string
	for _, s := range sent {
		out = append(out, s.Method)
	}
	return out
}

// buttonData returns the callback_data of a sent inline keyboard's row.
func buttonData(t *testing.T, s sentCall, row int) string {
	t.Helper()
	var m struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(s.Params["reply_markup"], &m); err != nil || len(m.InlineKeyboard) <= row {
		t.Fatalf("no inline keyboard row %d in %s", row, s.Raw)
	}
	return m.InlineKeyboard[row][0].CallbackData
}

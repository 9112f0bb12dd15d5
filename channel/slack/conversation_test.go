package slack_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

const nativeBlocks = `[{"type":"section","text":{"type":"mrkdwn","text":"*Large* it is :pizza:"}},{"type":"context","elements":[{"type":"mrkdwn","text":"ready in 20 min"}]}]`

// pizzaScript answers "hello" with text, a carousel of two image cards
// (value and link buttons) and a choice of sizes, and a size with a
// native Block Kit payload.
func pizzaScript(req *parley.TurnRequest) []parley.Message {
	switch req.Text {
	case "hello":
		return []parley.Message{
			{ContentType: parley.ContentPlainText, Content: "Welcome to Pizza <Palace> & friends"},
			{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
				Title: "Margherita", Subtitle: "Tomato & mozzarella", ImageURL: "https://img.example.com/m.png",
				Buttons: []parley.Button{{Text: "Order", Value: "order margherita"}, {Text: "Menu", Value: "https://pizza.example.com/menu"}}}},
			{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
				Title: "Pepperoni", ImageURL: "https://img.example.com/p.png",
				Buttons: []parley.Button{{Text: "Order", Value: "order pepperoni"}}}},
			{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
				Title: "Which size?", Buttons: []parley.Button{{Text: "Small", Value: "small"}, {Text: "Large", Value: "large"}}}},
		}
	case "large":
		return []parley.Message{{ContentType: parley.ContentCustomPayload, Content: `{"slack":{"text":"Large it is","blocks":` + nativeBlocks + `}}`}}
	}
	return []parley.Message{{ContentType: parley.ContentPlainText, Content: "you said: " + req.Text}}
}

func blockTypes(p post) []string {
	var out []string
	for _, b := range p.Blocks {
		out = append(out, b["type"].(string))
	}
	return out
}

// buttons returns the buttons of a message's actions blocks by their text.
func buttons(p post) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, b := range p.Blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			text := el["text"].(map[string]any)["text"].(string)
			if _, dup := out[text]; dup {
				text += "#2"
			}
			out[text] = el
		}
	}
	return out
}

func TestConversationWithBlockKit(t *testing.T) {
	fake := newFakeSlack(t, testToken, mainChannel)
	fake.rateLimitNext = 1 // Slack's 429 ratelimited, once
	rt := &channeltest.Runtime{Script: pizzaScript}
	ch := newChannel(t, rt, fake, nil)
	userTS := "1700000000.000042"

	if rec := serve(ch, signedEvent(userMessage("EvPizza1", mainChannel, "U0ALICE", "hello", userTS))); rec.Code != 200 {
		t.Fatalf("message: status %d", rec.Code)
	}
	posts := fake.waitPosts(1, 5*time.Second, func(post) bool { return true })
	if len(posts) != 1 {
		t.Fatalf("fake got %d messages, want 1", len(posts))
	}
	menu := posts[0]
	if menu.Channel != mainChannel || menu.ThreadTS != userTS {
		t.Errorf("reply in %s thread %q, want %s thread %s", menu.Channel, menu.ThreadTS, mainChannel, userTS)
	}
	wantTypes := []string{"section", "header", "section", "actions", "divider", "header", "image", "actions", "section", "actions"}
	if got := blockTypes(menu); !slices.Equal(got, wantTypes) {
		t.Errorf("blocks %v, want %v", got, wantTypes)
	}
	if got := menu.Blocks[0]["text"].(map[string]any)["text"]; got != "Welcome to Pizza &lt;Palace&gt; &amp; friends" {
		t.Errorf("text section %q: want Slack's three characters escaped", got)
	}
	if !strings.HasPrefix(menu.Text, "Welcome to Pizza") {
		t.Errorf("fallback text %q", menu.Text)
	}
	if acc, _ := menu.Blocks[2]["accessory"].(map[string]any); acc["image_url"] != "https://img.example.com/m.png" {
		t.Errorf("card section accessory %v, want the image", menu.Blocks[2]["accessory"])
	}
	bs := buttons(menu)
	if bs["Menu"]["url"] != "https://pizza.example.com/menu" || bs["Menu"]["value"] != nil {
		t.Errorf("link button %v, want url and no value", bs["Menu"])
	}
	if bs["Order"]["value"] != "order margherita" || bs["Order#2"]["value"] != "order pepperoni" {
		t.Errorf("order buttons %v / %v", bs["Order"], bs["Order#2"])
	}
	if fake.rateLimited != 1 {
		t.Errorf("fake answered ratelimited %d times, want 1 (and the message still arrived)", fake.rateLimited)
	}

	// The user clicks Large: Slack posts block_actions with the button.
	large := bs["Large"]
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": "1.2.3", "response_url": fake.responseURL("click"),
		"user":      map[string]any{"id": "U0ALICE"},
		"container": map[string]any{"type": "message", "message_ts": menu.TS, "channel_id": mainChannel, "is_ephemeral": false},
		"channel":   map[string]any{"id": mainChannel},
		"message":   map[string]any{"ts": menu.TS, "thread_ts": userTS},
		"actions": []map[string]any{{"type": "button", "action_id": large["action_id"], "value": large["value"],
			"text": large["text"], "action_ts": "1700000101.000001"}},
	})
	rec := serve(ch, signedForm("/interactions", url.Values{"payload": {string(payload)}}))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Fatalf("click: status %d body %q, want 200 and no body", rec.Code, rec.Body)
	}
	posts = fake.waitPosts(2, 5*time.Second, func(post) bool { return true })
	closeChannel(t, ch)
	if got := rt.Texts(); !slices.Equal(got, []string{"hello", "large"}) {
		t.Fatalf("runtime got %q, want the click's value as the second turn", got)
	}
	if turns := rt.Turns(); turns[0].Key.SessionID != turns[1].Key.SessionID {
		t.Errorf("the click ran in session %s, the message in %s", turns[1].Key.SessionID, turns[0].Key.SessionID)
	}
	if len(posts) != 2 {
		t.Fatalf("fake got %d messages, want 2", len(posts))
	}
	answer := posts[1]
	if answer.Endpoint != "chat.postMessage" || answer.ThreadTS != userTS || answer.Text != "Large it is" {
		t.Errorf("answer to the click %+v: want chat.postMessage in the thread with the payload's text", answer)
	}
	var want []map[string]any
	json.Unmarshal([]byte(nativeBlocks), &want)
	if !reflect.DeepEqual(answer.Blocks, want) {
		t.Errorf("custom payload blocks %v, want them passed through as %v", answer.Blocks, want)
	}
}

// TestLimits sends a turn that overflows every Block Kit limit; the fake
// fails the test on anything Slack would refuse, and nothing may be lost.
func TestLimits(t *testing.T) {
	long := strings.Repeat("word <&> ", 1000) // 9,000 characters, 25,000 escaped
	var many []parley.Button
	for i := range 30 {
		many = append(many, parley.Button{Text: strings.Repeat("b", 100), Value: strings.Repeat(string(rune('a'+i%26)), 2500)})
	}
	msgs := []parley.Message{
		{ContentType: parley.ContentPlainText, Content: long},
		{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
			Title: strings.Repeat("T", 250), Subtitle: strings.Repeat("s", 250), ImageURL: "https://img.example.com/" + strings.Repeat("x", 3000),
			Buttons: many}},
	}
	for range 60 {
		msgs = append(msgs, parley.Message{ContentType: parley.ContentPlainText, Content: "line"})
	}
	msgs = append(msgs, parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
		Title: "Pick", Buttons: many}})
	fake := newFakeSlack(t, testToken, mainChannel)
	rt := &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message { return msgs }}
	ch := newChannel(t, rt, fake, nil)
	serve(ch, signedEvent(userMessage("EvBig", mainChannel, "U0ALICE", "everything", "1700000000.000001")))
	rt.WaitTurns(1, 5*time.Second)
	closeChannel(t, ch)
	posts := fake.Posts()
	if len(posts) < 2 {
		t.Fatalf("fake got %d messages; 60+ blocks need at least two", len(posts))
	}
	sections, lines := 0, 0
	for _, p := range posts {
		if len(p.Text) == 0 || len([]rune(p.Text)) > 4000 {
			t.Errorf("fallback text of %d characters", len([]rune(p.Text)))
		}
		for _, b := range p.Blocks {
			if b["type"] != "section" {
				continue
			}
			text := b["text"].(map[string]any)["text"].(string)
			if strings.Contains(text, "word") {
				sections++
			}
			if text == "line" {
				lines++
			}
		}
	}
	if sections < 9 || lines != 60 {
		t.Errorf("%d sections of the long text and %d of 60 lines arrived", sections, lines)
	}
	last := posts[len(posts)-1]
	if got := blockTypes(last); got[len(got)-1] != "actions" {
		t.Errorf("the last message ends with %v; the choices belong at the end", got)
	}
}

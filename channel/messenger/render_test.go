package messenger_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

func custom(content string) parley.Message {
	return parley.Message{ContentType: parley.ContentCustomPayload, Content: content}
}

// TestRender covers the edges of the mapping onto Send API messages; each
// case's messages pass the validating fake.
func TestRender(t *testing.T) {
	cases := []struct {
		name    string
		msgs    []parley.Message
		want    string // the messages the user got, as JSON
		actions []string
	}{
		{"custom payload that is a string", []parley.Message{custom(`{"messenger":"plain words"}`)},
			`[{"text":"plain words"}]`, []string{"typing_on"}},
		{"custom payload that is null sends nothing", []parley.Message{custom(`{"messenger":null}`)},
			`null`, []string{"typing_on", "typing_off"}},
		{"custom payload that is not an object", []parley.Message{custom(`{"messenger":[1,2]}`)},
			`[{"text":"[1,2]"}]`, []string{"typing_on"}},
		{"custom payload for another platform is text", []parley.Message{custom(`{"kakao":{"x":1}}`)},
			`[{"text":"{\"kakao\":{\"x\":1}}"}]`, []string{"typing_on"}},
		{"untitled choices ride on a native message", []parley.Message{
			custom(`{"messenger":{"attachment":{"type":"image","payload":{"url":"https://img.example.com/a.png"}}}}`),
			card("", "", "", "Yes", "yes", "No", "no")},
			`[{"attachment":{"payload":{"url":"https://img.example.com/a.png"},"type":"image"},"quick_replies":[{"content_type":"text","payload":"yes","title":"Yes"},{"content_type":"text","payload":"no","title":"No"}]}]`,
			[]string{"typing_on"}},
		{"a native message keeps its own quick replies", []parley.Message{
			custom(`{"messenger":{"text":"Pick","quick_replies":[{"content_type":"user_email"}]}}`),
			card("", "", "", "Yes", "yes")},
			`[{"quick_replies":[{"content_type":"user_email"}],"text":"Pick"}]`, []string{"typing_on"}},
		{"untitled choices alone", []parley.Message{card("", "", "", "Small", "S", "Large", "L")},
			`[{"quick_replies":[{"content_type":"text","payload":"S","title":"Small"},{"content_type":"text","payload":"L","title":"Large"}],"text":"Small / Large"}]`,
			[]string{"typing_on"}},
		{"buttons without text or value", []parley.Message{card("Title", "Sub", "https://img.example.com/a.png", "", "")},
			`[{"attachment":{"payload":{"elements":[{"buttons":[{"payload":"…","title":"…","type":"postback"}],"image_url":"https://img.example.com/a.png","subtitle":"Sub","title":"Title"}],"template_type":"generic"},"type":"template"}}]`,
			[]string{"typing_on"}},
		{"a link card without image", []parley.Message{card("Docs", "", "", "Open", "https://example.com/docs"), text("bye")},
			`[{"attachment":{"payload":{"buttons":[{"title":"Open","type":"web_url","url":"https://example.com/docs"}],"template_type":"button","text":"Docs"},"type":"template"}},{"text":"bye"}]`,
			[]string{"typing_on"}},
		{"empty texts send nothing", []parley.Message{text(""), {ContentType: parley.ContentSSML, Content: "<speak> </speak>"}},
			`null`, []string{"typing_on", "typing_off"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeGraph(t, testPageToken, testAppSecret)
			rt := &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message { return c.msgs }}
			ch := newChannel(t, fake, rt, &sleeps{})
			serve(ch, signedRequest(notification(textEvent("PSID_R", "m_r", "go"))))
			closeChannel(t, ch)
			if got := asJSON(fake.messagesTo("PSID_R")); got != c.want {
				t.Errorf("messages\n got %s\nwant %s", got, c.want)
			}
			var actions []string
			for _, call := range fake.all() {
				if call.Action != "" {
					actions = append(actions, call.Action)
				}
			}
			if asJSON(actions) != asJSON(c.actions) {
				t.Errorf("sender actions %q, want %q", actions, c.actions)
			}
		})
	}
}

package messenger

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley/channel/connector"
)

// placeholder stands in for a required title the bot left empty; Meta
// rejects empty titles.
const placeholder = "…"

// render maps a turn's generic reply onto Send API message objects in the
// order they are sent (channels.md §7.3, Messenger column). Every limit of
// limits.go is applied here, so the platform never refuses a message for
// its shape.
func render(r connector.Reply) []message {
	var out []message
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			out = append(out, renderCustom(p.Custom)...)
		case len(p.Cards) > 0:
			out = append(out, renderCards(p.Cards)...)
		default:
			out = append(out, texts(p.Text)...)
		}
	}
	qrs := quickReplies(r.QuickReplies)
	if len(qrs) == 0 {
		return out
	}
	if len(out) == 0 {
		// Quick replies need a message to ride on; the choices themselves
		// are the best text there is.
		var labels []string
		for _, q := range qrs {
			labels = append(labels, q.Title)
		}
		out = append(out, message{Text: connector.Truncate(strings.Join(labels, " / "), maxTextRunes)})
	}
	last := &out[len(out)-1]
	last.QuickReplies = append(last.QuickReplies, qrs...)
	last.QuickReplies = last.QuickReplies[:min(len(last.QuickReplies), maxQuickReplies)]
	return out
}

// texts splits s into text messages within the platform's length.
func texts(s string) []message {
	var out []message
	for _, piece := range connector.SplitText(s, maxTextRunes) {
		out = append(out, message{Text: piece})
	}
	return out
}

// renderCustom sends a CustomPayload's {"messenger": ...} value as the
// native message object it is; a JSON string is sent as text, and
// anything else as its JSON text, so an author's mistake is visible rather
// than silently lost.
func renderCustom(raw json.RawMessage) []message {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return texts(s)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if obj == nil {
			return nil // null: the author sends nothing to Messenger
		}
		return []message{{native: raw}}
	}
	return texts(string(raw))
}

// renderCards renders one card or a carousel. A single card without an
// image is a button template (text ≤640); image cards, one or several, are
// a generic template (≤10 elements, more in further templates). Templates
// take 3 buttons; a card's 4th and 5th follow it as a message with quick
// replies, since Lex allows 5 and Messenger 3.
func renderCards(cards []connector.Card) []message {
	if len(cards) == 1 && cards[0].ImageURL == "" {
		return buttonTemplate(cards[0])
	}
	var out, extra []message
	for start := 0; start < len(cards); start += maxGenericElements {
		chunk := cards[start:min(start+maxGenericElements, len(cards))]
		tpl := template{TemplateType: "generic"}
		for _, c := range chunk {
			kept, rest := splitButtons(c.Buttons)
			tpl.Elements = append(tpl.Elements, element{
				Title:    orPlaceholder(connector.Truncate(c.Title, maxElementTitle)),
				Subtitle: connector.Truncate(c.Subtitle, maxElementSubtitle),
				ImageURL: c.ImageURL,
				Buttons:  kept,
			})
			extra = append(extra, followUp(c.Title, rest)...)
		}
		out = append(out, message{Attachment: &attachment{Type: "template", Payload: tpl}})
	}
	return append(out, extra...)
}

// buttonTemplate renders an image-less card: a button template when it
// has buttons (the template needs 1–3), else its text.
func buttonTemplate(c connector.Card) []message {
	text := c.Title
	if c.Subtitle != "" {
		text = strings.TrimSpace(text + "\n" + c.Subtitle)
	}
	if len(c.Buttons) == 0 {
		return texts(text)
	}
	kept, rest := splitButtons(c.Buttons)
	tpl := template{
		TemplateType: "button",
		Text:         orPlaceholder(connector.Truncate(text, maxButtonTemplateText)),
		Buttons:      kept,
	}
	return append([]message{{Attachment: &attachment{Type: "template", Payload: tpl}}}, followUp(c.Title, rest)...)
}

// splitButtons returns the template buttons of a card and the ones past
// the template's limit.
func splitButtons(bs []connector.Button) (kept []button, rest []connector.Button) {
	for i, b := range bs {
		if i == maxTemplateButtons {
			return kept, bs[i:]
		}
		kept = append(kept, templateButton(b))
	}
	return kept, nil
}

// followUp carries a card's buttons past the template's three: value
// buttons as quick replies, links (which quick replies cannot hold) as
// lines of the text.
func followUp(title string, rest []connector.Button) []message {
	if len(rest) == 0 {
		return nil
	}
	m := message{Text: title}
	for _, b := range rest {
		if b.URL != "" {
			m.Text = strings.TrimSpace(m.Text + "\n" + orPlaceholder(b.Text) + ": " + b.URL)
			continue
		}
		m.QuickReplies = append(m.QuickReplies, quickReplyFor(b))
	}
	m.Text = orPlaceholder(connector.Truncate(m.Text, maxTextRunes))
	return []message{m}
}

func templateButton(b connector.Button) button {
	if b.URL != "" {
		return button{Type: "web_url", Title: orPlaceholder(connector.Truncate(b.Text, maxButtonTitle)), URL: b.URL}
	}
	return button{Type: "postback", Title: buttonTitle(b), Payload: payload(b)}
}

func quickReplies(bs []connector.Button) []quickReply {
	var out []quickReply
	for _, b := range bs {
		if b.URL != "" || len(out) == maxQuickReplies {
			continue
		}
		out = append(out, quickReplyFor(b))
	}
	return out
}

func quickReplyFor(b connector.Button) quickReply {
	return quickReply{ContentType: "text", Title: buttonTitle(b), Payload: payload(b)}
}

// buttonTitle is the visible label: the text, else the value, shortened.
func buttonTitle(b connector.Button) string {
	t := b.Text
	if t == "" {
		t = b.Value
	}
	return orPlaceholder(connector.Truncate(t, maxButtonTitle))
}

// payload is what a tap sends back: the value (the text when there is
// none). It is cut, never ellipsised, past the platform limit; Lex values
// are at most 50 characters, so this only guards a custom bot.
func payload(b connector.Button) string {
	p := b.Value
	if p == "" {
		p = b.Text
	}
	if p == "" {
		return placeholder
	}
	if utf8.RuneCountInString(p) <= maxPayloadRunes {
		return p
	}
	n := 0
	for i := range p {
		if n == maxPayloadRunes {
			return p[:i]
		}
		n++
	}
	return p
}

func orPlaceholder(s string) string {
	if strings.TrimSpace(s) == "" {
		return placeholder
	}
	return s
}

package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley/channel/connector"
)

// outMessage is a chat.postMessage request or a response_url answer.
type outMessage struct {
	Channel      string `json:"channel,omitempty"`
	ThreadTS     string `json:"thread_ts,omitempty"`
	ResponseType string `json:"response_type,omitempty"`
	// ReplaceOriginal is set on response_url answers to a button click, so
	// the answer is a new message and the buttons stay readable.
	ReplaceOriginal *bool `json:"replace_original,omitempty"`
	// Text is the notification and accessibility fallback of the blocks.
	Text   string `json:"text"`
	Blocks []any  `json:"blocks,omitempty"`
}

// Block Kit, the subset the renderer writes. A CustomPayload's blocks pass
// through as json.RawMessage.
type (
	textObject struct {
		Type  string `json:"type"`
		Text  string `json:"text"`
		Emoji bool   `json:"emoji,omitempty"`
	}
	sectionBlock struct {
		Type      string        `json:"type"`
		Text      textObject    `json:"text"`
		Accessory *imageElement `json:"accessory,omitempty"`
	}
	headerBlock struct {
		Type string     `json:"type"`
		Text textObject `json:"text"`
	}
	imageBlock struct {
		Type     string `json:"type"`
		ImageURL string `json:"image_url"`
		AltText  string `json:"alt_text"`
	}
	imageElement struct {
		Type     string `json:"type"`
		ImageURL string `json:"image_url"`
		AltText  string `json:"alt_text"`
	}
	dividerBlock struct {
		Type string `json:"type"`
	}
	actionsBlock struct {
		Type     string          `json:"type"`
		Elements []buttonElement `json:"elements"`
	}
	buttonElement struct {
		Type     string     `json:"type"`
		Text     textObject `json:"text"`
		ActionID string     `json:"action_id"`
		Value    string     `json:"value,omitempty"`
		URL      string     `json:"url,omitempty"`
	}
)

// unit is blocks that belong together (a text, a card, a payload) and the
// plain text they contribute to the message's fallback.
type unit struct {
	blocks []any
	text   string
}

// renderer turns one turn's reply into Slack messages. Its button counter
// makes every action_id unique across the turn, hence within each message.
type renderer struct {
	buttons int
}

// render maps a reply onto messages of at most maxBlocks blocks each
// (channels.md §7.3): text as mrkdwn sections, a card as header, section
// or image and an actions block, a carousel's cards separated by dividers,
// quick replies as a final actions block, a CustomPayload's blocks as they
// are. A reply with nothing to show gives no message.
func render(r connector.Reply) []outMessage {
	var rd renderer
	var units []unit
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			units = append(units, customUnit(p.Custom))
		case len(p.Cards) > 0:
			for i, c := range p.Cards {
				u := rd.card(c)
				if i > 0 {
					u.blocks = append([]any{dividerBlock{Type: "divider"}}, u.blocks...)
				}
				units = append(units, u)
			}
		default:
			units = append(units, textUnit(p.Text))
		}
	}
	if len(r.QuickReplies) > 0 {
		units = append(units, unit{blocks: rd.actions(r.QuickReplies)})
	}
	return pack(units)
}

// pack fills messages with whole units while they fit; a unit larger than
// a message is cut across messages.
func pack(units []unit) []outMessage {
	var msgs []outMessage
	var cur outMessage
	var texts []string
	flush := func() {
		if len(cur.Blocks) == 0 {
			return
		}
		cur.Text = connector.Truncate(strings.Join(texts, "\n"), maxFallbackText)
		if cur.Text == "" {
			cur.Text = "…" // screen readers and notifications need some text
		}
		msgs = append(msgs, cur)
		cur, texts = outMessage{}, nil
	}
	for _, u := range units {
		if len(u.blocks) == 0 {
			continue
		}
		if len(cur.Blocks)+len(u.blocks) > maxBlocks {
			flush()
		}
		if u.text != "" {
			texts = append(texts, escapeMrkdwn(u.text))
		}
		for len(u.blocks) > 0 {
			room := maxBlocks - len(cur.Blocks)
			n := min(room, len(u.blocks))
			cur.Blocks = append(cur.Blocks, u.blocks[:n]...)
			u.blocks = u.blocks[n:]
			if len(u.blocks) > 0 {
				flush()
			}
		}
	}
	flush()
	return msgs
}

// textUnit shows text as mrkdwn sections of at most maxSectionText
// characters after escaping.
func textUnit(s string) unit {
	if strings.TrimSpace(s) == "" {
		return unit{}
	}
	u := unit{text: s}
	for _, piece := range connector.SplitText(s, maxSectionText) {
		esc := escapeMrkdwn(piece)
		if utf8.RuneCountInString(esc) > maxSectionText {
			// Every character might have become a five-character entity.
			for _, small := range connector.SplitText(piece, maxSectionText/len("&amp;")) {
				u.blocks = append(u.blocks, section(escapeMrkdwn(small)))
			}
			continue
		}
		u.blocks = append(u.blocks, section(esc))
	}
	return u
}

func section(mrkdwn string) sectionBlock {
	return sectionBlock{Type: "section", Text: textObject{Type: "mrkdwn", Text: mrkdwn}}
}

// card renders an ImageResponseCard: the title as a header, the subtitle
// as a section with the image beside it (or the image as its own block),
// and the buttons below.
func (rd *renderer) card(c connector.Card) unit {
	u := unit{text: strings.TrimSpace(c.Title + "\n" + c.Subtitle)}
	if t := strings.TrimSpace(c.Title); t != "" {
		u.blocks = append(u.blocks, headerBlock{Type: "header", Text: textObject{Type: "plain_text", Text: connector.Truncate(t, maxHeaderText), Emoji: true}})
	}
	image := c.ImageURL
	if len(image) > maxURL {
		image = "" // Slack would refuse the whole message for it
	}
	alt := connector.Truncate(strings.TrimSpace(c.Title), maxAltText)
	if alt == "" {
		alt = "image"
	}
	switch {
	case c.Subtitle != "":
		s := section(connector.Truncate(escapeMrkdwn(c.Subtitle), maxSectionText))
		if image != "" {
			s.Accessory = &imageElement{Type: "image", ImageURL: image, AltText: alt}
		}
		u.blocks = append(u.blocks, s)
	case image != "":
		u.blocks = append(u.blocks, imageBlock{Type: "image", ImageURL: image, AltText: alt})
	}
	u.blocks = append(u.blocks, rd.actions(c.Buttons)...)
	return u
}

// actions renders buttons as actions blocks of at most
// maxButtonsPerActions each. A value button returns its value as the
// user's next turn; a URL button only opens the link.
func (rd *renderer) actions(bs []connector.Button) []any {
	var blocks []any
	var cur []buttonElement
	for _, b := range bs {
		text := strings.TrimSpace(b.Text)
		if text == "" {
			text = b.Value
		}
		if text == "" || (b.Value == "" && b.URL == "") {
			continue
		}
		rd.buttons++
		el := buttonElement{Type: "button", Text: textObject{Type: "plain_text", Text: connector.Truncate(text, maxButtonText), Emoji: true},
			ActionID: "parley-" + strconv.Itoa(rd.buttons)}
		if b.URL != "" && len(b.URL) <= maxURL {
			el.URL = b.URL
		} else {
			el.Value = connector.Truncate(b.Value, maxButtonValue)
		}
		cur = append(cur, el)
		if len(cur) == maxButtonsPerActions {
			blocks = append(blocks, actionsBlock{Type: "actions", Elements: cur})
			cur = nil
		}
	}
	if len(cur) > 0 {
		blocks = append(blocks, actionsBlock{Type: "actions", Elements: cur})
	}
	return blocks
}

// customUnit passes a CustomPayload's {"blocks": [...], "text": "..."}
// through; a payload without blocks shows its text, or its JSON as text.
func customUnit(raw json.RawMessage) unit {
	var native struct {
		Text   string            `json:"text"`
		Blocks []json.RawMessage `json:"blocks"`
	}
	if json.Unmarshal(raw, &native) != nil {
		return textUnit(string(raw))
	}
	if len(native.Blocks) == 0 {
		return textUnit(native.Text)
	}
	u := unit{text: native.Text}
	for _, b := range native.Blocks {
		u.blocks = append(u.blocks, b)
	}
	return u
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeMrkdwn escapes the three characters Slack reserves for its own
// markup (mentions, links), so the bot's text shows as written.
func escapeMrkdwn(s string) string { return mrkdwnEscaper.Replace(s) }

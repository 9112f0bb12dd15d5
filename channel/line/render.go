package line

import (
	"encoding/json"
	"strings"

	"github.com/parleybot/parley/channel/connector"
)

// The LINE message objects the connector sends (channels.md §6.3).
type (
	outMessage struct {
		Type               string    `json:"type"`
		Text               string    `json:"text,omitempty"`
		AltText            string    `json:"altText,omitempty"`
		Template           *template `json:"template,omitempty"`
		OriginalContentURL string    `json:"originalContentUrl,omitempty"`
		PreviewImageURL    string    `json:"previewImageUrl,omitempty"`
	}
	template struct {
		Type              string   `json:"type"` // buttons or carousel
		ThumbnailImageURL string   `json:"thumbnailImageUrl,omitempty"`
		Title             string   `json:"title,omitempty"`
		Text              string   `json:"text,omitempty"`
		Actions           []action `json:"actions,omitempty"`
		Columns           []column `json:"columns,omitempty"`
	}
	column struct {
		ThumbnailImageURL string   `json:"thumbnailImageUrl,omitempty"`
		Title             string   `json:"title,omitempty"`
		Text              string   `json:"text"`
		Actions           []action `json:"actions"`
	}
	action struct {
		Type        string `json:"type"` // postback, message or uri
		Label       string `json:"label"`
		Data        string `json:"data,omitempty"`
		DisplayText string `json:"displayText,omitempty"`
		Text        string `json:"text,omitempty"`
		URI         string `json:"uri,omitempty"`
	}
	quickReply struct {
		Items []quickReplyItem `json:"items"`
	}
	quickReplyItem struct {
		Type   string `json:"type"` // always action
		Action action `json:"action"`
	}
)

// render turns a planned reply into LINE message objects, every one within
// LINE's limits, with the quick replies on the last one (the only one whose
// quick replies LINE shows). A card's buttons beyond the buttons template's
// four join the quick replies; a carousel column's beyond three are dropped.
func render(r connector.Reply) []json.RawMessage {
	var out []json.RawMessage
	add := func(m outMessage) {
		data, _ := json.Marshal(m) // plain structs of strings: cannot fail
		out = append(out, data)
	}
	var quick []connector.Button
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			out = append(out, custom(p.Custom)...)
		case len(p.Cards) == 1:
			msgs, overflow := buttonsCard(p.Cards[0])
			for _, m := range msgs {
				add(m)
			}
			quick = append(quick, overflow...)
		case len(p.Cards) > 1:
			for start := 0; start < len(p.Cards); start += maxCarouselColumns {
				add(carousel(p.Cards[start:min(start+maxCarouselColumns, len(p.Cards))]))
			}
		default:
			for _, piece := range connector.SplitText(p.Text, maxTextRunes) {
				add(outMessage{Type: "text", Text: piece})
			}
		}
	}
	quick = append(quick, r.QuickReplies...)
	var items []quickReplyItem
	for _, b := range quick {
		if a, ok := buttonAction(b); ok && len(items) < maxQuickReplyItems {
			items = append(items, quickReplyItem{Type: "action", Action: a})
		}
	}
	if len(items) > 0 && len(out) > 0 {
		out[len(out)-1] = withQuickReply(out[len(out)-1], quickReply{Items: items})
	}
	return out
}

// buttonsCard renders one card as a buttons template, or as an image and a
// text when it has no buttons (a template needs at least one action). It
// returns the buttons that did not fit.
func buttonsCard(c connector.Card) (msgs []outMessage, overflow []connector.Button) {
	image := imageURL(c.ImageURL)
	var actions []action
	for _, b := range c.Buttons {
		a, ok := buttonAction(b)
		switch {
		case !ok:
		case len(actions) < maxButtonsActions:
			actions = append(actions, a)
		default:
			overflow = append(overflow, b)
		}
	}
	if len(actions) == 0 {
		if image != "" {
			msgs = append(msgs, outMessage{Type: "image", OriginalContentURL: image, PreviewImageURL: image})
		}
		text := strings.TrimSpace(c.Title + "\n" + c.Subtitle)
		for _, piece := range connector.SplitText(text, maxTextRunes) {
			msgs = append(msgs, outMessage{Type: "text", Text: piece})
		}
		return msgs, overflow
	}
	t := &template{Type: "buttons", ThumbnailImageURL: image, Actions: actions}
	limit := maxButtonsTextPlain
	if c.Subtitle != "" {
		t.Title = connector.Truncate(c.Title, maxTitleRunes)
		t.Text = c.Subtitle
	} else {
		t.Text = c.Title
	}
	if image != "" || t.Title != "" {
		limit = maxButtonsTextWithImg
	}
	t.Text = nonEmpty(connector.Truncate(t.Text, limit))
	return []outMessage{{Type: "template", AltText: altText(c.Title, c.Subtitle), Template: t}}, overflow
}

// carousel renders up to ten cards as one carousel template. LINE wants the
// same shape in every column: all with an image or none, all with a title or
// none, and the same number of actions; columns with fewer buttons are
// padded with a message action that says the card's title.
func carousel(cards []connector.Card) outMessage {
	withImages, withTitles, nActions := true, true, 1
	actions := make([][]action, len(cards))
	for i, c := range cards {
		withImages = withImages && imageURL(c.ImageURL) != ""
		withTitles = withTitles && c.Subtitle != ""
		for _, b := range c.Buttons {
			if a, ok := buttonAction(b); ok && len(actions[i]) < maxCarouselActions {
				actions[i] = append(actions[i], a)
			}
		}
		nActions = max(nActions, len(actions[i]))
	}
	limit := maxCarouselTextPlain
	if withImages || withTitles {
		limit = maxCarouselTextWithImg
	}
	t := &template{Type: "carousel"}
	var titles []string
	for i, c := range cards {
		col := column{Actions: actions[i]}
		if withImages {
			col.ThumbnailImageURL = imageURL(c.ImageURL)
		}
		if withTitles {
			col.Title = connector.Truncate(c.Title, maxTitleRunes)
			col.Text = c.Subtitle
		} else {
			col.Text = c.Title
		}
		col.Text = nonEmpty(connector.Truncate(col.Text, limit))
		for len(col.Actions) < nActions {
			label := nonEmpty(c.Title)
			col.Actions = append(col.Actions, action{Type: "message",
				Label: connector.Truncate(label, maxActionLabelRunes), Text: connector.Truncate(label, maxDisplayTextRunes)})
		}
		t.Columns = append(t.Columns, col)
		titles = append(titles, c.Title)
	}
	return outMessage{Type: "template", AltText: altText(strings.Join(titles, ", "), ""), Template: t}
}

// buttonAction maps a button onto a uri action (a link) or a postback action
// whose data is the button's value and whose displayText shows the button's
// text in the chat. A link too long for LINE has no action.
func buttonAction(b connector.Button) (action, bool) {
	label := b.Text
	if label == "" {
		label = b.Value
	}
	if label == "" {
		return action{}, false
	}
	label = connector.Truncate(label, maxActionLabelRunes)
	if b.URL != "" {
		if len([]rune(b.URL)) > maxURIRunes {
			return action{}, false
		}
		return action{Type: "uri", Label: label, URI: b.URL}, true
	}
	value := b.Value
	if value == "" {
		value = b.Text
	}
	return action{Type: "postback", Label: label,
		Data:        connector.Truncate(value, maxPostbackDataRunes),
		DisplayText: connector.Truncate(nonEmpty(b.Text), maxDisplayTextRunes)}, true
}

// imageURL returns u when LINE can show it (HTTPS, short enough), else "".
func imageURL(u string) string {
	if !strings.HasPrefix(u, "https://") || len([]rune(u)) > maxImageURLRunes {
		return ""
	}
	return u
}

func altText(title, subtitle string) string {
	s := title
	if subtitle != "" {
		s += ": " + subtitle
	}
	return connector.Truncate(nonEmpty(strings.TrimSpace(s)), maxAltTextRunes)
}

// nonEmpty keeps required LINE fields from being empty.
func nonEmpty(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// custom returns a CustomPayload's native LINE message objects: one object,
// or an array of them; anything else is not a message and is dropped.
func custom(raw json.RawMessage) []json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if obj == nil {
			return nil
		}
		return []json.RawMessage{raw}
	}
	var list []map[string]json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []json.RawMessage
	for _, m := range list {
		if m != nil {
			data, _ := json.Marshal(m) // re-encoding decoded JSON cannot fail
			out = append(out, data)
		}
	}
	return out
}

// withQuickReply sets the quickReply of one encoded message object.
func withQuickReply(msg json.RawMessage, q quickReply) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(msg, &obj) != nil {
		return msg
	}
	obj["quickReply"], _ = json.Marshal(q)
	data, _ := json.Marshal(obj)
	return data
}

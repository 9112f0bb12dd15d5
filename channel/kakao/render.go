package kakao

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/parleybot/parley/channel/connector"
)

// skillResponse is a SkillResponse 2.0 (channels.md §1.3, §1.5).
type skillResponse struct {
	Version     string            `json:"version"`
	Template    *template         `json:"template,omitempty"`
	UseCallback bool              `json:"useCallback,omitempty"`
	Data        map[string]string `json:"data,omitempty"`
}

type template struct {
	Outputs      []output     `json:"outputs"`
	QuickReplies []quickReply `json:"quickReplies,omitempty"`
}

// output is one component of template.outputs; raw, when set, is a
// CustomPayload's native component, sent as is.
type output struct {
	SimpleText *simpleText `json:"simpleText,omitempty"`
	BasicCard  *basicCard  `json:"basicCard,omitempty"`
	TextCard   *textCard   `json:"textCard,omitempty"`
	Carousel   *carousel   `json:"carousel,omitempty"`
	raw        json.RawMessage
}

// outputFields is output without its MarshalJSON, to encode the fields.
type outputFields output

// MarshalJSON sends a native component as it came.
func (o output) MarshalJSON() ([]byte, error) {
	if o.raw != nil {
		return o.raw, nil
	}
	return json.Marshal(outputFields(o))
}

type simpleText struct {
	Text string `json:"text"`
}

type basicCard struct {
	Title       string    `json:"title,omitempty"`
	Description string    `json:"description,omitempty"`
	Thumbnail   thumbnail `json:"thumbnail"`
	Buttons     []button  `json:"buttons,omitempty"`
}

type thumbnail struct {
	ImageURL string `json:"imageUrl"`
	AltText  string `json:"altText,omitempty"`
}

type textCard struct {
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Buttons     []button `json:"buttons,omitempty"`
}

type carousel struct {
	Type  string      `json:"type"`
	Items []basicCard `json:"items"`
}

type button struct {
	Label       string            `json:"label"`
	Action      string            `json:"action"`
	MessageText string            `json:"messageText,omitempty"`
	WebLinkURL  string            `json:"webLinkUrl,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
}

// quickReply is one of template.quickReplies; raw as for output.
type quickReply struct {
	Label       string            `json:"label"`
	Action      string            `json:"action"`
	MessageText string            `json:"messageText"`
	Extra       map[string]string `json:"extra,omitempty"`
	raw         json.RawMessage
}

type quickReplyFields quickReply

// MarshalJSON sends a native quick reply as it came.
func (q quickReply) MarshalJSON() ([]byte, error) {
	if q.raw != nil {
		return q.raw, nil
	}
	return json.Marshal(quickReplyFields(q))
}

// emptyTurnText is shown when a turn said nothing: a skill response needs
// at least one output.
const emptyTurnText = "…"

// render turns a reply in the generic model into a SkillResponse within
// Kakao's limits (channels.md §7.3): texts split into simpleTexts, cards
// with an image as basicCards (several side by side as carousels of at most
// ten), cards without one as textCards, at most three buttons per card
// (the rest become quick replies), at most ten quick replies, and at most
// three outputs, adjacent texts joined and the excess cut (logged at debug).
func render(r connector.Reply, log *slog.Logger) *skillResponse {
	var outs []output
	var quick []quickReply
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			o, q := native(p.Custom, log)
			outs = append(outs, o...)
			quick = append(quick, q...)
		case len(p.Cards) == 1:
			o, extra := card(p.Cards[0])
			outs = append(outs, o)
			quick = append(quick, extra...)
		case len(p.Cards) > 1:
			for start := 0; start < len(p.Cards); start += maxCarouselItems {
				c := &carousel{Type: "basicCard"}
				for _, cd := range p.Cards[start:min(start+maxCarouselItems, len(p.Cards))] {
					o, extra := card(cd)
					c.Items = append(c.Items, *o.BasicCard)
					quick = append(quick, extra...)
				}
				outs = append(outs, output{Carousel: c})
			}
		default:
			for _, piece := range connector.SplitText(p.Text, simpleTextRunes) {
				outs = append(outs, output{SimpleText: &simpleText{Text: piece}})
			}
		}
	}
	for _, b := range r.QuickReplies {
		quick = append(quick, quickOf(b))
	}
	outs = fit(outs, log)
	if len(outs) == 0 {
		outs = []output{{SimpleText: &simpleText{Text: emptyTurnText}}}
	}
	if len(quick) > maxQuickReplies {
		log.Debug("kakao: quick replies over the limit dropped", "dropped", len(quick)-maxQuickReplies)
		quick = quick[:maxQuickReplies]
	}
	return &skillResponse{Version: "2.0", Template: &template{Outputs: outs, QuickReplies: quick}}
}

// card renders one card (an image-card carousel item takes its basicCard)
// and returns its buttons beyond the third as quick replies; link buttons
// cannot be quick replies and are dropped there.
func card(c connector.Card) (output, []quickReply) {
	var buttons []button
	var extra []quickReply
	for i, b := range c.Buttons {
		switch {
		case i < maxCardButtons:
			buttons = append(buttons, buttonOf(b))
		case b.URL == "":
			extra = append(extra, quickOf(b))
		}
	}
	if c.ImageURL != "" {
		return output{BasicCard: &basicCard{
			Title:       connector.Truncate(c.Title, cardTitleRunes),
			Description: connector.Truncate(c.Subtitle, basicCardDescriptionRunes),
			Thumbnail:   thumbnail{ImageURL: c.ImageURL, AltText: connector.Truncate(c.Title, altTextRunes)},
			Buttons:     buttons,
		}}, extra
	}
	title := connector.Truncate(c.Title, cardTitleRunes)
	desc := connector.Truncate(c.Subtitle, textCardRunes-len([]rune(title)))
	if title == "" && desc == "" {
		desc = emptyTurnText // a textCard needs a title or a description
	}
	return output{TextCard: &textCard{Title: title, Description: desc, Buttons: buttons}}, extra
}

// buttonOf is a card button: a link opens, a value button says its text
// and carries the value back in clientExtra.v.
func buttonOf(b connector.Button) button {
	label := connector.Truncate(labelOf(b), labelRunes)
	if b.URL != "" {
		return button{Label: label, Action: "webLink", WebLinkURL: b.URL}
	}
	return button{Label: label, Action: "message", MessageText: labelOf(b), Extra: map[string]string{"v": b.Value}}
}

func quickOf(b connector.Button) quickReply {
	return quickReply{Label: connector.Truncate(labelOf(b), labelRunes), Action: "message", MessageText: labelOf(b), Extra: map[string]string{"v": b.Value}}
}

// labelOf is what a button shows: its text, or its value when the text is
// empty.
func labelOf(b connector.Button) string {
	if strings.TrimSpace(b.Text) != "" {
		return b.Text
	}
	return b.Value
}

// native reads a CustomPayload's {"kakao": …}: a whole SkillResponse or
// template contributes its outputs and quick replies, anything else is one
// output component; a JSON string is shown as text.
func native(raw json.RawMessage, log *slog.Logger) ([]output, []quickReply) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		var outs []output
		for _, piece := range connector.SplitText(s, simpleTextRunes) {
			outs = append(outs, output{SimpleText: &simpleText{Text: piece}})
		}
		return outs, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		log.Debug("kakao: custom payload is not a JSON object; dropped")
		return nil, nil
	}
	_, whole := obj["template"]
	if whole {
		raw = obj["template"]
	} else if _, ok := obj["outputs"]; !ok {
		return []output{{raw: raw}}, nil
	}
	var t struct {
		Outputs      []json.RawMessage `json:"outputs"`
		QuickReplies []json.RawMessage `json:"quickReplies"`
	}
	if json.Unmarshal(raw, &t) != nil {
		log.Debug("kakao: custom payload's template is malformed; dropped")
		return nil, nil
	}
	var outs []output
	var quick []quickReply
	for _, o := range t.Outputs {
		if isObject(o) {
			outs = append(outs, output{raw: o})
		}
	}
	for _, q := range t.QuickReplies {
		if isObject(q) {
			quick = append(quick, quickReply{raw: q})
		}
	}
	return outs, quick
}

// isObject reports whether raw is a JSON object, the only thing an output
// or quick reply can be.
func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// fit brings outputs down to Kakao's three: adjacent texts are joined
// while they fit one simpleText; beyond three, the texts that follow are
// appended to a third output that is text, cut at the limit, and anything
// else is dropped.
func fit(outs []output, log *slog.Logger) []output {
	if len(outs) <= maxOutputs {
		return outs
	}
	var joined []output
	for _, o := range outs {
		if n := len(joined); n > 0 && o.SimpleText != nil && joined[n-1].SimpleText != nil {
			prev := joined[n-1].SimpleText.Text
			if len([]rune(prev))+2+len([]rune(o.SimpleText.Text)) <= simpleTextRunes {
				joined[n-1] = output{SimpleText: &simpleText{Text: prev + "\n\n" + o.SimpleText.Text}}
				continue
			}
		}
		joined = append(joined, o)
	}
	if len(joined) <= maxOutputs {
		return joined
	}
	kept := joined[:maxOutputs]
	if last := kept[maxOutputs-1].SimpleText; last != nil {
		text := last.Text
		for _, o := range joined[maxOutputs:] {
			if o.SimpleText != nil {
				text += "\n\n" + o.SimpleText.Text
			}
		}
		kept[maxOutputs-1] = output{SimpleText: &simpleText{Text: connector.Truncate(text, simpleTextRunes)}}
	}
	log.Debug("kakao: outputs over the limit cut", "outputs", len(joined), "kept", maxOutputs)
	return kept
}

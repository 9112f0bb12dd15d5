package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/parleybot/parley/channel/connector"
)

// apiCall is one Bot API call of a reply.
type apiCall struct {
	method string
	params any
}

type sendMessage struct {
	ChatID      int64  `json:"chat_id"`
	Text        string `json:"text"`
	ParseMode   string `json:"parse_mode,omitempty"`
	ReplyMarkup any    `json:"reply_markup,omitempty"`
}

type sendPhoto struct {
	ChatID      int64  `json:"chat_id"`
	Photo       string `json:"photo"`
	Caption     string `json:"caption,omitempty"`
	ParseMode   string `json:"parse_mode,omitempty"`
	ReplyMarkup any    `json:"reply_markup,omitempty"`
}

type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type replyKeyboard struct {
	Keyboard        [][]keyboardButton `json:"keyboard"`
	OneTimeKeyboard bool               `json:"one_time_keyboard"`
	ResizeKeyboard  bool               `json:"resize_keyboard"`
}

type keyboardButton struct {
	Text string `json:"text"`
}

type answerCallbackQuery struct {
	CallbackQueryID string `json:"callback_query_id"`
	Text            string `json:"text,omitempty"`
}

// placeholder is the text of a message that must exist only to carry a
// keyboard: Telegram refuses empty text.
const placeholder = "…"

// render turns a reply into Bot API calls for chat, in order, and returns
// the reply keyboard's options (text → value) when it offers one. Parts
// it cannot send (a malformed CustomPayload) are left out and reported.
func render(chat int64, r connector.Reply, keys *valueKeys) (calls []apiCall, offered map[string]string, errs []error) {
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			call, err := customCall(chat, p.Custom)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			calls = append(calls, call)
		case len(p.Cards) > 0:
			// A carousel is one message per card: media groups cannot
			// carry buttons.
			for _, card := range p.Cards {
				calls = append(calls, cardCall(chat, card, keys))
			}
		default:
			for _, piece := range splitUnits(p.Text, maxTextUnits) {
				if strings.TrimSpace(piece) != "" {
					calls = append(calls, apiCall{"sendMessage", &sendMessage{ChatID: chat, Text: piece}})
				}
			}
		}
	}
	if len(r.QuickReplies) == 0 {
		return calls, nil, errs
	}
	kb := &replyKeyboard{OneTimeKeyboard: true, ResizeKeyboard: true}
	offered = map[string]string{}
	for _, b := range r.QuickReplies {
		text, value := buttonText(b), b.Value
		if value == "" {
			value = text
		}
		kb.Keyboard = append(kb.Keyboard, []keyboardButton{{Text: text}})
		if _, dup := offered[text]; !dup {
			offered[text] = value
		}
	}
	// The keyboard rides on the turn's last message when that one has no
	// keyboard of its own, else on a message of its own.
	if n := len(calls); n > 0 {
		if m, ok := calls[n-1].params.(*sendMessage); ok && m.ReplyMarkup == nil {
			m.ReplyMarkup = kb
			return calls, offered, errs
		}
	}
	calls = append(calls, apiCall{"sendMessage", &sendMessage{ChatID: chat, Text: placeholder, ReplyMarkup: kb}})
	return calls, offered, errs
}

// cardCall renders one card: a photo with an HTML caption when it has an
// image, else an HTML message; its buttons are an inline keyboard, one
// button per row.
func cardCall(chat int64, c connector.Card, keys *valueKeys) apiCall {
	var markup any
	if len(c.Buttons) > 0 {
		kb := &inlineKeyboard{}
		for _, b := range c.Buttons {
			btn := inlineButton{Text: buttonText(b)}
			if b.URL != "" {
				btn.URL = b.URL
			} else {
				v := b.Value
				if v == "" {
					v = btn.Text
				}
				btn.CallbackData = keys.data(v)
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, []inlineButton{btn})
		}
		markup = kb
	}
	if c.ImageURL != "" {
		return apiCall{"sendPhoto", &sendPhoto{ChatID: chat, Photo: c.ImageURL, Caption: cardHTML(c, maxCaptionUnits), ParseMode: "HTML", ReplyMarkup: markup}}
	}
	text := cardHTML(c, maxTextUnits)
	if text == "" {
		text = placeholder
	}
	return apiCall{"sendMessage", &sendMessage{ChatID: chat, Text: text, ParseMode: "HTML", ReplyMarkup: markup}}
}

// cardHTML is the card's title in bold over its subtitle, its visible text
// cut to max units (the subtitle first), HTML-escaped.
func cardHTML(c connector.Card, max int) string {
	title, sub := c.Title, c.Subtitle
	sep := 0
	if title != "" && sub != "" {
		sep = 1
	}
	title = truncateUnits(title, max)
	sub = truncateUnits(sub, max-utf16Len(title)-sep)
	var b strings.Builder
	if title != "" {
		b.WriteString("<b>" + escapeHTML.Replace(title) + "</b>")
	}
	if title != "" && sub != "" {
		b.WriteString("\n")
	}
	b.WriteString(escapeHTML.Replace(sub))
	return b.String()
}

// buttonText is a button's label; Telegram refuses empty ones.
func buttonText(b connector.Button) string {
	switch {
	case b.Text != "":
		return b.Text
	case b.Value != "":
		return b.Value
	}
	return placeholder
}

// escapeHTML escapes the three characters Telegram's HTML mode needs
// escaped in text.
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var methodName = regexp.MustCompile(`^[A-Za-z]{1,64}$`)

// customCall passes a CustomPayload's {"method": "...", ...} through as
// that Bot API call, addressed to chat unless it names a chat_id itself.
func customCall(chat int64, raw json.RawMessage) (apiCall, error) {
	var params map[string]json.RawMessage
	if err := json.Unmarshal(raw, &params); err != nil {
		return apiCall{}, fmt.Errorf("telegram: custom payload is not a JSON object: %w", err)
	}
	var method string
	if err := json.Unmarshal(params["method"], &method); err != nil || !methodName.MatchString(method) {
		return apiCall{}, errors.New(`telegram: custom payload needs "method", a Bot API method name`)
	}
	delete(params, "method")
	if _, ok := params["chat_id"]; !ok {
		params["chat_id"] = json.RawMessage(fmt.Sprint(chat))
	}
	return apiCall{method, params}, nil
}

// utf16Len is s's length as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncateUnits shortens s to at most max UTF-16 units, ending with "…"
// when cut.
func truncateUnits(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf16Len(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		if n+utf16.RuneLen(r) > max-1 {
			return s[:i] + "…"
		}
		n += utf16.RuneLen(r)
	}
	return s
}

// splitUnits cuts s into pieces of at most max UTF-16 units, at newlines
// or spaces where it can. connector.SplitText counts runes, so a piece
// with characters outside the BMP is cut again into pieces of half as
// many runes, which are at most max units.
func splitUnits(s string, max int) []string {
	return splitRunes(s, max, max)
}

func splitRunes(s string, runes, max int) []string {
	var out []string
	for _, p := range connector.SplitText(s, runes) {
		if utf16Len(p) <= max || runes <= 1 {
			out = append(out, p)
			continue
		}
		out = append(out, splitRunes(p, runes/2, max)...)
	}
	return out
}

package connector

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// Reply is a turn's messages in the generic model of channels.md §7.2,
// which each connector renders in its platform's format.
type Reply struct {
	Parts []Part
	// QuickReplies are choices attached to the last part: the buttons of a
	// turn's final card when that card has no image and no subtitle (a
	// prompt with choices rather than a card to show).
	QuickReplies []Button
}

// Part is one thing to show: text, one card, several cards side by side,
// or a platform-native payload.
type Part struct {
	Text  string // a text part when Cards and Custom are empty
	Cards []Card // one card, or a carousel when several
	// Custom is a CustomPayload's JSON for this platform: the value under
	// the connector's type key of a payload like {"kakao": {...}}. A
	// CustomPayload without one is shown as Text.
	Custom json.RawMessage
}

// Card is an ImageResponseCard.
type Card struct {
	Title, Subtitle, ImageURL string
	Buttons                   []Button
}

// Button is a card button or quick reply. URL is set when the Lex button's
// value is an http(s) link, which platforms show as a link button.
type Button struct {
	Text, Value, URL string
}

// Plan maps a turn's Lex messages onto the generic model for a connector
// of type typ: SSML loses its tags, consecutive cards with images become
// one carousel, and the final image-less, subtitle-less card with buttons
// becomes quick replies under its title.
func Plan(typ string, msgs []parley.Message) Reply {
	var r Reply
	for i, m := range msgs {
		switch m.ContentType {
		case parley.ContentImageResponseCard:
			if m.ImageResponseCard == nil {
				continue
			}
			c := toCard(m.ImageResponseCard)
			last := i == len(msgs)-1
			if last && c.ImageURL == "" && c.Subtitle == "" && len(c.Buttons) > 0 && allValues(c.Buttons) {
				r.Parts = append(r.Parts, Part{Text: c.Title})
				r.QuickReplies = c.Buttons
				continue
			}
			if n := len(r.Parts); c.ImageURL != "" && n > 0 && len(r.Parts[n-1].Cards) > 0 && r.Parts[n-1].Cards[0].ImageURL != "" {
				r.Parts[n-1].Cards = append(r.Parts[n-1].Cards, c)
				continue
			}
			r.Parts = append(r.Parts, Part{Cards: []Card{c}})
		case parley.ContentSSML:
			if t := StripSSML(m.Content); t != "" {
				r.Parts = append(r.Parts, Part{Text: t})
			}
		case parley.ContentCustomPayload:
			if native := customFor(typ, m.Content); native != nil {
				r.Parts = append(r.Parts, Part{Custom: native})
			} else if m.Content != "" {
				r.Parts = append(r.Parts, Part{Text: m.Content})
			}
		default:
			if m.Content != "" {
				r.Parts = append(r.Parts, Part{Text: m.Content})
			}
		}
	}
	return r
}

func toCard(c *parley.ImageResponseCard) Card {
	card := Card{Title: c.Title, Subtitle: c.Subtitle, ImageURL: c.ImageURL}
	for _, b := range c.Buttons {
		btn := Button{Text: b.Text, Value: b.Value}
		if strings.HasPrefix(b.Value, "https://") || strings.HasPrefix(b.Value, "http://") {
			btn.URL = b.Value
		}
		card.Buttons = append(card.Buttons, btn)
	}
	return card
}

func allValues(bs []Button) bool {
	for _, b := range bs {
		if b.URL != "" {
			return false
		}
	}
	return true
}

// customFor returns the payload under key typ when content is a JSON
// object that has one.
func customFor(typ, content string) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(content), &obj) != nil {
		return nil
	}
	return obj[typ]
}

var ssmlTag = regexp.MustCompile(`<[^>]*>`)

// StripSSML returns the text of an SSML document: tags removed, the five
// XML entities decoded, whitespace collapsed.
func StripSSML(s string) string {
	s = ssmlTag.ReplaceAllString(s, " ")
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// SplitText cuts s into pieces of at most max runes (at least one),
// preferring to cut at a newline, then at a space, never inside a rune. An
// empty s gives no pieces.
func SplitText(s string, max int) []string {
	max = maxInt(max, 1)
	var out []string
	for utf8.RuneCountInString(s) > max {
		cut := byteOffset(s, max)
		// A separator just after the window is as good a cut as one in it.
		limit := cut
		if s[cut] == '\n' || s[cut] == ' ' {
			limit++
		}
		at := strings.LastIndex(s[:limit], "\n")
		if at <= 0 {
			at = strings.LastIndex(s[:limit], " ")
		}
		if at <= 0 {
			at = cut
		} else {
			at++ // keep the separator with the first piece
		}
		if piece := strings.TrimRight(s[:at], " \n"); piece != "" {
			out = append(out, piece)
		}
		s = strings.TrimLeft(s[at:], " \n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// Truncate shortens s to at most max runes, ending with "…" when cut.
func Truncate(s string, max int) string {
	max = maxInt(max, 0)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 1 {
		return s[:byteOffset(s, max)]
	}
	return s[:byteOffset(s, max-1)] + "…"
}

// byteOffset returns the byte offset of the rune at index n of s.
func byteOffset(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// maxInt is max for the functions here whose parameter shadows the builtin.
func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

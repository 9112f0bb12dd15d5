package twilio

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/parleybot/parley/channel/connector"
)

// outMessage is one message to the user: a TwiML <Message> or one REST send.
type outMessage struct {
	Body  string
	Media []string
}

// nativeMessage is a CustomPayload's {"twilio": {...}} value: the REST
// fields of one message.
type nativeMessage struct {
	Body     string   `json:"body"`
	MediaURL []string `json:"mediaUrl"`
}

// render turns a planned reply into plain messages of at most 1,600
// characters. Buttons become numbered lines ("1) Rock"), numbered across
// the whole reply, and are returned so the user's answer can be mapped
// back; link buttons show their URL; images travel as media; each card of
// a carousel is a message of its own; quick replies are numbered lines at
// the end.
func render(r connector.Reply) (msgs []outMessage, offered []connector.Button) {
	lines := func(buttons []connector.Button) []string {
		var out []string
		for _, b := range buttons {
			switch {
			case b.URL != "":
				out = append(out, b.Text+": "+b.URL)
			case b.Value != "" || b.Text != "":
				offered = append(offered, b)
				out = append(out, strconv.Itoa(len(offered))+") "+label(b))
			}
		}
		return out
	}
	for _, p := range r.Parts {
		switch {
		case p.Custom != nil:
			var n nativeMessage
			if json.Unmarshal(p.Custom, &n) == nil && (n.Body != "" || len(n.MediaURL) > 0) {
				msgs = append(msgs, split(n.Body, n.MediaURL)...)
			}
		case len(p.Cards) > 0:
			for _, c := range p.Cards {
				text := append([]string{c.Title, c.Subtitle}, lines(c.Buttons)...)
				var media []string
				if strings.HasPrefix(c.ImageURL, "https://") || strings.HasPrefix(c.ImageURL, "http://") {
					media = []string{c.ImageURL}
				}
				msgs = append(msgs, split(joinLines(text), media)...)
			}
		default:
			msgs = append(msgs, split(p.Text, nil)...)
		}
	}
	if quick := joinLines(lines(r.QuickReplies)); quick != "" {
		if n := len(msgs); n > 0 && len([]rune(msgs[n-1].Body))+1+len([]rune(quick)) <= maxBodyRunes {
			msgs[n-1].Body = joinLines([]string{msgs[n-1].Body, quick})
		} else {
			msgs = append(msgs, split(quick, nil)...)
		}
	}
	return msgs, offered
}

func label(b connector.Button) string {
	if b.Text != "" {
		return b.Text
	}
	return b.Value
}

// joinLines joins the non-empty lines.
func joinLines(lines []string) string {
	var kept []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// split cuts a body into messages within Twilio's limit; the media go with
// the first, at most ten.
func split(body string, media []string) []outMessage {
	media = media[:min(len(media), maxMediaPerMsg)]
	pieces := connector.SplitText(body, maxBodyRunes)
	if len(pieces) == 0 {
		if len(media) == 0 {
			return nil
		}
		return []outMessage{{Media: media}}
	}
	out := make([]outMessage, len(pieces))
	for i, p := range pieces {
		out[i].Body = p
	}
	out[0].Media = media
	return out
}

// TwiML elements of a messaging response (channels.md §5.3).
type (
	twimlResponse struct {
		XMLName  xml.Name       `xml:"Response"`
		Messages []twimlMessage `xml:"Message"`
	}
	twimlMessage struct {
		Text  string   `xml:",chardata"` // a text-only message
		Body  *string  `xml:"Body"`      // with media, the text goes here
		Media []string `xml:"Media"`
	}
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>`

// twiml encodes msgs as a TwiML response; no messages give the empty
// <Response/>, which sends nothing.
func twiml(msgs []outMessage) []byte {
	if len(msgs) == 0 {
		return []byte(xmlHeader + "<Response/>")
	}
	var resp twimlResponse
	for _, m := range msgs {
		tm := twimlMessage{Media: m.Media}
		if len(m.Media) > 0 {
			if m.Body != "" {
				tm.Body = &m.Body
			}
		} else {
			tm.Text = m.Body
		}
		resp.Messages = append(resp.Messages, tm)
	}
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	// Only strings: encoding cannot fail, and invalid characters are
	// replaced, never passed to Twilio.
	_ = xml.NewEncoder(&buf).Encode(resp)
	return buf.Bytes()
}

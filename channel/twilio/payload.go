package twilio

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// inbound is the part of Twilio's incoming-message webhook the connector
// reads (channels.md §5.1).
type inbound struct {
	MessageSid    string
	From, To      string // E.164, or whatsapp:+E.164
	Body          string
	ButtonPayload string // WhatsApp quick-reply or template button
	Media         []string
	// Status is MessageStatus: set when a status callback was posted to the
	// incoming-message URL, which the connector ignores.
	Status string
}

var errMissingFields = errors.New("twilio: webhook lacks MessageSid, From or To")

// parseInbound reads an incoming-message form. MessageSid (or its
// deprecated copies), From and To are required.
func parseInbound(form url.Values) (*inbound, error) {
	in := &inbound{
		MessageSid:    first(form, "MessageSid", "SmsMessageSid", "SmsSid"),
		From:          form.Get("From"),
		To:            form.Get("To"),
		Body:          form.Get("Body"),
		ButtonPayload: form.Get("ButtonPayload"),
		Status:        form.Get("MessageStatus"),
	}
	if in.MessageSid == "" || in.From == "" || in.To == "" {
		return nil, errMissingFields
	}
	n, _ := strconv.Atoi(form.Get("NumMedia"))
	for i := range min(max(n, 0), maxMediaPerMsg) {
		if u := form.Get("MediaUrl" + strconv.Itoa(i)); u != "" {
			in.Media = append(in.Media, u)
		}
	}
	return in, nil
}

func first(form url.Values, keys ...string) string {
	for _, k := range keys {
		if v := form.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// whatsApp reports whether the message came through WhatsApp.
func (in *inbound) whatsApp() bool { return strings.HasPrefix(in.From, "whatsapp:") }

package twilio

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// sendREST sends msgs to the sender through the Messages API, from the
// number (or WhatsApp sender) the message was sent to.
func (c *Channel) sendREST(ctx context.Context, in *inbound, msgs []outMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	if c.accountSid == "" {
		return errors.New("twilio: the answer came after the reply timeout and the accountSid setting is empty")
	}
	endpoint := c.apiBase + fmt.Sprintf(messagesPath, url.PathEscape(c.accountSid))
	auth := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(c.accountSid+":"+c.authToken))}}
	for _, m := range msgs {
		form := url.Values{"To": {in.From}, "From": {in.To}}
		if m.Body != "" {
			form.Set("Body", m.Body)
		}
		for _, u := range m.Media {
			form.Add("MediaUrl", u)
		}
		var created struct {
			Sid string `json:"sid"`
		}
		if err := c.cfg.Post(ctx, endpoint, "application/x-www-form-urlencoded", []byte(form.Encode()), auth, &created); err != nil {
			return fmt.Errorf("twilio: send message: %w", err)
		}
	}
	return nil
}

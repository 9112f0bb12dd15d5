package line

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/parleybot/parley/channel/connector"
)

type replyRequest struct {
	ReplyToken string            `json:"replyToken"`
	Messages   []json.RawMessage `json:"messages"`
}

type pushRequest struct {
	To       string            `json:"to"`
	Messages []json.RawMessage `json:"messages"`
}

// send delivers msgs: the first five with the reply token (free, and the
// only way in a chat the bot cannot push to), the rest — or all of them
// when the token is refused, as it is for redelivered or expired events —
// as push messages to the conversation, five per call.
func (c *Channel) send(ctx context.Context, replyToken, to string, msgs []json.RawMessage) error {
	auth := http.Header{"Authorization": {"Bearer " + c.token}}
	rest := msgs
	if replyToken != "" {
		first := msgs[:min(maxMessagesPerCall, len(msgs))]
		err := c.cfg.PostJSON(ctx, c.apiBase+replyPath, replyRequest{ReplyToken: replyToken, Messages: first}, auth, nil)
		var apiErr *connector.APIError
		switch {
		case err == nil:
			rest = msgs[len(first):]
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest:
			c.cfg.Logger.Debug("line: reply token refused; pushing instead", "channel", c.cfg.Name)
		default:
			return fmt.Errorf("line: reply: %w", err)
		}
	}
	for len(rest) > 0 {
		n := min(maxMessagesPerCall, len(rest))
		// The retry key makes the kit's retries of one push idempotent at
		// LINE: a retry of an accepted push answers 409, not a second push.
		headers := http.Header{"Authorization": auth["Authorization"], "X-Line-Retry-Key": {retryKey()}}
		err := c.cfg.PostJSON(ctx, c.apiBase+pushPath, pushRequest{To: to, Messages: rest[:n]}, headers, nil)
		var apiErr *connector.APIError
		if err != nil && !(errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict) {
			return fmt.Errorf("line: push: %w", err)
		}
		rest = rest[n:]
	}
	return nil
}

// retryKey returns a random version-4 UUID, the form X-Line-Retry-Key takes.
func retryKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

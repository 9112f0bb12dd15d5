package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"

	"github.com/parleybot/parley/channel/connector"
)

// target is where a turn's answer goes: a channel's thread through
// chat.postMessage, or a response_url (slash commands, ephemeral clicks).
type target struct {
	channel, threadTS string
	responseURL       string
	click             bool // the response_url came with a button click
}

// converse runs one turn of the (channel, user) session and sends its
// answer (started by startConverse); a failed turn sends a polite text instead and counts as failed.
func (c *Channel) converse(ctx context.Context, channel, user, text string, to target) {
	attrs := map[string]string{"slack:channelId": channel, "slack:userId": user}
	// The session is per (channel, user): one person in two channels holds
	// two separate conversations, as two people would.
	res, err := c.cfg.Turn(ctx, channel+":"+user, text, attrs)
	var msgs []outMessage
	failed := err != nil
	if err != nil {
		c.cfg.Logger.Warn("slack: turn failed", "channel", c.cfg.Name, "err", err)
		msgs = render(textReply(connector.UserReply(c.cfg.LocaleID, err)))
	} else {
		msgs = render(connector.Plan(c.cfg.Type, res.Messages))
	}
	if !c.send(ctx, to, msgs) {
		failed = true
	}
	if failed {
		c.counters.Fail()
	}
}

// startConverse queues a turn of the (channel, user) session; it reports
// false once the channel is closed.
func (c *Channel) startConverse(channel, user, text string, to target) bool {
	return c.startInSession(channel+"/"+user, func(ctx context.Context) { c.converse(ctx, channel, user, text, to) })
}

// textReply is a reply of one text.
func textReply(s string) connector.Reply {
	return connector.Reply{Parts: []connector.Part{{Text: s}}}
}

// send delivers the messages in order and reports whether all arrived;
// failures are logged at warn and not counted (the caller does).
func (c *Channel) send(ctx context.Context, to target, msgs []outMessage) bool {
	for i, m := range msgs {
		var err error
		if to.responseURL != "" {
			if i == maxResponseURLPosts {
				c.cfg.Logger.Warn("slack: answer longer than a response_url takes; rest dropped", "channel", c.cfg.Name, "messages", len(msgs))
				return false
			}
			m.ResponseType = "ephemeral"
			if to.click {
				replace := false
				m.ReplaceOriginal = &replace
			}
			err = c.postResponse(ctx, to.responseURL, m)
		} else {
			m.Channel, m.ThreadTS = to.channel, to.threadTS
			err = c.postMessage(ctx, m)
		}
		if err != nil {
			c.cfg.Logger.Warn("slack: answer not delivered", "channel", c.cfg.Name, "err", err)
			return false
		}
	}
	return true
}

// postMessage calls chat.postMessage. Slack answers logical failures with
// HTTP 200 and ok false; "ratelimited" is tried again after a pause, HTTP
// 429 and 5xx are retried by the kit.
func (c *Channel) postMessage(ctx context.Context, m outMessage) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("slack: encode chat.postMessage: %w", err)
	}
	for try := 1; ; try++ {
		var ans apiAnswer
		if err := c.cfg.Post(ctx, c.apiBase+"/chat.postMessage", "application/json; charset=utf-8", body, c.auth, &ans); err != nil {
			return fmt.Errorf("slack: chat.postMessage: %w", err)
		}
		if ans.OK {
			return nil
		}
		if ans.Error != "ratelimited" || try == maxRateLimitedTries {
			return fmt.Errorf("slack: chat.postMessage answered %q", ans.Error)
		}
		if err := c.cfg.Sleep(ctx, rateLimitedWait); err != nil {
			return fmt.Errorf("slack: chat.postMessage: %w", err)
		}
	}
}

// postResponse posts to a response_url, which needs no token: the URL is
// the credential, so it is never logged either.
func (c *Channel) postResponse(ctx context.Context, url string, m outMessage) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("slack: encode response: %w", err)
	}
	if err := c.cfg.Post(ctx, url, "application/json; charset=utf-8", body, nil, nil); err != nil {
		var ue *neturl.Error
		if errors.As(err, &ue) {
			ue.URL = "(response_url)" // a transport error would print it
		}
		return fmt.Errorf("slack: response_url: %w", err)
	}
	return nil
}

package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

type getUpdates struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

// poll reads updates with getUpdates until ctx ends, confirming each batch
// through the next call's offset. It deletes the webhook first (the Bot API
// refuses getUpdates while one is set) and again on a 409; failures wait
// a growing backoff, and a rejected token stops polling.
func (c *Channel) poll(ctx context.Context) {
	defer close(c.pollDone)
	// The long poll outlives the API client's usual timeout.
	client := &http.Client{Transport: c.cfg.Client.Transport, Timeout: pollTimeout + 15*time.Second}
	log := c.cfg.Logger.With("channel", c.cfg.Name)
	backoff := pollBackoffMin
	pause := func(wait time.Duration) {
		if wait <= 0 {
			wait = backoff
			backoff = min(2*backoff, pollBackoffMax)
		}
		_ = c.cfg.Sleep(ctx, wait) // an error is ctx's end, which the loop sees
	}
	var offset int64
	webhookGone := false
	for ctx.Err() == nil {
		if !webhookGone {
			err := c.call(ctx, "deleteWebhook", map[string]bool{"drop_pending_updates": false}, nil)
			switch {
			case err != nil && ctx.Err() != nil:
				return
			case tokenRejected(err):
				log.Error("telegram rejected the bot token; polling stops", "err", err)
				return
			case err != nil:
				log.Warn("telegram deleteWebhook failed; polling waits", "err", err)
				pause(0)
				continue
			}
			webhookGone = true
		}
		req, err := json.Marshal(getUpdates{Offset: offset, Limit: pollLimit, Timeout: int(pollTimeout / time.Second), AllowedUpdates: []string{"message", "callback_query"}})
		if err != nil {
			log.Error("telegram getUpdates cannot be encoded; polling stops", "err", err)
			return
		}
		var updates []json.RawMessage
		wait, err := c.callOnce(ctx, client, "getUpdates", req, &updates)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			switch {
			case apiStatus(err) == http.StatusConflict:
				log.Warn("telegram getUpdates conflicts with a webhook or another poller; deleting the webhook", "err", err)
				webhookGone = false
			case tokenRejected(err):
				log.Error("telegram rejected the bot token; polling stops", "err", err)
				return
			default:
				log.Warn("telegram getUpdates failed", "err", err)
			}
			pause(wait)
			continue
		}
		backoff = pollBackoffMin
		for _, raw := range updates {
			u, err := parseUpdate(raw)
			if err != nil {
				log.Warn("telegram getUpdates returned something that is not an update", "err", err)
				continue
			}
			offset = max(offset, *u.UpdateID+1)
			if !c.dispatch(ctx, u) {
				return
			}
			c.counters.Accept()
		}
	}
}

// tokenRejected reports whether err is the Bot API refusing the token
// itself: 401, or 404 for a token of no bot.
func tokenRejected(err error) bool {
	s := apiStatus(err)
	return s == http.StatusUnauthorized || s == http.StatusNotFound
}

package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/parleybot/parley/channel/connector"
)

// apiResponse is the envelope of every Bot API answer.
type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call invokes a Bot API method with params as JSON and decodes its result
// into out (when non-nil). It retries 429s after the retry_after Telegram
// gives in the body (the kit's Post only knows the Retry-After header),
// 5xx answers and transport errors, up to maxAPIAttempts tries.
func (c *Channel) call(ctx context.Context, method string, params, out any) error {
	// Not json.Marshal: its \u003c escapes of < > & would double the
	// size of HTML captions for nothing.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(params); err != nil {
		return fmt.Errorf("telegram: encode %s: %w", method, err)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	backoff := apiBackoff
	for attempt := 1; ; attempt++ {
		wait, err := c.callOnce(ctx, c.cfg.Client, method, body, out)
		if err == nil {
			return nil
		}
		if wait < 0 || attempt == maxAPIAttempts {
			return fmt.Errorf("telegram: %s: %w", method, err)
		}
		if wait == 0 {
			wait = backoff
			backoff *= 2
		}
		c.cfg.Logger.Debug("telegram API call failed; retrying", "channel", c.cfg.Name, "method", method, "attempt", attempt, "wait", wait, "err", err)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("telegram: %s: %w", method, err)
		}
	}
}

// callOnce makes one try. wait says what may follow a failure: -1 gives
// up, 0 retries after the default backoff, more retries after that long.
// Errors never carry the request URL, which holds the bot token.
func (c *Channel) callOnce(ctx context.Context, client *http.Client, method string, body []byte, out any) (wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.apiBase+"/bot"+c.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return -1, errors.New("cannot build request")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, ctx.Err()
		}
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) && ue.Unwrap() != nil {
			err = ue.Unwrap() // drop *url.Error's URL, and with it the token
		}
		return 0, fmt.Errorf("transport: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, fmt.Errorf("read answer: %w", err)
	}
	var ans apiResponse
	if json.Unmarshal(data, &ans) != nil {
		// Not the Bot API's envelope: a proxy's error page or the like.
		apiErr := &connector.APIError{Status: resp.StatusCode, Body: string(data[:min(len(data), 1024)])}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return 0, apiErr
		}
		return -1, apiErr
	}
	if ans.OK {
		if out != nil && len(ans.Result) > 0 {
			if err := json.Unmarshal(ans.Result, out); err != nil {
				return -1, fmt.Errorf("decode result: %w", err)
			}
		}
		return 0, nil
	}
	code := ans.ErrorCode
	if code == 0 {
		code = resp.StatusCode
	}
	apiErr := &connector.APIError{Status: code, Body: ans.Description}
	switch {
	case code == http.StatusTooManyRequests && ans.Parameters != nil && ans.Parameters.RetryAfter > 0:
		d := time.Duration(ans.Parameters.RetryAfter) * time.Second
		if d > maxRetryAfter {
			return -1, apiErr
		}
		return d, apiErr
	case code == http.StatusTooManyRequests || code >= 500:
		return 0, apiErr
	}
	return -1, apiErr
}

// apiStatus returns the Bot API error code of err, or 0 when it has none.
func apiStatus(err error) int {
	var apiErr *connector.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

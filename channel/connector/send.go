package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxSendAttempts bounds the tries of one platform API call.
const maxSendAttempts = 4

// APIError is a platform API answer that was not a success.
type APIError struct {
	Status int
	Body   string // the first KiB of the response
}

func (e *APIError) Error() string {
	return fmt.Sprintf("platform API answered %d: %s", e.Status, e.Body)
}

// Post sends one request to a platform API and retries it on 429 and 5xx
// (honouring Retry-After in seconds, else backing off 0.5 s, 1 s, 2 s) and
// on transport errors, up to four tries. body is sent as is with
// contentType; when out is non-nil a 2xx JSON answer is decoded into it.
// The headers carry the platform's credentials; they are never logged.
func (c *Config) Post(ctx context.Context, url, contentType string, body []byte, headers http.Header, out any) error {
	backoff := 500 * time.Millisecond
	var last error
	for attempt := 1; attempt <= maxSendAttempts; attempt++ {
		wait, err := c.postOnce(ctx, url, contentType, body, headers, out)
		if err == nil {
			return nil
		}
		last = err
		if wait < 0 || attempt == maxSendAttempts {
			break
		}
		if wait == 0 {
			wait = backoff
			backoff *= 2
		}
		c.Logger.Debug("platform API call failed; retrying", "channel", c.Name, "attempt", attempt, "wait", wait, "err", err)
		if err := c.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("connector: %s: %w (after %v)", c.Name, err, last)
		}
	}
	return fmt.Errorf("connector: %s: %w", c.Name, last)
}

// PostJSON is Post with a JSON-encoded payload.
func (c *Config) PostJSON(ctx context.Context, url string, payload any, headers http.Header, out any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("connector: encode request: %w", err)
	}
	return c.Post(ctx, url, "application/json", body, headers, out)
}

// postOnce makes one try. wait is how long to wait before the next try:
// -1 when the failure is final, 0 for the default backoff.
func (c *Config) postOnce(ctx context.Context, url, contentType string, body []byte, headers http.Header, out any) (wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return -1, err
	}
	for k, vs := range headers {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, err
		}
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode/100 == 2 {
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return -1, fmt.Errorf("decode platform answer: %w", err)
			}
		}
		return 0, nil
	}
	apiErr := &APIError{Status: resp.StatusCode, Body: string(data[:min(len(data), 1024)])}
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
		return -1, apiErr
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, 30*time.Second), apiErr
	}
	return 0, apiErr
}

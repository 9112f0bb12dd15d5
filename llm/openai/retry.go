package openai

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/parleybot/parley"
)

// Backoff between tries when the server gives no Retry-After: base doubled
// per try, with jitter, and no wait longer than maxWait (a longer
// Retry-After is honoured only while the call's deadline allows it).
const (
	baseWait = 500 * time.Millisecond
	maxWait  = 8 * time.Second

	maxRetryAfter = 24 * 60 * 60 // seconds
)

// exchange is what the transport saw of one HTTP exchange. The library's
// errors keep the status but drop the headers, and Retry-After lives there.
type exchange struct {
	status     int
	retryAfter string
}

type exchangeKey struct{}

// observer is the HTTP client handed to the library; it notes each
// response's status and Retry-After in the exchange carried by the
// request's context.
type observer struct{ next *http.Client }

func (o observer) Do(r *http.Request) (*http.Response, error) {
	resp, err := o.next.Do(r)
	if x, ok := r.Context().Value(exchangeKey{}).(*exchange); ok && resp != nil {
		x.status = resp.StatusCode
		x.retryAfter = resp.Header.Get("Retry-After")
	}
	return resp, err
}

// callbackError carries an error of the caller's onDelta through the retry
// loop, which returns it unchanged.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }

// call runs try until it succeeds, fails in a way that is not safe to try
// again, or the retries or the deadline run out. mayRetry tells whether
// trying again is still harmless (a stream that delivered a piece is not).
// what names the operation in errors and logs.
func (c *Client) call(ctx context.Context, what string, try func(ctx context.Context) error, mayRetry func() bool) error {
	for n := 0; ; n++ {
		x := &exchange{}
		err := try(context.WithValue(ctx, exchangeKey{}, x))
		if err == nil {
			return nil
		}
		if cb, ok := errors.AsType[callbackError](err); ok {
			return cb.err
		}
		status := statusOf(err, x)
		if n >= c.maxRetries || ctx.Err() != nil || !mayRetry() || !transient(err, status) {
			return c.failure(ctx, what, err, status, n+1)
		}
		wait := backoff(n, x.retryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Waiting would outlive the call: fail now, as we would then.
			return c.failure(ctx, what, err, status, n+1)
		}
		c.log.Warn("llm: retrying", "endpoint", c.host, "call", what, "status", status, "try", n+1, "wait", wait, "error", c.scrub(err.Error()))
		if err := c.sleep(ctx, wait); err != nil {
			return c.failure(ctx, what, err, status, n+1)
		}
	}
}

// statusOf is the HTTP status of a failed exchange, 0 when none came back.
func statusOf(err error, x *exchange) int {
	if e, ok := errors.AsType[*goopenai.APIError](err); ok && e.HTTPStatusCode != 0 {
		return e.HTTPStatusCode
	}
	if e, ok := errors.AsType[*goopenai.RequestError](err); ok && e.HTTPStatusCode != 0 {
		return e.HTTPStatusCode
	}
	if x.status >= 400 {
		return x.status
	}
	return 0
}

// transient reports whether a failure left the server untouched or asked
// to come back: rate limiting, a server error, a refused connection.
func transient(err error, status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 || errors.Is(err, syscall.ECONNREFUSED)
}

// backoff is the wait before try n+1: Retry-After when the server gave
// one (seconds or an HTTP date), else exponential with jitter.
func backoff(n int, retryAfter string) time.Duration {
	if retryAfter != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(retryAfter), 10, 64); err == nil && s >= 0 {
			// Capped so a huge value cannot overflow; any wait past the
			// call's deadline is refused anyway.
			return time.Duration(min(s, maxRetryAfter)) * time.Second
		}
		if t, err := http.ParseTime(retryAfter); err == nil {
			return min(max(time.Until(t), 0), maxRetryAfter*time.Second)
		}
	}
	d := maxWait
	if n < 5 { // beyond, the doubling passed maxWait (and would overflow later)
		d = min(baseWait<<n, maxWait)
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// failure maps a final error to *parley.Error: ErrThrottling for a 429 that
// outlasted the retries, ErrDependencyFailed for everything else. The
// message names the endpoint, the status and the API's own message; the
// API key is scrubbed from all text, the cause's included.
func (c *Client) failure(ctx context.Context, what string, err error, status, tries int) error {
	cause := &scrubbed{msg: c.scrub(err.Error()), err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		cause.err = ctxErr
		reason := "gave no answer before the deadline"
		if errors.Is(ctxErr, context.Canceled) {
			reason = "was abandoned: the call was canceled"
		}
		return &parley.Error{Code: parley.ErrDependencyFailed, Message: fmt.Sprintf("llm: %s at %s %s", what, c.host, reason), Err: cause}
	}
	if status != 0 {
		code := parley.ErrDependencyFailed
		if status == http.StatusTooManyRequests {
			code = parley.ErrThrottling
		}
		msg := fmt.Sprintf("llm: %s at %s answered %d %s", what, c.host, status, http.StatusText(status))
		if api := c.scrub(apiMessage(err)); api != "" {
			msg += ": " + api
		}
		if tries > 1 {
			msg += fmt.Sprintf(" (after %d tries)", tries)
		}
		return &parley.Error{Code: code, Message: msg, Err: cause}
	}
	return &parley.Error{Code: parley.ErrDependencyFailed, Message: fmt.Sprintf("llm: %s at %s failed: %s", what, c.host, cause.msg), Err: cause}
}

// apiMessage is the server's own explanation of an error status: the
// message of an error body in the API's shape, or the start of any other.
func apiMessage(err error) string {
	if e, ok := errors.AsType[*goopenai.APIError](err); ok {
		return e.Message
	}
	if e, ok := errors.AsType[*goopenai.RequestError](err); ok {
		body := strings.TrimSpace(string(e.Body))
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		return body
	}
	return ""
}

// scrub removes the API key from text the server or the library produced:
// a server may echo a wrong key in its error message.
func (c *Client) scrub(s string) string {
	if c.apiKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.apiKey, "[redacted]")
}

// scrubbed is a cause whose text had the API key removed; errors.Is and
// errors.As still see the original.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

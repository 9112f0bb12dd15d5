package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// Defaults for a zero Options.
const (
	DefaultTimeout          = 30 * time.Second // Lex's Lambda time limit
	DefaultMaxResponseBytes = 25 * 1024        // Lex's 25 KB response limit
)

// Headers of a code hook request.
const (
	SignatureHeader = "X-Parley-Signature"
	RequestIDHeader = "X-Parley-Request-Id"
)

// logPayloadBytes bounds how much of an offending response goes to the log.
const logPayloadBytes = 4096

// module is the import path whose version names us in the User-Agent.
const module = "github.com/parleybot/parley"

// Options configure a Hook. The zero value means the defaults.
type Options struct {
	// Timeout bounds one call, from dialling to the last byte of the
	// response. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxResponseBytes is the largest response body accepted. Zero means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int
	// Secret, when set, is the HMAC-SHA256 key that signs every request
	// (see the package documentation).
	Secret []byte
	// Logger receives a warning with the offending payload for every failed
	// call. Nil discards.
	Logger *slog.Logger
	// Client sends the requests; nil means a client on
	// http.DefaultTransport. Its CheckRedirect is replaced (on a copy) so
	// that redirects are never followed, and its Timeout is left alone;
	// Options.Timeout is applied per call.
	Client *http.Client
}

// Hook calls one code hook URL. It is safe for concurrent use.
type Hook struct {
	url       string // as configured; the request target
	display   string // url with any password masked, for messages and logs
	timeout   time.Duration
	maxBytes  int
	secret    []byte
	log       *slog.Logger
	client    *http.Client
	userAgent string
}

var (
	_ parley.CodeHook    = (*Hook)(nil)
	_ parley.TimeLimited = (*Hook)(nil)
)

// New returns a Hook that POSTs events to rawURL, which must be an absolute
// http:// or https:// URL.
func New(rawURL string, opts Options) (*Hook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, parley.Errorf(parley.ErrValidation, "code hook URL %q must be an absolute http:// or https:// URL", rawURL)
	}
	if opts.Timeout < 0 {
		return nil, parley.Errorf(parley.ErrValidation, "code hook %s: timeout %v is negative", u.Redacted(), opts.Timeout)
	}
	if opts.MaxResponseBytes < 0 {
		return nil, parley.Errorf(parley.ErrValidation, "code hook %s: maxResponseBytes %d is negative", u.Redacted(), opts.MaxResponseBytes)
	}
	h := &Hook{
		url:       rawURL,
		display:   u.Redacted(),
		timeout:   opts.Timeout,
		maxBytes:  opts.MaxResponseBytes,
		secret:    bytes.Clone(opts.Secret),
		log:       opts.Logger,
		userAgent: "Parley/" + moduleVersion(),
	}
	if h.timeout == 0 {
		h.timeout = DefaultTimeout
	}
	if h.maxBytes == 0 {
		h.maxBytes = DefaultMaxResponseBytes
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	client := http.Client{}
	if opts.Client != nil {
		client = *opts.Client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	h.client = &client
	return h, nil
}

// Timeout returns the hook's time limit, so the engine waits exactly as
// long as the hook does.
func (h *Hook) Timeout() time.Duration { return h.timeout }

// Invoke POSTs ev and decodes the response. Every failure is an *parley.Error
// with ErrDependencyFailed; a time-out also matches context.DeadlineExceeded
// with errors.Is. The response's shape is not checked here: that is
// (*parley.CodeHookResponse).Validate's job.
func (h *Hook) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode event: %w", err)
	}
	limit := h.timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < limit {
		limit = max(time.Until(dl), 0)
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("webhook: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", h.userAgent)
	requestID := newRequestID()
	req.Header.Set(RequestIDHeader, requestID)
	if len(h.secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(h.secret, time.Now(), body))
	}

	resp, err := h.client.Do(req)
	if err != nil {
		return nil, h.fail(ctx, requestID, limit, nil, err, "Code hook request failed: %s", transportDetail(err))
	}
	defer resp.Body.Close()
	// The code and its standard text, not the server's reason phrase: the
	// message reads the same whatever the server's wording.
	status := strings.TrimSpace(strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		payload, _ := readLimited(resp.Body, logPayloadBytes)
		return nil, h.fail(ctx, requestID, limit, payload, nil,
			"Invalid Lambda Response: code hook answered HTTP %s with Location %q; redirects are not followed", status, resp.Header.Get("Location"))
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		// An error body is read to the same limit, so that a long Lambda
		// style error object still decodes; a longer one shows its start.
		payload, _ := readLimited(resp.Body, h.maxBytes)
		err := h.fail(ctx, requestID, limit, payload, nil,
			"Invalid Lambda Response: Received error response from code hook (HTTP %s): %s", status, errorDetail(payload))
		if resp.StatusCode == http.StatusTooManyRequests {
			// An overloaded hook server is throttling, as a Lambda at its
			// concurrency limit is: the client may retry later.
			err.Code = parley.ErrThrottling
		}
		return nil, err
	}
	if resp.ContentLength > int64(h.maxBytes) {
		payload, _ := readLimited(resp.Body, logPayloadBytes)
		return nil, h.fail(ctx, requestID, limit, payload, nil,
			"Invalid Lambda Response: response is %s bytes, more than the %s-byte limit", thousands(resp.ContentLength), thousands(int64(h.maxBytes)))
	}
	payload, err := readLimited(resp.Body, h.maxBytes+1)
	if err != nil {
		return nil, h.fail(ctx, requestID, limit, payload, err, "Code hook response could not be read: %s", transportDetail(err))
	}
	if len(payload) > h.maxBytes {
		size, more := measureRest(resp.Body, int64(len(payload)), int64(h.maxBytes))
		return nil, h.fail(ctx, requestID, limit, payload, nil,
			"Invalid Lambda Response: response is %s%s bytes, more than the %s-byte limit", more, thousands(size), thousands(int64(h.maxBytes)))
	}
	out, err := decodeResponse(payload)
	if err != nil {
		return nil, h.fail(ctx, requestID, limit, payload, nil, "Invalid Lambda Response: Received invalid response from code hook: %s", err)
	}
	return out, nil
}

// fail builds the error of a failed call, logs it with the offending
// payload, and reports a time-out as a time-out whatever the transport's own
// words for it were.
func (h *Hook) fail(ctx context.Context, requestID string, limit time.Duration, payload []byte, cause error, format string, args ...any) *parley.Error {
	e := &parley.Error{Code: parley.ErrDependencyFailed, Message: fmt.Sprintf(format, args...) + " (" + h.display + ")", Err: cause}
	if ctxErr := ctx.Err(); ctxErr != nil && cause != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			e.Message = fmt.Sprintf("Code hook timed out after %v (%s)", roundLimit(limit), h.display)
		} else {
			e.Message = fmt.Sprintf("Code hook call was cancelled (%s)", h.display)
		}
		e.Err = ctxErr
	}
	attrs := []any{"url", h.display, "requestId", requestID, "error", e.Message}
	if payload != nil {
		attrs = append(attrs, "payload", string(truncate(payload, logPayloadBytes)))
	}
	h.log.WarnContext(ctx, "webhook: code hook failed", attrs...)
	return e
}

// roundLimit renders a time limit as configured: a limit taken from the
// caller's deadline is a hair under what the caller set.
func roundLimit(d time.Duration) time.Duration {
	if d >= 100*time.Millisecond {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// transportDetail strips the "Post URL:" prefix that net/http puts on
// transport errors (the message names the URL once, at its end) and says
// what an early EOF means.
func transportDetail(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the connection was closed before a complete response (" + err.Error() + ")"
	}
	return err.Error()
}

// readLimited reads at most n bytes of r.
func readLimited(r io.Reader, n int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, int64(n)))
}

// measureCap bounds how much of an oversize body is read (and dropped) to
// learn its size; past it the message says "more than".
const measureCap = 1 << 20

// measureRest counts the whole size of a body of which read bytes are
// already consumed, dropping the rest as it goes, up to measureCap or 64
// times the limit, whichever is larger; the string is "more than " when the
// count stopped short.
func measureRest(r io.Reader, read, limit int64) (int64, string) {
	bound := max(int64(measureCap), 64*limit)
	n, err := io.Copy(io.Discard, io.LimitReader(r, bound-read+1))
	if err != nil {
		return read + n, "more than "
	}
	if read+n > bound {
		return bound, "more than "
	}
	return read + n, ""
}

// newRequestID returns a random version-4 UUID, the shape of Lambda's
// request ids.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// moduleVersion is Parley's version as the go command recorded it in the
// binary, or "dev" for an untagged build.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := ""
	if bi.Main.Path == module {
		v = bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == module {
			v = d.Version
		}
	}
	if v == "" || v == "(devel)" {
		return "dev"
	}
	return v
}

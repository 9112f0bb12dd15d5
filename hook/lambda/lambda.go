package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/parleybot/parley"
)

// Defaults for a zero Options.
const (
	// DefaultTimeout is Lex's code hook limit.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxResponseBytes is Lex's 25 KB response limit.
	DefaultMaxResponseBytes = 25 * 1024
)

// maxPayload is Lambda's own limit on a synchronous response (6 MB). The
// HTTP body is never read past it (or past MaxResponseBytes if that is set
// higher), so a misbehaving endpoint cannot make us buffer without bound,
// while anything a real Lambda can send is still measured exactly for the
// error message.
const maxPayload = 6 << 20

// logPayloadBytes is how much of an offending payload goes to the log.
const logPayloadBytes = 4096

// Options configures a Hook. The zero value means the defaults.
type Options struct {
	// Timeout bounds one invocation; DefaultTimeout when zero.
	Timeout time.Duration
	// MaxResponseBytes bounds the function's response;
	// DefaultMaxResponseBytes when zero.
	MaxResponseBytes int
	// Logger gets the offending payloads of failed calls at warn; discard
	// when nil.
	Logger *slog.Logger
	// Endpoint overrides the Lambda endpoint URL (a local emulator or a
	// fake). When empty the SDK's own resolution applies, which honours
	// AWS_ENDPOINT_URL_LAMBDA and endpoint_url in the shared config.
	Endpoint string
	// Region overrides the region. When empty, a full ARN's region is used,
	// else the SDK's default chain (AWS_REGION, the shared config).
	Region string
	// Credentials overrides the SDK's default credential chain (the
	// environment, the shared files, SSO, the instance role); tests use it
	// for static keys.
	Credentials aws.CredentialsProvider
}

// Hook invokes one Lambda function (RequestResponse) with the Lex V2 event
// and decodes its answer. It is safe for concurrent use.
type Hook struct {
	uri       string
	fn        Function
	client    *awslambda.Client
	timeout   time.Duration
	maxBytes  int
	log       *slog.Logger
	bodyLimit int64
}

var (
	_ parley.CodeHook    = (*Hook)(nil)
	_ parley.TimeLimited = (*Hook)(nil)
)

// New parses uri (see ParseURI) and builds a Lambda client from the default
// AWS configuration and opts. Nothing is sent until the first Invoke; a
// missing region is reported here, since every call would fail without one.
func New(uri string, opts Options) (*Hook, error) {
	fn, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	h := &Hook{
		uri:      uri,
		fn:       fn,
		timeout:  opts.Timeout,
		maxBytes: opts.MaxResponseBytes,
		log:      opts.Logger,
	}
	if h.timeout <= 0 {
		h.timeout = DefaultTimeout
	}
	if h.maxBytes <= 0 {
		h.maxBytes = DefaultMaxResponseBytes
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.bodyLimit = max(int64(h.maxBytes), maxPayload) + 1

	var load []func(*config.LoadOptions) error
	region := opts.Region
	if region == "" {
		region = fn.Region
	}
	if region != "" {
		load = append(load, config.WithRegion(region))
	}
	if opts.Credentials != nil {
		load = append(load, config.WithCredentialsProvider(opts.Credentials))
	}
	// The SDK's warnings (from the credential chain too) go to our log,
	// not to stderr.
	load = append(load, config.WithLogger(sdkLogger{log: h.log}))
	// LoadDefaultConfig reads the environment and the shared files only;
	// credentials are fetched lazily on the first call.
	cfg, err := config.LoadDefaultConfig(context.Background(), load...)
	if err != nil {
		return nil, fmt.Errorf("lambda: load AWS config for %s: %w", uri, err)
	}
	if cfg.Region == "" {
		return nil, parley.Errorf(parley.ErrValidation,
			"No AWS region for code hook %s: set AWS_REGION, a region in the shared config, or use a full function ARN", uri)
	}
	h.client = awslambda.NewFromConfig(cfg, func(o *awslambda.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		// No retries: a code hook has side effects (it places the order,
		// writes the row), and a call that failed or timed out may already
		// have run on Lambda's side, so a retry could do it twice. Lex
		// itself does not retry a failed hook either; the user just says
		// it again.
		o.Retryer = aws.NopRetryer{}
		// RetryMaxAttempts from AWS_MAX_ATTEMPTS or the shared config would
		// otherwise be applied on top of the Retryer.
		o.RetryMaxAttempts = 1
		o.HTTPClient = limitedClient{next: o.HTTPClient, limit: h.bodyLimit}
	})
	return h, nil
}

// Timeout returns the hook's time limit (parley.TimeLimited).
func (h *Hook) Timeout() time.Duration { return h.timeout }

// String returns the hook's URI.
func (h *Hook) String() string { return h.uri }

// Invoke sends ev to the function and decodes its response. Every failure
// is an ErrDependencyFailed *parley.Error whose message says what was wrong,
// except a throttled call (ErrThrottling) and ctx being cancelled (its
// error, wrapped); a time-out also matches context.DeadlineExceeded.
func (h *Hook) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	event, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("lambda: encode event for %s: %w", h.uri, err)
	}
	limit := h.limit(ctx)
	ictx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()

	in := &awslambda.InvokeInput{
		FunctionName:   aws.String(h.fn.Name),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        event,
	}
	if h.fn.Qualifier != "" {
		in.Qualifier = aws.String(h.fn.Qualifier)
	}
	out, err := h.client.Invoke(ictx, in)
	if err != nil {
		return nil, h.invokeError(ctx, ictx, limit, err)
	}
	// A function error goes first: a big stack trace is still best
	// reported as the error it describes.
	if out.FunctionError != nil {
		return nil, h.fail(out.Payload, "Invalid Lambda Response: Received error response from Lambda (%s): %s", *out.FunctionError, describeFunctionError(out.Payload))
	}
	if len(out.Payload) > h.maxBytes {
		return nil, h.fail(out.Payload, "Invalid Lambda Response: response is %s bytes, more than the %s-byte limit", thousands(len(out.Payload)), thousands(h.maxBytes))
	}
	resp, detail := decode(out.Payload)
	if resp == nil {
		return nil, h.fail(out.Payload, "Invalid Lambda Response: Received invalid response from Lambda: %s", detail)
	}
	return resp, nil
}

// limit is the time limit that applies to a call under ctx: the hook's own,
// or the caller's deadline when that is sooner. The engine sets its deadline
// to exactly Timeout(), a moment before this runs, so the caller's deadline
// only counts when it is clearly (100 ms) shorter; otherwise the message
// would say 29.9999s for a 30 s limit.
func (h *Hook) limit(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if rest := time.Until(dl); rest < h.timeout-100*time.Millisecond {
			return max(rest.Round(100*time.Millisecond), 0)
		}
	}
	return h.timeout
}

// invokeError classifies an error from the SDK's Invoke.
func (h *Hook) invokeError(ctx, ictx context.Context, limit time.Duration, err error) error {
	if ctx.Err() == context.Canceled {
		return fmt.Errorf("lambda: invoke %s: %w", h.uri, ctx.Err())
	}
	if ictx.Err() != nil {
		return &parley.Error{
			Code:    parley.ErrDependencyFailed,
			Message: fmt.Sprintf("Code hook timed out after %s (%s)", limit, h.uri),
			Err:     context.DeadlineExceeded,
		}
	}
	var tooBig *bodyTooLargeError
	if errors.As(err, &tooBig) {
		h.log.Warn("lambda: code hook response too large", "hook", h.uri, "limit", tooBig.limit)
		return &parley.Error{
			Code:    parley.ErrDependencyFailed,
			Message: fmt.Sprintf("Invalid Lambda Response: response is more than %s bytes, over the %s-byte limit", thousands(int(tooBig.limit)), thousands(h.maxBytes)),
			Err:     err,
		}
	}
	var throttled *types.TooManyRequestsException
	if errors.As(err, &throttled) {
		return &parley.Error{
			Code:    parley.ErrThrottling,
			Message: fmt.Sprintf("Lambda throttled the code hook: %s: %s (%s)", throttled.ErrorCode(), throttled.ErrorMessage(), h.uri),
			Err:     err,
		}
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		// The status tells what an error without a body (an HTTP 502 from
		// a proxy, say) cannot: the SDK calls all of those UnknownError.
		status := ""
		var re *smithyhttp.ResponseError
		if errors.As(err, &re) {
			status = fmt.Sprintf(" (HTTP %d)", re.HTTPStatusCode())
		}
		return &parley.Error{
			Code:    parley.ErrDependencyFailed,
			Message: fmt.Sprintf("Lambda Invoke failed%s: %s: %s (%s)", status, api.ErrorCode(), api.ErrorMessage(), h.uri),
			Err:     err,
		}
	}
	return &parley.Error{
		Code:    parley.ErrDependencyFailed,
		Message: fmt.Sprintf("Lambda Invoke failed: %s (%s)", transportDetail(err), h.uri),
		Err:     err,
	}
}

// transportDetail says what went wrong with a call that got no answer from
// Lambda: the request that could not be sent ("Post …: dial tcp …:
// connection refused"), or the step that failed ("get identity: get
// credentials: …" when there are no credentials), without the SDK's
// "operation error Lambda: Invoke" wrapper.
func transportDetail(err error) string {
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) && send.Err != nil {
		return "request send failed: " + send.Err.Error()
	}
	var op *smithy.OperationError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// fail logs the offending payload and returns the ErrDependencyFailed
// error with the formatted message.
func (h *Hook) fail(payload []byte, format string, args ...any) error {
	e := parley.Errorf(parley.ErrDependencyFailed, format, args...)
	h.log.Warn("lambda: code hook failed", "hook", h.uri, "error", e.Message, "bytes", len(payload), "payload", string(truncate(payload, logPayloadBytes)))
	return e
}

// decode decodes a function's response, or returns nil and what is wrong
// with it. Shape rules (dialogAction.type and the like) are not checked
// here: that is parley.CodeHookResponse.Validate's job, the same for every
// transport.
func decode(payload []byte) (*parley.CodeHookResponse, string) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return nil, "empty response"
	}
	// The decoder's offsets count from the payload's first byte, so it
	// gets the payload as it came, surrounding spaces included.
	if !json.Valid(payload) {
		// Unmarshal into an any to get the decoder's own error with its
		// offset: json.Valid only says yes or no.
		var v any
		err := json.Unmarshal(payload, &v)
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Sprintf("not valid JSON at offset %d: %v", syn.Offset, syn)
		}
		return nil, fmt.Sprintf("not valid JSON: %v", err)
	}
	if trimmed[0] != '{' {
		return nil, "not a JSON object: it starts with " + string(truncate(trimmed, 20))
	}
	var resp parley.CodeHookResponse
	if err := json.Unmarshal(payload, &resp); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return nil, fmt.Sprintf("field %s: a JSON %s where %s is expected, at offset %d", typ.Field, typ.Value, typ.Type, typ.Offset)
		}
		return nil, err.Error()
	}
	return &resp, ""
}

// truncate returns at most n bytes of b, marked when cut.
func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return append(b[:n:n], "…"...)
}

// thousands formats a byte count with comma separators, as the error
// messages of the contract do (25,600).
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// limitedClient stops reading a response body past limit bytes, failing the
// read with a *bodyTooLargeError, so an endpoint cannot make the SDK
// buffer an unbounded body.
//
// It also hands the transport a request body of its own. The SDK closes
// the body it built as soon as the response headers arrive, and when they
// arrive before net/http's writer has finished with the body (its last read
// for EOF, then its close; a fast server on loopback answers that soon, about
// once in a thousand calls here) the writer fails and tears down the
// connection under the response still being read, and the call fails with
// "use of closed network connection". The event is small, so the copy is
// cheap.
type limitedClient struct {
	next  awslambda.HTTPClient
	limit int64
}

func (c limitedClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, fmt.Errorf("lambda: read request body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	resp, err := c.next.Do(r)
	if err != nil {
		return resp, err
	}
	resp.Body = &limitedBody{body: resp.Body, left: c.limit, limit: c.limit}
	return resp, nil
}

type limitedBody struct {
	body  io.ReadCloser
	left  int64
	limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, &bodyTooLargeError{limit: b.limit - 1}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }

type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("response body is more than %d bytes", e.limit)
}

// sdkLogger sends the SDK's own log lines (it warns, for instance, when it
// cannot drain a response body) to the hook's logger instead of stderr.
type sdkLogger struct{ log *slog.Logger }

func (l sdkLogger) Logf(class logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if class == logging.Warn {
		level = slog.LevelWarn
	}
	l.log.Log(context.Background(), level, "lambda: aws sdk: "+fmt.Sprintf(format, v...))
}

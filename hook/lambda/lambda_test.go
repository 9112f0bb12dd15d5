package lambda_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/lambda"
)

// isolate keeps the host's AWS settings out of a test: no shared files, no
// region, no endpoint, no credentials from the environment, and no instance
// metadata service.
func isolate(t *testing.T) {
	t.Helper()
	missing := filepath.Join(t.TempDir(), "missing")
	t.Setenv("AWS_CONFIG_FILE", missing)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", missing)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
	} {
		t.Setenv(k, "")
	}
}

func newHook(t testing.TB, uri string, opts lambda.Options) *lambda.Hook {
	t.Helper()
	if opts.Credentials == nil {
		opts.Credentials = testCredentials()
	}
	h, err := lambda.New(uri, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", uri, err)
	}
	return h
}

func TestConformance(t *testing.T) {
	isolate(t)
	for _, uri := range []string{
		"lambda:hooktest",
		"lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest:live",
	} {
		t.Run(uri, func(t *testing.T) {
			hooktest.Run(t, func(t *testing.T) parley.CodeHook {
				fn := strings.TrimSuffix(strings.TrimPrefix(uri, "lambda:"), ":live")
				fake := newFake(t, map[string]function{fn: scenarios})
				return newHook(t, uri, lambda.Options{Endpoint: fake.srv.URL, Region: "eu-west-1", Timeout: time.Second})
			})
		})
	}
}

func TestInvokeRequest(t *testing.T) {
	isolate(t)
	fake := newFake(t, map[string]function{
		"hooktest": scenarios,
		"arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest": scenarios,
		"123456789012:function:hooktest":                               scenarios,
	})
	cases := []struct {
		name, uri, region   string
		env                 string // AWS_REGION
		wantFunction        string
		wantQualifier       string
		wantSignatureRegion string
	}{
		{name: "name", uri: "lambda:hooktest", region: "eu-west-1",
			wantFunction: "hooktest", wantSignatureRegion: "eu-west-1"},
		{name: "name and version", uri: "lambda:hooktest:7", region: "eu-west-1",
			wantFunction: "hooktest", wantQualifier: "7", wantSignatureRegion: "eu-west-1"},
		{name: "name and $LATEST", uri: "lambda:hooktest:$LATEST", region: "eu-west-1",
			wantFunction: "hooktest", wantQualifier: "$LATEST", wantSignatureRegion: "eu-west-1"},
		{name: "region from the environment", uri: "lambda:hooktest", env: "us-west-2",
			wantFunction: "hooktest", wantSignatureRegion: "us-west-2"},
		{name: "ARN region over the environment", uri: "lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest", env: "us-west-2",
			wantFunction: "arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest", wantSignatureRegion: "ap-northeast-2"},
		{name: "ARN with alias", uri: "lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest:prod",
			wantFunction: "arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest", wantQualifier: "prod", wantSignatureRegion: "ap-northeast-2"},
		{name: "Options.Region over the ARN", uri: "lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest", region: "eu-central-1",
			wantFunction: "arn:aws:lambda:ap-northeast-2:123456789012:function:hooktest", wantSignatureRegion: "eu-central-1"},
		{name: "partial ARN", uri: "lambda:123456789012:function:hooktest:3", env: "us-east-1",
			wantFunction: "123456789012:function:hooktest", wantQualifier: "3", wantSignatureRegion: "us-east-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", c.env)
			h := newHook(t, c.uri, lambda.Options{Endpoint: fake.srv.URL, Region: c.region})
			resp, err := h.Invoke(context.Background(), hooktest.Event("close"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if resp.SessionState.DialogAction == nil || resp.SessionState.DialogAction.Type != parley.ActionClose {
				t.Errorf("response %+v, want the close scenario's answer", resp.SessionState)
			}
			got := fake.lastCall()
			if got.Function != c.wantFunction || got.Qualifier != c.wantQualifier || got.Region != c.wantSignatureRegion {
				t.Errorf("invoked %q qualifier %q signed for %q, want %q qualifier %q signed for %q",
					got.Function, got.Qualifier, got.Region, c.wantFunction, c.wantQualifier, c.wantSignatureRegion)
			}
			if got.Event["inputTranscript"] != "hooktest:close" {
				t.Errorf("event inputTranscript %v, want hooktest:close", got.Event["inputTranscript"])
			}
		})
	}
}

func TestEndpointFromEnvironment(t *testing.T) {
	isolate(t)
	fake := newFake(t, map[string]function{"hooktest": scenarios})
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", fake.srv.URL)
	h := newHook(t, "lambda:hooktest", lambda.Options{Region: "eu-west-1"})
	if _, err := h.Invoke(context.Background(), hooktest.Event("close")); err != nil {
		t.Fatalf("Invoke through AWS_ENDPOINT_URL_LAMBDA: %v", err)
	}
	if got := fake.lastCall().Function; got != "hooktest" {
		t.Errorf("invoked %q, want hooktest", got)
	}
}

func TestNew(t *testing.T) {
	isolate(t)
	cases := []struct {
		name, uri string
		opts      lambda.Options
		wantErr   string // "" for success
		timeout   time.Duration
	}{
		{name: "defaults", uri: "lambda:f", opts: lambda.Options{Region: "us-east-1"}, timeout: 30 * time.Second},
		{name: "timeout", uri: "lambda:f", opts: lambda.Options{Region: "us-east-1", Timeout: 2 * time.Second}, timeout: 2 * time.Second},
		{name: "region from ARN", uri: "lambda:arn:aws:lambda:eu-west-1:123456789012:function:f", timeout: 30 * time.Second},
		{name: "no region", uri: "lambda:f", wantErr: "No AWS region for code hook lambda:f"},
		{name: "bad uri", uri: "lambda:bad name", opts: lambda.Options{Region: "us-east-1"}, wantErr: `"lambda:bad name"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := lambda.New(c.uri, c.opts)
			if c.wantErr != "" {
				if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(parley.ErrorMessageOf(err), c.wantErr) {
					t.Fatalf("New(%q) error = %v, want ErrValidation containing %q", c.uri, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%q): %v", c.uri, err)
			}
			if h.Timeout() != c.timeout {
				t.Errorf("Timeout() = %v, want %v", h.Timeout(), c.timeout)
			}
			if h.String() != c.uri {
				t.Errorf("String() = %q, want %q", h.String(), c.uri)
			}
		})
	}
}

func TestParseURI(t *testing.T) {
	cases := []struct {
		name, uri string
		want      lambda.Function
		wantErr   string
	}{
		{name: "name", uri: "lambda:OrderPizza", want: lambda.Function{Name: "OrderPizza"}},
		{name: "name with version", uri: "lambda:order-pizza_v2:12", want: lambda.Function{Name: "order-pizza_v2", Qualifier: "12"}},
		{name: "name with alias", uri: "lambda:orders:prod", want: lambda.Function{Name: "orders", Qualifier: "prod"}},
		{name: "name with $LATEST", uri: "lambda:orders:$LATEST", want: lambda.Function{Name: "orders", Qualifier: "$LATEST"}},
		{name: "partial ARN", uri: "lambda:123456789012:function:orders",
			want: lambda.Function{Name: "123456789012:function:orders"}},
		{name: "partial ARN with alias", uri: "lambda:123456789012:function:orders:live",
			want: lambda.Function{Name: "123456789012:function:orders", Qualifier: "live"}},
		{name: "ARN", uri: "lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:orders",
			want: lambda.Function{Name: "arn:aws:lambda:ap-northeast-2:123456789012:function:orders", Region: "ap-northeast-2"}},
		{name: "ARN with version", uri: "lambda:arn:aws:lambda:us-east-1:123456789012:function:orders:3",
			want: lambda.Function{Name: "arn:aws:lambda:us-east-1:123456789012:function:orders", Qualifier: "3", Region: "us-east-1"}},
		{name: "GovCloud ARN", uri: "lambda:arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders",
			want: lambda.Function{Name: "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders", Region: "us-gov-west-1"}},

		{name: "other scheme", uri: "http://example.com", wantErr: "does not start with lambda:"},
		{name: "empty", uri: "lambda:", wantErr: `bad function name ""`},
		{name: "space in name", uri: "lambda:order pizza", wantErr: `bad function name "order pizza"`},
		{name: "name too long", uri: "lambda:" + strings.Repeat("f", 65), wantErr: "bad function name"},
		{name: "empty qualifier", uri: "lambda:orders:", wantErr: `bad qualifier ""`},
		{name: "bad qualifier", uri: "lambda:orders:v/1", wantErr: `bad qualifier "v/1"`},
		{name: "too many parts", uri: "lambda:a:b:c", wantErr: "want lambda:FUNCTION[:QUALIFIER]"},
		{name: "short ARN", uri: "lambda:arn:aws:lambda:us-east-1:123456789012:orders", wantErr: "arn:aws:lambda:REGION"},
		{name: "not a lambda ARN", uri: "lambda:arn:aws:s3:us-east-1:123456789012:function:orders", wantErr: "arn:aws:lambda:REGION"},
		{name: "ARN bad region", uri: "lambda:arn:aws:lambda:Seoul:123456789012:function:orders", wantErr: `bad region "Seoul"`},
		{name: "ARN bad account", uri: "lambda:arn:aws:lambda:us-east-1:1234:function:orders", wantErr: `bad account id "1234"`},
		{name: "partial ARN bad account", uri: "lambda:12x:function:orders", wantErr: `bad account id "12x"`},
		{name: "ARN too long", uri: "lambda:arn:aws:lambda:us-east-1:123456789012:function:orders:1:2", wantErr: "arn:aws:lambda:REGION"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := lambda.ParseURI(c.uri)
			if c.wantErr != "" {
				if parley.ErrorCodeOf(err) != parley.ErrValidation {
					t.Fatalf("ParseURI(%q) = %+v, %v; want ErrValidation", c.uri, got, err)
				}
				msg := parley.ErrorMessageOf(err)
				if !strings.Contains(msg, c.wantErr) || !strings.Contains(msg, c.uri) {
					t.Errorf("message %q, want it to name %q and contain %q", msg, c.uri, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURI(%q): %v", c.uri, err)
			}
			if got != c.want {
				t.Errorf("ParseURI(%q) = %+v, want %+v", c.uri, got, c.want)
			}
		})
	}
}

// pythonError is the error object of a Python function that raised
// KeyError, as Lambda returns it.
const pythonError = `{"errorMessage": "'slots'", "errorType": "KeyError", "requestId": "c0ffee", "stackTrace": ["  File \"/var/task/lambda_function.py\", line 12, in lambda_handler\n    slots = event['slots']\n"]}`

// nodeError is the error object of a Node.js handler that threw.
const nodeError = `{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'name')","trace":[],"stackTrace":["TypeError: Cannot read properties of undefined (reading 'name')","    at Runtime.handler (file:///var/task/index.mjs:7:31)","    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"]}`

func TestInvokeErrors(t *testing.T) {
	isolate(t)
	fake := newFake(t, map[string]function{
		"python-error": static("Unhandled", pythonError),
		"node-error":   static("Handled", nodeError),
		"go-error":     static("Unhandled", `{"errorMessage":"no pizza","errorType":"errorString","stackTrace":[{"path":"/home/dev/hooks/main.go","line":31,"label":"handler"}]}`),
		"bare-error":   static("Unhandled", `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 1 Error: Runtime exited with error: exit status 1"}`),
		"junk-error":   static("Unhandled", `Traceback (most recent call last)`),
		"throttled": func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			lambdaError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
		},
		"denied": func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			lambdaError(w, http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: lambda:InvokeFunction")
		},
		"broken": func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			lambdaError(w, http.StatusInternalServerError, "ServiceException", "internal failure")
		},
		"bad-gateway": func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			w.WriteHeader(http.StatusBadGateway)
		},
		"big":        static("", `{"sessionState":{"dialogAction":{"type":"Close"}},"messages":[{"contentType":"PlainText","content":"`+strings.Repeat("y", 31_600)+`"}]}`),
		"huge":       static("", strings.Repeat(" ", 7<<20)),
		"not-json":   static("", `{"sessionState": {"dialogAction": nope}}`),
		"array":      static("", `[{"sessionState":{}}]`),
		"null":       static("", `null`),
		"string":     static("", `"Close"`),
		"empty":      static("", ``),
		"wrong-type": static("", `{"sessionState": {"intent": "OrderPizza"}}`),
		"slow": func(_ http.ResponseWriter, r *http.Request, _ *parley.CodeHookEvent) {
			<-r.Context().Done()
		},
	})
	cases := []struct {
		name     string
		function string
		timeout  time.Duration
		ctx      func() (context.Context, context.CancelFunc)
		code     parley.ErrorCode
		want     string // the whole message
		deadline bool   // errors.Is(err, context.DeadlineExceeded)
	}{
		{name: "function not found", function: "missing", code: parley.ErrDependencyFailed,
			want: "Lambda Invoke failed (HTTP 404): ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:missing (lambda:missing)"},
		{name: "throttled", function: "throttled", code: parley.ErrThrottling,
			want: "Lambda throttled the code hook: TooManyRequestsException: Rate Exceeded. (lambda:throttled)"},
		{name: "access denied", function: "denied", code: parley.ErrDependencyFailed,
			want: "Lambda Invoke failed (HTTP 403): AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction (lambda:denied)"},
		{name: "service error", function: "broken", code: parley.ErrDependencyFailed,
			want: "Lambda Invoke failed (HTTP 500): ServiceException: internal failure (lambda:broken)"},
		{name: "bad gateway", function: "bad-gateway", code: parley.ErrDependencyFailed,
			want: "Lambda Invoke failed (HTTP 502): UnknownError: UnknownError (lambda:bad-gateway)"},
		{name: "Python exception", function: "python-error", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received error response from Lambda (Unhandled): KeyError: 'slots' (lambda_function.py line 12)"},
		{name: "Node.js exception", function: "node-error", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received error response from Lambda (Handled): TypeError: Cannot read properties of undefined (reading 'name') (index.mjs line 7)"},
		{name: "Go error", function: "go-error", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received error response from Lambda (Unhandled): errorString: no pizza (main.go line 31)"},
		{name: "runtime exit", function: "bare-error", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received error response from Lambda (Unhandled): Runtime.ExitError: RequestId: 1 Error: Runtime exited with error: exit status 1"},
		{name: "error that is not an error object", function: "junk-error", code: parley.ErrDependencyFailed,
			want: `Invalid Lambda Response: Received error response from Lambda (Unhandled): "Traceback (most recent call last)"`},
		{name: "over the size limit", function: "big", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: response is 31,704 bytes, more than the 25,600-byte limit"},
		{name: "over Lambda's own limit", function: "huge", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: response is more than 6,291,456 bytes, over the 25,600-byte limit"},
		{name: "not JSON", function: "not-json", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: not valid JSON at offset 36: invalid character 'o' in literal null (expecting 'u')"},
		{name: "array", function: "array", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: not a JSON object: it starts with [{\"sessionState\":{}}…"},
		{name: "null", function: "null", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: not a JSON object: it starts with null"},
		{name: "string", function: "string", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: not a JSON object: it starts with \"Close\""},
		{name: "empty", function: "empty", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: empty response"},
		{name: "wrong field type", function: "wrong-type", code: parley.ErrDependencyFailed,
			want: "Invalid Lambda Response: Received invalid response from Lambda: field sessionState.intent: a JSON string where parley.SessionIntent is expected, at offset 40"},
		{name: "hook timeout", function: "slow", timeout: 200 * time.Millisecond, code: parley.ErrDependencyFailed,
			want: "Code hook timed out after 200ms (lambda:slow)", deadline: true},
		{name: "caller's shorter deadline", function: "slow",
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 300*time.Millisecond)
			},
			code: parley.ErrDependencyFailed, want: "Code hook timed out after 300ms (lambda:slow)", deadline: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs syncBuffer
			h := newHook(t, "lambda:"+c.function, lambda.Options{
				Endpoint: fake.srv.URL, Region: "eu-west-1", Timeout: c.timeout,
				Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			})
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if c.ctx != nil {
				ctx, cancel = c.ctx()
			}
			defer cancel()
			resp, err := h.Invoke(ctx, hooktest.Event("close"))
			if err == nil {
				t.Fatalf("Invoke = %+v, want an error", resp)
			}
			if got := parley.ErrorCodeOf(err); got != c.code {
				t.Errorf("code %s, want %s (%v)", got, c.code, err)
			}
			if got := parley.ErrorMessageOf(err); got != c.want {
				t.Errorf("message\n  %s\nwant\n  %s", got, c.want)
			}
			if got := errors.Is(err, context.DeadlineExceeded); got != c.deadline {
				t.Errorf("errors.Is(err, context.DeadlineExceeded) = %t, want %t", got, c.deadline)
			}
			if strings.HasPrefix(c.want, "Invalid Lambda Response: Received") && !strings.Contains(logs.String(), "level=WARN") {
				t.Errorf("the offending payload was not logged at warn; log:\n%s", logs.String())
			}
		})
	}
}

func TestInvokeLogsPayload(t *testing.T) {
	isolate(t)
	payload := `{"sessionState": ` + strings.Repeat("x", 10_000)
	fake := newFake(t, map[string]function{"bad": static("", payload)})
	var logs syncBuffer
	h := newHook(t, "lambda:bad", lambda.Options{
		Endpoint: fake.srv.URL, Region: "eu-west-1",
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if _, err := h.Invoke(context.Background(), hooktest.Event("close")); err == nil {
		t.Fatal("Invoke succeeded on a payload that is not JSON")
	}
	out := logs.String()
	if !strings.Contains(out, `"level":"WARN"`) || !strings.Contains(out, `"hook":"lambda:bad"`) || !strings.Contains(out, `"bytes":10017`) {
		t.Errorf("log lacks the warn level, the hook or the size:\n%s", out)
	}
	if !strings.Contains(out, `{\"sessionState\": xxxx`) {
		t.Errorf("log lacks the payload:\n%s", out)
	}
	if n := strings.Count(out, "x"); n < 4000 || n > 4100 {
		t.Errorf("log has %d bytes of the payload's x, want it cut to about 4 KB", n)
	}
}

func TestInvokeCancelled(t *testing.T) {
	isolate(t)
	fake := newFake(t, map[string]function{"slow": func(_ http.ResponseWriter, r *http.Request, _ *parley.CodeHookEvent) { <-r.Context().Done() }})
	h := newHook(t, "lambda:slow", lambda.Options{Endpoint: fake.srv.URL, Region: "eu-west-1"})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the call is under way, as a client that hangs up does.
		for {
			fake.mu.Lock()
			n := len(fake.calls)
			fake.mu.Unlock()
			if n > 0 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err := h.Invoke(ctx, hooktest.Event("close"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Invoke after cancel = %v, want context.Canceled", err)
	}
}

func TestInvokeUnreachable(t *testing.T) {
	isolate(t)
	fake := newFake(t, nil)
	url := fake.srv.URL
	fake.srv.Close()
	h := newHook(t, "lambda:gone", lambda.Options{Endpoint: url, Region: "eu-west-1"})
	_, err := h.Invoke(context.Background(), hooktest.Event("close"))
	msg := parley.ErrorMessageOf(err)
	if parley.ErrorCodeOf(err) != parley.ErrDependencyFailed || !strings.HasPrefix(msg, "Lambda Invoke failed: ") ||
		!strings.Contains(msg, "connection refused") || !strings.HasSuffix(msg, "(lambda:gone)") {
		t.Errorf("Invoke on a closed endpoint = %v, want ErrDependencyFailed saying the connection was refused", err)
	}
}

// syncBuffer is a bytes.Buffer the SDK's goroutines and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// BenchmarkInvoke measures one code hook call over loopback: encoding the
// event of a typical turn, signing, the HTTP round trip to a fake that
// answers the close scenario without checking anything, and decoding.
func BenchmarkInvoke(b *testing.B) {
	b.Setenv("AWS_CONFIG_FILE", filepath.Join(b.TempDir(), "missing"))
	b.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(b.TempDir(), "missing"))
	answerBytes, err := hooktest.Respond(context.Background(), hooktest.Event("close"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		answer(w, "", answerBytes)
	}))
	b.Cleanup(srv.Close)
	h := newHook(b, "lambda:hooktest", lambda.Options{Endpoint: srv.URL, Region: "eu-west-1"})
	ev := hooktest.Event("close")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"lambda:orders", "lambda:orders:prod", "lambda:orders:$LATEST",
		"lambda:123456789012:function:orders:3",
		"lambda:arn:aws:lambda:ap-northeast-2:123456789012:function:orders:live",
		"lambda:arn:aws-cn:lambda:cn-north-1:123456789012:function:o",
		"lambda::", "lambda:arn:", "http://x", "lambda:a:b:c:d:e:f:g:h",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		fn, err := lambda.ParseURI(uri)
		if err != nil {
			if parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Fatalf("ParseURI(%q) error %v is not ErrValidation", uri, err)
			}
			return
		}
		// What parses names the function it was given, and nothing else.
		again := "lambda:" + fn.Name
		if fn.Qualifier != "" {
			again += ":" + fn.Qualifier
		}
		if again != uri {
			t.Fatalf("ParseURI(%q) = %+v, which rebuilds as %q", uri, fn, again)
		}
		if fn.Region != "" && !strings.HasPrefix(fn.Name, "arn:") {
			t.Fatalf("ParseURI(%q) = %+v: a region without an ARN", uri, fn)
		}
	})
}

// FuzzInvokeResponse feeds arbitrary payloads, with and without a function
// error, through a real Invoke: every outcome is a response or an
// ErrDependencyFailed error, never a panic or another kind of error.
func FuzzInvokeResponse(f *testing.F) {
	f.Setenv("AWS_CONFIG_FILE", filepath.Join(f.TempDir(), "missing"))
	f.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(f.TempDir(), "missing"))
	var mu sync.Mutex
	var payload []byte
	var functionError string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		p, fe := payload, functionError
		mu.Unlock()
		answer(w, fe, p)
	}))
	f.Cleanup(srv.Close)
	h := newHook(f, "lambda:fuzz", lambda.Options{Endpoint: srv.URL, Region: "eu-west-1", MaxResponseBytes: 512})
	for _, s := range []string{pythonError, nodeError, `{"sessionState":{"dialogAction":{"type":"Close"}}}`, `null`, `[`, `{"stackTrace":[{"path":1}]}`, ` {} `} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, p []byte, failed bool) {
		mu.Lock()
		payload, functionError = p, ""
		if failed {
			functionError = "Unhandled"
		}
		mu.Unlock()
		resp, err := h.Invoke(context.Background(), hooktest.Event("close"))
		switch {
		case err == nil && (failed || resp == nil):
			t.Fatalf("Invoke = %+v, nil for payload %q (function error %t)", resp, p, failed)
		case err != nil && parley.ErrorCodeOf(err) != parley.ErrDependencyFailed:
			t.Fatalf("Invoke error %v for payload %q, want ErrDependencyFailed", err, p)
		}
	})
}

func TestInvokeNoRetry(t *testing.T) {
	isolate(t)
	// The SDK would retry these three times by default, and more with this.
	t.Setenv("AWS_MAX_ATTEMPTS", "5")
	t.Setenv("AWS_RETRY_MODE", "standard")
	cases := []struct {
		name string
		fn   function
	}{
		{"service error", func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			lambdaError(w, http.StatusInternalServerError, "ServiceException", "internal failure")
		}},
		{"throttled", func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			lambdaError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
		}},
		{"bad gateway", func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
			w.WriteHeader(http.StatusBadGateway)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFake(t, map[string]function{"f": c.fn})
			h := newHook(t, "lambda:f", lambda.Options{Endpoint: fake.srv.URL, Region: "eu-west-1"})
			if _, err := h.Invoke(context.Background(), hooktest.Event("close")); err == nil {
				t.Fatal("Invoke succeeded")
			}
			fake.mu.Lock()
			n := len(fake.calls)
			fake.mu.Unlock()
			if n != 1 {
				t.Errorf("the function was invoked %d times, want once: hooks are not retried", n)
			}
		})
	}
}

func TestInvokeCredentials(t *testing.T) {
	isolate(t)
	fake := newFake(t, map[string]function{"hooktest": scenarios})
	t.Run("none", func(t *testing.T) {
		h, err := lambda.New("lambda:hooktest", lambda.Options{Endpoint: fake.srv.URL, Region: "eu-west-1"})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		_, err = h.Invoke(context.Background(), hooktest.Event("close"))
		msg := parley.ErrorMessageOf(err)
		if parley.ErrorCodeOf(err) != parley.ErrDependencyFailed || !strings.HasPrefix(msg, "Lambda Invoke failed: get identity: get credentials: ") {
			t.Errorf("Invoke without credentials = %v, want ErrDependencyFailed saying it found no credentials", err)
		}
	})
	t.Run("from the environment", func(t *testing.T) {
		t.Setenv("AWS_ACCESS_KEY_ID", accessKey)
		t.Setenv("AWS_SECRET_ACCESS_KEY", secretKey)
		h, err := lambda.New("lambda:hooktest", lambda.Options{Endpoint: fake.srv.URL, Region: "eu-west-1"})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if _, err := h.Invoke(context.Background(), hooktest.Event("close")); err != nil {
			t.Fatalf("Invoke with credentials in the environment: %v", err)
		}
	})
}

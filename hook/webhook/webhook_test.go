package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		url  string
		opts webhook.Options
		want string // "" means accepted
	}{
		{name: "http", url: "http://127.0.0.1:8080/hook"},
		{name: "https", url: "https://hooks.example.com/lex?fn=pizza"},
		{name: "lambda scheme", url: "lambda:PizzaFn", want: `"lambda:PizzaFn" must be an absolute http:// or https:// URL`},
		{name: "ftp", url: "ftp://example.com/hook", want: `"ftp://example.com/hook"`},
		{name: "no scheme", url: "localhost:8080/hook", want: "must be an absolute http"},
		{name: "no host", url: "http:///hook", want: "must be an absolute http"},
		{name: "empty", url: "", want: `""`},
		{name: "negative timeout", url: "http://127.0.0.1/", opts: webhook.Options{Timeout: -time.Second}, want: "timeout -1s is negative"},
		{name: "negative limit", url: "http://127.0.0.1/", opts: webhook.Options{MaxResponseBytes: -1}, want: "maxResponseBytes -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := webhook.New(tt.url, tt.opts)
			if tt.want == "" {
				if err != nil || h == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.Contains(parley.ErrorMessageOf(err), tt.want) {
				t.Fatalf("New: %v, want ValidationException containing %q", err, tt.want)
			}
		})
	}
}

func TestTimeoutDefault(t *testing.T) {
	h, err := webhook.New("http://127.0.0.1/", webhook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Timeout(); got != webhook.DefaultTimeout {
		t.Errorf("Timeout() = %v, want %v", got, webhook.DefaultTimeout)
	}
	h, err = webhook.New("http://127.0.0.1/", webhook.Options{Timeout: 7 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Timeout(); got != 7*time.Second {
		t.Errorf("Timeout() = %v, want 7s", got)
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestRequest checks what goes over the wire: method, headers, a signature
// the receiver can verify, and the event in Lex's Lambda shape.
func TestRequest(t *testing.T) {
	type seen struct {
		method, contentType, userAgent, requestID, signature string
		verify                                               error
		body                                                 []byte
	}
	for _, tt := range []struct {
		name   string
		secret []byte
	}{
		{name: "signed", secret: []byte("pizza-secret")},
		{name: "unsigned"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan seen, 2)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				s := seen{method: r.Method, contentType: r.Header.Get("Content-Type"), userAgent: r.Header.Get("User-Agent"),
					requestID: r.Header.Get(webhook.RequestIDHeader), signature: r.Header.Get(webhook.SignatureHeader), body: body}
				if tt.secret != nil {
					s.verify = webhook.Verify(r, body, tt.secret, time.Minute)
				}
				got <- s
				_, _ = w.Write([]byte(`{"sessionState":{"dialogAction":{"type":"Delegate"}}}`))
			}))
			defer srv.Close()
			h, err := webhook.New(srv.URL+"/lex/hook", webhook.Options{Secret: tt.secret})
			if err != nil {
				t.Fatal(err)
			}
			ev := hooktest.Event("delegate")
			for range 2 {
				resp, err := h.Invoke(context.Background(), ev)
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				if resp.SessionState.DialogAction == nil || resp.SessionState.DialogAction.Type != parley.ActionDelegate {
					t.Fatalf("response %+v, want Delegate", resp.SessionState)
				}
			}
			first, second := <-got, <-got
			if first.method != http.MethodPost || first.contentType != "application/json" {
				t.Errorf("method %q content type %q, want POST application/json", first.method, first.contentType)
			}
			if !strings.HasPrefix(first.userAgent, "Parley/") {
				t.Errorf("User-Agent %q, want Parley/…", first.userAgent)
			}
			if !uuidV4.MatchString(first.requestID) || first.requestID == second.requestID {
				t.Errorf("request ids %q, %q: want two different UUIDs", first.requestID, second.requestID)
			}
			if tt.secret == nil && first.signature != "" {
				t.Errorf("unsigned hook sent %s: %q", webhook.SignatureHeader, first.signature)
			}
			if tt.secret != nil && first.verify != nil {
				t.Errorf("Verify on the receiving side: %v", first.verify)
			}
			var wire map[string]any
			if err := json.Unmarshal(first.body, &wire); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			interp := wire["interpretations"].([]any)[0].(map[string]any)
			if _, ok := interp["nluConfidence"].(float64); !ok {
				t.Errorf("nluConfidence is %#v, want a bare number", interp["nluConfidence"])
			}
			if wire["inputTranscript"] != "hooktest:delegate" || wire["invocationSource"] != parley.DialogCodeHook {
				t.Errorf("event fields %v / %v did not arrive", wire["inputTranscript"], wire["invocationSource"])
			}
		})
	}
}

// TestFailures covers each way a server can answer badly: every one is a
// DependencyFailedException whose message names the fault, and the payload
// goes to the log.
func TestFailures(t *testing.T) {
	long := strings.Repeat("é", 300) // 600 bytes: the message keeps 200
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []string // substrings of the message
		logged  string   // substring of the logged payload
	}{
		{
			name: "redirect",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://elsewhere.example/hook", http.StatusFound)
			},
			want: []string{"HTTP 302 Found", `Location "https://elsewhere.example/hook"`, "not followed"},
		},
		{
			name: "permanent redirect",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/moved", http.StatusPermanentRedirect)
			},
			want: []string{"HTTP 308 Permanent Redirect", `Location "/moved"`},
		},
		{
			name: "lambda-style error",
			handler: func(w http.ResponseWriter, r *http.Request) {
				lambdaError(w, http.StatusInternalServerError, "KeyError", "'slots' (lambda_function.py line 12)")
			},
			want:   []string{"Received error response from code hook (HTTP 500 Internal Server Error): KeyError: 'slots' (lambda_function.py line 12)"},
			logged: "KeyError",
		},
		{
			name: "plain error body is cut at 200 bytes",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, long, http.StatusBadGateway)
			},
			want:   []string{"(HTTP 502 Bad Gateway): " + strings.Repeat("é", 100) + "…"},
			logged: strings.Repeat("é", 300),
		},
		{
			name: "big error body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "40000")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, strings.Repeat("busy ", 8000))
			},
			want:   []string{"(HTTP 503 Service Unavailable): busy busy"},
			logged: "busy busy",
		},
		{
			name:    "empty error body",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) },
			want:    []string{"(HTTP 404 Not Found): empty body"},
		},
		{
			name: "oversize with length",
			handler: func(w http.ResponseWriter, r *http.Request) {
				body := `{"messages":[{"contentType":"PlainText","content":"` + strings.Repeat("x", 31000) + `"}]}`
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				_, _ = io.WriteString(w, body)
			},
			want:   []string{"response is 31,055 bytes, more than the 25,600-byte limit"},
			logged: `{"messages"`,
		},
		{
			name: "oversize chunked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				for range 40 {
					_, _ = io.WriteString(w, strings.Repeat("y", 1000))
					http.NewResponseController(w).Flush()
				}
			},
			want: []string{"response is 40,000 bytes, more than the 25,600-byte limit"},
		},
		{
			name:    "not JSON",
			handler: func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `{"sessionState": oops}`) },
			want:    []string{"Received invalid response from code hook: not valid JSON at offset 18: invalid character 'o'"},
			logged:  "oops",
		},
		{
			name:    "empty 200",
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    []string{"not valid JSON at offset 0"},
		},
		{
			name:    "array",
			handler: func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `[{"sessionState":{}}]`) },
			want:    []string{"not a JSON object but array"},
		},
		{
			name:    "null",
			handler: func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, " null") },
			want:    []string{"not a JSON object but null"},
		},
		{
			name:    "string",
			handler: func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `"not json"`) },
			want:    []string{"not a JSON object but string"},
		},
		{
			name: "wrong field type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"sessionState":{"intent":"OrderPizza"}}`)
			},
			want: []string{"wrong type at offset", "sessionState.intent is string"},
		},
		{
			name: "connection dropped",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					conn.Close()
				}
			},
			want: []string{"Code hook request failed: the connection was closed before a complete response"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			var logs bytes.Buffer
			h, err := webhook.New(srv.URL+"/hook", webhook.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.Invoke(context.Background(), hooktest.Event("close"))
			assertFailure(t, err, append(tt.want, "("+srv.URL+"/hook)"))
			if !strings.Contains(logs.String(), `"level":"WARN"`) {
				t.Errorf("no warning logged: %s", logs.String())
			}
			if tt.logged != "" {
				var rec struct{ Payload string }
				if err := json.Unmarshal(logs.Bytes(), &rec); err != nil || !strings.Contains(rec.Payload, tt.logged) {
					t.Errorf("logged payload %q (%v) does not contain %q", rec.Payload, err, tt.logged)
				}
			}
		})
	}
}

func assertFailure(t *testing.T, err error, want []string) {
	t.Helper()
	if code := parley.ErrorCodeOf(err); code != parley.ErrDependencyFailed {
		t.Fatalf("error %v: code %s, want %s", err, code, parley.ErrDependencyFailed)
	}
	msg := parley.ErrorMessageOf(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %q", msg, w)
		}
	}
}

func TestLoggedPayloadIsTruncated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("z", 20000))
	}))
	defer srv.Close()
	var logs bytes.Buffer
	h, err := webhook.New(srv.URL, webhook.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Invoke(context.Background(), hooktest.Event("close"))
	assertFailure(t, err, []string{"not valid JSON"})
	var rec struct{ Payload string }
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("z", 4096) + "…"; rec.Payload != want {
		t.Errorf("logged %d bytes, want the first 4096 and a mark", len(rec.Payload))
	}
}

func TestRefusedConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/hook"
	ln.Close() // nothing listens there now
	h, err := webhook.New(url, webhook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Invoke(context.Background(), hooktest.Event("close"))
	assertFailure(t, err, []string{"Code hook request failed", "connection refused", "(" + url + ")"})
}

func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices the caller hanging up only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	tests := []struct {
		name    string
		timeout time.Duration // the hook's
		ctx     time.Duration // the caller's, 0 for none
		want    string
	}{
		{name: "hook limit", timeout: time.Second, want: "Code hook timed out after 1s (" + srv.URL + ")"},
		{name: "caller limit", timeout: time.Minute, ctx: 500 * time.Millisecond, want: "Code hook timed out after 500ms (" + srv.URL + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := webhook.New(srv.URL, webhook.Options{Timeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if tt.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctx)
				defer cancel()
			}
			_, err = h.Invoke(ctx, hooktest.Event("timeout"))
			assertFailure(t, err, []string{tt.want})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not match context.DeadlineExceeded", err)
			}
		})
	}
}

// TestClientRedirectPolicy checks that a caller's client that follows
// redirects does not make the hook follow one, and is itself left alone.
func TestClientRedirectPolicy(t *testing.T) {
	var followed bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed = true }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	policy := func(*http.Request, []*http.Request) error { return nil }
	client := &http.Client{CheckRedirect: policy}
	h, err := webhook.New(srv.URL, webhook.Options{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Invoke(context.Background(), hooktest.Event("close"))
	assertFailure(t, err, []string{"HTTP 307 Temporary Redirect", target.URL})
	if followed {
		t.Error("the redirect was followed")
	}
	if client.CheckRedirect == nil {
		t.Error("the caller's client was changed")
	}
}

// TestTooManyRequests checks that a hook server answering 429 is reported as
// throttling, as Lex reports a Lambda at its concurrency limit.
func TestTooManyRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lambdaError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded")
	}))
	defer srv.Close()
	h, err := webhook.New(srv.URL, webhook.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Invoke(context.Background(), hooktest.Event("close"))
	if code := parley.ErrorCodeOf(err); code != parley.ErrThrottling {
		t.Fatalf("error %v: code %s, want %s", err, code, parley.ErrThrottling)
	}
	if msg := parley.ErrorMessageOf(err); !strings.Contains(msg, "HTTP 429 Too Many Requests") {
		t.Errorf("message %q does not name the status", msg)
	}
}

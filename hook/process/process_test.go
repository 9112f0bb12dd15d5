package process_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/process"
)

// runtimes are the two languages with the interpreter each needs and the
// test handler folder.
var runtimes = []struct {
	name, interpreter, scenarios, handler string
}{
	{"python", "python3", "python:scenarios.py", "python:py/lambda_function.py"},
	{"node", "node", "node:scenarios.js", "node:node/index.js"},
}

// need skips a test whose interpreter is missing, except under CI where
// that is a broken machine.
func need(t testing.TB, interpreter string) {
	t.Helper()
	if _, err := exec.LookPath(interpreter); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: %v", interpreter, err)
		}
		t.Skipf("%s is not installed", interpreter)
	}
}

// open builds a hook on uri (relative to testdata) and closes it after the
// test.
func open(t testing.TB, uri string, opts process.Options) *process.Hook {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = "testdata"
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	h, err := process.New(uri, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", uri, err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return h
}

// event returns an event whose inputTranscript picks a test handler, with
// the given session attributes.
func event(what string, attrs map[string]string) *parley.CodeHookEvent {
	ev := hooktest.Event("close")
	ev.InputTranscript = what
	ev.SessionState.SessionAttributes = attrs
	return ev
}

func invoke(t *testing.T, h parley.CodeHook, what string, attrs map[string]string) map[string]string {
	t.Helper()
	resp, err := h.Invoke(context.Background(), event(what, attrs))
	if err != nil {
		t.Fatalf("Invoke(%s): %v", what, err)
	}
	return resp.SessionState.SessionAttributes
}

// failure invokes and returns the ErrDependencyFailed message.
func failure(t *testing.T, h parley.CodeHook, what string) string {
	t.Helper()
	resp, err := h.Invoke(context.Background(), event(what, nil))
	if err == nil {
		t.Fatalf("Invoke(%s) = %+v, want an error", what, resp)
	}
	var e *parley.Error
	if !errors.As(err, &e) || e.Code != parley.ErrDependencyFailed {
		t.Fatalf("Invoke(%s) error = %v, want ErrDependencyFailed", what, err)
	}
	return e.Message
}

func TestConformance(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			hooktest.Run(t, func(t *testing.T) parley.CodeHook {
				return open(t, rt.scenarios, process.Options{Dir: "../hooktest/testdata", Timeout: time.Second})
			})
		})
	}
}

// record is one captured log record.
type record struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// recorder is a slog.Handler that keeps every record.
type recorder struct {
	mu    *sync.Mutex
	recs  *[]record
	attrs []slog.Attr
}

func newRecorder() *recorder { return &recorder{mu: new(sync.Mutex), recs: new([]record)} }

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	attrs := map[string]string{}
	for _, a := range r.attrs {
		attrs[a.Key] = a.Value.String()
	}
	rec.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.recs = append(*r.recs, record{rec.Level, rec.Message, attrs})
	return nil
}

func (r *recorder) WithAttrs(as []slog.Attr) slog.Handler {
	c := *r
	c.attrs = append(append([]slog.Attr{}, r.attrs...), as...)
	return &c
}

func (r *recorder) WithGroup(string) slog.Handler { return r }

// request returns the records of one request id, in order.
func (r *recorder) request(id string) []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []record
	for _, rec := range *r.recs {
		if rec.attrs["requestId"] == id {
			out = append(out, rec)
		}
	}
	return out
}

func TestLogs(t *testing.T) {
	tests := []struct {
		runtime, uri, interpreter string
		lines                     []string
		levels                    []slog.Level
	}{
		{"python", "python:py/lambda_function.py", "python3",
			[]string{"hello from python", "two", "lines", "to stderr", "via logging"},
			[]slog.Level{slog.LevelInfo, slog.LevelInfo, slog.LevelInfo, slog.LevelWarn, slog.LevelInfo}},
		{"node", "node:node/index.js", "node",
			[]string{"hello from node", "to stderr"},
			[]slog.Level{slog.LevelInfo, slog.LevelError}},
	}
	for _, tt := range tests {
		t.Run(tt.runtime, func(t *testing.T) {
			need(t, tt.interpreter)
			rec := newRecorder()
			h := open(t, tt.uri, process.Options{Logger: slog.New(rec), FunctionName: "PizzaHook"})
			id := invoke(t, h, "context", nil)["aws_request_id"]
			if id == "" {
				id = invoke(t, h, "context", nil)["awsRequestId"]
			}
			if id == "" {
				t.Fatal("the context carried no request id")
			}
			invoke(t, h, "print", nil)

			// The print call is the last START in the log.
			rec.mu.Lock()
			var printID string
			for _, r := range *rec.recs {
				if strings.HasPrefix(r.msg, "START RequestId: ") {
					printID = r.attrs["requestId"]
				}
			}
			rec.mu.Unlock()
			got := rec.request(printID)
			if len(got) != len(tt.lines)+3 {
				t.Fatalf("records of the print call = %+v, want START, %d lines, END, REPORT", got, len(tt.lines))
			}
			if want := "START RequestId: " + printID + " Version: $LATEST"; got[0].msg != want {
				t.Errorf("first record = %q, want %q", got[0].msg, want)
			}
			for i, line := range tt.lines {
				if got[i+1].msg != line || got[i+1].level != tt.levels[i] {
					t.Errorf("record %d = %q at %v, want %q at %v", i+1, got[i+1].msg, got[i+1].level, line, tt.levels[i])
				}
			}
			n := len(got)
			if want := "END RequestId: " + printID; got[n-2].msg != want {
				t.Errorf("END record = %q, want %q", got[n-2].msg, want)
			}
			report := got[n-1].msg
			for _, part := range []string{"REPORT RequestId: " + printID + " Duration: ", " ms Billed Duration: ", " ms Memory Size: 128 MB"} {
				if !strings.Contains(report, part) {
					t.Errorf("REPORT record = %q, want it to contain %q", report, part)
				}
			}
			for _, r := range got {
				if r.attrs["function"] != "PizzaHook" {
					t.Errorf("record %q has function %q, want PizzaHook", r.msg, r.attrs["function"])
				}
			}
		})
	}
}

func TestContext(t *testing.T) {
	need(t, "python3")
	need(t, "node")
	dir, _ := filepath.Abs("testdata")
	tests := []struct {
		name, uri string
		want      map[string]string
	}{
		{"python", "python:py/lambda_function.py", map[string]string{
			"function_name":        "lambda_function",
			"function_version":     "$LATEST",
			"invoked_function_arn": "arn:aws:lambda:us-east-1:000000000000:function:lambda_function",
			"memory_limit_in_mb":   "128",
			"log_group_name":       "/aws/lambda/lambda_function",
			"remaining_positive":   "True",
			"cwd":                  filepath.Join(dir, "py"),
			"helper":               "helper module",
		}},
		{"node", "node:node/index.js", map[string]string{
			"functionName":                   "index",
			"functionVersion":                "$LATEST",
			"invokedFunctionArn":             "arn:aws:lambda:us-east-1:000000000000:function:index",
			"memoryLimitInMB":                "128",
			"logGroupName":                   "/aws/lambda/index",
			"callbackWaitsForEmptyEventLoop": "true",
			"remainingPositive":              "true",
			"cwd":                            filepath.Join(dir, "node"),
			"helper":                         "helper module",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", "")
			h := open(t, tt.uri, process.Options{})
			got := invoke(t, h, "context", nil)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("context %s = %q, want %q", k, got[k], v)
				}
			}
			id := got["aws_request_id"] + got["awsRequestId"]
			if len(id) != 36 || strings.Count(id, "-") != 4 {
				t.Errorf("request id = %q, want a UUID", id)
			}
			stream := got["log_stream_name"] + got["logStreamName"]
			if !strings.Contains(stream, "/[$LATEST]") {
				t.Errorf("log stream name = %q, want Lambda's form", stream)
			}
			if again := invoke(t, h, "context", nil); again["pid"] != got["pid"] {
				t.Errorf("second call ran in process %s, first in %s: want one warm worker", again["pid"], got["pid"])
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	keys := []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
		"AWS_REGION", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "DYNAMODB_ENDPOINT", "PARLEY_TEST_OUTER"}
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			t.Setenv("PARLEY_TEST_OUTER", "outer")
			h := open(t, rt.handler, process.Options{
				FunctionName: "OrderFulfillment",
				Environment:  map[string]string{"DYNAMODB_ENDPOINT": "http://127.0.0.1:4567", "AWS_REGION": "ap-northeast-2"},
			})
			got := invoke(t, h, "env", map[string]string{"keys": strings.Join(keys, ",")})
			root, _ := filepath.Abs(filepath.Dir(filepath.Join("testdata", strings.SplitN(rt.handler, ":", 2)[1])))
			want := map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME":        "OrderFulfillment",
				"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
				"AWS_REGION":                      "ap-northeast-2",
				"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/OrderFulfillment",
				"LAMBDA_TASK_ROOT":                root,
				"DYNAMODB_ENDPOINT":               "http://127.0.0.1:4567",
				"PARLEY_TEST_OUTER":               "outer",
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if !strings.HasPrefix(got["AWS_EXECUTION_ENV"], "AWS_Lambda_") {
				t.Errorf("AWS_EXECUTION_ENV = %q, want AWS_Lambda_…", got["AWS_EXECUTION_ENV"])
			}
		})
	}
}

func TestNodeHandlerStyles(t *testing.T) {
	need(t, "node")
	tests := []struct {
		name, uri, input, want string
	}{
		{"callback", "node:node/index.js:callback", "hi", "callback index"},
		{"promise", "node:node/index.js:promise", "hi", "promise hi"},
		{"esm", "node:node/esm.mjs", "hi", "esm hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := open(t, tt.uri, process.Options{})
			resp, err := h.Invoke(context.Background(), event(tt.input, nil))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if len(resp.Messages) != 1 || resp.Messages[0].Content != tt.want {
				t.Errorf("messages = %+v, want %q", resp.Messages, tt.want)
			}
		})
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name, interpreter, uri, input string
		want                          []string
		// warm: the worker survives the failure (same process after it).
		warm bool
	}{
		{"python exception", "python3", "python:py/lambda_function.py", "keyerror", []string{
			"Invalid Lambda Response: Received error response from Lambda (Unhandled): KeyError: 'slots' (lambda_function.py line 58)"}, true},
		{"node exception", "node", "node:node/index.js", "keyerror", []string{
			"Invalid Lambda Response: Received error response from Lambda (Unhandled): TypeError: Cannot read properties of undefined (reading 'Size') (index.js line 52)"}, true},
		{"node callback error", "node", "node:node/index.js:callback", "fail", []string{
			"(Unhandled): TypeError: callback failed (index.js line 67)"}, true},
		{"python not serialisable", "python3", "python:py/lambda_function.py", "set", []string{
			"Invalid Lambda Response: Received invalid response from Lambda: Unable to marshal response: Object of type set is not JSON serializable"}, true},
		{"node circular", "node", "node:node/index.js", "circular", []string{
			"Invalid Lambda Response: Received invalid response from Lambda: Unable to stringify response body: Converting circular structure to JSON"}, true},
		{"python exit", "python3", "python:py/lambda_function.py", "exit0", []string{
			"Code hook process exited: exit status 0 (python:py/lambda_function.py)"}, false},
		{"node exit", "node", "node:node/index.js", "exit0", []string{
			"Code hook process exited: exit status 0 (node:node/index.js)"}, false},
		{"python syntax error", "python3", "python:py/syntax_error.py", "ok", []string{
			"Invalid Lambda Response: Received error response from Lambda (Unhandled): Runtime.UserCodeSyntaxError: Syntax error in module 'syntax_error': ",
			"(syntax_error.py line 2)"}, false},
		{"python import error", "python3", "python:py/import_error.py", "ok", []string{
			"(Unhandled): Runtime.ImportModuleError: Unable to import module 'import_error': No module named 'no_such_module_for_parley'"}, false},
		{"python missing handler", "python3", "python:py/lambda_function.py:nope", "ok", []string{
			"(Unhandled): Runtime.HandlerNotFound: Handler 'nope' missing on module 'lambda_function'"}, false},
		{"node syntax error", "node", "node:node/syntax_error.js", "ok", []string{
			"(Unhandled): Runtime.UserCodeSyntaxError: SyntaxError: "}, false},
		{"node missing handler", "node", "node:node/index.js:nope", "ok", []string{
			"(Unhandled): Runtime.HandlerNotFound: index.nope is undefined or not exported"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			need(t, tt.interpreter)
			h := open(t, tt.uri, process.Options{})
			var before map[string]string
			if tt.warm {
				before = invoke(t, h, "context", nil)
			}
			// Twice: a start failure must be reported again by the fresh
			// worker of the next call, not turn into a hang.
			for range 2 {
				msg := failure(t, h, tt.input)
				for _, want := range tt.want {
					if !strings.Contains(msg, want) {
						t.Errorf("message = %q, want it to contain %q", msg, want)
					}
				}
			}
			if tt.warm {
				after := invoke(t, h, "context", nil)
				if before["pid"] == "" || after["pid"] != before["pid"] {
					t.Errorf("worker pid %q after the failure, %q before: want the same warm worker", after["pid"], before["pid"])
				}
			}
		})
	}
}

func TestRestartAfterExit(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			h := open(t, rt.handler, process.Options{})
			before := invoke(t, h, "context", nil)["pid"]
			failure(t, h, "exit0")
			after := invoke(t, h, "context", nil)["pid"]
			if after == "" || after == before {
				t.Errorf("pid after the exit = %q, before %q: want a fresh worker", after, before)
			}
		})
	}
}

func TestCallerDeadline(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			h := open(t, rt.scenarios, process.Options{Dir: "../hooktest/testdata"})
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err := h.Invoke(ctx, hooktest.Event("timeout"))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Invoke past the caller's deadline: %v, want context.DeadlineExceeded", err)
			}
			if code := parley.ErrorCodeOf(err); code != parley.ErrDependencyFailed {
				t.Errorf("code = %s, want ErrDependencyFailed", code)
			}
			if _, err := h.Invoke(context.Background(), hooktest.Event("close")); err != nil {
				t.Errorf("the call after the deadline: %v", err)
			}
		})
	}
}

func TestWorkers(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			h := open(t, rt.handler, process.Options{Workers: 2})
			folder := t.TempDir()
			pids := make([]string, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Go(func() {
					resp, err := h.Invoke(context.Background(), event("barrier", map[string]string{"folder": folder}))
					if err == nil {
						pids[i] = resp.SessionState.SessionAttributes["pid"]
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("call %d: %v (with 2 workers both calls must run at once)", i, err)
				}
			}
			if pids[0] == pids[1] {
				t.Errorf("both calls ran in process %s, want two workers", pids[0])
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, uri, want string
	}{
		{"missing file", "python:py/nothere.py", "nothere.py does not exist"},
		{"missing node file", "node:node/nothere.js:handler", "nothere.js does not exist"},
		{"unknown scheme", "ruby:x.rb", "want python:PATH[:handler] or node:PATH[:handler]"},
		{"no path", "python:", "no handler file"},
		{"bad handler", "python:py/lambda_function.py:not-a-name", `handler "not-a-name" is not a function name`},
		{"folder", "python:py", "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := process.New(tt.uri, process.Options{Dir: "testdata"})
			var e *parley.Error
			if !errors.As(err, &e) || e.Code != parley.ErrValidation {
				t.Fatalf("New(%q) error = %v, want ErrValidation", tt.uri, err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.want)
			}
		})
	}
}

func TestTimeoutDefault(t *testing.T) {
	need(t, "python3")
	tests := []struct {
		name string
		opt  time.Duration
		want time.Duration
	}{
		{"default", 0, 30 * time.Second},
		{"set", 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := process.New("python:py/lambda_function.py", process.Options{Dir: "testdata", Timeout: tt.opt})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			if got := h.Timeout(); got != tt.want {
				t.Errorf("Timeout() = %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkInvoke(b *testing.B) {
	for _, rt := range runtimes {
		b.Run(rt.name, func(b *testing.B) {
			need(b, rt.interpreter)
			h := open(b, rt.scenarios, process.Options{Dir: "../hooktest/testdata"})
			ev := hooktest.Event("close")
			ctx := context.Background()
			if _, err := h.Invoke(ctx, ev); err != nil { // start the worker
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := h.Invoke(ctx, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestFailuresLogged(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			rec := newRecorder()
			h := open(t, rt.scenarios, process.Options{Dir: "../hooktest/testdata", Logger: slog.New(rec)})
			for _, scenario := range []string{"not_json", "throw"} {
				if _, err := h.Invoke(context.Background(), hooktest.Event(scenario)); err == nil {
					t.Fatalf("%s: no error", scenario)
				}
			}
			var payload, thrown bool
			rec.mu.Lock()
			for _, r := range *rec.recs {
				if r.level == slog.LevelWarn && r.attrs["payload"] == `"not json"` {
					payload = true
				}
				if r.level == slog.LevelWarn && strings.HasPrefix(r.msg, "[ERROR] ") &&
					strings.Contains(r.msg, "hooktest: thrown on purpose") && strings.Contains(r.attrs["stackTrace"], "scenarios.") {
					thrown = true
				}
			}
			rec.mu.Unlock()
			if !payload {
				t.Error("no warn record carries the rejected payload")
			}
			if !thrown {
				t.Error("no warn record carries the thrown error and its stack trace")
			}
		})
	}
}

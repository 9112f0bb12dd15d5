package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley/cli"
)

// initErrorSink is the Runtime API's init error endpoint, collecting what
// a failed Lambda start reports.
type initErrorSink struct {
	mu      sync.Mutex
	reports []string
	types   []string
}

func (s *initErrorSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/2018-06-01/runtime/init/error" {
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reports = append(s.reports, string(body))
	s.types = append(s.types, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// Every case must fail before the runtime loop starts: that loop reads the
// process environment and would end the test binary.
func TestLambdaInitErrors(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		mention string
	}{
		{name: "bad PARLEY_NO_HOOKS", env: map[string]string{"PARLEY_NO_HOOKS": "maybe", "PARLEY_BOTS": "../examples/hello"}, mention: "PARLEY_NO_HOOKS"},
		{name: "bad store", env: map[string]string{"PARLEY_STORE": "nosuch:x", "PARLEY_BOTS": "../examples/hello"}, mention: "nosuch"},
		{name: "missing bot", env: map[string]string{"PARLEY_BOTS": "testdata/no-such-bot", "PARLEY_STORE": "memory:"}, mention: "no-such-bot"},
		{name: "no bot folder beside bootstrap", env: map[string]string{"LAMBDA_TASK_ROOT": "testdata/no-such-root", "PARLEY_STORE": "memory:"}, mention: "no-such-root/bot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &initErrorSink{}
			srv := httptest.NewServer(sink)
			defer srv.Close()
			env := map[string]string{"AWS_LAMBDA_RUNTIME_API": strings.TrimPrefix(srv.URL, "http://")}
			for k, v := range tt.env {
				env[k] = v
			}
			var stdout, stderr bytes.Buffer
			code := cli.Main(nil, strings.NewReader(""), &stdout, &stderr, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			if code != 1 {
				t.Fatalf("exit status %d, want 1; stderr:\n%s", code, stderr.String())
			}
			sink.mu.Lock()
			reports, types := sink.reports, sink.types
			sink.mu.Unlock()
			if len(reports) != 1 || types[0] == "" {
				t.Fatalf("init error reports %q (types %q), want one", reports, types)
			}
			var report struct{ ErrorMessage, ErrorType string }
			if err := json.Unmarshal([]byte(reports[0]), &report); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(report.ErrorMessage, tt.mention) || report.ErrorType == "" {
				t.Errorf("report %+v does not mention %q", report, tt.mention)
			}
			if !strings.Contains(stderr.String(), "init failed") || !strings.Contains(stderr.String(), tt.mention) {
				t.Errorf("the log does not name the failure:\n%s", stderr.String())
			}
		})
	}
}

func TestLambdaModeNeedsNoArguments(t *testing.T) {
	// With arguments the runtime variable changes nothing: a subcommand
	// runs as usual.
	env := map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9"}
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"version"}, strings.NewReader(""), &stdout, &stderr, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); code != 0 {
		t.Fatalf("parley version = %d\n%s", code, stderr.String())
	}
	if stdout.Len() == 0 {
		t.Error("parley version printed nothing")
	}
}

package cli_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/cli"
)

// opsBot routes OrderPizza to a hook that answers and CheckStatus to one
// that fails; the tests build them with opsKinds.
const opsBot = `id: OPSBOT0001
name: Ops
codeHooks:
  - uri: go:ok
    intents: {CheckStatus: "go:fail"}
locales:
  en_US:
    intents:
      - name: OrderPizza
        sampleUtterances: [order a pizza, I want a pizza]
        dialogCodeHook: true
        fulfillment:
          successResponse: The bot's own answer.
      - name: CheckStatus
        sampleUtterances: [where is my order, order status]
        dialogCodeHook: true
        fulfillment:
          successResponse: The bot's own status.
`

// gate holds the "ok" hook's calls while closed: started gets a value when
// a call arrives, and the call answers once release is closed.
type gate struct {
	started chan struct{}
	release chan struct{}
}

// opsKinds builds "go:ok" (answers "done", waiting at g when g is set) and
// "go:fail" (fails).
func opsKinds(g *gate) map[string]cli.HookKind {
	kind := cli.HookKind{Usage: "go:NAME", New: func(uri string, _ *parley.CodeHookBinding, _ cli.HookEnv) (parley.CodeHook, error) {
		if uri == "go:fail" {
			return parley.CodeHookFunc(func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
				return nil, errors.New("hook down")
			}), nil
		}
		return parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			if g != nil {
				g.started <- struct{}{}
				<-g.release
			}
			state := ev.SessionState
			state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
			in := *state.Intent
			in.State = parley.IntentFulfilled
			state.Intent = &in
			return &parley.CodeHookResponse{SessionState: state, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: "done"}}}, nil
		}), nil
	}}
	return map[string]cli.HookKind{"go": kind}
}

// fakeStore is a session store in memory that can be made to fail and
// records the sessions put.
type fakeStore struct {
	mu       sync.Mutex
	sessions map[parley.SessionKey]parley.Session
	down     bool
}

var _ parley.SessionStore = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{sessions: map[parley.SessionKey]parley.Session{}}
}

func (f *fakeStore) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *fakeStore) Get(_ context.Context, key parley.SessionKey) (*parley.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return nil, errors.New("fake store: connection refused")
	}
	s, ok := f.sessions[key]
	if !ok {
		return nil, parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	return &s, nil
}

func (f *fakeStore) Put(_ context.Context, s *parley.Session) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("fake store: connection refused")
	}
	if f.sessions[s.Key].Version != s.Version {
		return parley.Errorf(parley.ErrConflict, "session %s changed", s.Key.SessionID)
	}
	s.Version++
	f.sessions[s.Key] = *s
	return nil
}

func (f *fakeStore) Delete(_ context.Context, key parley.SessionKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, key)
	return nil
}

func (f *fakeStore) Close() error { return nil }

func (f *fakeStore) session(id string) (parley.Session, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, s := range f.sessions {
		if k.SessionID == id {
			return s, true
		}
	}
	return parley.Session{}, false
}

// newOpsServer opens (but does not run) a server for opsBot on st.
func newOpsServer(t *testing.T, st parley.SessionStore, g *gate, apiKey string) *cli.Server {
	t.Helper()
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.APIKey = apiKey
	cfg.Bots = []string{writeBot(t, opsBot)}
	srv := cli.NewServerWith(cfg, slog.New(slog.DiscardHandler), cli.ServerOptions{Hooks: cli.HookOptions{Kinds: opsKinds(g)}, Store: st})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	return srv
}

// runServer runs srv until the test ends.
func runServer(t *testing.T, srv *cli.Server) {
	t.Helper()
	t.Cleanup(startServer(t, srv))
}

// get returns the status and body of GET url with the request's key, if any.
func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("X-Api-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// sayOps runs one RecognizeText turn over HTTP and returns its status and body.
func sayOps(t *testing.T, base, session, text string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/bots/OPSBOT0001/botAliases/TSTALIASID/botLocales/en_US/sessions/"+session+"/text",
		strings.NewReader(`{"text":"`+text+`"}`))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Api-Key", "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// scrape reads GET /metrics, sent with key when set, as metric families.
func scrape(t *testing.T, base, key string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := get(t, base+"/metrics", key)
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", code, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// labelsOf reads a metric's labels as a map.
func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// find returns the metric of family name whose labels include want.
func find(fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	for _, m := range fams[name].GetMetric() {
		got := labelsOf(m)
		match := true
		for k, v := range want {
			if got[k] != v {
				match = false
			}
		}
		if match {
			return m
		}
	}
	return nil
}

func TestMetrics(t *testing.T) {
	srv := newOpsServer(t, newFakeStore(), nil, "k")
	runServer(t, srv)
	for _, turn := range []struct{ session, text string }{
		{"s-a", "order a pizza"},
		{"s-b", "I want a pizza"},
		{"s-c", "where is my order"},
	} {
		if code, body := sayOps(t, srv.URL(), turn.session, turn.text); code != 200 && code != 424 {
			t.Fatalf("turn %q: %d %s", turn.text, code, body)
		}
	}

	if code, _ := get(t, srv.URL()+"/metrics", ""); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Errorf("GET /metrics without the API key: %d, want it refused", code)
	}
	fams := scrape(t, srv.URL(), "k")
	bot := map[string]string{"bot": "OPSBOT0001"}
	counters := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"parley_turns_total", map[string]string{"bot": "OPSBOT0001", "locale": "en_US", "outcome": "ok"}, 2},
		{"parley_turns_total", map[string]string{"bot": "OPSBOT0001", "locale": "en_US", "outcome": string(parley.ErrDependencyFailed)}, 1},
		{"parley_hook_errors_total", bot, 1},
	}
	for _, c := range counters {
		m := find(fams, c.name, c.labels)
		if m == nil || m.GetCounter().GetValue() != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, m.GetCounter().GetValue(), c.want)
		}
	}
	histograms := []struct {
		name   string
		labels map[string]string
		want   uint64
	}{
		{"parley_turn_duration_seconds", map[string]string{"bot": "OPSBOT0001", "stage": "total"}, 3},
		{"parley_turn_duration_seconds", map[string]string{"bot": "OPSBOT0001", "stage": "nlu"}, 3},
		{"parley_turn_duration_seconds", map[string]string{"bot": "OPSBOT0001", "stage": "hooks"}, 3},
		{"parley_turn_duration_seconds", map[string]string{"bot": "OPSBOT0001", "stage": "store"}, 3},
		{"parley_nlu_confidence", map[string]string{"bot": "OPSBOT0001", "locale": "en_US"}, 2},
	}
	for _, h := range histograms {
		m := find(fams, h.name, h.labels)
		if m == nil || m.GetHistogram().GetSampleCount() != h.want {
			t.Errorf("%s%v count = %d, want %d", h.name, h.labels, m.GetHistogram().GetSampleCount(), h.want)
		}
	}
	if m := find(fams, "parley_nlu_confidence", bot); m != nil && (m.GetHistogram().GetSampleSum() <= 0 || m.GetHistogram().GetSampleSum() > 2) {
		t.Errorf("confidence sum %v, want two scores in (0,1]", m.GetHistogram().GetSampleSum())
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	st := newFakeStore()
	cfg := cli.DefaultConfig()
	cfg.Bots = []string{writeBot(t, opsBot)}
	unopened := cli.NewServerWith(cfg, slog.New(slog.DiscardHandler), cli.ServerOptions{Store: st})
	rec := httptest.NewRecorder()
	unopened.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not loaded") {
		t.Errorf("/readyz before Open: %d %q, want 503 saying the bots are not loaded", rec.Code, rec.Body.String())
	}

	srv := newOpsServer(t, st, nil, "k")
	runServer(t, srv)
	tests := []struct {
		name     string
		path     string
		down     bool
		wantCode int
		wantBody string
	}{
		{"healthz", "/healthz", false, http.StatusOK, "ok\n"},
		{"ready", "/readyz", false, http.StatusOK, "ready\n"},
		{"store down", "/readyz", true, http.StatusServiceUnavailable, "not ready: session store unreachable\n"},
		{"healthz with the store down", "/healthz", true, http.StatusOK, "ok\n"},
		{"store back", "/readyz", false, http.StatusOK, "ready\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.setDown(tc.down)
			// The probes need no API key: orchestrators send none.
			code, body := get(t, srv.URL()+tc.path, "")
			if code != tc.wantCode || body != tc.wantBody {
				t.Errorf("GET %s: %d %q, want %d %q", tc.path, code, body, tc.wantCode, tc.wantBody)
			}
		})
	}
}

// TestShutdownFinishesTurns stops a server while a turn waits in its code
// hook: the turn is still answered and stored, and the server stops.
func TestShutdownFinishesTurns(t *testing.T) {
	st := newFakeStore()
	g := &gate{started: make(chan struct{}, 1), release: make(chan struct{})}
	srv := newOpsServer(t, st, g, "k")
	addr := strings.TrimPrefix(srv.URL(), "http://")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()

	type answer struct {
		code int
		body string
	}
	answered := make(chan answer, 1)
	go func() {
		code, body := sayOps(t, srv.URL(), "slow", "order a pizza")
		answered <- answer{code, body}
	}()
	<-g.started
	cancel()
	// Shutdown has begun once the listener refuses new connections.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
	}
	close(g.release)
	a := <-answered
	if a.code != http.StatusOK || !strings.Contains(a.body, `"done"`) {
		t.Errorf("turn in flight at shutdown: %d %s, want the hook's answer", a.code, a.body)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	s, ok := st.session("slow")
	if !ok || s.State.Intent == nil || s.State.Intent.State != parley.IntentFulfilled {
		t.Errorf("stored session %+v (found %v), want the fulfilled turn", s, ok)
	}
}

func TestShutdownTimeoutSetting(t *testing.T) {
	tests := []struct {
		name    string
		flags   []string
		env     map[string]string
		want    time.Duration
		wantErr string
	}{
		{name: "unset means the default", want: 0},
		{name: "flag", flags: []string{"--shutdown-timeout", "5s"}, want: 5 * time.Second},
		{name: "env", env: map[string]string{"PARLEY_SHUTDOWN_TIMEOUT": "1m"}, want: time.Minute},
		{name: "flag over env", flags: []string{"--shutdown-timeout", "3s"}, env: map[string]string{"PARLEY_SHUTDOWN_TIMEOUT": "1m"}, want: 3 * time.Second},
		{name: "not a duration", env: map[string]string{"PARLEY_SHUTDOWN_TIMEOUT": "soon"}, wantErr: "PARLEY_SHUTDOWN_TIMEOUT"},
		{name: "negative", flags: []string{"--shutdown-timeout", "-1s"}, wantErr: "shutdownTimeout -1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig(t, "", tc.flags, tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("LoadConfig error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || cfg.ShutdownTimeout != tc.want {
				t.Errorf("LoadConfig = %v, %v; want shutdownTimeout %v", cfg.ShutdownTimeout, err, tc.want)
			}
		})
	}
}

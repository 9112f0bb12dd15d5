package driver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/bench/load/driver"
)

// fakeServer answers RecognizeText and /chat like Parley does on the wire,
// fails the turn "fail" (Lex: 429 with X-Amzn-ErrorType, chat: 400 with
// error.code) and serves the /metrics figures the driver reads. hold, when
// set, runs before each answer.
type fakeServer struct {
	mu    sync.Mutex
	turns map[string][]string // session -> texts
	paths map[string]string   // session -> "lex" or "chat"
	hold  func(r *http.Request)
}

func newFakeServer(t *testing.T, hold func(*http.Request)) (*fakeServer, *httptest.Server) {
	t.Helper()
	f := &fakeServer{turns: map[string][]string{}, paths: map[string]string{}, hold: hold}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /bots/{bot}/botAliases/{alias}/botLocales/{locale}/sessions/{session}/text", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Text string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.PathValue("bot") != "BOT" || r.PathValue("locale") != "en_US" || r.PathValue("alias") != "TSTALIASID" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.answer(w, r, "lex", r.PathValue("session"), body.Text)
	})
	mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Text, SessionID, BotID, LocaleID string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.BotID != "BOT" || body.LocaleID != "en_US" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.answer(w, r, "chat", body.SessionID, body.Text)
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "# HELP go_goroutines x\ngo_goroutines 7\ngo_memstats_heap_inuse_bytes 2.5e+06\nprocess_resident_memory_bytes 1.2e+07\n")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeServer) answer(w http.ResponseWriter, r *http.Request, path, session, text string) {
	f.mu.Lock()
	f.turns[session] = append(f.turns[session], text)
	if prev, ok := f.paths[session]; ok && prev != path {
		f.paths[session] = "both"
	} else {
		f.paths[session] = path
	}
	f.mu.Unlock()
	if f.hold != nil {
		f.hold(r)
	}
	switch {
	case text != "fail":
		fmt.Fprint(w, `{"sessionId":"x"}`)
	case path == "lex":
		w.Header().Set("X-Amzn-ErrorType", "ThrottlingException")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"slow down"}`)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":{"code":"ValidationException","message":"no"}}`)
	}
}

func TestRunCountsTurnsErrorsAndMemory(t *testing.T) {
	f, srv := newFakeServer(t, nil)
	turns := []string{"hi", "pizza", "fail"}
	rep, err := driver.Run(context.Background(), driver.Config{
		URL: srv.URL, Mode: driver.ModeMixed, Rate: 100, Duration: time.Second, Sessions: 4,
		Bot: "BOT", Locale: "en_US", Turns: turns, Interval: 300 * time.Millisecond, PID: os.Getpid(),
	})
	if err != nil {
		t.Fatal(err)
	}
	// 100 turns round-robin over 4 sessions: 25 rounds, every third round
	// (2, 5, …, 23: 8 of them) is "fail", half through each endpoint.
	s := rep.Summary
	wantKinds := map[string]int{"status 429 ThrottlingException": 16, "status 400 ValidationException": 16}
	if s.Sent != 100 || s.OK != 68 || s.Errors != 32 || !maps.Equal(s.ErrorKinds, wantKinds) {
		t.Errorf("summary sent=%d ok=%d errors=%d kinds=%v, want 100, 68, 32, %v", s.Sent, s.OK, s.Errors, s.ErrorKinds, wantKinds)
	}
	if !(s.P50Ms > 0 && s.P50Ms <= s.P90Ms && s.P90Ms <= s.P99Ms && s.P99Ms <= s.MaxMs) {
		t.Errorf("percentiles not ordered: p50=%v p90=%v p99=%v max=%v", s.P50Ms, s.P90Ms, s.P99Ms, s.MaxMs)
	}
	if s.RSSFirstMinute == 0 || s.HeapFirstMinute != 2_500_000 {
		t.Errorf("memory: rss %d, heap %d; want the test's VmRSS and 2500000", s.RSSFirstMinute, s.HeapFirstMinute)
	}
	var sent, ok, errs int
	for _, iv := range rep.Intervals {
		sent, ok, errs = sent+iv.Sent, ok+iv.OK, errs+iv.Errors
		if iv.Memory.VmRSS == 0 || iv.Memory.ProcessRSS != 12_000_000 || iv.Memory.Goroutines != 7 {
			t.Errorf("interval at %.1fs: memory %+v", iv.EndS, iv.Memory)
		}
	}
	if sent != 100 || ok != 68 || errs != 32 || len(rep.Intervals) < 2 {
		t.Errorf("%d intervals add up to sent=%d ok=%d errors=%d, want ≥ 2 and 100, 68, 32", len(rep.Intervals), sent, ok, errs)
	}

	// Each session id plays (a prefix of) the conversation once, through
	// one endpoint; sessions alternate between the two.
	f.mu.Lock()
	defer f.mu.Unlock()
	var lex, chat int
	for session, got := range f.turns {
		slices.Sort(got)
		want := slices.Clone(turns[:len(got)])
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("session %s got turns %q, want those of %q", session, got, turns[:len(got)])
		}
		switch f.paths[session] {
		case "lex":
			lex += len(got)
		case "chat":
			chat += len(got)
		default:
			t.Errorf("session %s went through %s", session, f.paths[session])
		}
	}
	if lex != 50 || chat != 50 {
		t.Errorf("lex %d turns, chat %d, want 50 each", lex, chat)
	}
}

func TestRunStartsTurnsOnScheduleAndTimesFromIt(t *testing.T) {
	const n = 20
	var (
		arrived atomic.Int32
		all     = make(chan struct{})
	)
	// No turn is answered until all of them arrived: a generator that waited
	// for answers would never send the second one.
	_, srv := newFakeServer(t, func(r *http.Request) {
		if arrived.Add(1) == n {
			close(all)
		}
		select {
		case <-all:
		case <-r.Context().Done():
		}
	})
	var (
		mu      sync.Mutex
		results = map[int]driver.Result{}
	)
	rep, err := driver.Run(context.Background(), driver.Config{
		URL: srv.URL, Rate: 50, Duration: n * 20 * time.Millisecond, Sessions: 3,
		Bot: "BOT", Locale: "en_US", Turns: []string{"hi"}, Timeout: time.Minute,
		OnResult: func(r driver.Result) { mu.Lock(); results[r.Seq] = r; mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Sent != n || rep.Summary.OK != n {
		t.Fatalf("sent %d ok %d (%v), want %d answered", rep.Summary.Sent, rep.Summary.OK, rep.Summary.ErrorKinds, n)
	}
	first, last := results[0], results[n-1]
	if gap := last.Scheduled.Sub(first.Scheduled); gap != time.Duration(n-1)*20*time.Millisecond {
		t.Errorf("last turn scheduled %v after the first, want %v", gap, time.Duration(n-1)*20*time.Millisecond)
	}
	// The first turn could not be answered before the last one was sent, so
	// its latency, counted from its own schedule, covers that wait.
	if first.Latency < last.Scheduled.Sub(first.Scheduled) {
		t.Errorf("first turn latency %v, want ≥ %v (measured from the schedule)", first.Latency, last.Scheduled.Sub(first.Scheduled))
	}
}

func TestRunCountsTurnsOverTheInFlightCapAsErrors(t *testing.T) {
	const (
		n     = 30
		limit = 3
	)
	release := make(chan struct{})
	_, srv := newFakeServer(t, func(r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	var capped atomic.Int32
	rep, err := driver.Run(context.Background(), driver.Config{
		URL: srv.URL, Rate: 100, Duration: n * 10 * time.Millisecond, MaxInFlight: limit,
		Bot: "BOT", Locale: "en_US", Turns: []string{"hi"}, Timeout: time.Minute,
		OnResult: func(r driver.Result) {
			// The held turns go free once every other one was refused.
			if r.Outcome == driver.OutcomeInFlightCap && capped.Add(1) == n-limit {
				close(release)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if s.Sent != n || s.OK != limit || s.ErrorKinds[driver.OutcomeInFlightCap] != n-limit {
		t.Errorf("sent %d ok %d errors %v, want %d, %d and %d over the cap", s.Sent, s.OK, s.ErrorKinds, n, limit, n-limit)
	}
}

func TestRunRejectsABadConfig(t *testing.T) {
	good := driver.Config{URL: "http://127.0.0.1:1", Rate: 1, Duration: time.Second, Bot: "B", Locale: "en_US", Turns: []string{"hi"}}
	tests := []struct {
		name   string
		change func(*driver.Config)
	}{
		{"no url", func(c *driver.Config) { c.URL = "" }},
		{"not http", func(c *driver.Config) { c.URL = "ftp://127.0.0.1" }},
		{"zero rate", func(c *driver.Config) { c.Rate = 0 }},
		{"zero duration", func(c *driver.Config) { c.Duration = 0 }},
		{"no bot", func(c *driver.Config) { c.Bot = "" }},
		{"no turns", func(c *driver.Config) { c.Turns = nil }},
		{"unknown mode", func(c *driver.Config) { c.Mode = "grpc" }},
		{"negative sessions", func(c *driver.Config) { c.Sessions = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			if _, err := driver.Run(context.Background(), cfg); err == nil || !strings.HasPrefix(err.Error(), "driver: ") {
				t.Errorf("Run = %v, want a driver: error", err)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of four", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p50 of 1..100", ms(hundred...), 0.50, 50 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"max", ms(hundred...), 1, 100 * time.Millisecond},
		{"zero is the minimum", ms(3, 4), 0, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := driver.Quantile(tt.sorted, tt.q); got != tt.want {
				t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

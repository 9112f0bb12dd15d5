package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/internal/testserver"
)

// The scale-out tests run the counter bot, whose one intent's fulfillment
// hook (served by the test) adds one to the session attribute "count".
// Every turn carries its own id in a request attribute, so the hook can
// tell how often each turn reached it. A turn applied exactly once, in
// some serial order, leaves a trail the tests can check: one hook call per
// turn, and per session the answered counts 1..N with the stored count N.

const counterBotID = "COUNTBOT01"

// counterBot writes the counter bot, bound to the code hook at hookURL
// with a time limit of hookSeconds, into a temporary folder and returns
// it.
func counterBot(t *testing.T, hookURL string, hookSeconds int) string {
	t.Helper()
	dir := t.TempDir()
	bot := `id: ` + counterBotID + `
name: Counter
idleSessionTTLInSeconds: 3600
codeHooks:
  - uri: ` + hookURL + `
    timeoutSeconds: ` + strconv.Itoa(hookSeconds) + `
locales:
  en_US:
    nluConfidenceThreshold: 0.40
    intents:
      - name: CountIntent
        sampleUtterances:
          - count
          - count one more
          - add one
        fulfillment:
          codeHook: true
      - name: FallbackIntent
        parentIntentSignature: AMAZON.FallbackIntent
        closingResponse: Say count.
`
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte(bot), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// counterHook is the counter bot's fulfillment hook: it closes the intent
// with the session's count one higher, and remembers which count it gave
// each turn id, and how often it saw it.
type counterHook struct {
	mu    sync.Mutex
	calls map[string][]int // turn id → the count of each call
	bad   []string         // events it could not make sense of
}

func newCounterHook(t *testing.T) (*counterHook, string) {
	h := &counterHook{calls: map[string][]int{}}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv.URL + "/hook"
}

func (h *counterHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var ev struct {
		InvocationSource string `json:"invocationSource"`
		SessionState     struct {
			SessionAttributes map[string]string `json:"sessionAttributes"`
			Intent            map[string]any    `json:"intent"`
		} `json:"sessionState"`
		RequestAttributes map[string]string `json:"requestAttributes"`
	}
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil || ev.InvocationSource != "FulfillmentCodeHook" || ev.RequestAttributes["turn"] == "" || ev.SessionState.Intent == nil {
		h.mu.Lock()
		h.bad = append(h.bad, fmt.Sprintf("%s event, turn %q: %v", ev.InvocationSource, ev.RequestAttributes["turn"], err))
		h.mu.Unlock()
		http.Error(w, "unexpected event", http.StatusBadRequest)
		return
	}
	count := 1
	if c, ok := ev.SessionState.SessionAttributes["count"]; ok {
		n, err := strconv.Atoi(c)
		if err != nil {
			http.Error(w, "count "+c, http.StatusBadRequest)
			return
		}
		count = n + 1
	}
	turn := ev.RequestAttributes["turn"]
	h.mu.Lock()
	h.calls[turn] = append(h.calls[turn], count)
	h.mu.Unlock()

	attrs := maps.Clone(ev.SessionState.SessionAttributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["count"] = strconv.Itoa(count)
	intent := ev.SessionState.Intent
	intent["state"] = "Fulfilled"
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"sessionState": map[string]any{
			"sessionAttributes": attrs,
			"dialogAction":      map[string]string{"type": "Close"},
			"intent":            intent,
		},
		"messages": []map[string]string{{"contentType": "PlainText", "content": "count " + strconv.Itoa(count)}},
	})
}

// callsOf returns the counts the hook gave the turn, one per call.
func (h *counterHook) callsOf(turn string) []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls[turn])
}

// totalCalls is how many times the hook was called.
func (h *counterHook) totalCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.calls {
		n += len(c)
	}
	return n
}

func (h *counterHook) problems() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.bad)
}

// counterClient sends counter bot turns to Parley servers over loopback.
type counterClient struct {
	http *http.Client
}

func newCounterClient(workers int) *counterClient {
	// Enough idle connections for every worker, so that ten thousand turns
	// do not open ten thousand connections.
	tr := &http.Transport{MaxIdleConns: 2 * workers, MaxIdleConnsPerHost: workers}
	return &counterClient{http: &http.Client{Transport: tr, Timeout: startupLimit}}
}

// turnResult is how a server answered one turn: the HTTP status, the error
// type of a failure and the count the turn was answered with.
type turnResult struct {
	status  int
	errType string
	count   int
	err     error // the request got no answer
}

func sessionURL(base, session string) string {
	return fmt.Sprintf("%s/bots/%s/botAliases/%s/botLocales/en_US/sessions/%s", base, counterBotID, draftAlias, url.PathEscape(session))
}

// turn sends "count" on the session with the turn id as a request
// attribute.
func (c *counterClient) turn(ctx context.Context, base, session, turn string) turnResult {
	body, _ := json.Marshal(map[string]any{"text": "count", "requestAttributes": map[string]string{"turn": turn}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sessionURL(base, session)+"/text", bytes.NewReader(body))
	if err != nil {
		return turnResult{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return turnResult{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return turnResult{err: err}
	}
	r := turnResult{status: resp.StatusCode, errType: resp.Header.Get("X-Amzn-ErrorType")}
	if r.status != http.StatusOK {
		r.errType += " " + strings.TrimSpace(string(raw))
		return r
	}
	r.count, r.err = countIn(raw)
	return r
}

// storedCount reads the session's count with GetSession.
func (c *counterClient) storedCount(t *testing.T, base, session string) int {
	t.Helper()
	resp, err := c.http.Get(sessionURL(base, session))
	if err != nil {
		t.Fatalf("GetSession %s: %v", session, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GetSession %s: %s %v\n%s", session, resp.Status, err, raw)
	}
	n, err := countIn(raw)
	if err != nil {
		t.Fatalf("GetSession %s: %v", session, err)
	}
	return n
}

// countIn reads sessionState.sessionAttributes.count from a Lex answer.
func countIn(raw []byte) (int, error) {
	var v struct {
		SessionState struct {
			SessionAttributes map[string]string `json:"sessionAttributes"`
		} `json:"sessionState"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, fmt.Errorf("answer is not JSON: %w", err)
	}
	c, ok := v.SessionState.SessionAttributes["count"]
	if !ok {
		return 0, fmt.Errorf("no count in the answer: %s", raw)
	}
	return strconv.Atoi(c)
}

// errorTally counts failed turns by what went wrong, keeping one example
// of each, so that a broken run reports a summary, not thousands of lines.
type errorTally struct {
	mu     sync.Mutex
	counts map[string]int
}

func (e *errorTally) add(kind string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.counts == nil {
		e.counts = map[string]int{}
	}
	// The kind up to the first space names the error; the rest is one
	// example's detail.
	name, _, _ := strings.Cut(kind, " ")
	for k := range e.counts {
		if n, _, _ := strings.Cut(k, " "); n == name {
			e.counts[k]++
			return
		}
	}
	e.counts[kind] = 1
}

func (e *errorTally) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var lines []string
	for k, n := range e.counts {
		lines = append(lines, fmt.Sprintf("%6d × %s", n, k))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func (e *errorTally) total() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, c := range e.counts {
		n += c
	}
	return n
}

// scaleStore is one shared store of the two-server test: the URL both
// servers are given, the environment they run in, and the load: sessions
// × turns (≥ 10,000) from workers clients at once, about workers/sessions
// turns of each session in flight at a time. DynamoDB's load is lighter:
// dynalite, one Node.js process, manages about a hundred turns a second on
// a 2-core machine (a turn with a code hook reads twice and writes twice:
// the claim and the result), and a waiting turn polls its session, so
// fewer turns in flight per session keep the run near a minute.
type scaleStore struct {
	name                     string
	url                      func(t *testing.T) (string, []string)
	sessions, turns, workers int
}

// TestScaleOutTwoServers runs two `parley serve` processes on one shared
// store (Redis, PostgreSQL, DynamoDB in dynalite) and fires ≥ 10,000 turns
// at the same sessions through both at once. Every turn must be answered
// and applied exactly once: the hook sees each turn once, each session's
// answers carry the counts 1..N, each once (the order of some serial
// history), and the stored count is N.
func TestScaleOutTwoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("ten thousand turns per store; not in -short")
	}
	stores := []scaleStore{
		{"redis", func(t *testing.T) (string, []string) {
			return testserver.Redis(t).URL + "/0?prefix=scale:", nil
		}, 40, 250, 64},
		{"postgres", func(t *testing.T) (string, []string) {
			return testserver.Postgres(t).URL + "&table=scale_sessions", nil
		}, 40, 250, 64},
		{"dynamodb", func(t *testing.T) (string, []string) {
			// The SDK's own retries stay on, as in production: dynalite
			// closes idle keep-alive connections, and a request that met
			// one is sent again.
			var env []string
			for _, kv := range awsEnv(t) {
				if !strings.HasPrefix(kv, "AWS_MAX_ATTEMPTS=") {
					env = append(env, kv)
				}
			}
			return "dynamodb://parley-scale?region=us-east-1&endpoint=" + testserver.Dynalite(t).URL, env
		}, 20, 500, 20},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			storeURL, env := st.url(t)
			hook, hookURL := newCounterHook(t)
			bot := counterBot(t, hookURL, 30)
			// The first server creates the table or keys; the second finds them.
			a, _ := startServerEnv(t, env, bot, "--store", storeURL, "--store-init", "--log-level", "warn")
			b, _ := startServerEnv(t, env, bot, "--store", storeURL, "--log-level", "warn")
			servers := []string{a, b}
			client := newCounterClient(st.workers)

			type job struct{ session, turn int }
			jobs := make(chan job)
			answered := make([][]int, st.sessions)  // per session, the counts answered
			inFlight := make([][2]int, st.sessions) // per session and server, the turns in flight
			overlapped := 0                         // turns sent while the other server had one of the session
			var mu sync.Mutex
			var failed errorTally
			var wg sync.WaitGroup
			start := time.Now()
			for range st.workers {
				wg.Go(func() {
					for j := range jobs {
						session := fmt.Sprintf("scale-%d", j.session)
						id := fmt.Sprintf("%d/%d", j.session, j.turn)
						// Turns alternate between the servers, so that each
						// session's turns reach both at once.
						server := (j.session + j.turn) % 2
						mu.Lock()
						if inFlight[j.session][1-server] > 0 {
							overlapped++
						}
						inFlight[j.session][server]++
						mu.Unlock()
						r := client.turn(context.Background(), servers[server], session, id)
						mu.Lock()
						inFlight[j.session][server]--
						mu.Unlock()
						switch {
						case r.err != nil:
							failed.add(fmt.Sprintf("transport %v", r.err))
						case r.status != http.StatusOK:
							failed.add(fmt.Sprintf("%d%s", r.status, r.errType))
						default:
							mu.Lock()
							answered[j.session] = append(answered[j.session], r.count)
							mu.Unlock()
							if calls := hook.callsOf(id); len(calls) != 1 || calls[0] != r.count {
								failed.add(fmt.Sprintf("hook-mismatch turn %s answered count %d; the hook's calls gave %v", id, r.count, calls))
							}
						}
					}
				})
			}
			// Round-robin over the sessions, so that each session's turns
			// are spread over the whole run.
			for turn := range st.turns {
				for session := range st.sessions {
					jobs <- job{session, turn}
				}
			}
			close(jobs)
			wg.Wait()
			elapsed := time.Since(start)
			total := st.sessions * st.turns
			t.Logf("%s: %d turns on %d sessions through 2 servers from %d clients in %v (%.0f turns/s, %d CPUs); %d sent while the other server had one of the session; %d failed",
				st.name, total, st.sessions, st.workers, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), runtime.NumCPU(), overlapped, failed.total())
			if overlapped == 0 {
				t.Error("no turn met another of its session on the other server: the load did not test concurrency")
			}

			if failed.total() > 0 {
				t.Errorf("%d of %d turns failed:\n%s", failed.total(), total, failed.String())
			}
			if p := hook.problems(); len(p) > 0 {
				t.Errorf("the hook got %d events it did not expect, e.g. %s", len(p), p[0])
			}
			if calls := hook.totalCalls(); calls != total {
				t.Errorf("the hook was called %d times for %d turns", calls, total)
			}
			for s := range st.sessions {
				session := fmt.Sprintf("scale-%d", s)
				// 1..N, each once: a serial history explains the answers.
				got := slices.Sorted(slices.Values(answered[s]))
				if len(got) > 0 && (got[0] != 1 || got[len(got)-1] != len(got) || hasRepeat(got)) {
					t.Errorf("session %s: %d answers with counts %s, want each of 1..%d once", session, len(got), summarize(got), len(got))
				}
				if n := client.storedCount(t, servers[s%2], session); n != len(answered[s]) {
					t.Errorf("session %s: stored count %d, want %d (the turns answered)", session, n, len(answered[s]))
				}
			}
		})
	}
}

// hasRepeat reports whether the sorted counts hold a value twice.
func hasRepeat(sorted []int) bool {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return true
		}
	}
	return false
}

// summarize shortens a sorted list of counts to its gaps and repeats.
func summarize(sorted []int) string {
	var notes []string
	for i := 1; i < len(sorted) && len(notes) < 10; i++ {
		switch {
		case sorted[i] == sorted[i-1]:
			notes = append(notes, fmt.Sprintf("%d twice", sorted[i]))
		case sorted[i] > sorted[i-1]+1:
			notes = append(notes, fmt.Sprintf("%d..%d missing", sorted[i-1]+1, sorted[i]-1))
		}
	}
	if len(sorted) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d..%d (%s)", sorted[0], sorted[len(sorted)-1], strings.Join(notes, ", "))
}

// TestScaleOutKill kills `parley serve` with SIGKILL while turns are in
// flight and starts it again on the same store (SQLite, PostgreSQL): every
// turn that was answered must be in the store, so each session's stored
// count is at least the highest count answered on it, and the session goes
// on from there.
func TestScaleOutKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	if testing.Short() {
		t.Skip("thousands of turns and a wait for a dead server's claim; not in -short")
	}
	const (
		sessions = 20
		workers  = 32
		// killAfter answered turns, the server is killed mid-load.
		killAfter = 1000
	)
	stores := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "parley.db") }},
		{"postgres", func(t *testing.T) string { return testserver.Postgres(t).URL + "&table=kill_sessions" }},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			storeURL := st.url(t)
			hook, hookURL := newCounterHook(t)
			// A server killed while it calls the hook leaves the session
			// claimed for about twice the hook's limit plus a margin (the
			// engine's claim, see engine/order.go): a short limit keeps
			// the wait after the restart short.
			bot := counterBot(t, hookURL, 2)
			args := []string{bot, "--addr", "127.0.0.1:0", "--store", storeURL, "--store-init", "--log-level", "warn"}
			cmd, banner := launchServe(t, args...)
			base := baseURL(t, banner)
			client := newCounterClient(workers)

			var (
				mu       sync.Mutex
				highest  = make([]int, sessions) // the highest count answered per session
				answered atomic.Int64
				failed   errorTally
				wg       sync.WaitGroup
				next     atomic.Int64
				killed   = make(chan struct{})
				kill     sync.Once
				inFlight atomic.Int64
				atKill   int64
			)
			for range workers {
				wg.Go(func() {
					for {
						n := next.Add(1)
						s := int(n % sessions)
						inFlight.Add(1)
						r := client.turn(context.Background(), base, fmt.Sprintf("kill-%d", s), fmt.Sprintf("k%d", n))
						inFlight.Add(-1)
						switch {
						case r.err != nil:
							// Once the server is gone every request fails
							// and the worker stops; before, it is a failure.
							select {
							case <-killed:
							default:
								failed.add(fmt.Sprintf("transport %v", r.err))
							}
							return
						case r.status != http.StatusOK:
							failed.add(fmt.Sprintf("%d%s", r.status, r.errType))
						default:
							// Answers that raced the kill count too: they
							// were answered, so they must be stored.
							mu.Lock()
							highest[s] = max(highest[s], r.count)
							mu.Unlock()
							if answered.Add(1) == killAfter {
								kill.Do(func() {
									atKill = inFlight.Load()
									cmd.Process.Signal(syscall.SIGKILL)
									close(killed)
								})
							}
						}
					}
				})
			}
			wg.Wait()
			cmd.Wait()
			select {
			case <-killed:
			default:
				t.Fatalf("the load stopped after %d answered turns, before the kill:\n%s", answered.Load(), failed.String())
			}
			t.Logf("%s: SIGKILL after %d answered turns with %d in flight; %d answered in all, %d hook calls",
				st.name, killAfter, atKill, answered.Load(), hook.totalCalls())
			if failed.total() > 0 {
				t.Errorf("%d turns failed before the kill:\n%s", failed.total(), failed.String())
			}

			_, banner = launchServe(t, args...)
			base = baseURL(t, banner)
			stored := make([]int, sessions)
			for s := range sessions {
				stored[s] = client.storedCount(t, base, fmt.Sprintf("kill-%d", s))
				if stored[s] < highest[s] {
					t.Errorf("session kill-%d: stored count %d after the restart, but a turn was answered with %d", s, stored[s], highest[s])
				}
			}
			// The sessions go on from what was stored; all at once, as
			// some wait for the killed server's claim to run out.
			after := make([]turnResult, sessions)
			var wg2 sync.WaitGroup
			for s := range sessions {
				wg2.Go(func() {
					session := fmt.Sprintf("kill-%d", s)
					after[s] = client.turn(context.Background(), base, session, "after-"+session)
				})
			}
			wg2.Wait()
			for s, r := range after {
				if r.err != nil || r.status != http.StatusOK || r.count != stored[s]+1 {
					t.Errorf("session kill-%d: the turn after the restart got %+v, want count %d", s, r, stored[s]+1)
				}
			}
		})
	}
}

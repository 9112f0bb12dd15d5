package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

// jsonStore is a SessionStore that keeps sessions as JSON bodies, as the
// networked stores do, so that what two engines share is only what the
// store gives back (Session.Claim included). beforePut, when set before
// the store is used, sees each session about to be written; an error it
// returns is returned instead of writing.
type jsonStore struct {
	now       func() time.Time
	beforePut func(s *parley.Session) error

	mu   sync.Mutex
	rows map[parley.SessionKey]jsonRow
	gets int
}

type jsonRow struct {
	body    []byte
	version int64
	expires time.Time
}

var _ parley.SessionStore = (*jsonStore)(nil)

func newJSONStore(now func() time.Time) *jsonStore {
	return &jsonStore{now: now, rows: map[parley.SessionKey]jsonRow{}}
}

// liveLocked returns the stored row of key unless it is absent or expired.
func (j *jsonStore) liveLocked(key parley.SessionKey) (jsonRow, bool) {
	r, ok := j.rows[key]
	if ok && !r.expires.IsZero() && !j.now().Before(r.expires) {
		return jsonRow{}, false
	}
	return r, ok
}

func (j *jsonStore) Get(_ context.Context, key parley.SessionKey) (*parley.Session, error) {
	j.mu.Lock()
	j.gets++
	r, ok := j.liveLocked(key)
	j.mu.Unlock()
	if !ok {
		return nil, parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	s := new(parley.Session)
	if err := json.Unmarshal(r.body, s); err != nil {
		return nil, err
	}
	s.Version = r.version
	return s, nil
}

func (j *jsonStore) Put(_ context.Context, s *parley.Session) error {
	if j.beforePut != nil {
		if err := j.beforePut(s); err != nil {
			return err
		}
	}
	body, err := json.Marshal(s)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	cur, _ := j.liveLocked(s.Key)
	if cur.version != s.Version {
		return parley.Errorf(parley.ErrConflict, "session %s changed (version %d, stored %d)", s.Key.SessionID, s.Version, cur.version)
	}
	s.Version++
	j.rows[s.Key] = jsonRow{body: body, version: s.Version, expires: s.ExpiresAt}
	return nil
}

func (j *jsonStore) Delete(_ context.Context, key parley.SessionKey) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, ok := j.liveLocked(key); !ok {
		return parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	delete(j.rows, key)
	return nil
}

func (j *jsonStore) Close() error { return nil }

// stored reads the raw session, claim included.
func (j *jsonStore) stored(t *testing.T, key parley.SessionKey) *parley.Session {
	t.Helper()
	s, err := j.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("store Get: %v", err)
	}
	return s
}

func (j *jsonStore) getCount() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.gets
}

// counter is a code hook with a side effect to count: it adds one to the
// session attribute "count", answers the new count and records each call
// by the request attribute "turn".
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	// entered, when set, hears of each call before it is answered.
	entered func(turn string)
}

var _ parley.CodeHook = (*counter)(nil)

func newCounter() *counter { return &counter{calls: map[string]int{}} }

func (c *counter) Invoke(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	id := ev.RequestAttributes["turn"]
	c.mu.Lock()
	c.calls[id]++
	c.mu.Unlock()
	if c.entered != nil {
		c.entered(id)
	}
	st := ev.SessionState
	n, _ := strconv.Atoi(st.SessionAttributes["count"])
	st.SessionAttributes = maps.Clone(st.SessionAttributes)
	if st.SessionAttributes == nil {
		st.SessionAttributes = map[string]string{}
	}
	st.SessionAttributes["count"] = strconv.Itoa(n + 1)
	in := *st.Intent
	in.State = parley.IntentFulfilled
	st.Intent = &in
	st.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	return &parley.CodeHookResponse{SessionState: st, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: strconv.Itoa(n + 1)}}}, nil
}

// callsOf returns how often turn id reached the hook.
func (c *counter) callsOf(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id]
}

// newInstance returns an engine on store, as one `parley serve` process
// is: coffeeBot with the counter bound to every alias. "refund" calls the
// hook (the Refund intent's fulfillment); any text the script does not know
// ends in FallbackIntent and calls none.
func newInstance(t testing.TB, store parley.SessionStore, hook parley.CodeHook, now func() time.Time, log *slog.Logger) *engine.Engine {
	t.Helper()
	eng, err := engine.New(engine.Options{
		Store:       store,
		Trainer:     &trainer{scripts: map[string]*script{"en_US": coffeeScript()}},
		Now:         now,
		HookTimeout: time.Second,
		Logger:      log,
		CodeHook:    func(string, string, string) parley.CodeHook { return hook },
	}, coffeeBot())
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// turnReq is turn id's request: a hooked "refund" or the hook-free "hi".
func turnReq(session, id string, hooked bool) *parley.TurnRequest {
	text := "hi"
	if hooked {
		text = "refund"
	}
	return &parley.TurnRequest{Key: key(session), Text: text, RequestAttributes: map[string]string{"turn": id}}
}

// TestTwoInstancesOneStore fires many concurrent turns at a few sessions
// through two engines sharing one store, as two server processes behind a
// load balancer: every turn is answered, every hooked turn reaches the
// hook exactly once, and the counts answered on each session are 1…N, a
// history of one turn after the other.
func TestTwoInstancesOneStore(t *testing.T) {
	const (
		sessions = 20
		turns    = 4000
	)
	store := newJSONStore(time.Now)
	hook := newCounter()
	engines := []*engine.Engine{newInstance(t, store, hook, time.Now, nil), newInstance(t, store, hook, time.Now, nil)}

	type answer struct {
		session string
		id      string
		hooked  bool
		count   string
		err     error
	}
	answers := make(chan answer, turns)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range turns {
		// Each session gets turns of both kinds through both engines.
		round := i / sessions
		a := answer{session: fmt.Sprint("s", i%sessions), id: fmt.Sprint("t", i), hooked: (round/2)%4 != 3}
		eng := engines[round%2]
		wg.Go(func() {
			<-start
			res, err := eng.RecognizeText(context.Background(), turnReq(a.session, a.id, a.hooked))
			a.err = err
			if err == nil {
				a.count = res.SessionState.SessionAttributes["count"]
			}
			answers <- a
		})
	}
	close(start)
	wg.Wait()
	close(answers)

	counts := map[string][]int{}
	sent := map[string]int{}
	hooked := map[string]int{}
	for a := range answers {
		sent[a.session]++
		if a.err != nil {
			t.Errorf("turn %s on %s: %v", a.id, a.session, a.err)
			continue
		}
		if !a.hooked {
			continue
		}
		hooked[a.session]++
		if n := hook.callsOf(a.id); n != 1 {
			t.Errorf("turn %s reached the hook %d times, want once", a.id, n)
		}
		n, err := strconv.Atoi(a.count)
		if err != nil {
			t.Errorf("turn %s answered count %q", a.id, a.count)
		}
		counts[a.session] = append(counts[a.session], n)
	}
	for i := range sessions {
		id := fmt.Sprint("s", i)
		got := counts[id]
		slices.Sort(got)
		for j, n := range got {
			if n != j+1 {
				t.Errorf("session %s: answered counts %v, want 1…%d each once", id, got, len(got))
				break
			}
		}
		s, err := engines[i%2].GetSession(context.Background(), key(id))
		if err != nil {
			t.Fatalf("GetSession(%s): %v", id, err)
		}
		if c := s.State.SessionAttributes["count"]; c != strconv.Itoa(hooked[id]) {
			t.Errorf("session %s: stored count %s, want %d", id, c, hooked[id])
		}
		if s.Memory.Turns != sent[id] {
			t.Errorf("session %s: %d turns stored, want %d", id, s.Memory.Turns, sent[id])
		}
		if s.Claim != nil {
			t.Errorf("session %s: GetSession shows the claim %+v", id, s.Claim)
		}
	}
}

// TestHookedTurnNeverRunsTwice loses races at each point of a turn: a lost
// race before the hook call runs the turn again; one after it is reported
// and never calls the hook a second time.
func TestHookedTurnNeverRunsTwice(t *testing.T) {
	tests := []struct {
		name string
		// lose says whether the nth write (from 1) of the turn loses
		// its race; claimed tells whether that write carries a claim.
		lose      func(n int, claimed bool) bool
		hooked    bool
		wantErr   parley.ErrorCode
		wantCalls int
		wantLog   string
		wantNext  string // the count the next turn answers
	}{
		{"claim loses twice, then the turn runs", func(n int, claimed bool) bool { return claimed && n <= 2 }, true, "", 1, "", "2"},
		{"final write loses after the hook", func(n int, claimed bool) bool { return !claimed }, true, parley.ErrConflict, 1, "claim lost", "1"},
		{"hook-free turn loses five times", func(n int, claimed bool) bool { return n <= 5 }, false, "", 0, "", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newJSONStore(time.Now)
			var logs syncBuffer
			hook := newCounter()
			eng := newInstance(t, store, hook, time.Now, slog.New(slog.NewTextHandler(&logs, nil)))
			if _, err := eng.RecognizeText(context.Background(), turnReq("s1", "setup", false)); err != nil {
				t.Fatal(err)
			}
			var writes atomic.Int64
			store.beforePut = func(s *parley.Session) error {
				if tc.lose(int(writes.Add(1)), s.Claim != nil) {
					return parley.Errorf(parley.ErrConflict, "another instance won")
				}
				return nil
			}
			res, err := eng.RecognizeText(context.Background(), turnReq("s1", "t1", tc.hooked))
			if parley.ErrorCodeOf(err) != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if n := hook.callsOf("t1"); n != tc.wantCalls {
				t.Errorf("the hook was called %d times, want %d", n, tc.wantCalls)
			}
			if err == nil && tc.hooked && texts(res.Messages) != "1" {
				t.Errorf("answered %q, want count 1", texts(res.Messages))
			}
			if !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, logs.String())
			}
			// The session is usable afterwards: the engine takes over its
			// own claim left by the lost write.
			store.beforePut = nil
			res, err = eng.RecognizeText(context.Background(), turnReq("s1", "t2", true))
			if err != nil {
				t.Fatalf("next turn: %v", err)
			}
			if hook.callsOf("t2") != 1 || texts(res.Messages) != tc.wantNext {
				t.Errorf("next turn answered %q after %d hook calls", texts(res.Messages), hook.callsOf("t2"))
			}
		})
	}
}

// TestClaimOfACrashedInstance leaves a claim as an instance does that died
// after its hook call and before saving: the other instance waits for the
// claim to end and then serves the session; the claim is never shown.
func TestClaimOfACrashedInstance(t *testing.T) {
	tests := []struct {
		name     string
		existing bool // the session was saved before the crash
	}{
		{"existing session", true},
		{"new session", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)}
			store := newJSONStore(clk.Now)
			hook := newCounter()
			crashed := newInstance(t, store, hook, clk.Now, nil)
			other := newInstance(t, store, hook, clk.Now, nil)
			ctx := context.Background()
			if tc.existing {
				if _, err := other.RecognizeText(ctx, turnReq("s1", "setup", true)); err != nil {
					t.Fatal(err)
				}
			}
			// The instance dies right after its claim is written: no
			// write of it arrives after that one.
			var armed, dead atomic.Bool
			store.beforePut = func(s *parley.Session) error {
				if dead.Load() {
					return errors.New("connection reset by peer")
				}
				if armed.Load() && s.Claim != nil {
					dead.Store(true)
				}
				return nil
			}
			armed.Store(true)
			if _, err := crashed.RecognizeText(ctx, turnReq("s1", "lost", true)); err == nil {
				t.Fatal("the crashed instance's turn was saved")
			}
			armed.Store(false)
			dead.Store(false)
			claim := store.stored(t, key("s1")).Claim
			if claim == nil || hook.callsOf("lost") != 1 {
				t.Fatalf("after the crash: claim %+v, hook calls %d", claim, hook.callsOf("lost"))
			}

			s, err := other.GetSession(ctx, key("s1"))
			switch {
			case !tc.existing && parley.ErrorCodeOf(err) != parley.ErrNotFound:
				t.Errorf("GetSession of a claimed new session: %v, %+v; want ResourceNotFoundException", err, s)
			case tc.existing && (err != nil || s.Claim != nil || s.State.SessionAttributes["count"] != "1"):
				t.Errorf("GetSession of the claimed session: %v, %+v; want the saved session without its claim", err, s)
			}

			done := make(chan *parley.TurnResult, 1)
			gets := store.getCount()
			go func() {
				res, err := other.RecognizeText(ctx, turnReq("s1", "after", true))
				if err != nil {
					t.Errorf("turn after the claim ended: %v", err)
				}
				done <- res
			}()
			// The turn reads the session again and again while it waits.
			for store.getCount() < gets+3 {
				select {
				case res := <-done:
					t.Fatalf("the turn ran while the session was claimed: %+v", res)
				default:
					time.Sleep(time.Millisecond)
				}
			}
			if n := hook.callsOf("after"); n != 0 {
				t.Fatalf("the hook was called while the session was claimed")
			}
			clk.advance(claim.Until.Sub(clk.Now()))
			res := <-done
			want := "1"
			if tc.existing {
				want = "2"
			}
			if res == nil || texts(res.Messages) != want || hook.callsOf("after") != 1 {
				t.Fatalf("after the claim ended: %+v, hook calls %d; want count %s", res, hook.callsOf("after"), want)
			}
			if c := store.stored(t, key("s1")).Claim; c != nil {
				t.Errorf("the saved session keeps the claim %+v", c)
			}
		})
	}
}

// TestTurnsQueueInProcess holds a session in a slow hook: the next turn
// and a PutSession on it wait their turn, a wait whose context ends gives
// up with ConflictException without touching the session, and another
// session is not held up.
func TestTurnsQueueInProcess(t *testing.T) {
	store := newJSONStore(time.Now)
	hook := newCounter()
	entered := make(chan string, 4)
	proceed := make(chan struct{})
	hook.entered = func(id string) {
		entered <- id
		if id == "slow" {
			<-proceed
		}
	}
	eng := newInstance(t, store, hook, time.Now, nil)
	ctx := context.Background()
	first := make(chan error, 1)
	go func() {
		_, err := eng.RecognizeText(ctx, turnReq("s1", "slow", true))
		first <- err
	}()
	if id := <-entered; id != "slow" {
		t.Fatalf("hook entered by %s", id)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := eng.RecognizeText(cancelled, turnReq("s1", "impatient", true)); parley.ErrorCodeOf(err) != parley.ErrConflict {
		t.Errorf("a turn whose context ended while queued: %v, want ConflictException", err)
	}
	if _, err := eng.RecognizeText(ctx, turnReq("s2", "elsewhere", true)); err != nil {
		t.Errorf("another session: %v", err)
	}
	if id := <-entered; id != "elsewhere" {
		t.Fatalf("hook entered by %s", id)
	}

	queued := make(chan error, 1)
	go func() {
		_, err := eng.PutSession(ctx, &parley.PutSessionRequest{Key: key("s1"), SessionState: parley.SessionState{
			DialogAction:      &parley.DialogAction{Type: parley.ActionElicitIntent},
			SessionAttributes: map[string]string{"count": "10"},
		}, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: "Reset."}}})
		queued <- err
	}()
	close(proceed)
	if err := <-first; err != nil {
		t.Fatalf("slow turn: %v", err)
	}
	if err := <-queued; err != nil {
		t.Fatalf("queued PutSession: %v", err)
	}
	// PutSession ran after the slow turn, not beside it: its count stays.
	s, err := eng.GetSession(ctx, key("s1"))
	if err != nil || s.State.SessionAttributes["count"] != "10" {
		t.Fatalf("GetSession: %v, count %q; want PutSession's 10", err, s.State.SessionAttributes["count"])
	}
	if hook.callsOf("impatient") != 0 {
		t.Error("the turn that gave up reached the hook")
	}
}

// syncBuffer is a bytes.Buffer for a logger used from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
)

// Opener returns a fresh, empty store whose clock is now. The suite closes
// the store when the test ends; Close must therefore tolerate being called
// again if the opener also registers it.
type Opener func(t *testing.T, now func() time.Time) parley.SessionStore

// Run checks that the stores made by open honour the parley.SessionStore
// contract. Every subtest gets its own store and its own fake clock.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"RoundTrip", testRoundTrip},
		{"NilAndEmptyKept", testNilAndEmpty},
		{"GetMissing", testGetMissing},
		{"KeysDistinct", testKeysDistinct},
		{"NewSessionGetsVersion1", testNewSessionVersion},
		{"PutIncrementsVersion", testPutIncrements},
		{"StalePutConflicts", testStalePut},
		{"AheadPutConflicts", testAheadPut},
		{"NewPutOverExistingConflicts", testNewOverExisting},
		{"Delete", testDelete},
		{"DeleteMissing", testDeleteMissing},
		{"Expiry", testExpiry},
		{"ZeroExpiresAtNeverExpires", testNoExpiry},
		{"NoAliasing", testNoAliasing},
		{"ConcurrentWriters", testConcurrentWriters},
		{"LargeSession", testLargeSession},
		{"CancelledContext", testCancelledContext},
		{"CloseTwice", testCloseTwice},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 3, 5, 14, 30, 15, 123456789, time.UTC)}
			s := open(t, clk.Now)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.run(t, &harness{t: t, s: s, clock: clk})
		})
	}
}

// clock is a settable time source shared by the suite and the store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness bundles the store under test with helpers that fail the test on
// unexpected errors.
type harness struct {
	t     *testing.T
	s     parley.SessionStore
	clock *clock
}

func (h *harness) get(key parley.SessionKey) *parley.Session {
	h.t.Helper()
	got, err := h.s.Get(context.Background(), key)
	if err != nil {
		h.t.Fatalf("Get(%v): %v", key, err)
	}
	if got == nil {
		h.t.Fatalf("Get(%v) returned a nil session and no error", key)
	}
	return got
}

func (h *harness) put(s *parley.Session) {
	h.t.Helper()
	if err := h.s.Put(context.Background(), s); err != nil {
		h.t.Fatalf("Put(%v, version %d): %v", s.Key, s.Version, err)
	}
}

// wantCode fails unless err carries the code.
func wantCode(t *testing.T, what string, err error, code parley.ErrorCode) {
	t.Helper()
	if got := parley.ErrorCodeOf(err); got != code {
		t.Fatalf("%s: error code %q (err %v), want %q", what, got, err, code)
	}
}

// wantSame fails with every difference between got and want.
func wantSame(t *testing.T, what string, got, want *parley.Session) {
	t.Helper()
	if diffs := Diff(got, want); len(diffs) > 0 {
		t.Fatalf("%s differs from what was stored:\n%s", what, strings.Join(diffs, "\n"))
	}
}

func testKey(id string) parley.SessionKey {
	return parley.SessionKey{BotID: "PIZZABOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: id}
}

func testRoundTrip(t *testing.T, h *harness) {
	want := Sample(testKey("round-trip"), h.clock.Now())
	s := Sample(testKey("round-trip"), h.clock.Now())
	h.put(s)
	want.Version = 1
	wantSame(t, "the session passed to Put", s, want)
	wantSame(t, "Get", h.get(want.Key), want)
}

func testNilAndEmpty(t *testing.T, h *harness) {
	now := h.clock.Now()
	tests := []struct {
		name  string
		attrs map[string]string
		ctxs  []parley.ActiveContext
	}{
		{"nil", nil, nil},
		{"empty", map[string]string{}, []parley.ActiveContext{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &parley.Session{Key: testKey("nil-empty-" + tc.name), UpdatedAt: now, ExpiresAt: now.Add(time.Hour)}
			s.State.SessionAttributes = tc.attrs
			s.State.ActiveContexts = tc.ctxs
			s.State.Intent = &parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": nil, "Crust": nil}}
			h.put(s)
			got := h.get(s.Key)
			if (got.State.SessionAttributes == nil) != (tc.attrs == nil) || len(got.State.SessionAttributes) != 0 {
				t.Errorf("SessionAttributes = %#v, want %#v", got.State.SessionAttributes, tc.attrs)
			}
			if (got.State.ActiveContexts == nil) != (tc.ctxs == nil) || len(got.State.ActiveContexts) != 0 {
				t.Errorf("ActiveContexts = %#v, want %#v", got.State.ActiveContexts, tc.ctxs)
			}
			if got.State.Intent == nil {
				t.Fatal("Intent = nil")
			}
			for _, slot := range []string{"Size", "Crust"} {
				v, ok := got.State.Intent.Slots[slot]
				if !ok || v != nil {
					t.Errorf("Slots[%q] = %v (present %v), want a present nil", slot, v, ok)
				}
			}
			wantSame(t, "Get", got, s)
		})
	}
}

func testGetMissing(t *testing.T, h *harness) {
	_, err := h.s.Get(context.Background(), testKey("never-stored"))
	wantCode(t, "Get of a missing session", err, parley.ErrNotFound)
}

func testKeysDistinct(t *testing.T, h *harness) {
	base := parley.SessionKey{BotID: "BOT", AliasID: "ALIAS", LocaleID: "ko_KR", SessionID: "user-1"}
	keys := map[string]parley.SessionKey{"base": base}
	variant := func(name string, change func(k *parley.SessionKey)) {
		k := base
		change(&k)
		keys[name] = k
	}
	variant("bot", func(k *parley.SessionKey) { k.BotID = "BOT2" })
	variant("alias", func(k *parley.SessionKey) { k.AliasID = "ALIAS2" })
	variant("locale", func(k *parley.SessionKey) { k.LocaleID = "en_US" })
	variant("session", func(k *parley.SessionKey) { k.SessionID = "user-2" })
	variant("session case", func(k *parley.SessionKey) { k.SessionID = "USER-1" })
	// Components that would collide if a store joined them with a separator.
	variant("shifted separator a", func(k *parley.SessionKey) { k.BotID, k.AliasID = "BOT:ALIAS", "" })
	variant("shifted separator b", func(k *parley.SessionKey) { k.BotID, k.AliasID = "BOT", ":ALIAS" })
	variant("shifted slash", func(k *parley.SessionKey) { k.BotID, k.AliasID = "BOT/ALIAS", "ko_KR/user-1" })

	now := h.clock.Now()
	for name, k := range keys {
		h.put(&parley.Session{Key: k, UpdatedAt: now, State: parley.SessionState{SessionAttributes: map[string]string{"name": name}}})
	}
	for name, k := range keys {
		got := h.get(k)
		if got.Key != k || got.State.SessionAttributes["name"] != name || got.Version != 1 {
			t.Errorf("Get(%+v) = key %+v, name %q, version %d; want the %q session at version 1", k, got.Key, got.State.SessionAttributes["name"], got.Version, name)
		}
	}
	if err := h.s.Delete(context.Background(), base); err != nil {
		t.Fatalf("Delete(base): %v", err)
	}
	for name, k := range keys {
		_, err := h.s.Get(context.Background(), k)
		if name == "base" {
			wantCode(t, "Get of the deleted base session", err, parley.ErrNotFound)
		} else if err != nil {
			t.Errorf("Get(%q) after deleting base: %v", name, err)
		}
	}
}

func testNewSessionVersion(t *testing.T, h *harness) {
	s := Sample(testKey("new"), h.clock.Now())
	h.put(s)
	if s.Version != 1 {
		t.Errorf("after Put of a new session Version = %d, want 1", s.Version)
	}
	if got := h.get(s.Key); got.Version != 1 {
		t.Errorf("stored Version = %d, want 1", got.Version)
	}
}

func testPutIncrements(t *testing.T, h *harness) {
	s := Sample(testKey("increments"), h.clock.Now())
	h.put(s)
	for want := int64(2); want <= 5; want++ {
		got := h.get(s.Key)
		got.Memory.Turns++
		h.put(got)
		if got.Version != want {
			t.Fatalf("Put set Version %d, want %d", got.Version, want)
		}
		stored := h.get(s.Key)
		if stored.Version != want || stored.Memory.Turns != got.Memory.Turns {
			t.Fatalf("stored version %d turns %d, want %d and %d", stored.Version, stored.Memory.Turns, want, got.Memory.Turns)
		}
	}
}

func testStalePut(t *testing.T, h *harness) {
	h.put(Sample(testKey("stale"), h.clock.Now()))
	first, second := h.get(testKey("stale")), h.get(testKey("stale"))

	first.State.SessionAttributes["winner"] = "first"
	h.put(first)

	second.State.SessionAttributes["winner"] = "second"
	err := h.s.Put(context.Background(), second)
	wantCode(t, "Put with a stale version", err, parley.ErrConflict)
	if second.Version != 1 {
		t.Errorf("a rejected Put changed Version to %d, want it left at 1", second.Version)
	}
	wantSame(t, "Get after the rejected Put", h.get(testKey("stale")), first)
}

func testAheadPut(t *testing.T, h *harness) {
	s := Sample(testKey("ahead"), h.clock.Now())
	h.put(s)
	want := h.get(s.Key)
	ahead := h.get(s.Key)
	ahead.Version = 7
	ahead.State.SessionAttributes["ahead"] = "yes"
	wantCode(t, "Put with a version ahead of the store", h.s.Put(context.Background(), ahead), parley.ErrConflict)
	wantSame(t, "Get after the rejected Put", h.get(s.Key), want)

	missing := Sample(testKey("ahead-missing"), h.clock.Now())
	missing.Version = 3
	wantCode(t, "Put with a version for a session that does not exist", h.s.Put(context.Background(), missing), parley.ErrConflict)
	_, err := h.s.Get(context.Background(), missing.Key)
	wantCode(t, "Get after the rejected Put", err, parley.ErrNotFound)
}

func testNewOverExisting(t *testing.T, h *harness) {
	h.put(Sample(testKey("exists"), h.clock.Now()))
	want := h.get(testKey("exists"))
	again := Sample(testKey("exists"), h.clock.Now())
	again.State.SessionAttributes = map[string]string{"overwrite": "yes"}
	wantCode(t, "Put of a new session over an existing one", h.s.Put(context.Background(), again), parley.ErrConflict)
	if again.Version != 0 {
		t.Errorf("a rejected Put changed Version to %d, want 0", again.Version)
	}
	wantSame(t, "Get after the rejected Put", h.get(testKey("exists")), want)
}

func testDelete(t *testing.T, h *harness) {
	key := testKey("delete")
	h.put(Sample(key, h.clock.Now()))
	if err := h.s.Delete(context.Background(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := h.s.Get(context.Background(), key)
	wantCode(t, "Get after Delete", err, parley.ErrNotFound)
	wantCode(t, "second Delete", h.s.Delete(context.Background(), key), parley.ErrNotFound)

	// A deleted session starts again from version 0.
	s := Sample(key, h.clock.Now())
	h.put(s)
	if s.Version != 1 {
		t.Errorf("Put after Delete set Version %d, want 1", s.Version)
	}
}

func testDeleteMissing(t *testing.T, h *harness) {
	wantCode(t, "Delete of a missing session", h.s.Delete(context.Background(), testKey("never-stored")), parley.ErrNotFound)
}

func testExpiry(t *testing.T, h *harness) {
	key := testKey("expiry")
	s := Sample(key, h.clock.Now()) // expires in five minutes
	h.put(s)

	h.clock.Advance(4*time.Minute + 59*time.Second)
	if got := h.get(key); got.Version != 1 {
		t.Fatalf("before ExpiresAt Get returned version %d, want 1", got.Version)
	}

	h.clock.Advance(2 * time.Second)
	_, err := h.s.Get(context.Background(), key)
	wantCode(t, "Get after ExpiresAt", err, parley.ErrNotFound)
	wantCode(t, "Put with the version read before expiry", h.s.Put(context.Background(), s), parley.ErrConflict)
	wantCode(t, "Delete after ExpiresAt", h.s.Delete(context.Background(), key), parley.ErrNotFound)

	fresh := Sample(key, h.clock.Now())
	fresh.State.SessionAttributes = map[string]string{"generation": "2"}
	h.put(fresh)
	if fresh.Version != 1 {
		t.Errorf("Put of a new session over an expired one set Version %d, want 1", fresh.Version)
	}
	wantSame(t, "Get of the new session", h.get(key), fresh)

	// The same again where the expired session was never read after expiry.
	other := testKey("expiry-unread")
	h.put(Sample(other, h.clock.Now()))
	h.clock.Advance(time.Hour)
	renewed := Sample(other, h.clock.Now())
	h.put(renewed)
	if renewed.Version != 1 {
		t.Errorf("Put over an expired, unread session set Version %d, want 1", renewed.Version)
	}
}

func testNoExpiry(t *testing.T, h *harness) {
	s := Sample(testKey("forever"), h.clock.Now())
	s.ExpiresAt = time.Time{}
	h.put(s)
	h.clock.Advance(100 * 365 * 24 * time.Hour)
	wantSame(t, "Get a century later", h.get(s.Key), s)
}

func testNoAliasing(t *testing.T, h *harness) {
	key := testKey("aliasing")
	s := Sample(key, h.clock.Now())
	h.put(s)
	want := Sample(key, h.clock.Now())
	want.Version = 1

	// Mutating what was passed to Put must not reach the store.
	s.State.SessionAttributes["이름"] = "mutated"
	s.State.Intent.Slots["Size"].Value.InterpretedValue = "mutated"
	s.State.Intent.Slots["Size"].Value.ResolvedValues[0] = "mutated"
	s.Messages[0].Content = "mutated"
	s.State.ActiveContexts[0].ContextAttributes["주문"] = "mutated"
	wantSame(t, "Get after mutating the Put argument", h.get(key), want)

	// Nor must mutating what Get returned.
	got := h.get(key)
	got.State.SessionAttributes["이름"] = "mutated"
	got.State.Intent.Slots["Size"].Value.ResolvedValues[0] = "mutated"
	got.State.Intent.Slots["Crust"] = parley.ScalarSlot("mutated", "mutated")
	got.Interpretations[0].NLUConfidence.Score = 0
	got.Memory.ContextExpiry["order_placed"] = time.Time{}
	got.State.DialogAction.SubSlotToElicit.Name = "mutated"
	wantSame(t, "Get after mutating an earlier Get's result", h.get(key), want)
}

func testConcurrentWriters(t *testing.T, h *harness) {
	const writers, increments = 8, 15
	key := testKey("concurrent")
	// A small session: the test is about versioning, not encoding.
	h.put(&parley.Session{Key: key})

	var puts atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for range increments {
				if err := increment(h.s, key, fmt.Sprint("writer ", w)); err != nil {
					t.Error(err)
					return
				}
				puts.Add(1)
			}
		})
	}
	wg.Wait()

	got := h.get(key)
	if got.Memory.Turns != writers*increments {
		t.Errorf("counter = %d after %d writers × %d increments, want %d (an update was lost)", got.Memory.Turns, writers, increments, writers*increments)
	}
	if want := 1 + puts.Load(); got.Version != want {
		t.Errorf("Version = %d, want %d (one per successful Put)", got.Version, want)
	}
}

// increment reads the session, adds one to its counter and writes it back,
// retrying on conflict as the engine retries a turn.
func increment(s parley.SessionStore, key parley.SessionKey, who string) error {
	const maxAttempts = 10000
	for range maxAttempts {
		cur, err := s.Get(context.Background(), key)
		if err != nil {
			return fmt.Errorf("%s: Get: %w", who, err)
		}
		cur.Memory.Turns++
		err = s.Put(context.Background(), cur)
		if err == nil {
			return nil
		}
		if parley.ErrorCodeOf(err) != parley.ErrConflict {
			return fmt.Errorf("%s: Put: %w", who, err)
		}
	}
	return fmt.Errorf("%s: still conflicting after %d attempts", who, maxAttempts)
}

func testLargeSession(t *testing.T, h *harness) {
	s := Sample(testKey("large"), h.clock.Now())
	// About 100 KB of attributes, mixing scripts so that multi-byte text is
	// stored at size.
	chunk := strings.Repeat("가나다라마바사 漢字 abc ", 40)
	for i := range 100 {
		s.State.SessionAttributes[fmt.Sprintf("attribute-%03d", i)] = fmt.Sprintf("%d:%s", i, chunk)
	}
	h.put(s)
	wantSame(t, "Get of a large session", h.get(s.Key), s)
}

func testCancelledContext(t *testing.T, h *harness) {
	stored := Sample(testKey("cancel-stored"), h.clock.Now())
	h.put(stored)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wantCancelled := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: err = %v, want context.Canceled", what, err)
		}
	}

	_, err := h.s.Get(ctx, stored.Key)
	wantCancelled("Get", err)

	fresh := Sample(testKey("cancel-new"), h.clock.Now())
	wantCancelled("Put", h.s.Put(ctx, fresh))
	if fresh.Version != 0 {
		t.Errorf("a cancelled Put set Version %d", fresh.Version)
	}
	_, err = h.s.Get(context.Background(), fresh.Key)
	wantCode(t, "Get after a cancelled Put", err, parley.ErrNotFound)

	wantCancelled("Delete", h.s.Delete(ctx, stored.Key))
	wantSame(t, "Get after a cancelled Delete", h.get(stored.Key), stored)
}

func testCloseTwice(t *testing.T, h *harness) {
	h.put(Sample(testKey("close"), h.clock.Now()))
	if err := h.s.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	// The suite's cleanup closes the store a second time.
}

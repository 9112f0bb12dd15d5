package engine

import (
	"context"
	crand "crypto/rand"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// DefaultConflictAttempts is how often a turn without code hook calls is
// run, each time from a fresh read, before a lost race on its session is
// reported as ErrConflict.
const DefaultConflictAttempts = 50

// Backoff between attempts: a random wait up to a ceiling that starts at
// backoffBase and doubles per attempt up to backoffCap. The cap is about
// one turn's store traffic on the slowest store (DynamoDB), so a waiting
// turn polls a busy session a few dozen times a second at most.
const (
	backoffBase = time.Millisecond
	backoffCap  = 32 * time.Millisecond
)

// claimMargin is added to a claim's time budget for the final write and
// for clocks of instances that disagree; instances' clocks must agree to
// within it.
const claimMargin = 10 * time.Second

// releaseTimeout bounds giving a claim back after a failed turn, whose
// caller may have gone away.
const releaseTimeout = 5 * time.Second

// keyLocks queues the turns of one session in this process, so that they
// do not race each other in the store. The map holds an entry only while
// some turn holds or waits for its key, so memory is bounded by the turns
// in flight, not by the sessions ever seen; entries are reused so that an
// uncontended turn allocates nothing here.
type keyLocks struct {
	mu    sync.Mutex
	locks map[parley.SessionKey]*keyLock
	free  sync.Pool // of *keyLock out of the map: no refs, empty token
}

// keyLock is one session's place in the queue.
type keyLock struct {
	token chan struct{} // holds one value while a turn owns the session
	refs  int           // turns holding or waiting; guarded by keyLocks.mu
}

func newKeyLocks() *keyLocks {
	return &keyLocks{locks: map[parley.SessionKey]*keyLock{}}
}

// lock waits until no other turn of this process holds key, or until ctx
// ends (then it returns ctx's error and holds nothing). A nil error must be
// followed by exactly one unlock(key, l).
func (k *keyLocks) lock(ctx context.Context, key parley.SessionKey) (*keyLock, error) {
	k.mu.Lock()
	l := k.locks[key]
	if l == nil {
		l, _ = k.free.Get().(*keyLock)
		if l == nil {
			l = &keyLock{token: make(chan struct{}, 1)}
		}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()
	select {
	case l.token <- struct{}{}:
		return l, nil
	case <-ctx.Done():
		k.done(key, l)
		return nil, ctx.Err()
	}
}

// unlock lets the next turn of key go.
func (k *keyLocks) unlock(key parley.SessionKey, l *keyLock) {
	<-l.token
	k.done(key, l)
}

// done drops one reference to l and forgets it when nobody needs it.
func (k *keyLocks) done(key parley.SessionKey, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l.refs--; l.refs == 0 {
		delete(k.locks, key)
		k.free.Put(l)
	}
}

// backoff is the wait schedule of one turn's attempts.
type backoff struct{ n int }

// wait sleeps for the next jittered interval, or until ctx ends.
func (b *backoff) wait(ctx context.Context) error {
	ceiling := backoffCap
	if b.n < 6 { // backoffBase<<5 is the cap
		ceiling = backoffBase << b.n
	}
	b.n++
	// Full jitter: two instances that collided do not collide again in step.
	t := time.NewTimer(rand.N(ceiling) + time.Microsecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// busyError is what a turn that could not get at its session before its
// context ended answers: ConflictException, the error Lex gives a request
// that meets another one on the same session.
func busyError(key parley.SessionKey, err error) error {
	return &parley.Error{Code: parley.ErrConflict, Message: "Session " + key.SessionID + " is busy with another request; try again.", Err: err}
}

// verdict is what a turn attempt asks of the loop that runs it.
type verdict int

const (
	settled verdict = iota // return its result or error
	lost                   // it lost a race before calling a hook: run it again
	busy                   // another instance holds the session: wait, run it again
)

// claimGuard holds a turn's session while it calls code hooks, and
// while a turn that lost a race runs again. A claim is a compare-and-set
// write of the stored session with Session.Claim set; a turn that loses
// that race learns it before any hook had an effect. Before each hook call
// the claim is made or extended to cover the call; the turn's final write
// clears it.
type claimGuard struct {
	e   *Engine
	key parley.SessionKey
	// loaded is the version the turn read (0: none stored).
	loaded int64
	// tail is the turn's work outside its hook calls that a claim must
	// also cover: the model's assist and fallback answer, each bounded by
	// Options.LLMTimeout.
	tail time.Duration
	// effects says whether the hook calls go to a bound code hook, whose
	// effects reach outside the turn; the engine's own delegation needs
	// no claim.
	effects bool

	held    bool
	version int64     // the stored version while held
	until   time.Time // the claim's end while held
	called  bool      // a bound hook has been called
}

// claim writes s, the session stored at version g.loaded (nil when none
// is), with this engine's claim until the given time. s is not changed.
func (g *claimGuard) claim(ctx context.Context, s *parley.Session, until time.Time) error {
	c := parley.Session{Key: g.key}
	if s != nil {
		c = *s
	}
	c.Claim = &parley.SessionClaim{Owner: g.e.owner, Until: until}
	// The store must not forget the session while it is held. A session
	// that was never saved (a placeholder: no UpdatedAt) would otherwise
	// stay forever if its claimer died.
	if exp := until.Add(claimMargin); c.UpdatedAt.IsZero() || (!c.ExpiresAt.IsZero() && c.ExpiresAt.Before(exp)) {
		c.ExpiresAt = exp
	}
	if err := g.e.store.Put(ctx, &c); err != nil {
		return storeError("claim", err)
	}
	g.held, g.version, g.until = true, c.Version, until
	return nil
}

// reclaim writes the claim again on the stored session, read afresh
// because the turn has changed its own copy; the stored version must be
// the one the turn read or, while held, the claimed one.
func (g *claimGuard) reclaim(ctx context.Context, until time.Time) error {
	want := g.loaded
	if g.held {
		want = g.version
	}
	cur, err := g.e.store.Get(ctx, g.key)
	switch {
	case parley.ErrorCodeOf(err) == parley.ErrNotFound:
		cur = nil
	case err != nil:
		return storeError("get", err)
	}
	if v := versionOf(cur); v != want {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d, read %d)", g.key.SessionID, v, want)
	}
	return g.claim(ctx, cur, until)
}

func versionOf(s *parley.Session) int64 {
	if s == nil {
		return 0
	}
	return s.Version
}

// before makes sure the session is held for a hook call of the given time
// limit. An error means the hook must not be called; before the first call
// an ErrConflict means that nothing was called and the turn may run again.
func (g *claimGuard) before(ctx context.Context, limit time.Duration) error {
	if !g.effects {
		return nil
	}
	need := g.e.now().Add(limit + g.tail + claimMargin)
	switch {
	case !g.held:
		// Room for a second call: a dialog hook is often followed by the
		// fulfillment hook, and then no extension is written.
		return g.reclaim(ctx, need.Add(limit))
	case g.until.Before(need):
		return g.reclaim(ctx, need)
	}
	return nil
}

// release gives the session back unchanged after a turn that stored
// nothing, so that waiting instances need not wait for the claim to end.
// A placeholder keeps an ended claim, which marks it as no session.
func (g *claimGuard) release(ctx context.Context) {
	if !g.held {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	cur, err := g.e.store.Get(ctx, g.key)
	if err == nil && cur.Version == g.version {
		cur.Claim = nil
		if cur.UpdatedAt.IsZero() {
			cur.Claim = &parley.SessionClaim{Owner: g.e.owner, Until: g.e.now()}
		}
		err = g.e.store.Put(ctx, cur)
	}
	switch parley.ErrorCodeOf(err) {
	case "", parley.ErrNotFound, parley.ErrConflict: // released, or no longer ours
	default:
		g.e.log.Warn("session claim not released; it ends by itself", "bot", g.key.BotID, "session", g.key.SessionID, "until", g.until, "error", err)
	}
}

// placeholder reports whether s was only ever written by a claim: no turn
// has saved it, so for clients it does not exist.
func placeholder(s *parley.Session) bool {
	return s.Claim != nil && s.UpdatedAt.IsZero()
}

// newOwner returns a random id for this engine instance's claims.
func newOwner() string { return crand.Text() }

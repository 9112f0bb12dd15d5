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
// in flight, not by the sessions ever seen.
type keyLocks struct {
	mu    sync.Mutex
	locks map[parley.SessionKey]*keyLock
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
// ends (then it returns ctx's error and holds nothing). unlock must be
// called exactly once after a nil error.
func (k *keyLocks) lock(ctx context.Context, key parley.SessionKey) (unlock func(), err error) {
	k.mu.Lock()
	l := k.locks[key]
	if l == nil {
		l = &keyLock{token: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()
	select {
	case l.token <- struct{}{}:
		return func() {
			<-l.token
			k.done(key, l)
		}, nil
	case <-ctx.Done():
		k.done(key, l)
		return nil, ctx.Err()
	}
}

// done drops one reference to l and forgets it when nobody needs it.
func (k *keyLocks) done(key parley.SessionKey, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l.refs--; l.refs == 0 {
		delete(k.locks, key)
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

// claimGuard holds a turn's session while it calls code hooks. Before the
// first call it claims the session with a compare-and-set write on the
// version the turn read, so that a turn which lost a race learns it before
// any hook had an effect; before a later call it extends the claim when
// what is left would not cover that call.
type claimGuard struct {
	e      *Engine
	key    parley.SessionKey
	loaded int64 // the version the turn read
	// tail is the turn's work after its last hook call: the model's
	// fallback answer, bounded by Options.LLMTimeout.
	tail time.Duration
	// held is the session as stored with the claim; nil until claimed.
	held *parley.Session
}

// before makes sure the session is held for a hook call of the given time
// limit. Before the first hook call an ErrConflict means that nothing was
// called and the turn may run again.
func (g *claimGuard) before(ctx context.Context, limit time.Duration) error {
	need := g.e.now().Add(limit + g.tail + claimMargin)
	if g.held != nil {
		if g.held.Claim.Until.Before(need) {
			return g.write(ctx, g.held, need)
		}
		return nil
	}
	// The turn changed the session it read in memory; the claim writes the
	// stored one, which is the same when its version is.
	cur, err := g.e.store.Get(ctx, g.key)
	switch {
	case parley.ErrorCodeOf(err) == parley.ErrNotFound:
		cur = &parley.Session{Key: g.key}
	case err != nil:
		return storeError("get", err)
	}
	if cur.Version != g.loaded {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently", g.key.SessionID)
	}
	// Room for a second call: a dialog hook is often followed by the
	// fulfillment hook, and then no extension is written.
	return g.write(ctx, cur, need.Add(limit))
}

// write stores s claimed until the given time; g.held is the result.
func (g *claimGuard) write(ctx context.Context, s *parley.Session, until time.Time) error {
	c := *s // a copy, so a failed write leaves s as it was
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
	g.held = &c
	return nil
}

// release gives the session back unchanged after a turn that stores
// nothing, so that waiting instances need not wait for the claim to end.
// A placeholder keeps an ended claim, which marks it as no session.
func (g *claimGuard) release(ctx context.Context) {
	if g == nil || g.held == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	c := *g.held
	c.Claim = nil
	if c.UpdatedAt.IsZero() {
		c.Claim = &parley.SessionClaim{Owner: g.e.owner, Until: g.e.now()}
	}
	if err := g.e.store.Put(ctx, &c); err != nil {
		g.e.log.Warn("session claim not released; it ends by itself", "bot", g.key.BotID, "session", g.key.SessionID, "until", g.held.Claim.Until, "error", err)
	}
}

// placeholder reports whether s was only ever written by a claim: no turn
// has saved it, so for clients it does not exist.
func placeholder(s *parley.Session) bool {
	return s.Claim != nil && s.UpdatedAt.IsZero()
}

// newOwner returns a random id for this engine instance's claims.
func newOwner() string { return crand.Text() }

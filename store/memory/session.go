package memory

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

var _ parley.SessionStore = (*Store)(nil)

// pruneEvery is how many Puts pass between sweeps of expired sessions; it
// bounds the memory held by abandoned conversations without a goroutine and
// keeps the sweep's cost per Put small.
const pruneEvery = 1024

// errClosed is returned by every method after Close.
var errClosed = errors.New("memory: store is closed")

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock that decides expiry; time.Now when nil.
	Now func() time.Time
}

// Store keeps sessions in memory. It is safe for concurrent use.
type Store struct {
	now func() time.Time

	mu sync.Mutex
	// sessions holds private copies that are never mutated after they are
	// stored, so Get can copy one outside the lock.
	sessions map[parley.SessionKey]*parley.Session
	puts     int
	closed   bool
}

// New returns an empty store.
func New(opts Options) *Store {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Store{now: now, sessions: map[parley.SessionKey]*parley.Session{}}
}

// live reports whether s has not expired at now; a zero ExpiresAt never
// expires.
func live(s *parley.Session, now time.Time) bool {
	return s.ExpiresAt.IsZero() || now.Before(s.ExpiresAt)
}

// Get returns a copy of the stored session, or ErrNotFound when there is
// none or it has expired.
func (st *Store) Get(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := st.now()
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return nil, errClosed
	}
	s, ok := st.sessions[key]
	if ok && !live(s, now) {
		delete(st.sessions, key)
		ok = false
	}
	st.mu.Unlock()
	if !ok {
		return nil, notFound(key)
	}
	return clone(s), nil
}

// Put stores a copy of s when s.Version is the stored version (0 for a
// session that is absent or expired) and then sets s.Version to the new
// version; otherwise it returns ErrConflict and stores nothing.
func (st *Store) Put(ctx context.Context, s *parley.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s == nil {
		return parley.Errorf(parley.ErrValidation, "session is nil")
	}
	next := clone(s)
	next.Version = s.Version + 1
	now := st.now()

	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return errClosed
	}
	var stored int64
	if cur, ok := st.sessions[s.Key]; ok && live(cur, now) {
		stored = cur.Version
	}
	if s.Version != stored {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d, stored %d)", s.Key.SessionID, s.Version, stored)
	}
	st.sessions[s.Key] = next
	s.Version = next.Version
	st.puts++
	if st.puts%pruneEvery == 0 {
		st.pruneLocked(now)
	}
	return nil
}

// Delete removes the session; ErrNotFound when there is none or it has
// expired.
func (st *Store) Delete(ctx context.Context, key parley.SessionKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return errClosed
	}
	s, ok := st.sessions[key]
	if !ok {
		return notFound(key)
	}
	delete(st.sessions, key)
	if !live(s, now) {
		return notFound(key)
	}
	return nil
}

// Sweep removes every expired session now and reports how many it removed.
// Put sweeps by itself every so often; call Sweep to release memory sooner,
// for instance from a timer of the caller's own.
func (st *Store) Sweep() int {
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.pruneLocked(now)
}

func (st *Store) pruneLocked(now time.Time) int {
	n := 0
	for key, s := range st.sessions {
		if !live(s, now) {
			delete(st.sessions, key)
			n++
		}
	}
	return n
}

// Len reports how many sessions are held, expired ones not yet swept
// included.
func (st *Store) Len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.sessions)
}

// Close drops every session; later calls to the store fail. Closing twice
// is harmless.
func (st *Store) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	st.sessions = nil
	return nil
}

func notFound(key parley.SessionKey) error {
	return parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
}

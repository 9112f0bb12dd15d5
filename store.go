package parley

import "context"

// SessionStore keeps sessions between turns.
type SessionStore interface {
	// Get returns the stored session, or an *Error with ErrNotFound when
	// there is none or it has expired (its ExpiresAt has passed).
	Get(ctx context.Context, key SessionKey) (*Session, error)
	// Put stores s when s.Version equals the stored version (0 when the
	// session is new) and then sets s.Version to the new version. When the
	// versions differ it stores nothing and returns an *Error with
	// ErrConflict, so two concurrent turns never overwrite each other.
	Put(ctx context.Context, s *Session) error
	// Delete removes the session; an *Error with ErrNotFound when absent.
	Delete(ctx context.Context, key SessionKey) error
	// Close releases the store's resources.
	Close() error
}

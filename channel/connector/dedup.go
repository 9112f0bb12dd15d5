package connector

import (
	"context"
	"sync"
	"time"
)

// Deduplicator remembers the platform event ids a channel has processed,
// so a platform's retry of an event is acknowledged but not run twice.
type Deduplicator interface {
	// FirstSeen records key and reports whether it was not recorded before
	// within the deduplicator's window. An error means the answer is
	// unknown; callers then process the event (a duplicate reply beats a
	// lost one). Safe for concurrent use.
	FirstSeen(ctx context.Context, key string) (bool, error)
}

// MemoryDedup is a Deduplicator for one process: keys live for a window
// and the oldest are dropped beyond a maximum count.
type MemoryDedup struct {
	now    func() time.Time
	window time.Duration
	max    int

	mu    sync.Mutex
	seen  map[string]time.Time
	order []string // insertion order, for expiry and the cap
}

var _ Deduplicator = (*MemoryDedup)(nil)

// NewMemoryDedup returns a deduplicator that remembers at most max keys
// for window each.
func NewMemoryDedup(now func() time.Time, window time.Duration, max int) *MemoryDedup {
	return &MemoryDedup{now: now, window: window, max: max, seen: map[string]time.Time{}}
}

// FirstSeen implements Deduplicator; it never fails.
func (d *MemoryDedup) FirstSeen(_ context.Context, key string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	for len(d.order) > 0 && now.Sub(d.seen[d.order[0]]) >= d.window {
		d.forgetOldest()
	}
	if _, ok := d.seen[key]; ok {
		return false, nil
	}
	// Only a new key makes room, so a retry of the oldest key at the cap
	// is still recognised.
	for len(d.order) > 0 && len(d.order) >= d.max {
		d.forgetOldest()
	}
	d.seen[key] = now
	d.order = append(d.order, key)
	return true, nil
}

func (d *MemoryDedup) forgetOldest() {
	delete(d.seen, d.order[0])
	d.order = d.order[1:]
}

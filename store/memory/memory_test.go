package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/memory"
	"github.com/parleybot/parley/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
		return memory.New(memory.Options{Now: now})
	})
}

func TestSweep(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := memory.New(memory.Options{Now: func() time.Time { return now }})
	defer s.Close()
	ctx := context.Background()
	put := func(id string, ttl time.Duration) {
		t.Helper()
		sess := &parley.Session{Key: parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: id}, UpdatedAt: now}
		if ttl > 0 {
			sess.ExpiresAt = now.Add(ttl)
		}
		if err := s.Put(ctx, sess); err != nil {
			t.Fatalf("Put(%s): %v", id, err)
		}
	}
	put("short", time.Minute)
	put("long", time.Hour)
	put("forever", 0)

	tests := []struct {
		name        string
		advance     time.Duration
		wantRemoved int
		wantLen     int
	}{
		{"nothing expired", 30 * time.Second, 0, 3},
		{"short expired", time.Minute, 1, 2},
		{"long expired", time.Hour, 1, 1},
		{"only forever left", 1000 * time.Hour, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now = now.Add(tc.advance)
			if got := s.Sweep(); got != tc.wantRemoved {
				t.Errorf("Sweep() = %d, want %d", got, tc.wantRemoved)
			}
			if got := s.Len(); got != tc.wantLen {
				t.Errorf("Len() = %d, want %d", got, tc.wantLen)
			}
		})
	}
}

// TestPutPrunesExpired checks that a store only ever written to does not keep
// expired sessions forever.
func TestPutPrunesExpired(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := memory.New(memory.Options{Now: func() time.Time { return now }})
	defer s.Close()
	const sessions = 5000
	for i := range sessions {
		sess := &parley.Session{Key: parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: string(rune('가' + i))}, ExpiresAt: now.Add(time.Second)}
		if err := s.Put(context.Background(), sess); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second) // each session has expired by the next Put
	}
	if got := s.Len(); got >= sessions/2 {
		t.Errorf("Len() = %d after %d Puts of short-lived sessions, want expired ones pruned", got, sessions)
	}
}

func TestClosedStoreFails(t *testing.T) {
	s := memory.New(memory.Options{})
	key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "s1"}
	if err := s.Put(context.Background(), &parley.Session{Key: key}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), key); err == nil {
		t.Error("Get after Close succeeded")
	}
	if err := s.Put(context.Background(), &parley.Session{Key: key, Version: 1}); err == nil {
		t.Error("Put after Close succeeded")
	}
	if err := s.Delete(context.Background(), key); err == nil {
		t.Error("Delete after Close succeeded")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func BenchmarkGetPut(b *testing.B) {
	s := memory.New(memory.Options{})
	defer s.Close()
	storetest.BenchGetPut(b, s)
}

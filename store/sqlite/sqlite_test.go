package sqlite_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/sqlite"
	"github.com/parleybot/parley/store/storetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "sessions.db") }},
		{"memory", func(*testing.T) string { return ":memory:" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
				s, err := sqlite.Open(tc.path(t), sqlite.Options{Now: now})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				return s
			})
		})
	}
}

var testKey = parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "세션-1"}

func open(t *testing.T, path string, now func() time.Time) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path, sqlite.Options{Now: now})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rawDB opens the file behind the store's back, as an operator or another
// program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestReopenKeepsSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	now := time.Now()
	want := storetest.Sample(testKey, now)
	want.ExpiresAt = now.Add(time.Hour)

	first := open(t, path, nil)
	if err := first.Put(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := open(t, path, nil)
	got, err := second.Get(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := storetest.Diff(got, want); len(diffs) > 0 {
		t.Errorf("after reopening:\n%s", strings.Join(diffs, "\n"))
	}
	var version int
	if err := rawDB(t, path).QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 1 {
		t.Errorf("user_version = %d (err %v), want 1", version, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	db := rawDB(t, newer)
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, path, wantErr string
	}{
		{"newer schema", newer, "schema version 99"},
		{"not a database", garbage, "sqlite: open"},
		{"question mark", filepath.Join(dir, "a?b.db"), "must not contain"},
		{"empty path", "", "empty path"},
		{"missing directory", filepath.Join(dir, "no", "such", "dir", "x.db"), "sqlite: open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := sqlite.Open(tc.path, sqlite.Options{})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tc.path)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Open(%q) = %v, want an error containing %q", tc.path, err, tc.wantErr)
			}
		})
	}
}

func TestCorruptBodyNamesTheSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s := open(t, path, nil)
	if err := s.Put(context.Background(), storetest.Sample(testKey, time.Now())); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, path).Exec("UPDATE sessions SET body = '{\"state\": [truncated'"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get(context.Background(), testKey)
	if err == nil {
		t.Fatal("Get of a corrupt body succeeded")
	}
	if code := parley.ErrorCodeOf(err); code != parley.ErrInternal {
		t.Errorf("code = %q, want %q", code, parley.ErrInternal)
	}
	for _, part := range []string{testKey.BotID, testKey.AliasID, testKey.LocaleID, testKey.SessionID} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not name %q", err, part)
		}
	}
}

func TestFailedPutKeepsStoredSession(t *testing.T) {
	s := open(t, ":memory:", nil)
	ctx := context.Background()
	want := storetest.Sample(testKey, time.Now())
	if err := s.Put(ctx, want); err != nil {
		t.Fatal(err)
	}

	bad, err := s.Get(ctx, testKey)
	if err != nil {
		t.Fatal(err)
	}
	bad.State.SessionAttributes["changed"] = "yes"
	bad.Interpretations[0].NLUConfidence.Score = math.NaN() // JSON cannot encode it
	err = s.Put(ctx, bad)
	if err == nil {
		t.Fatal("Put of an unencodable session succeeded")
	}
	if bad.Version != 1 {
		t.Errorf("failed Put changed Version to %d", bad.Version)
	}
	got, err := s.Get(ctx, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := storetest.Diff(got, want); len(diffs) > 0 {
		t.Errorf("after a failed Put:\n%s", strings.Join(diffs, "\n"))
	}
}

// TestTwoOpensOfOneFile runs writers through two independent Stores on one
// file, as two processes would: WAL and the busy timeout must let both write,
// and versioning must not lose an update across them.
func TestTwoOpensOfOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := []*sqlite.Store{open(t, path, nil), open(t, path, nil)}
	ctx := context.Background()
	start := &parley.Session{Key: testKey, State: parley.SessionState{SessionAttributes: map[string]string{}}}
	if err := stores[0].Put(ctx, start); err != nil {
		t.Fatal(err)
	}

	const writers, increments = 6, 30
	var wg sync.WaitGroup
	for w := range writers {
		st := stores[w%len(stores)]
		wg.Go(func() {
			for range increments {
				for {
					cur, err := st.Get(ctx, testKey)
					if err != nil {
						t.Error(err)
						return
					}
					cur.Memory.Turns++
					err = st.Put(ctx, cur)
					if err == nil {
						break
					}
					if parley.ErrorCodeOf(err) != parley.ErrConflict {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	// A writer of its own session through each store at the same time.
	for i, st := range stores {
		wg.Go(func() {
			own := &parley.Session{Key: parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: string(rune('a' + i))}}
			for range increments {
				if err := st.Put(ctx, own); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	for i, st := range stores {
		got, err := st.Get(ctx, testKey)
		if err != nil {
			t.Fatal(err)
		}
		if got.Memory.Turns != writers*increments || got.Version != 1+writers*increments {
			t.Errorf("store %d sees turns %d version %d, want %d and %d", i, got.Memory.Turns, got.Version, writers*increments, 1+writers*increments)
		}
	}
}

func TestPurge(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	path := filepath.Join(t.TempDir(), "purge.db")
	s := open(t, path, clock)
	ctx := context.Background()
	put := func(id string, ttl time.Duration) {
		t.Helper()
		sess := &parley.Session{Key: parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: id}, UpdatedAt: clock()}
		if ttl > 0 {
			sess.ExpiresAt = clock().Add(ttl)
		}
		if err := s.Put(ctx, sess); err != nil {
			t.Fatalf("Put(%s): %v", id, err)
		}
	}
	rows := func() int {
		var n int
		if err := rawDB(t, path).QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	put("short-1", time.Minute)
	put("short-2", time.Minute)
	put("short-3", time.Minute)
	put("long", time.Hour)
	put("forever", 0)
	advance(2 * time.Minute)

	tests := []struct {
		name     string
		limit    int
		want     int64
		wantRows int
	}{
		{"bounded by the limit", 2, 2, 3},
		{"the rest", 10, 1, 2},
		{"nothing left to purge", 10, 0, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := s.Purge(ctx, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || rows() != tc.wantRows {
				t.Errorf("Purge(%d) = %d leaving %d rows, want %d leaving %d", tc.limit, n, rows(), tc.want, tc.wantRows)
			}
		})
	}

	// Puts purge on their own: a stream of short-lived sessions does not
	// pile up.
	const puts = 600
	for i := range puts {
		put(string(rune('가'+i)), time.Second)
		advance(time.Second)
	}
	if got := rows(); got > puts/2 {
		t.Errorf("%d rows after %d Puts of short-lived sessions, want expired ones purged", got, puts)
	}
}

func BenchmarkGetPut(b *testing.B) {
	tests := []struct {
		name string
		path func(b *testing.B) string
	}{
		{"file", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }},
		{"memory", func(*testing.B) string { return ":memory:" }},
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) {
			s, err := sqlite.Open(tc.path(b), sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchGetPut(b, s)
		})
	}
}

// FuzzStoredBody writes arbitrary bytes where a session body belongs, as a
// damaged file or another program might: Get must return a session or an
// error, never panic.
func FuzzStoredBody(f *testing.F) {
	path := filepath.Join(f.TempDir(), "fuzz.db")
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(context.Background(), storetest.Sample(testKey, time.Now().Add(time.Hour))); err != nil {
		f.Fatal(err)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	var body string
	if err := db.QueryRow("SELECT body FROM sessions").Scan(&body); err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add(`{"state":{"sessionAttributes":null},"memory":{"contextExpiry":{"x":"not a time"}}}`)
	f.Add(`{"messages":[{"imageResponseCard":{"buttons":{}}}]}`)
	f.Add("")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, body string) {
		if _, err := db.Exec("UPDATE sessions SET body = ?", body); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(context.Background(), testKey)
		if err == nil && (got == nil || got.Key != testKey) {
			t.Errorf("Get = %+v, nil error; want the session under its key or an error", got)
		}
	})
}

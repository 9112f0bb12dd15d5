package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/internal/testserver"
	"github.com/parleybot/parley/store/postgres"
	"github.com/parleybot/parley/store/storetest"
)

// server is the throwaway server TestMain starts for the whole package.
var server testserver.Shared

func TestMain(m *testing.M) { server.Main(m, testserver.StartPostgres) }

// tables keeps every store of a run apart in the shared database.
var tables atomic.Int64

func freshURL(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("%s&table=sessions_%d", server.Require(t).URL, tables.Add(1))
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
		s, err := postgres.Open(context.Background(), freshURL(t), postgres.Options{Now: now, Init: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func TestOpenWithoutInit(t *testing.T) {
	url := freshURL(t)
	_, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "--store-init") || !strings.Contains(err.Error(), "CREATE TABLE") {
		t.Fatalf("Open without Init on a missing table: err = %v, want one naming --store-init and the CREATE TABLE", err)
	}
	s, err := postgres.Open(context.Background(), url, postgres.Options{Init: true})
	if err != nil {
		t.Fatalf("Open with Init: %v", err)
	}
	s.Close()
	s, err = postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatalf("Open without Init once the table exists: %v", err)
	}
	s.Close()
	// Init on an existing table leaves it and its sessions alone.
	s, err = postgres.Open(context.Background(), url, postgres.Options{Init: true})
	if err != nil {
		t.Fatalf("Open with Init on an existing table: %v", err)
	}
	s.Close()
}

func TestPing(t *testing.T) {
	s, err := postgres.Open(context.Background(), freshURL(t), postgres.Options{Init: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	s.Close()
	if err := s.Ping(context.Background()); err == nil {
		t.Error("Ping after Close: no error")
	}
}

func TestSharedAcrossStores(t *testing.T) {
	url := freshURL(t)
	open := func() *postgres.Store {
		s, err := postgres.Open(context.Background(), url, postgres.Options{Init: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "shared"}
	if err := a.Put(context.Background(), &parley.Session{Key: key}); err != nil {
		t.Fatal(err)
	}
	got, err := b.Get(context.Background(), key)
	if err != nil || got.Version != 1 {
		t.Fatalf("second store Get = %v, %v; want version 1", got, err)
	}
	stale := *got
	if err := b.Put(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(context.Background(), &stale); parley.ErrorCodeOf(err) != parley.ErrConflict {
		t.Fatalf("stale Put through the other store: err = %v, want ErrConflict", err)
	}
}

func TestSplitURL(t *testing.T) {
	tests := []struct {
		name, url         string
		wantConn, wantTbl string
		wantErr           string
	}{
		{"defaults", "postgres://u:p@db:5432/app", "postgres://u:p@db:5432/app", "parley_sessions", ""},
		{"table taken off", "postgres://u@db/app?sslmode=disable&table=bots", "postgres://u@db/app?sslmode=disable", "bots", ""},
		{"schema table", "postgresql://u@db/app?table=chat.sessions", "postgresql://u@db/app", "chat.sessions", ""},
		{"wrong scheme", "mysql://u@db/app", "", "", "scheme"},
		{"no host", "postgres:///app", "", "", "no host"},
		{"opaque", "postgres:db", "", "", "no host"},
		{"injection", "postgres://u@db/app?table=x%3Bdrop", "", "", "identifier"},
		{"upper case", "postgres://u@db/app?table=Sessions", "", "", "identifier"},
		{"two tables", "postgres://u@db/app?table=a&table=b", "", "", "identifier"},
		{"empty table", "postgres://u@db/app?table=", "", "", "identifier"},
		{"bad escape", "postgres://u@db/app?table=%zz", "", "", "query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, table, err := postgres.SplitURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("SplitURL(%q) err = %v, want one mentioning %q", tc.url, err, tc.wantErr)
				}
				return
			}
			if err != nil || conn != tc.wantConn || table != tc.wantTbl {
				t.Fatalf("SplitURL(%q) = %q, %q, %v; want %q, %q", tc.url, conn, table, err, tc.wantConn, tc.wantTbl)
			}
		})
	}
}

func TestOpenBadURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u@db/app?connect_timeout=abc", postgres.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Fatalf("Open with a bad pgx parameter: err = %v, want a postgres: error", err)
	}
}

func FuzzSplitURL(f *testing.F) {
	for _, s := range []string{"postgres://u:p@h:5432/db?sslmode=disable&table=t", "postgres:x", "postgres://h/db?table=a.b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, table, err := postgres.SplitURL(raw)
		if err == nil && (table == "" || strings.ContainsAny(table, " ;'\"")) {
			t.Fatalf("SplitURL(%q) accepted table %q", raw, table)
		}
	})
}

func BenchmarkGetPut(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshURL(b), postgres.Options{Init: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchGetPut(b, s)
}

func TestNULRefused(t *testing.T) {
	s, err := postgres.Open(context.Background(), freshURL(t), postgres.Options{Init: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	sess := &parley.Session{Key: parley.SessionKey{BotID: "B", SessionID: "nul"}}
	sess.State.SessionAttributes = map[string]string{"a": "x\x00y"}
	err = s.Put(context.Background(), sess)
	if err == nil || parley.ErrorCodeOf(err) == parley.ErrConflict || sess.Version != 0 {
		t.Fatalf("Put of a NUL character: err = %v, version %d; want a plain error and no version", err, sess.Version)
	}
	if _, err := s.Get(context.Background(), sess.Key); parley.ErrorCodeOf(err) != parley.ErrNotFound {
		t.Errorf("Get after the refused Put: err = %v, want ErrNotFound", err)
	}
}

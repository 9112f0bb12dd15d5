package redis_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/internal/testserver"
	"github.com/parleybot/parley/store/redis"
	"github.com/parleybot/parley/store/storetest"
)

// server is the throwaway server TestMain starts for the whole package.
var server testserver.Shared

func TestMain(m *testing.M) { server.Main(m, testserver.StartRedis) }

// prefixes keeps every store of a run apart on the shared server.
var prefixes atomic.Int64

func freshURL(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("%s/0?prefix=test%d:", server.Require(t).URL, prefixes.Add(1))
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
		s, err := redis.Open(context.Background(), freshURL(t), redis.Options{Now: now, Init: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func TestOpenWithoutInit(t *testing.T) {
	url := freshURL(t)
	_, err := redis.Open(context.Background(), url, redis.Options{})
	if err == nil || !strings.Contains(err.Error(), "--store-init") || !strings.Contains(err.Error(), "SET ") {
		t.Fatalf("Open without Init on a new prefix: err = %v, want one naming --store-init and the SET that creates the marker", err)
	}
	s, err := redis.Open(context.Background(), url, redis.Options{Init: true})
	if err != nil {
		t.Fatalf("Open with Init: %v", err)
	}
	s.Close()
	// Once initialised, the prefix opens without Init.
	s, err = redis.Open(context.Background(), url, redis.Options{})
	if err != nil {
		t.Fatalf("Open without Init after Init: %v", err)
	}
	s.Close()
}

// TestKeyTTL checks that Redis reclaims what expires: a session's key
// lives as long as the session, and one without ExpiresAt has no TTL.
func TestKeyTTL(t *testing.T) {
	url := freshURL(t)
	now := time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)
	s, err := redis.Open(context.Background(), url, redis.Options{Init: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	raw := goredis.NewClient(&goredis.Options{Addr: server.Require(t).Addr})
	defer raw.Close()
	tests := []struct {
		name     string
		expires  time.Time
		min, max time.Duration
	}{
		{"expiring", now.Add(5 * time.Minute), 4 * time.Minute, 5 * time.Minute},
		{"never", time.Time{}, -1, -1}, // PTTL's answer for a key without a TTL
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Put(context.Background(), &parley.Session{Key: parley.SessionKey{BotID: "B", SessionID: tc.name}, ExpiresAt: tc.expires}); err != nil {
				t.Fatal(err)
			}
			keys, err := raw.Keys(context.Background(), "*session:*"+tc.name).Result()
			if err != nil || len(keys) != 1 {
				t.Fatalf("keys for %q = %v, %v; want one", tc.name, keys, err)
			}
			ttl, err := raw.PTTL(context.Background(), keys[0]).Result()
			if err != nil {
				t.Fatal(err)
			}
			if ttl < tc.min || ttl > tc.max {
				t.Errorf("PTTL = %v, want between %v and %v", ttl, tc.min, tc.max)
			}
		})
	}
}

func TestPing(t *testing.T) {
	s, err := redis.Open(context.Background(), freshURL(t), redis.Options{Init: true})
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
	open := func() *redis.Store {
		s, err := redis.Open(context.Background(), url, redis.Options{Init: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "shared"}
	s := &parley.Session{Key: key}
	if err := a.Put(context.Background(), s); err != nil {
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

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url string
		want      redis.Config
		wantErr   string
	}{
		{"defaults", "redis://localhost", redis.Config{Addr: "localhost:6379", Prefix: "parley:"}, ""},
		{"full", "redis://:secret@10.0.0.5:6380/3?prefix=bots:", redis.Config{Addr: "10.0.0.5:6380", Password: "secret", DB: 3, Prefix: "bots:"}, ""},
		{"user and password", "redis://app:pw@h:1/0", redis.Config{Addr: "h:1", Username: "app", Password: "pw", Prefix: "parley:"}, ""},
		{"ipv6", "redis://[::1]:7000", redis.Config{Addr: "[::1]:7000", Prefix: "parley:"}, ""},
		{"wrong scheme", "rediss://h:1", redis.Config{}, "scheme"},
		{"no host", "redis:///0", redis.Config{}, "no host"},
		{"opaque", "redis:h:1", redis.Config{}, "no host"},
		{"bad port", "redis://h:99999", redis.Config{}, "port"},
		{"bad db", "redis://h:1/first", redis.Config{}, "database"},
		{"negative db", "redis://h:1/-1", redis.Config{}, "database"},
		{"empty prefix", "redis://h:1/0?prefix=", redis.Config{}, "prefix"},
		{"unknown parameter", "redis://h:1/0?pool=3", redis.Config{}, "unknown URL parameter"},
		{"bad escape", "redis://h:1/0?prefix=%zz", redis.Config{}, "query"},
		{"unparsable with password", "redis://:secret@h:1/0\x7f", redis.Config{}, "bad URL"},
		{"bad port with password", "redis://:secret@h:port/0", redis.Config{}, "bad URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := redis.ParseURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseURL(%q) err = %v, want one mentioning %q", tc.url, err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseURL(%q) = %+v, %v; want %+v", tc.url, got, err, tc.want)
			}
		})
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://localhost", "redis://:pw@h:6380/2?prefix=x:", "redis://[::1]", "redis:x", "http://h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := redis.ParseURL(raw)
		if err == nil && (cfg.Addr == "" || cfg.Prefix == "" || cfg.DB < 0) {
			t.Fatalf("ParseURL(%q) = %+v without an error", raw, cfg)
		}
	})
}

func BenchmarkGetPut(b *testing.B) {
	s, err := redis.Open(context.Background(), freshURL(b), redis.Options{Init: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchGetPut(b, s)
}

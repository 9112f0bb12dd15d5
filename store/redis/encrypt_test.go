package redis_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/redis"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
)

// sealBackend is one key prefix, opened by the stores under test and read
// raw through a client of its own.
type sealBackend struct {
	url    string
	prefix string
	client *goredis.Client
}

func newSealBackend(t *testing.T) sealtest.Backend {
	url := freshURL(t)
	cfg, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	client := goredis.NewClient(&goredis.Options{Addr: cfg.Addr, DB: cfg.DB})
	t.Cleanup(func() { client.Close() })
	return &sealBackend{url: url, prefix: cfg.Prefix, client: client}
}

func (b *sealBackend) Open(t *testing.T, now func() time.Time, keys *seal.Keyring) parley.SessionStore {
	s, err := redis.Open(context.Background(), b.url, redis.Options{Now: now, Init: true, Keys: keys})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// hashKey is the store's key layout: the prefix, "session:" and each part
// of the session key after its length.
func (b *sealBackend) hashKey(k parley.SessionKey) string {
	key := b.prefix + "session:"
	for _, part := range []string{k.BotID, k.AliasID, k.LocaleID, k.SessionID} {
		key += strconv.Itoa(len(part)) + ":" + part
	}
	return key
}

func (b *sealBackend) Raw(t *testing.T, k parley.SessionKey) []byte {
	t.Helper()
	body, err := b.client.HGet(context.Background(), b.hashKey(k), "body").Bytes()
	if err != nil {
		t.Fatalf("read raw body: %v", err)
	}
	return body
}

func (b *sealBackend) SetRaw(t *testing.T, k parley.SessionKey, body []byte) {
	t.Helper()
	if n, err := b.client.HSet(context.Background(), b.hashKey(k), "body", body).Result(); err != nil || n != 0 {
		t.Fatalf("write raw body: %d new fields, %v", n, err)
	}
}

func TestEncrypted(t *testing.T) {
	sealtest.Run(t, newSealBackend)
}

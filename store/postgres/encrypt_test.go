package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/postgres"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
)

// sealBackend is one table, opened by the stores under test and read raw
// through a pool of its own.
type sealBackend struct {
	url   string
	table string
	pool  *pgxpool.Pool
}

func newSealBackend(t *testing.T) sealtest.Backend {
	raw := freshURL(t)
	conn, table, err := postgres.SplitURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Create the table before the raw pool looks at it.
	s, err := postgres.Open(context.Background(), raw, postgres.Options{Init: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.Close()
	pool, err := pgxpool.New(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &sealBackend{url: raw, table: table, pool: pool}
}

func (b *sealBackend) Open(t *testing.T, now func() time.Time, keys *seal.Keyring) parley.SessionStore {
	s, err := postgres.Open(context.Background(), b.url, postgres.Options{Now: now, Keys: keys})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

const whereKey = ` WHERE bot_id = $1 AND alias_id = $2 AND locale_id = $3 AND session_id = $4`

// Raw reads the body as PostgreSQL prints the JSONB value, which is how the
// store reads it too.
func (b *sealBackend) Raw(t *testing.T, k parley.SessionKey) []byte {
	t.Helper()
	var body string
	if err := b.pool.QueryRow(context.Background(), `SELECT body::text FROM `+b.table+whereKey,
		k.BotID, k.AliasID, k.LocaleID, k.SessionID).Scan(&body); err != nil {
		t.Fatalf("read raw body: %v", err)
	}
	return []byte(body)
}

func (b *sealBackend) SetRaw(t *testing.T, k parley.SessionKey, body []byte) {
	t.Helper()
	tag, err := b.pool.Exec(context.Background(), `UPDATE `+b.table+` SET body = $5::jsonb`+whereKey,
		k.BotID, k.AliasID, k.LocaleID, k.SessionID, string(body))
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("write raw body: %v (%v)", err, tag)
	}
}

func TestEncrypted(t *testing.T) {
	sealtest.Run(t, newSealBackend)
}

// TestSealedBodyIsJSON checks that a sealed body stays a JSONB object, so
// the column type is unchanged and plain rows from before encryption sit
// beside sealed ones.
func TestSealedBodyIsJSON(t *testing.T) {
	b := newSealBackend(t).(*sealBackend)
	s := b.Open(t, time.Now, sealtest.NewSecrets("k1").Ring(t, "k1"))
	defer s.Close()
	key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "json"}
	if err := s.Put(context.Background(), &parley.Session{Key: key}); err != nil {
		t.Fatal(err)
	}
	var kind, id string
	err := b.pool.QueryRow(context.Background(), `SELECT jsonb_typeof(body), split_part(body->>'sealed', ':', 2) FROM `+b.table+whereKey,
		key.BotID, key.AliasID, key.LocaleID, key.SessionID).Scan(&kind, &id)
	if err != nil {
		t.Fatal(err)
	}
	if kind != "object" || id != "k1" {
		t.Errorf("stored body is a JSONB %s naming key %q, want an object naming k1", kind, id)
	}
}

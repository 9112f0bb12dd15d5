package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
	"github.com/parleybot/parley/store/sqlite"
)

// sealBackend is one database file, opened by the stores under test and
// read raw through a connection of its own.
type sealBackend struct {
	path string
	db   *sql.DB
}

func newSealBackend(t *testing.T) sealtest.Backend {
	path := filepath.Join(t.TempDir(), "sessions.db")
	// Create the schema before the raw connection looks at the table.
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &sealBackend{path: path, db: db}
}

func (b *sealBackend) Open(t *testing.T, now func() time.Time, keys *seal.Keyring) parley.SessionStore {
	s, err := sqlite.Open(b.path, sqlite.Options{Now: now, Keys: keys})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

const whereKey = ` WHERE bot_id = ? AND alias_id = ? AND locale_id = ? AND session_id = ?`

func (b *sealBackend) Raw(t *testing.T, k parley.SessionKey) []byte {
	t.Helper()
	var body []byte
	if err := b.db.QueryRowContext(context.Background(), `SELECT body FROM sessions`+whereKey,
		k.BotID, k.AliasID, k.LocaleID, k.SessionID).Scan(&body); err != nil {
		t.Fatalf("read raw body: %v", err)
	}
	return body
}

func (b *sealBackend) SetRaw(t *testing.T, k parley.SessionKey, body []byte) {
	t.Helper()
	res, err := b.db.ExecContext(context.Background(), `UPDATE sessions SET body = ?`+whereKey,
		string(body), k.BotID, k.AliasID, k.LocaleID, k.SessionID)
	if err != nil {
		t.Fatalf("write raw body: %v", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("write raw body: %d rows, %v", n, err)
	}
}

func TestEncrypted(t *testing.T) {
	sealtest.Run(t, newSealBackend)
}

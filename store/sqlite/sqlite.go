package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/seal"
)

// dsnParams are the connection settings every connection gets. Without WAL,
// a busy timeout and immediate write transactions most concurrent writes
// fail with SQLITE_BUSY (deps.md); synchronous=NORMAL is safe in WAL mode
// against application crashes and may lose only the last commits on power
// loss. The driver applies busy_timeout before the other pragmas, so a
// second process switching the journal mode waits instead of failing.
const dsnParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// memoryPath opens a private in-memory database.
const memoryPath = ":memory:"

// migrations[i] brings the schema from version i to i+1; PRAGMA
// user_version records how many have run.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS sessions (
		bot_id     TEXT    NOT NULL,
		alias_id   TEXT    NOT NULL,
		locale_id  TEXT    NOT NULL,
		session_id TEXT    NOT NULL,
		version    INTEGER NOT NULL,
		updated_at INTEGER NOT NULL, -- Unix nanoseconds
		expires_at INTEGER,          -- Unix nanoseconds; NULL never expires
		body       TEXT    NOT NULL, -- the session as JSON
		PRIMARY KEY (bot_id, alias_id, locale_id, session_id)
	);
	CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at) WHERE expires_at IS NOT NULL;`,
}

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock that decides expiry; time.Now when nil.
	Now func() time.Time
	// Keys, when set, seals every body written under its current key
	// (package store/seal); bodies already stored plain or under an older
	// key are still read and are re-sealed on their next write.
	Keys *seal.Keyring
}

// Store keeps sessions in an SQLite database. It is safe for concurrent use,
// and several processes may open the same file.
type Store struct {
	db        *sql.DB
	stmts     *statements
	now       func() time.Time
	codec     sessionbody.Codec
	puts      atomic.Int64
	closeOnce sync.Once
	closeErr  error
}

// Open opens or creates the database at path and brings its schema up to
// date. A path of ":memory:" opens a private in-memory database that lives
// until Close.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: open: empty path")
	}
	if strings.ContainsRune(path, '?') {
		// The driver reads everything after '?' as connection parameters.
		return nil, fmt.Errorf("sqlite: open %q: path must not contain '?'", path)
	}
	db, err := sql.Open("sqlite", path+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if path == memoryPath {
		// Every connection to ":memory:" is a database of its own, so the
		// pool must hold exactly one, and never retire it.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{db: db, now: now, codec: sessionbody.Codec{Keys: opts.Keys}}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Closing the database closes its prepared statements too.
	if s.stmts, err = prepare(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// migrate runs the migrations the database has not seen, in one immediate
// transaction so that two processes opening a new file do not both run them.
func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("migrate: schema version %d is newer than this build knows (%d)", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", i+1, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return fmt.Errorf("migrate: record schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// Close closes the database. Closing twice is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("sqlite: close: %w", err)
		}
	})
	return s.closeErr
}

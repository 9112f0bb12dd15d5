package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/seal"
)

var _ parley.SessionStore = (*Store)(nil)

const (
	// purgeEvery is how many Puts pass between purges of expired rows, and
	// purgeLimit bounds one purge so that it never stalls the Put that runs
	// it; a backlog drains over several purges.
	purgeEvery = 256
	purgeLimit = 500
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock expiry is judged on; time.Now when nil.
	Now func() time.Time
	// Init creates the table and its index when they are missing. Without
	// it, Open fails on a missing table and says how to create it, so that
	// schema changes stay an operator's decision.
	Init bool
	// Keys, when set, seals every body written under its current key
	// (package store/seal); bodies already stored plain or under an older
	// key are still read and are re-sealed on their next write.
	Keys *seal.Keyring
}

// Store is a parley.SessionStore on PostgreSQL. It is safe for concurrent
// use, also from several processes.
type Store struct {
	pool      *pgxpool.Pool
	table     string
	q         queries
	now       func() time.Time
	codec     sessionbody.Codec
	puts      atomic.Int64
	closeOnce sync.Once
}

// queries are the store's statements, written once for its table.
type queries struct {
	get, insert, update, delete, purge string
}

// Schema is the SQL that creates the sessions table and its expiry index.
func Schema(table string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %[1]s (
	bot_id text NOT NULL,
	alias_id text NOT NULL,
	locale_id text NOT NULL,
	session_id text NOT NULL,
	version bigint NOT NULL,
	updated_at bigint NOT NULL,
	expires_at bigint,
	body jsonb NOT NULL,
	PRIMARY KEY (bot_id, alias_id, locale_id, session_id)
);
CREATE INDEX IF NOT EXISTS %[2]s_expires ON %[1]s (expires_at) WHERE expires_at IS NOT NULL;`, table, indexPrefix(table))
}

// indexPrefix is the table name without its schema: an index lives in its
// table's schema and must not be qualified.
func indexPrefix(table string) string {
	for i := len(table) - 1; i >= 0; i-- {
		if table[i] == '.' {
			return table[i+1:]
		}
	}
	return table
}

// Open connects to the database a postgres:// URL names (see SplitURL) and
// checks that the sessions table exists, creating it with Options.Init.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	conn, table, err := SplitURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(conn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{pool: pool, table: table, now: now, q: newQueries(table), codec: sessionbody.Codec{Keys: opts.Keys}}
	if err := s.checkTable(ctx, opts.Init); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) checkTable(ctx context.Context, init bool) error {
	if init {
		if _, err := s.pool.Exec(ctx, Schema(s.table)); err != nil {
			return fmt.Errorf("postgres: create table %s: %w", s.table, err)
		}
		return nil
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, s.table).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: look for table %s: %w", s.table, err)
	}
	if !exists {
		return fmt.Errorf("postgres: table %s does not exist; run parley serve --store-init or create it with:\n%s", s.table, Schema(s.table))
	}
	return nil
}

func newQueries(t string) queries {
	const key = `bot_id = $1 AND alias_id = $2 AND locale_id = $3 AND session_id = $4`
	return queries{
		get: `SELECT version, body FROM ` + t + ` WHERE ` + key + `
			AND (expires_at IS NULL OR expires_at > $5)`,
		// Insert, or replace a row that has expired: it counts as absent.
		// A live row makes the WHERE false, so nothing changes: a conflict.
		insert: `INSERT INTO ` + t + ` AS s
			(bot_id, alias_id, locale_id, session_id, version, updated_at, expires_at, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (bot_id, alias_id, locale_id, session_id) DO UPDATE SET
				version = excluded.version, updated_at = excluded.updated_at,
				expires_at = excluded.expires_at, body = excluded.body
			WHERE s.expires_at IS NOT NULL AND s.expires_at <= $9`,
		update: `UPDATE ` + t + `
			SET version = $5, updated_at = $6, expires_at = $7, body = $8
			WHERE ` + key + ` AND version = $9 AND (expires_at IS NULL OR expires_at > $10)`,
		delete: `DELETE FROM ` + t + ` WHERE ` + key + ` RETURNING expires_at`,
		purge: `DELETE FROM ` + t + ` WHERE ctid IN (
			SELECT ctid FROM ` + t + ` WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2)`,
	}
}

// Get returns the stored session, or ErrNotFound when there is none or it
// has expired.
func (s *Store) Get(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	var (
		version int64
		body    []byte
	)
	err := s.pool.QueryRow(ctx, s.q.get,
		key.BotID, key.AliasID, key.LocaleID, key.SessionID, sessionbody.UnixNano(s.now())).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, sessionbody.NotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get session %s: %w", sessionbody.Describe(key), err)
	}
	sess, err := s.codec.DecodeStored(body, key, version)
	if err != nil {
		return nil, fmt.Errorf("postgres: get session %s: decode stored body: %w", sessionbody.Describe(key), err)
	}
	return sess, nil
}

// Put stores sess when sess.Version is the stored version (0 for a session
// that is absent or expired) and then sets sess.Version to the new version;
// otherwise it returns ErrConflict and stores nothing.
func (s *Store) Put(ctx context.Context, sess *parley.Session) error {
	if sess == nil {
		return parley.Errorf(parley.ErrValidation, "session is nil")
	}
	nextVersion := sess.Version + 1
	body, err := s.codec.EncodeNext(sess)
	if err != nil {
		return fmt.Errorf("postgres: put session %s: encode: %w", sessionbody.Describe(sess.Key), err)
	}
	now := sessionbody.UnixNano(s.now())
	var expires *int64
	if !sess.ExpiresAt.IsZero() {
		e := sessionbody.UnixNano(sess.ExpiresAt)
		expires = &e
	}
	k := sess.Key
	if s.puts.Add(1)%purgeEvery == 0 {
		if _, err := s.pool.Exec(ctx, s.q.purge, now, purgeLimit); err != nil {
			return fmt.Errorf("postgres: put session %s: purge expired: %w", sessionbody.Describe(k), err)
		}
	}
	// Body goes as a string so that pgx sends the JSON text as it is; a
	// []byte would be sent as bytea.
	var n int64
	if sess.Version == 0 {
		tag, err := s.pool.Exec(ctx, s.q.insert,
			k.BotID, k.AliasID, k.LocaleID, k.SessionID, nextVersion, sessionbody.UnixNano(sess.UpdatedAt), expires, string(body), now)
		if err != nil {
			return fmt.Errorf("postgres: put session %s: %w", sessionbody.Describe(k), err)
		}
		n = tag.RowsAffected()
	} else {
		tag, err := s.pool.Exec(ctx, s.q.update,
			k.BotID, k.AliasID, k.LocaleID, k.SessionID, nextVersion, sessionbody.UnixNano(sess.UpdatedAt), expires, string(body), sess.Version, now)
		if err != nil {
			return fmt.Errorf("postgres: put session %s: %w", sessionbody.Describe(k), err)
		}
		n = tag.RowsAffected()
	}
	if n == 0 {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d is not the stored version)", k.SessionID, sess.Version)
	}
	sess.Version = nextVersion
	return nil
}

// Delete removes the session; ErrNotFound when there is none or it has
// expired. An expired row is removed all the same.
func (s *Store) Delete(ctx context.Context, key parley.SessionKey) error {
	var expires *int64
	err := s.pool.QueryRow(ctx, s.q.delete, key.BotID, key.AliasID, key.LocaleID, key.SessionID).Scan(&expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return sessionbody.NotFound(key)
	}
	if err != nil {
		return fmt.Errorf("postgres: delete session %s: %w", sessionbody.Describe(key), err)
	}
	if expires != nil && *expires <= sessionbody.UnixNano(s.now()) {
		return sessionbody.NotFound(key)
	}
	return nil
}

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes the connection pool; calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

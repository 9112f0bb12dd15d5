package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
)

var _ parley.SessionStore = (*Store)(nil)

const (
	// purgeEvery is how many Puts pass between purges of expired rows, and
	// purgeLimit bounds one purge so that it never stalls the Put that runs
	// it; a backlog drains over several purges.
	purgeEvery = 256
	purgeLimit = 500
)

// Get returns the stored session, or ErrNotFound when there is none or it has
// expired.
func (s *Store) Get(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	var (
		version int64
		body    []byte
	)
	err := s.stmts.get.QueryRowContext(ctx,
		key.BotID, key.AliasID, key.LocaleID, key.SessionID, sessionbody.UnixNano(s.now())).Scan(&version, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sessionbody.NotFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get session %s: %w", sessionbody.Describe(key), err)
	}
	sess, err := s.codec.DecodeStored(body, key, version)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get session %s: decode stored body: %w", sessionbody.Describe(key), err)
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
		return fmt.Errorf("sqlite: put session %s: encode: %w", sessionbody.Describe(sess.Key), err)
	}
	now := sessionbody.UnixNano(s.now())
	var expires sql.NullInt64
	if !sess.ExpiresAt.IsZero() {
		expires = sql.NullInt64{Int64: sessionbody.UnixNano(sess.ExpiresAt), Valid: true}
	}
	k := sess.Key

	// The driver begins every transaction IMMEDIATE, so the write lock is
	// taken up front and a busy database is waited for, not failed.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: put session %s: begin: %w", sessionbody.Describe(k), err)
	}
	defer tx.Rollback()

	if s.puts.Add(1)%purgeEvery == 0 {
		if _, err := tx.StmtContext(ctx, s.stmts.purge).ExecContext(ctx, now, purgeLimit); err != nil {
			return fmt.Errorf("sqlite: put session %s: purge expired: %w", sessionbody.Describe(k), err)
		}
	}

	var res sql.Result
	if sess.Version == 0 {
		res, err = tx.StmtContext(ctx, s.stmts.insert).ExecContext(ctx,
			k.BotID, k.AliasID, k.LocaleID, k.SessionID, nextVersion, sessionbody.UnixNano(sess.UpdatedAt), expires, string(body), now)
	} else {
		res, err = tx.StmtContext(ctx, s.stmts.update).ExecContext(ctx,
			nextVersion, sessionbody.UnixNano(sess.UpdatedAt), expires, string(body),
			k.BotID, k.AliasID, k.LocaleID, k.SessionID, sess.Version, now)
	}
	if err != nil {
		return fmt.Errorf("sqlite: put session %s: %w", sessionbody.Describe(k), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: put session %s: %w", sessionbody.Describe(k), err)
	}
	if n == 0 {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d is not the stored version)", k.SessionID, sess.Version)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: put session %s: commit: %w", sessionbody.Describe(k), err)
	}
	sess.Version = nextVersion
	return nil
}

// Delete removes the session; ErrNotFound when there is none or it has
// expired. An expired row is removed all the same.
func (s *Store) Delete(ctx context.Context, key parley.SessionKey) error {
	var expires sql.NullInt64
	err := s.stmts.delete.QueryRowContext(ctx,
		key.BotID, key.AliasID, key.LocaleID, key.SessionID).Scan(&expires)
	if errors.Is(err, sql.ErrNoRows) {
		return sessionbody.NotFound(key)
	}
	if err != nil {
		return fmt.Errorf("sqlite: delete session %s: %w", sessionbody.Describe(key), err)
	}
	if expires.Valid && expires.Int64 <= sessionbody.UnixNano(s.now()) {
		return sessionbody.NotFound(key)
	}
	return nil
}

// Purge deletes up to limit expired sessions and reports how many it
// deleted. Put purges by itself every so often; call Purge to reclaim space
// sooner, for instance from a maintenance job.
func (s *Store) Purge(ctx context.Context, limit int) (int64, error) {
	res, err := s.stmts.purge.ExecContext(ctx, sessionbody.UnixNano(s.now()), limit)
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge: %w", err)
	}
	return n, nil
}

// statements are the store's queries, prepared once at Open.
type statements struct {
	get, insert, update, delete, purge *sql.Stmt
}

func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	var st statements
	for _, q := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.get, `SELECT version, body FROM sessions
			WHERE bot_id = ? AND alias_id = ? AND locale_id = ? AND session_id = ?
			AND (expires_at IS NULL OR expires_at > ?)`},
		// Insert, or replace a row that has expired: it counts as absent.
		// A live row makes the WHERE false, so nothing changes: a conflict.
		{&st.insert, `INSERT INTO sessions
			(bot_id, alias_id, locale_id, session_id, version, updated_at, expires_at, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (bot_id, alias_id, locale_id, session_id) DO UPDATE SET
				version = excluded.version, updated_at = excluded.updated_at,
				expires_at = excluded.expires_at, body = excluded.body
			WHERE sessions.expires_at IS NOT NULL AND sessions.expires_at <= ?`},
		{&st.update, `UPDATE sessions
			SET version = ?, updated_at = ?, expires_at = ?, body = ?
			WHERE bot_id = ? AND alias_id = ? AND locale_id = ? AND session_id = ?
			AND version = ? AND (expires_at IS NULL OR expires_at > ?)`},
		{&st.delete, `DELETE FROM sessions
			WHERE bot_id = ? AND alias_id = ? AND locale_id = ? AND session_id = ?
			RETURNING expires_at`},
		{&st.purge, `DELETE FROM sessions WHERE rowid IN (
			SELECT rowid FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`},
	} {
		stmt, err := db.PrepareContext(ctx, q.query)
		if err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*q.dst = stmt
	}
	return &st, nil
}

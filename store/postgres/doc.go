// Package postgres is the parley.SessionStore on PostgreSQL (pgx with
// pgxpool), for running many Parley instances on one shared, durable state.
// It owns the sessions table (created only when asked: Options.Init), keeps
// each session as a JSONB body beside the key, version and expiry columns
// that queries need, and implements optimistic versioning as conditional
// INSERT … ON CONFLICT and UPDATE … WHERE version statements, each atomic on
// the server. JSONB cannot hold U+0000 in a string, so a session with a NUL
// character in any text fails Put with PostgreSQL's error rather than being
// stored altered.
package postgres

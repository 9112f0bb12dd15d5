// Package sqlite is the durable, embedded parley.SessionStore, on the pure-Go
// modernc.org/sqlite driver so the binary stays static. It owns the sessions
// table and its migrations (tracked in PRAGMA user_version), keeps each
// session as a JSON body beside the key, version and expiry columns that
// queries need, and implements optimistic versioning as conditional writes in
// immediate transactions. WAL mode lets a server and a second process (chat,
// analytics) use one file at the same time; ":memory:" gives a private
// database for tests.
package sqlite

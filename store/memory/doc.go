// Package memory is the in-process parley.SessionStore: a map behind a mutex,
// for tests, `parley chat` and single-instance servers that can lose their
// sessions on restart. It deep-copies sessions on the way in and out so that
// no caller shares memory with what is stored, enforces the same optimistic
// versioning as the durable stores, and forgets expired sessions lazily
// rather than with a background goroutine.
package memory

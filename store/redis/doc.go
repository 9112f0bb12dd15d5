// Package redis is the parley.SessionStore on a Redis server (go-redis), for
// running many Parley instances on one shared state. It owns the key layout
// under a configurable prefix, the JSON body of each session beside its
// version and expiry in one hash, and the Lua scripts that make Put and
// Delete atomic compare-and-set operations on the server, so optimistic
// versioning holds across processes. Expiry is judged on the store's clock;
// Redis key TTLs only reclaim the memory of expired sessions.
package redis

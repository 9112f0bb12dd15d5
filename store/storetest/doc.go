// Package storetest is the conformance suite for parley.SessionStore. Every
// store (memory and sqlite here, the networked ones later) runs Run from its
// own tests, so they all agree on what Get, Put and Delete mean: faithful round
// trips of every field (nil and empty collections kept apart), ErrNotFound for
// absent and expired sessions, optimistic versioning that never loses a
// concurrent update, no aliasing between callers and stored state, and honoured
// context cancellation. BenchGetPut gives every store the same benchmark.
//
// A store's test opens a fresh store per subtest on the clock it is given:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
//			return memory.New(memory.Options{Now: now})
//		})
//	}
package storetest

package gofunc

import (
	"maps"
	"slices"
	"sync"

	"github.com/parleybot/parley"
)

// registry holds the routers registered by name. It is the one
// package-level table of the project: Go programs that embed Parley add
// their hooks from init functions, as database/sql drivers do.
var registry = struct {
	sync.RWMutex
	routers map[string]*Router
}{routers: make(map[string]*Router)}

// Register makes r available under name, for the code hook URI "go:NAME".
// It panics when name is empty, r is nil or name is already registered.
func Register(name string, r *Router) {
	if name == "" {
		panic("gofunc: Register with an empty name")
	}
	if r == nil {
		panic("gofunc: Register of a nil router as " + name)
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.routers[name]; dup {
		panic("gofunc: Register called twice for " + name)
	}
	registry.routers[name] = r
}

// Lookup returns the router registered under name.
func Lookup(name string) (parley.CodeHook, bool) {
	registry.RLock()
	defer registry.RUnlock()
	r, ok := registry.routers[name]
	if !ok {
		return nil, false
	}
	return r, true
}

// Names returns the registered names, sorted, for messages that list them.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Sorted(maps.Keys(registry.routers))
}

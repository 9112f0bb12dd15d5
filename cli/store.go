package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/dynamodb"
	"github.com/parleybot/parley/store/memory"
	"github.com/parleybot/parley/store/postgres"
	"github.com/parleybot/parley/store/redis"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/sqlite"
)

// storeKind is one session store the --store flag can name.
type storeKind struct {
	usage string                 // how a spec of this kind is written
	check func(arg string) error // validates the part after "SCHEME:"
	// open opens the store; init allows it to create what it needs
	// (tables, marker keys) where they are missing (--store-init), and
	// keys, when not nil, seal the session bodies it writes.
	open func(arg string, now func() time.Time, init bool, keys *seal.Keyring) (parley.SessionStore, error)
}

// storeKinds is the name → constructor table of session stores, keyed by
// the scheme before the first ":" of a store spec. A new store is one
// entry here.
func storeKinds() map[string]storeKind {
	return map[string]storeKind{
		"memory": {
			usage: "memory:",
			check: func(arg string) error {
				if arg != "" {
					return errors.New("memory: takes no argument; write memory:")
				}
				return nil
			},
			// Memory keeps nothing past the process, so it has nothing to seal.
			open: func(_ string, now func() time.Time, _ bool, _ *seal.Keyring) (parley.SessionStore, error) {
				return memory.New(memory.Options{Now: now}), nil
			},
		},
		"sqlite": {
			usage: "sqlite:PATH",
			check: func(arg string) error {
				if arg == "" {
					return errors.New("sqlite: needs a database file, e.g. sqlite:parley.db")
				}
				return nil
			},
			open: func(arg string, now func() time.Time, _ bool, keys *seal.Keyring) (parley.SessionStore, error) {
				return sqlite.Open(arg, sqlite.Options{Now: now, Keys: keys})
			},
		},
		"redis": {
			usage: "redis://[:PASSWORD@]HOST:PORT/DB?prefix=parley:",
			check: func(arg string) error {
				_, err := redis.ParseURL("redis:" + arg)
				return err
			},
			open: func(arg string, now func() time.Time, init bool, keys *seal.Keyring) (parley.SessionStore, error) {
				return redis.Open(context.Background(), "redis:"+arg, redis.Options{Now: now, Init: init, Keys: keys})
			},
		},
		"postgres": {
			usage: "postgres://USER:PASS@HOST:PORT/DB?sslmode=disable&table=parley_sessions",
			check: func(arg string) error {
				_, _, err := postgres.SplitURL("postgres:" + arg)
				return err
			},
			open: func(arg string, now func() time.Time, init bool, keys *seal.Keyring) (parley.SessionStore, error) {
				return postgres.Open(context.Background(), "postgres:"+arg, postgres.Options{Now: now, Init: init, Keys: keys})
			},
		},
		"dynamodb": {
			usage: "dynamodb://TABLE?region=REGION&endpoint=URL",
			check: func(arg string) error {
				_, err := dynamodb.ParseURL("dynamodb:" + arg)
				return err
			},
			open: func(arg string, now func() time.Time, init bool, keys *seal.Keyring) (parley.SessionStore, error) {
				return dynamodb.Open(context.Background(), "dynamodb:"+arg, dynamodb.Options{Now: now, Init: init, Keys: keys})
			},
		},
	}
}

// storeUsage lists the store spec forms, for help and errors.
func storeUsage() string {
	kinds := storeKinds()
	var forms []string
	for _, name := range slices.Sorted(maps.Keys(kinds)) {
		forms = append(forms, kinds[name].usage)
	}
	return strings.Join(forms, " or ")
}

// lookupStore splits a store spec into its kind and argument.
func lookupStore(spec string) (storeKind, string, error) {
	scheme, arg, ok := strings.Cut(spec, ":")
	kind, known := storeKinds()[scheme]
	if !ok || !known {
		return storeKind{}, "", fmt.Errorf("store %q: unknown kind; use %s", redactStore(spec), storeUsage())
	}
	if err := kind.check(arg); err != nil {
		return storeKind{}, "", fmt.Errorf("store %q: %w", redactStore(spec), err)
	}
	return kind, arg, nil
}

// redactStore is a store spec fit for errors and logs: a URL's password
// shows as xxxxx.
func redactStore(spec string) string {
	if u, err := url.Parse(spec); err == nil && u.User != nil {
		return u.Redacted()
	}
	return spec
}

// checkStore validates a store spec without opening the store.
func checkStore(spec string) error {
	_, _, err := lookupStore(spec)
	return err
}

// openStore opens the session store a spec names; init lets it create its
// tables or keys (--store-init); keys, when not nil, seal what it stores.
func openStore(spec string, now func() time.Time, init bool, keys *seal.Keyring) (parley.SessionStore, error) {
	kind, arg, err := lookupStore(spec)
	if err != nil {
		return nil, err
	}
	s, err := kind.open(arg, now, init, keys)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", redactStore(spec), err)
	}
	return s, nil
}

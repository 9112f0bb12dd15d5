package redis

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultPrefix is the key prefix when a URL names none.
const DefaultPrefix = "parley:"

// Config is what a store URL says: where the server is and which keys are
// Parley's.
type Config struct {
	Addr     string // host:port
	Username string
	Password string
	DB       int
	Prefix   string
}

// ParseURL reads redis://[[user]:password@]host[:port][/db][?prefix=P].
// The port defaults to 6379, the database to 0 and the prefix to
// DefaultPrefix.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		err = uerr.Err // the url.Error would quote the URL, password and all
	}
	if err != nil {
		return Config{}, fmt.Errorf("redis: bad URL: %w", err)
	}
	if u.Scheme != "redis" {
		return Config{}, fmt.Errorf("redis: URL scheme is %q, want redis://host:port/db", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return Config{}, errors.New("redis: URL has no host; write redis://host:port/db")
	}
	if u.Hostname() == "" {
		return Config{}, fmt.Errorf("redis: URL %q has no host name", u.Redacted())
	}
	port := u.Port()
	if port == "" {
		port = "6379"
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return Config{}, fmt.Errorf("redis: port %q is not a number from 1 to 65535", port)
	}
	cfg := Config{Addr: u.Hostname() + ":" + port, Prefix: DefaultPrefix}
	if strings.Contains(u.Hostname(), ":") {
		cfg.Addr = "[" + u.Hostname() + "]:" + port
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 {
			return Config{}, fmt.Errorf("redis: database %q is not a number; write redis://host:port/0", db)
		}
		cfg.DB = n
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("redis: bad URL query: %w", err)
	}
	for name, vals := range q {
		switch name {
		case "prefix":
			if len(vals) != 1 || vals[0] == "" {
				return Config{}, errors.New("redis: prefix must be given once and not be empty")
			}
			cfg.Prefix = vals[0]
		default:
			return Config{}, fmt.Errorf("redis: unknown URL parameter %q; only prefix is known", name)
		}
	}
	return cfg, nil
}

func (c Config) options() *goredis.Options {
	// No automatic retries: a Put whose reply was lost may have been
	// applied, and its retry would then answer ErrConflict for a write that
	// happened. The error goes to the caller instead, which knows the turn.
	return &goredis.Options{Addr: c.Addr, Username: c.Username, Password: c.Password, DB: c.DB, MaxRetries: -1}
}

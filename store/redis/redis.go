package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/seal"
)

var _ parley.SessionStore = (*Store)(nil)

// formatVersion is written to the marker key; a layout change bumps it.
const formatVersion = "1"

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock expiry is judged on; time.Now when nil.
	Now func() time.Time
	// Init writes the marker key that says the prefix holds Parley
	// sessions when it is missing. Without it, Open refuses a prefix that
	// has no marker, so a mistyped URL does not silently start an empty
	// store.
	Init bool
	// Keys, when set, seals every body written under its current key
	// (package store/seal); bodies already stored plain or under an older
	// key are still read and are re-sealed on their next write.
	Keys *seal.Keyring
}

// Store is a parley.SessionStore on a Redis server. It is safe for
// concurrent use, also from several processes.
type Store struct {
	client    *goredis.Client
	prefix    string
	now       func() time.Time
	codec     sessionbody.Codec
	closeOnce sync.Once
	closeErr  error
}

// Open connects to the server a redis:// URL names and checks the prefix's
// marker key (see Options.Init).
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{client: goredis.NewClient(cfg.options()), prefix: cfg.Prefix, now: now, codec: sessionbody.Codec{Keys: opts.Keys}}
	if err := s.checkMarker(ctx, opts.Init); err != nil {
		s.client.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) markerKey() string { return s.prefix + "format" }

func (s *Store) checkMarker(ctx context.Context, init bool) error {
	key := s.markerKey()
	if init {
		if err := s.client.SetNX(ctx, key, formatVersion, 0).Err(); err != nil {
			return fmt.Errorf("redis: init %s: %w", key, err)
		}
	}
	got, err := s.client.Get(ctx, key).Result()
	if errors.Is(err, goredis.Nil) {
		return fmt.Errorf("redis: key %s does not exist, so prefix %q holds no Parley sessions; run parley serve --store-init or create it with: SET %s %s", key, s.prefix, key, formatVersion)
	}
	if err != nil {
		return fmt.Errorf("redis: read %s: %w", key, err)
	}
	if got != formatVersion {
		return fmt.Errorf("redis: key %s says format %q; this Parley reads format %s", key, got, formatVersion)
	}
	return nil
}

// sessionKey names a session's hash. Each component is prefixed by its
// length so that no two keys collide whatever characters they contain.
func (s *Store) sessionKey(k parley.SessionKey) string {
	b := make([]byte, 0, len(s.prefix)+len("session:")+len(k.BotID)+len(k.AliasID)+len(k.LocaleID)+len(k.SessionID)+16)
	b = append(b, s.prefix...)
	b = append(b, "session:"...)
	for _, part := range []string{k.BotID, k.AliasID, k.LocaleID, k.SessionID} {
		b = strconv.AppendInt(b, int64(len(part)), 10)
		b = append(b, ':')
		b = append(b, part...)
	}
	return string(b)
}

// The hash fields: v is the version, exp the expiry in Unix nanoseconds (0
// for none) and body the session as JSON. Lua compares exp as a double,
// which is exact to well under a microsecond at today's times.

// putScript is the compare-and-set: KEYS[1] the session, ARGV now, the
// expected version, the new version, exp, body and the TTL in milliseconds
// (0 for none). An expired hash counts as absent (version 0).
var putScript = goredis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'v', 'exp')
local v = tonumber(cur[1]) or 0
local exp = tonumber(cur[2]) or 0
if v ~= 0 and exp ~= 0 and exp <= tonumber(ARGV[1]) then v = 0 end
if v ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 'exp', ARGV[4], 'body', ARGV[5])
if ARGV[6] == '0' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[6]) end
return 1`)

// deleteScript removes the session and answers 1 when it was live, 0 when
// it was absent or expired.
var deleteScript = goredis.NewScript(`
local exp = redis.call('HGET', KEYS[1], 'exp')
if not exp then return 0 end
redis.call('DEL', KEYS[1])
exp = tonumber(exp) or 0
if exp ~= 0 and exp <= tonumber(ARGV[1]) then return 0 end
return 1`)

// Get returns the stored session, or ErrNotFound when there is none or it
// has expired.
func (s *Store) Get(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	vals, err := s.client.HMGet(ctx, s.sessionKey(key), "v", "exp", "body").Result()
	if err != nil {
		return nil, fmt.Errorf("redis: get session %s: %w", sessionbody.Describe(key), err)
	}
	vs, ok1 := vals[0].(string)
	es, ok2 := vals[1].(string)
	body, ok3 := vals[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, sessionbody.NotFound(key)
	}
	version, err1 := strconv.ParseInt(vs, 10, 64)
	exp, err2 := strconv.ParseInt(es, 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("redis: get session %s: bad stored fields: %w", sessionbody.Describe(key), err)
	}
	if exp != 0 && exp <= sessionbody.UnixNano(s.now()) {
		return nil, sessionbody.NotFound(key)
	}
	sess, err := s.codec.DecodeStored([]byte(body), key, version)
	if err != nil {
		return nil, fmt.Errorf("redis: get session %s: decode stored body: %w", sessionbody.Describe(key), err)
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
		return fmt.Errorf("redis: put session %s: encode: %w", sessionbody.Describe(sess.Key), err)
	}
	now := s.now()
	var exp int64
	ttl := "0"
	if !sess.ExpiresAt.IsZero() {
		exp = sessionbody.UnixNano(sess.ExpiresAt)
		// The key lives as long on the server's clock as the session does
		// on the store's, which need not be the same clock; at least 1 ms
		// because PEXPIRE 0 deletes at once and Get must still answer
		// ErrNotFound from the hash's own expiry.
		ttl = strconv.FormatInt(max(sess.ExpiresAt.Sub(now).Milliseconds(), 1), 10)
	}
	n, err := putScript.Run(ctx, s.client, []string{s.sessionKey(sess.Key)},
		sessionbody.UnixNano(now), sess.Version, nextVersion, exp, body, ttl).Int()
	if err != nil {
		return fmt.Errorf("redis: put session %s: %w", sessionbody.Describe(sess.Key), err)
	}
	if n == 0 {
		return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d is not the stored version)", sess.Key.SessionID, sess.Version)
	}
	sess.Version = nextVersion
	return nil
}

// Delete removes the session; ErrNotFound when there is none or it has
// expired. An expired session is removed all the same.
func (s *Store) Delete(ctx context.Context, key parley.SessionKey) error {
	n, err := deleteScript.Run(ctx, s.client, []string{s.sessionKey(key)}, sessionbody.UnixNano(s.now())).Int()
	if err != nil {
		return fmt.Errorf("redis: delete session %s: %w", sessionbody.Describe(key), err)
	}
	if n == 0 {
		return sessionbody.NotFound(key)
	}
	return nil
}

// Ping checks that the server answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: ping: %w", err)
	}
	return nil
}

// Close closes the connections; calling it again returns the first
// result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.client.Close() })
	return s.closeErr
}

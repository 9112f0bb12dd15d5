package sealtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/storetest"
)

// Backend is one empty place to keep sessions (a database file, a key
// prefix, a table) that stores can be opened on again and again.
type Backend interface {
	// Open opens a store on the backend; keys nil stores plain bodies.
	// The caller closes it.
	Open(t *testing.T, now func() time.Time, keys *seal.Keyring) parley.SessionStore
	// Raw returns the session's stored body exactly as the backend holds
	// it.
	Raw(t *testing.T, key parley.SessionKey) []byte
	// SetRaw overwrites the stored body of an existing session, leaving
	// its version and expiry alone.
	SetRaw(t *testing.T, key parley.SessionKey, body []byte)
}

// NewBackend returns a fresh, empty backend for one test.
type NewBackend func(t *testing.T) Backend

// Secrets are key material by id, so that one key can sit in several
// keyrings, as it does across a rotation.
type Secrets map[string][]byte

// NewSecrets makes a random key for each id.
func NewSecrets(ids ...string) Secrets {
	s := make(Secrets, len(ids))
	for _, id := range ids {
		s[id] = make([]byte, seal.KeySize)
		rand.Read(s[id])
	}
	return s
}

// Ring is a keyring of the named keys, the first current.
func (s Secrets) Ring(t testing.TB, ids ...string) *seal.Keyring {
	t.Helper()
	keys := make([]seal.Key, len(ids))
	for i, id := range ids {
		keys[i] = seal.Key{ID: id, Secret: s[id]}
	}
	k, err := seal.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Run runs the checks on backends made by newBackend.
func Run(t *testing.T, newBackend NewBackend) {
	secrets := NewSecrets("k1", "k2", "k3")
	t.Run("Conformance", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, now func() time.Time) parley.SessionStore {
			return newBackend(t).Open(t, now, secrets.Ring(t, "k1"))
		})
	})
	tests := []struct {
		name string
		run  func(t *testing.T, c *check)
	}{
		{"NoPlaintextAtRest", testNoPlaintext},
		{"Rotation", testRotation},
		{"PlainBodySealedOnNextWrite", testPlainThenSealed},
		{"SealedWithoutKey", testNoKey},
		{"UnknownKeyID", testUnknownKey},
		{"Tampered", testTampered},
		{"MovedToAnotherSession", testMoved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 3, 5, 14, 30, 15, 0, time.UTC)
			tc.run(t, &check{t: t, b: newBackend(t), secrets: secrets, now: func() time.Time { return now }})
		})
	}
}

// check is one test's backend and keys, with helpers that fail the test.
type check struct {
	t       *testing.T
	b       Backend
	secrets Secrets
	now     func() time.Time
}

// open opens a store with the named keys (none: plain) and closes it when
// the test ends.
func (c *check) open(ids ...string) parley.SessionStore {
	c.t.Helper()
	var keys *seal.Keyring
	if len(ids) > 0 {
		keys = c.secrets.Ring(c.t, ids...)
	}
	s := c.b.Open(c.t, c.now, keys)
	c.t.Cleanup(func() { s.Close() })
	return s
}

func (c *check) put(s parley.SessionStore, sess *parley.Session) {
	c.t.Helper()
	if err := s.Put(context.Background(), sess); err != nil {
		c.t.Fatalf("Put: %v", err)
	}
}

func (c *check) get(s parley.SessionStore, key parley.SessionKey) *parley.Session {
	c.t.Helper()
	got, err := s.Get(context.Background(), key)
	if err != nil {
		c.t.Fatalf("Get: %v", err)
	}
	return got
}

// sealedUnder fails unless the stored body is sealed under key id.
func (c *check) sealedUnder(key parley.SessionKey, id string) {
	c.t.Helper()
	raw := c.b.Raw(c.t, key)
	if !seal.IsSealed(raw) || seal.KeyID(raw) != id {
		c.t.Fatalf("stored body is not sealed under %q (sealed %v, key %q): %.80s", id, seal.IsSealed(raw), seal.KeyID(raw), raw)
	}
}

// wantFailure fails unless Get answers ErrInternal with every phrase in
// its message.
func (c *check) wantFailure(s parley.SessionStore, key parley.SessionKey, phrases ...string) {
	c.t.Helper()
	got, err := s.Get(context.Background(), key)
	if err == nil {
		c.t.Fatalf("Get succeeded with %+v, want an error", got)
	}
	if code := parley.ErrorCodeOf(err); code != parley.ErrInternal {
		c.t.Errorf("Get: error code %q (%v), want %q", code, err, parley.ErrInternal)
	}
	for _, p := range phrases {
		if !strings.Contains(err.Error(), p) {
			c.t.Errorf("Get: error %q does not say %q", err, p)
		}
	}
}

func key(id string) parley.SessionKey {
	return parley.SessionKey{BotID: "SEALBOT001", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: id}
}

// secretValues are what a sample session holds that must not be readable
// at rest.
var secretValues = []string{"4111-1111-1111-1111", "홍길동", "OrderPizza", "pepperoni", "sessionAttributes", "secret-session-id"}

func sample(id string, now time.Time) *parley.Session {
	s := storetest.Sample(key(id), now)
	s.State.SessionAttributes["card"] = "4111-1111-1111-1111"
	return s
}

func testNoPlaintext(t *testing.T, c *check) {
	s := c.open("k1")
	sess := sample("secret-session-id", c.now())
	c.put(s, sess)
	raw := c.b.Raw(t, sess.Key)
	for _, v := range secretValues {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("stored body holds %q in plain text", v)
		}
	}
	c.sealedUnder(sess.Key, "k1")
	want := sample("secret-session-id", c.now())
	want.Version = 1
	if d := storetest.Diff(c.get(s, sess.Key), want); len(d) > 0 {
		t.Errorf("Get differs: %v", d)
	}
}

func testRotation(t *testing.T, c *check) {
	old := c.open("k1")
	sess := sample("rotated", c.now())
	c.put(old, sess)
	c.sealedUnder(sess.Key, "k1")

	// Rotate: k2 is current, k1 still reads.
	rotated := c.open("k2", "k1")
	got := c.get(rotated, sess.Key)
	if got.State.SessionAttributes["card"] != "4111-1111-1111-1111" {
		t.Fatalf("session read after rotation lost its attributes: %v", got.State.SessionAttributes)
	}
	c.sealedUnder(sess.Key, "k1") // reading re-seals nothing
	got.State.SessionAttributes["turn"] = "2"
	c.put(rotated, got)
	c.sealedUnder(sess.Key, "k2")

	// Once every session is re-sealed, k1 may go.
	onlyNew := c.open("k2")
	if v := c.get(onlyNew, sess.Key).State.SessionAttributes["turn"]; v != "2" {
		t.Errorf("after the write under k2, turn = %q, want 2", v)
	}
}

func testPlainThenSealed(t *testing.T, c *check) {
	plain := c.open()
	sess := sample("plain-first", c.now())
	c.put(plain, sess)
	if raw := c.b.Raw(t, sess.Key); seal.IsSealed(raw) || !bytes.Contains(raw, []byte("4111-1111-1111-1111")) {
		t.Fatalf("a store without keys stored %.80s, want the plain body", raw)
	}
	sealed := c.open("k1")
	got := c.get(sealed, sess.Key)
	if got.State.SessionAttributes["card"] != "4111-1111-1111-1111" || got.Version != 1 {
		t.Fatalf("plain session read with keys = version %d attributes %v", got.Version, got.State.SessionAttributes)
	}
	c.put(sealed, got)
	c.sealedUnder(sess.Key, "k1")
	if got := c.get(sealed, sess.Key); got.Version != 2 {
		t.Errorf("version after the sealing write = %d, want 2", got.Version)
	}
}

func testNoKey(t *testing.T, c *check) {
	sess := sample("no-key", c.now())
	c.put(c.open("k1"), sess)
	c.wantFailure(c.open(), sess.Key, "no store key", `"k1"`, "--store-key-file")
}

func testUnknownKey(t *testing.T, c *check) {
	sess := sample("unknown-key", c.now())
	c.put(c.open("k1"), sess)
	before := c.b.Raw(t, sess.Key)
	s := c.open("k3")
	c.wantFailure(s, sess.Key, `"k1"`, "not in the keyring")
	// A new session with the same key cannot take the place of the one
	// that could not be read: its version is taken.
	if err := s.Put(context.Background(), sample("unknown-key", c.now())); parley.ErrorCodeOf(err) != parley.ErrConflict {
		t.Errorf("Put of a new session over the unreadable one: %v, want a conflict", err)
	}
	if after := c.b.Raw(t, sess.Key); !bytes.Equal(after, before) {
		t.Errorf("the unreadable body was overwritten")
	}
}

func testTampered(t *testing.T, c *check) {
	s := c.open("k1")
	sess := sample("tampered", c.now())
	c.put(s, sess)
	raw := c.b.Raw(t, sess.Key)
	// Flip one bit of the payload near its start (the nonce), middle
	// (ciphertext) and end (tag); a base64 character stays one.
	start := bytes.LastIndexByte(raw, ':') + 1
	end := bytes.LastIndexByte(raw, '"')
	for _, at := range []int{start + 1, (start + end) / 2, end - 2} {
		bad := bytes.Clone(raw)
		bad[at] = flip(bad[at])
		c.b.SetRaw(t, sess.Key, bad)
		c.wantFailure(s, sess.Key, "does not authenticate")
	}
	// A payload that is no base64 at all; still JSON, as a JSONB column
	// insists.
	c.b.SetRaw(t, sess.Key, append(append(bytes.Clone(raw[:start]), "!!!"...), raw[end:]...))
	c.wantFailure(s, sess.Key, "damaged")
	c.b.SetRaw(t, sess.Key, raw)
	c.get(s, sess.Key)
}

// flip swaps a base64url character for another one.
func flip(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

func testMoved(t *testing.T, c *check) {
	s := c.open("k1")
	a, b := sample("session-a", c.now()), sample("session-b", c.now())
	c.put(s, a)
	c.put(s, b)
	c.b.SetRaw(t, b.Key, c.b.Raw(t, a.Key))
	c.wantFailure(s, b.Key, "does not authenticate", "another session")
}

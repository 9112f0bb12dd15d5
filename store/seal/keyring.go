package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/parleybot/parley"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// keyID is what a key id may be: short, and free of the ':' and '"' that
// delimit the envelope, so an id never needs escaping.
var keyID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Key is one secret under its id.
type Key struct {
	ID     string
	Secret []byte // KeySize bytes
}

// Keyring seals with its current key and opens with any of its keys. It is
// safe for concurrent use: the AEADs hold no state between calls.
type Keyring struct {
	current string
	ids     []string // in the order given, current first
	aeads   map[string]cipher.AEAD
}

// New builds a keyring from keys; the first is the current key, the others
// only open what they sealed before a rotation.
func New(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("seal: no keys")
	}
	k := &Keyring{current: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for _, key := range keys {
		if err := checkID(key.ID); err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		if _, dup := k.aeads[key.ID]; dup {
			return nil, fmt.Errorf("seal: key id %q is given twice", key.ID)
		}
		aead, err := newAEAD(key.Secret)
		if err != nil {
			return nil, fmt.Errorf("seal: key %q: %w", key.ID, err)
		}
		k.aeads[key.ID] = aead
		k.ids = append(k.ids, key.ID)
	}
	return k, nil
}

func checkID(id string) error {
	if !keyID.MatchString(id) {
		return fmt.Errorf("key id %q must be 1 to 64 letters, digits, '.', '_' or '-'", id)
	}
	return nil
}

func newAEAD(secret []byte) (cipher.AEAD, error) {
	if len(secret) != KeySize {
		return nil, fmt.Errorf("key must be %d bytes after base64, got %d", KeySize, len(secret))
	}
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	// A fresh random 96-bit nonce per seal, prepended to the ciphertext.
	// Random nonces keep a key safe for about 2^32 seals; rotating the
	// key starts a new count.
	return cipher.NewGCMWithRandomNonce(block)
}

// decodeSecret reads a key's base64 text: standard or URL alphabet, with or
// without padding, as openssl, head | base64 and hand-written keys come.
func decodeSecret(text string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("key is not valid base64")
}

// CurrentID is the id of the key new seals use.
func (k *Keyring) CurrentID() string { return k.current }

// IDs lists the key ids, the current one first.
func (k *Keyring) IDs() []string { return append([]string(nil), k.ids...) }

// Seal encrypts plain under the current key, binding aad, and returns the
// envelope.
func (k *Keyring) Seal(plain, aad []byte) []byte {
	ct := k.aeads[k.current].Seal(nil, nil, plain, additional(k.current, aad))
	return appendEnvelope(make([]byte, 0, envelopeLen(k.current, len(ct))), k.current, ct)
}

// Open decrypts an envelope made by Seal with the same aad. A body sealed
// under a key the keyring lacks, or one that does not authenticate
// (altered, truncated, or sealed for other aad), is an *parley.Error with
// ErrInternal: the stored data cannot be used, and retrying will not help.
func (k *Keyring) Open(body, aad []byte) ([]byte, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	aead, ok := k.aeads[env.keyID]
	if !ok {
		return nil, parley.Errorf(parley.ErrInternal,
			"stored session is sealed under key %q, which is not in the keyring (it has %s); add that key to the key file to read it",
			env.keyID, strings.Join(k.ids, ", "))
	}
	// In place: the decoded ciphertext is this call's own buffer.
	plain, err := aead.Open(env.ciphertext[:0], nil, env.ciphertext, additional(env.keyID, aad))
	if err != nil {
		return nil, parley.Errorf(parley.ErrInternal,
			"stored session sealed under key %q does not authenticate: it was altered or belongs to another session", env.keyID)
	}
	return plain, nil
}

// additional is the data GCM authenticates besides aad: the format and the
// key id, so an envelope cannot be relabelled to another version or key.
func additional(id string, aad []byte) []byte {
	b := make([]byte, 0, len(version)+len(id)+len(aad)+2)
	b = append(b, version...)
	b = append(b, 0)
	b = append(b, id...)
	b = append(b, 0)
	return append(b, aad...)
}

package sessionbody

import (
	"encoding/binary"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/seal"
)

// Codec is how one store writes and reads bodies: plain JSON when Keys is
// nil, otherwise sealed under Keys' current key with the session key as
// additional data. Reading takes both forms whatever Keys is, so turning
// encryption on loses no session (a plain body is sealed on its next write)
// and rotating keys re-seals each session on its next write.
type Codec struct {
	Keys *seal.Keyring
}

// EncodeNext is the package's EncodeNext, sealed when c has keys.
func (c Codec) EncodeNext(sess *parley.Session) ([]byte, error) {
	body, err := EncodeNext(sess)
	if err != nil || c.Keys == nil {
		return body, err
	}
	return c.Keys.Seal(body, AAD(sess.Key)), nil
}

// DecodeStored is the package's DecodeStored for a plain or a sealed body.
// A sealed body needs c.Keys; without them the error says so.
func (c Codec) DecodeStored(body []byte, key parley.SessionKey, version int64) (*parley.Session, error) {
	if seal.IsSealed(body) {
		if c.Keys == nil {
			id := seal.KeyID(body)
			return nil, parley.Errorf(parley.ErrInternal,
				"stored session is encrypted (key %q) but no store key is configured; give the key file with --store-key-file or %s", id, seal.EnvKeyFile)
		}
		plain, err := c.Keys.Open(body, AAD(key))
		if err != nil {
			return nil, err
		}
		body = plain
	}
	return DecodeStored(body, key, version)
}

// AAD is the additional data a session's body is sealed with: its key's
// four parts, each prefixed by its length so that no two keys give the same
// bytes.
func AAD(k parley.SessionKey) []byte {
	b := make([]byte, 0, len(k.BotID)+len(k.AliasID)+len(k.LocaleID)+len(k.SessionID)+8)
	for _, part := range []string{k.BotID, k.AliasID, k.LocaleID, k.SessionID} {
		b = binary.AppendUvarint(b, uint64(len(part)))
		b = append(b, part...)
	}
	return b
}

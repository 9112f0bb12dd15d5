package seal

import (
	"bytes"
	"encoding/base64"

	"github.com/parleybot/parley"
)

// The envelope is {"sealed":"v1:KEYID:PAYLOAD"}, PAYLOAD the unpadded
// URL-safe base64 of nonce, ciphertext and tag. It is a JSON object so that
// a JSONB column takes it as it takes a plain body; its one member name
// "sealed" is no field of a session, so the two never look alike. None of
// its characters needs JSON escaping.
const (
	version      = "v1"
	memberPrefix = `{"sealed":"`
)

var payloadEncoding = base64.RawURLEncoding

func envelopeLen(id string, ctLen int) int {
	return len(memberPrefix) + len(version) + 1 + len(id) + 1 + payloadEncoding.EncodedLen(ctLen) + 2
}

func appendEnvelope(b []byte, id string, ct []byte) []byte {
	b = append(b, memberPrefix...)
	b = append(b, version...)
	b = append(b, ':')
	b = append(b, id...)
	b = append(b, ':')
	b = payloadEncoding.AppendEncode(b, ct)
	return append(b, `"}`...)
}

type envelope struct {
	keyID      string
	ciphertext []byte
}

// IsSealed reports whether a stored body is an envelope rather than a
// plain JSON session: an object whose first member is "sealed". It looks
// no further, so a damaged envelope still counts as sealed and Open
// reports the damage.
func IsSealed(body []byte) bool {
	rest, ok := skipByte(body, '{')
	if !ok {
		return false
	}
	return bytes.HasPrefix(skipSpace(rest), []byte(`"sealed"`))
}

// KeyID is the key id a sealed body names, for an error that says which
// key is needed; "" when body is no well-formed envelope.
func KeyID(body []byte) string {
	env, err := parseEnvelope(body)
	if err != nil {
		return ""
	}
	return env.keyID
}

// parseEnvelope reads an envelope as Seal writes it, or as PostgreSQL
// writes the same JSONB back (with spaces around the colon).
func parseEnvelope(body []byte) (envelope, error) {
	rest, ok := skipByte(body, '{')
	if ok {
		rest = skipSpace(rest)
		ok = bytes.HasPrefix(rest, []byte(`"sealed"`))
	}
	if ok {
		rest, ok = skipByte(rest[len(`"sealed"`):], ':')
	}
	if ok {
		rest, ok = skipByte(rest, '"')
	}
	var token []byte
	if ok {
		end := bytes.IndexByte(rest, '"')
		ok = end >= 0
		if ok {
			token, rest = rest[:end], rest[end+1:]
			rest, ok = skipByte(rest, '}')
			ok = ok && len(skipSpace(rest)) == 0
		}
	}
	if !ok {
		return envelope{}, malformed("it is not a {\"sealed\":\"…\"} object")
	}
	ver, rest2, ok1 := bytes.Cut(token, []byte(":"))
	id, payload, ok2 := bytes.Cut(rest2, []byte(":"))
	if !ok1 || !ok2 {
		return envelope{}, malformed("want VERSION:KEYID:DATA")
	}
	if string(ver) != version {
		return envelope{}, parley.Errorf(parley.ErrInternal, "stored session is sealed in format %q; this Parley reads %s", ver, version)
	}
	if err := checkID(string(id)); err != nil {
		return envelope{}, malformed(err.Error())
	}
	ct := make([]byte, payloadEncoding.DecodedLen(len(payload)))
	n, err := payloadEncoding.Decode(ct, payload)
	if err != nil {
		return envelope{}, malformed("its data is not base64")
	}
	return envelope{keyID: string(id), ciphertext: ct[:n]}, nil
}

func malformed(why string) error {
	return parley.Errorf(parley.ErrInternal, "stored session body is a damaged sealed envelope: %s", why)
}

// skipByte skips JSON whitespace and then c.
func skipByte(b []byte, c byte) ([]byte, bool) {
	b = skipSpace(b)
	if len(b) == 0 || b[0] != c {
		return b, false
	}
	return b[1:], true
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

package seal_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
)

var body = []byte(`{"state":{"sessionAttributes":{"card":"4111-1111-1111-1111"}}}`)

func TestSealOpen(t *testing.T) {
	secrets := sealtest.NewSecrets("k1", "k2", "other")
	k1 := secrets.Ring(t, "k1")
	rotated := secrets.Ring(t, "k2", "k1")
	sealed := k1.Seal(body, []byte("session-a"))
	if !seal.IsSealed(sealed) || seal.KeyID(sealed) != "k1" {
		t.Fatalf("Seal wrote %s: not an envelope under k1", sealed)
	}
	if bytes.Contains(sealed, []byte("4111")) {
		t.Fatalf("sealed body holds the plain text: %s", sealed)
	}
	if again := k1.Seal(body, []byte("session-a")); bytes.Equal(again, sealed) {
		t.Error("two seals of one body are equal: the nonce is not fresh")
	}
	tests := []struct {
		name    string
		ring    *seal.Keyring
		body    []byte
		aad     string
		wantErr string // "" for success
	}{
		{"same key", k1, sealed, "session-a", ""},
		{"old key after rotation", rotated, sealed, "session-a", ""},
		{"as PostgreSQL returns JSONB", k1, bytes.Replace(sealed, []byte(`":"`), []byte(`": "`), 1), "session-a", ""},
		{"surrounding whitespace", k1, append(append([]byte(" \n"), sealed...), '\n'), "session-a", ""},
		{"other session", k1, sealed, "session-b", "does not authenticate"},
		{"unknown key", secrets.Ring(t, "other"), sealed, "session-a", `key "k1", which is not in the keyring (it has other)`},
		{"relabelled key id", secrets.Ring(t, "k1", "k2"), bytes.Replace(sealed, []byte(":k1:"), []byte(":k2:"), 1), "session-a", "does not authenticate"},
		{"future format", k1, bytes.Replace(sealed, []byte(`"v1:`), []byte(`"v2:`), 1), "session-a", `format "v2"`},
		{"not base64", k1, []byte(`{"sealed":"v1:k1:***"}`), "session-a", "not base64"},
		{"too short", k1, []byte(`{"sealed":"v1:k1:AAAA"}`), "session-a", "does not authenticate"},
		{"no key id", k1, []byte(`{"sealed":"v1:AAAA"}`), "session-a", "VERSION:KEYID:DATA"},
		{"trailing member", k1, append(bytes.TrimSuffix(sealed, []byte("}")), `,"x":1}`...), "session-a", "damaged"},
		{"plain body", k1, body, "session-a", "damaged"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.ring.Open(tc.body, []byte(tc.aad))
			if tc.wantErr == "" {
				if err != nil || !bytes.Equal(got, body) {
					t.Fatalf("Open = %q, %v; want the body", got, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Open = %q, want an error saying %q", got, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || parley.ErrorCodeOf(err) != parley.ErrInternal {
				t.Errorf("Open: %v (code %s), want ErrInternal saying %q", err, parley.ErrorCodeOf(err), tc.wantErr)
			}
		})
	}
}

func TestTamperEveryByte(t *testing.T) {
	k := sealtest.NewSecrets("k1").Ring(t, "k1")
	sealed := k.Seal(body, []byte("aad"))
	start := bytes.LastIndexByte(sealed, ':') + 1
	end := bytes.LastIndexByte(sealed, '"')
	ct, err := base64.RawURLEncoding.DecodeString(string(sealed[start:end]))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		env := append(append(bytes.Clone(sealed[:start]), base64.RawURLEncoding.EncodeToString(bad)...), sealed[end:]...)
		if got, err := k.Open(env, []byte("aad")); err == nil {
			t.Fatalf("flipping bit 0 of byte %d opened to %q", i, got)
		}
	}
}

func TestIsSealed(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"envelope", `{"sealed":"v1:k:AAAA"}`, true},
		{"damaged envelope", `{"sealed":`, true},
		{"JSONB spacing", ` { "sealed": "x"}`, true},
		{"plain session", `{"key":{"botId":"B"},"state":{}}`, false},
		{"empty", ``, false},
		{"JSON string", `"sealed"`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := seal.IsSealed([]byte(tc.body)); got != tc.want {
				t.Errorf("IsSealed(%q) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	good := make([]byte, seal.KeySize)
	tests := []struct {
		name    string
		keys    []seal.Key
		wantErr string
	}{
		{"none", nil, "no keys"},
		{"short key", []seal.Key{{ID: "k1", Secret: good[:16]}}, "key must be 32 bytes after base64, got 16"},
		{"bad id", []seal.Key{{ID: "k:1", Secret: good}}, `key id "k:1" must be`},
		{"duplicate id", []seal.Key{{ID: "k1", Secret: good}, {ID: "k1", Secret: good}}, `"k1" is given twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seal.New(tc.keys...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("New: %v, want an error saying %q", err, tc.wantErr)
			}
		})
	}
	k, err := seal.New(seal.Key{ID: "new", Secret: good}, seal.Key{ID: "old", Secret: good})
	if err != nil {
		t.Fatal(err)
	}
	if k.CurrentID() != "new" || strings.Join(k.IDs(), ",") != "new,old" {
		t.Errorf("CurrentID %q, IDs %v; want new first", k.CurrentID(), k.IDs())
	}
}

// FuzzOpen opens arbitrary bytes where a sealed body belongs: no panic, and
// whatever opens must be what was sealed.
func FuzzOpen(f *testing.F) {
	secret := bytes.Repeat([]byte{7}, seal.KeySize)
	k, err := seal.New(seal.Key{ID: "k1", Secret: secret})
	if err != nil {
		f.Fatal(err)
	}
	sealed := k.Seal(body, []byte("aad"))
	for _, seed := range [][]byte{sealed, body, []byte(`{"sealed":"v1:k1:"}`), []byte(`{ "sealed" : "v1:k1:AAAA" }`), []byte(`{"sealed":"v9:x:y"}`)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		seal.IsSealed(data)
		seal.KeyID(data)
		got, err := k.Open(data, []byte("aad"))
		if err != nil {
			if parley.ErrorCodeOf(err) != parley.ErrInternal {
				t.Fatalf("Open error without ErrInternal: %v", err)
			}
			return
		}
		if !bytes.Equal(got, body) {
			t.Fatalf("Open of %q gave %q, which was never sealed", data, got)
		}
	})
}

// BenchmarkSealOpen seals and opens a body the size of a typical stored
// session (storetest.Sample encodes to about 3.6 kB).
func BenchmarkSealOpen(b *testing.B) {
	k := sealtest.NewSecrets("k1").Ring(b, "k1")
	plain := bytes.Repeat([]byte(`{"a":"b"}`), 400)
	aad := []byte("session key")
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if _, err := k.Open(k.Seal(plain, aad), aad); err != nil {
			b.Fatal(err)
		}
	}
}

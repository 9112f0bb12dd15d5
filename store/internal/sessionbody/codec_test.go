package sessionbody_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
	"github.com/parleybot/parley/store/storetest"
)

func TestCodec(t *testing.T) {
	key := parley.SessionKey{BotID: "B", AliasID: "A", LocaleID: "ko_KR", SessionID: "s1"}
	other := key
	other.SessionID = "s2"
	sess := storetest.Sample(key, time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC))
	sealed := sessionbody.Codec{Keys: sealtest.NewSecrets("k1").Ring(t, "k1")}
	plainBody, err := sessionbody.Codec{}.EncodeNext(sess)
	if err != nil {
		t.Fatal(err)
	}
	sealedBody, err := sealed.EncodeNext(sess)
	if err != nil {
		t.Fatal(err)
	}
	if seal.IsSealed(plainBody) || !seal.IsSealed(sealedBody) {
		t.Fatalf("plain codec sealed (%v) or keyed codec did not (%v)", seal.IsSealed(plainBody), seal.IsSealed(sealedBody))
	}
	want := *sess
	want.Version = 7
	tests := []struct {
		name    string
		codec   sessionbody.Codec
		body    []byte
		key     parley.SessionKey
		wantErr string
	}{
		{"plain", sessionbody.Codec{}, plainBody, key, ""},
		{"sealed", sealed, sealedBody, key, ""},
		{"plain body read with keys", sealed, plainBody, key, ""},
		{"sealed body read without keys", sessionbody.Codec{}, sealedBody, key, `encrypted (key "k1") but no store key is configured`},
		{"sealed body of another session", sealed, sealedBody, other, "another session"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.codec.DecodeStored(tc.body, tc.key, 7)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || parley.ErrorCodeOf(err) != parley.ErrInternal {
					t.Fatalf("DecodeStored: %v, want ErrInternal saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeStored: %v", err)
			}
			if d := storetest.Diff(got, &want); len(d) > 0 {
				t.Errorf("decoded session differs: %v", d)
			}
		})
	}
}

func TestAADDistinct(t *testing.T) {
	keys := []parley.SessionKey{
		{BotID: "ab", AliasID: "c"},
		{BotID: "a", AliasID: "bc"},
		{BotID: "a", LocaleID: "bc"},
		{SessionID: "abc"},
		{},
	}
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			if bytes.Equal(sessionbody.AAD(a), sessionbody.AAD(b)) {
				t.Errorf("AAD(%+v) = AAD(%+v)", a, b)
			}
		}
	}
}

// BenchmarkCodec measures writing and reading one sample session body,
// plain and sealed: the cost encryption adds to every store round trip.
func BenchmarkCodec(b *testing.B) {
	key := parley.SessionKey{BotID: "PIZZABOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "bench"}
	sess := storetest.Sample(key, time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC))
	for _, bc := range []struct {
		name  string
		codec sessionbody.Codec
	}{
		{"plain", sessionbody.Codec{}},
		{"sealed", sessionbody.Codec{Keys: sealtest.NewSecrets("k1").Ring(b, "k1")}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				body, err := bc.codec.EncodeNext(sess)
				if err != nil {
					b.Fatal(err)
				}
				size = len(body)
				if _, err := bc.codec.DecodeStored(body, key, 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "body-bytes")
		})
	}
}

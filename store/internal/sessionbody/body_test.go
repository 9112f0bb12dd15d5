package sessionbody_test

import (
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/storetest"
)

func TestRoundTrip(t *testing.T) {
	now := time.Date(2026, 3, 5, 14, 30, 15, 123456789, time.UTC)
	empty := &parley.Session{}
	empty.State.SessionAttributes = map[string]string{}
	empty.State.ActiveContexts = []parley.ActiveContext{}
	tests := []struct {
		name string
		s    *parley.Session
	}{
		{"sample", storetest.Sample(parley.SessionKey{BotID: "B", SessionID: "s"}, now)},
		{"zero", &parley.Session{}},
		{"empty collections", empty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, err := sessionbody.Encode(tc.s)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := sessionbody.Decode(body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d := storetest.Diff(got, tc.s); len(d) > 0 {
				t.Errorf("round trip differs: %v", d)
			}
		})
	}
}

// FuzzDecode reads arbitrary bytes where a stored body belongs, as a store
// does with what it finds in its database: no panic, and what decodes
// encodes and decodes to the same session.
func FuzzDecode(f *testing.F) {
	body, err := sessionbody.Encode(storetest.Sample(parley.SessionKey{BotID: "B", SessionID: "s"}, time.Unix(0, 0)))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{body, []byte(`{}`), []byte(`null`), []byte(`{"State":{"SessionAttributes":{}}}`)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sessionbody.Decode(data)
		if err != nil {
			return
		}
		again, err := sessionbody.Encode(s)
		if err != nil {
			return // e.g. a float that JSON cannot write back
		}
		s2, err := sessionbody.Decode(again)
		if err != nil {
			t.Fatalf("Decode of Encode's output: %v\n%s", err, again)
		}
		if d := storetest.Diff(s2, s); len(d) > 0 {
			t.Fatalf("second round trip differs: %v", d)
		}
	})
}

func TestEncodeNextDecodeStored(t *testing.T) {
	sess := &parley.Session{Key: parley.SessionKey{BotID: "BOT1234567", SessionID: "in-body"}, Version: 4}
	body, err := sessionbody.EncodeNext(sess)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Version != 4 {
		t.Errorf("EncodeNext changed the caller's version to %d", sess.Version)
	}
	inBody, err := sessionbody.Decode(body)
	if err != nil || inBody.Version != 5 {
		t.Fatalf("body holds version %v (err %v), want 5", inBody, err)
	}
	key := parley.SessionKey{BotID: "BOT1234567", SessionID: "in-store"}
	got, err := sessionbody.DecodeStored(body, key, 9)
	if err != nil {
		t.Fatal(err)
	}
	if got.Key != key || got.Version != 9 {
		t.Errorf("DecodeStored = key %+v version %d; want the store's key and version 9", got.Key, got.Version)
	}
	if _, err := sessionbody.DecodeStored([]byte("{"), key, 1); err == nil {
		t.Error("DecodeStored accepted a broken body")
	}
}

package seal_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/store/seal"
)

var (
	key32 = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	key16 = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
)

func TestParseKeyFile(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantIDs string // comma-separated, current first
		wantErr string
	}{
		{"one key", "k1 " + key32 + "\n", "k1", ""},
		{"rotation with comments", "# new key first\nk2 " + key32 + "\n\n  # the old one, until every session is re-sealed\nk1\t" + key32 + "\r\n", "k2,k1", ""},
		{"unpadded and URL alphabet", "a " + strings.TrimRight(key32, "=") + "\nb " + base64.URLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcde?")), "a,b", ""},
		{"short key", "# c\nk1 " + key16 + "\n", "", "keys:2: key \"k1\": key must be 32 bytes after base64, got 16"},
		{"not base64", "k1 not*base64\n", "", "keys:1: key \"k1\": key is not valid base64"},
		{"three fields", "k1 " + key32 + " extra\n", "", "keys:1: want `ID BASE64KEY`, got 3 fields"},
		{"id only", "k1\n", "", "keys:1: want `ID BASE64KEY`, got 1 fields"},
		{"bad id", "k:1 " + key32 + "\n", "", "keys:1: key id \"k:1\" must be"},
		{"duplicate id", "k1 " + key32 + "\n\nk1 " + key32 + "\n", "", "keys:3: key id \"k1\" is already given on line 1"},
		{"empty", "# nothing yet\n\n", "", "keys: no keys"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := seal.ParseKeyFile("keys", []byte(tc.file))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseKeyFile: %v, want an error saying %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), key16) || strings.Contains(err.Error(), key32) {
					t.Errorf("error shows the key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKeyFile: %v", err)
			}
			if got := strings.Join(k.IDs(), ","); got != tc.wantIDs {
				t.Errorf("IDs = %s, want %s", got, tc.wantIDs)
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	tests := []struct {
		name, value, wantIDs, wantErr string
	}{
		{"one", "k1:" + key32, "k1", ""},
		{"two", "k2:" + key32 + ", k1:" + key32, "k2,k1", ""},
		{"no colon", key32, "", "PARLEY_STORE_KEY entry 1: want ID:BASE64KEY"},
		{"short second", "k2:" + key32 + ",k1:" + key16, "", "PARLEY_STORE_KEY entry 2: key \"k1\": key must be 32 bytes after base64, got 16"},
		{"twice", "k1:" + key32 + ",k1:" + key32, "", "entry 2: key id \"k1\" is given twice"},
		{"empty entry", "k1:" + key32 + ",", "", "entry 2: want ID:BASE64KEY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := seal.ParseKeys(tc.value)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseKeys: %v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKeys: %v", err)
			}
			if got := strings.Join(k.IDs(), ","); got != tc.wantIDs {
				t.Errorf("IDs = %s, want %s", got, tc.wantIDs)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.keys")
	if err := os.WriteFile(path, []byte("file-key "+key32+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, keys, wantID, wantErr string
	}{
		{"neither", "", "", "", ""},
		{"file", path, "", "file-key", ""},
		{"env", "", "env-key:" + key32, "env-key", ""},
		{"both", path, "env-key:" + key32, "", "use one"},
		{"missing file", path + ".missing", "", "", "read key file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := seal.Load(tc.file, tc.keys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load: %v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if tc.wantID == "" {
				if k != nil {
					t.Errorf("Load with nothing set = %v, want no keyring", k.IDs())
				}
				return
			}
			if k == nil || k.CurrentID() != tc.wantID {
				t.Errorf("Load: keyring %v, want current %s", k, tc.wantID)
			}
		})
	}
}

// FuzzParseKeys reads arbitrary PARLEY_STORE_KEY values: no panic, an
// error names the variable or the key id at fault.
func FuzzParseKeys(f *testing.F) {
	for _, seed := range []string{"k1:" + key32, "k2:" + key32 + ",k1:" + key16, "k1", ":", ",,", "k1:" + key32 + ",k1:" + key32} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		k, err := seal.ParseKeys(value)
		if err != nil {
			if !strings.Contains(err.Error(), seal.EnvKeys) && !strings.Contains(err.Error(), "key id") {
				t.Fatalf("error names neither %s nor the key id: %v", seal.EnvKeys, err)
			}
			return
		}
		if k.CurrentID() != k.IDs()[0] {
			t.Fatalf("current key %q is not the first of %v", k.CurrentID(), k.IDs())
		}
	})
}

// FuzzParseKeyFile reads arbitrary key files: no panic, an error names the
// file, and a keyring it returns has a current key among its ids.
func FuzzParseKeyFile(f *testing.F) {
	for _, seed := range []string{"k1 " + key32 + "\n", "# c\nk2 " + key32 + "\nk1 " + key16, "k1\n", "\xff " + key32, ""} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := seal.ParseKeyFile("fuzz.keys", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.keys") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		ids := k.IDs()
		if len(ids) == 0 || ids[0] != k.CurrentID() {
			t.Fatalf("keyring ids %v, current %q", ids, k.CurrentID())
		}
		sealed := k.Seal([]byte("x"), nil)
		if got, err := k.Open(sealed, []byte("other")); err == nil {
			t.Fatalf("opened %q with other additional data", got)
		}
		if got, err := k.Open(sealed, nil); err != nil || string(got) != "x" {
			t.Fatalf("round trip: %q, %v", got, err)
		}
	})
}

package cli_test

import (
	"database/sql"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/store/seal"
)

var (
	storeKey1 = base64.StdEncoding.EncodeToString([]byte("key one: thirty-two bytes long!!"))
	storeKey2 = base64.StdEncoding.EncodeToString([]byte("key two: thirty-two bytes long!!"))
)

func TestLoadConfigStoreKey(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		env       map[string]string
		flags     []string
		wantFile  string
		wantKey   string
		wantError string // "" for success
	}{
		{name: "flag", flags: []string{"--store-key-file", "/run/secrets/store.keys"}, wantFile: "/run/secrets/store.keys"},
		{name: "env file", env: map[string]string{"PARLEY_STORE_KEY_FILE": "/etc/parley/keys"}, wantFile: "/etc/parley/keys"},
		{name: "config file", file: "storeKeyFile: keys.txt\n", wantFile: "keys.txt"},
		{name: "env keys", env: map[string]string{"PARLEY_STORE_KEY": "k2:" + storeKey2 + ",k1:" + storeKey1}, wantKey: "k2:" + storeKey2 + ",k1:" + storeKey1},
		{name: "keys are not a config file key", file: "storeKey: k1:" + storeKey1 + "\n", wantError: "storeKey"},
		{name: "both", flags: []string{"--store-key-file", "f"}, env: map[string]string{"PARLEY_STORE_KEY": "k1:" + storeKey1}, wantError: "keep one"},
		{name: "short env key", env: map[string]string{"PARLEY_STORE_KEY": "k1:c2hvcnQ="}, wantError: "PARLEY_STORE_KEY entry 1: key \"k1\": key must be 32 bytes after base64, got 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(t, tt.file, tt.flags, tt.env)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("LoadConfig: %v, want an error saying %q", err, tt.wantError)
				}
				// The YAML decoder quotes a bad file's lines; the env and
				// key checks must not quote the key.
				if tt.file == "" && strings.Contains(err.Error(), storeKey1) {
					t.Errorf("error shows the key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if got.StoreKeyFile != tt.wantFile || got.StoreKey != tt.wantKey {
				t.Errorf("StoreKeyFile %q StoreKey %q, want %q and %q", got.StoreKeyFile, got.StoreKey, tt.wantFile, tt.wantKey)
			}
		})
	}
}

// TestServeSealsSessions runs the hello bot on an SQLite store with a key
// file, then rotates the key and finally drops the old one too early.
func TestServeSealsSessions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sessions.db")
	keys := filepath.Join(dir, "store.keys")
	writeKeys := func(lines ...string) {
		t.Helper()
		if err := os.WriteFile(keys, []byte("# current key first\n"+strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "sqlite:" + db
	cfg.StoreKeyFile = keys
	cfg.NoHooks = true
	cfg.Bots = []string{"../examples/hello"}
	raw := func(session string) []byte {
		t.Helper()
		conn, err := sql.Open("sqlite", db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var body []byte
		if err := conn.QueryRow(`SELECT body FROM sessions WHERE session_id = ?`, session).Scan(&body); err != nil {
			t.Fatalf("read stored body of %s: %v", session, err)
		}
		return body
	}

	writeKeys("k1 " + storeKey1)
	serveTurn(t, cfg, "s1", "안녕", http.StatusOK)
	body := raw("s1")
	if seal.KeyID(body) != "k1" || strings.Contains(string(body), "이름이 뭐예요") {
		t.Fatalf("stored body is not sealed under k1: %.100s", body)
	}

	writeKeys("k2 "+storeKey2, "k1 "+storeKey1)
	serveTurn(t, cfg, "s1", "철수", http.StatusOK)
	if id := seal.KeyID(raw("s1")); id != "k2" {
		t.Fatalf("after rotation the session is sealed under %q, want k2", id)
	}

	serveTurn(t, cfg, "s2", "안녕", http.StatusOK) // still under k2
	writeKeys("k3 " + base64.StdEncoding.EncodeToString(make([]byte, 32)))
	before := raw("s2")
	answer := serveTurn(t, cfg, "s2", "철수", http.StatusInternalServerError)
	if !strings.Contains(answer, "InternalServerException") || !strings.Contains(answer, `key \"k2\"`) {
		t.Errorf("answer %s does not name the missing key k2", answer)
	}
	if after := raw("s2"); string(after) != string(before) {
		t.Error("a turn on a session sealed under a missing key changed its stored body")
	}

	cfg.StoreKeyFile = filepath.Join(dir, "missing.keys")
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
	if err := srv.Open(); err == nil || !strings.Contains(err.Error(), "store key") {
		t.Errorf("Open with a missing key file: %v, want a store key error", err)
	}
	srv.Close()
}

// serveTurn starts a server for cfg, sends one RecognizeText turn to the
// hello bot, checks its status, stops the server again and returns the
// answer.
func serveTurn(t *testing.T, cfg cli.Config, session, text string, wantStatus int) string {
	t.Helper()
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer startServer(t, srv)()
	resp, err := http.Post(srv.URL()+"/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/"+session+"/text",
		"application/json", strings.NewReader(`{"text":"`+text+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		t.Errorf("turn %q on %s: %s %s, want status %d", text, session, resp.Status, body, wantStatus)
	}
	return string(body)
}

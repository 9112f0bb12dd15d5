package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

// FuzzRequireAPIKey feeds arbitrary credentials to the auth middleware: it
// must never panic, must answer 403 or let the request through, and must
// let it through only when the key was presented somewhere.
func FuzzRequireAPIKey(f *testing.F) {
	const key = "fuzz-key"
	f.Add("", "", "")
	f.Add(key, "", "")
	f.Add("", "Bearer "+key, "")
	f.Add("", "AWS4-HMAC-SHA256 Credential="+key+"/20260513/us-east-1/lex/aws4_request, Signature=x", "")
	f.Add("", "AWS4-HMAC-SHA256 Credential=/x, Credential="+key, "")
	f.Add("", "", "0011")
	f.Fuzz(func(t *testing.T, apiKey, authorization, cookie string) {
		passed := false
		h := cli.RequireAPIKey(key, slog.New(slog.DiscardHandler), cli.DenyLex,
			http.HandlerFunc(func(http.ResponseWriter, *http.Request) { passed = true }))
		req := httptest.NewRequest(http.MethodPost, "/bots/x", nil)
		req.Header["X-Api-Key"] = []string{apiKey}
		req.Header["Authorization"] = []string{authorization}
		req.Header["Cookie"] = []string{"parley_key=" + cookie}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !passed && rec.Code != http.StatusForbidden {
			t.Fatalf("denied with status %d", rec.Code)
		}
		sum := sha256.Sum256([]byte(key))
		presented := strings.Contains(apiKey, key) || strings.Contains(authorization, key) ||
			strings.Contains(cookie, hex.EncodeToString(sum[:]))
		if passed && !presented {
			t.Fatalf("let through without the key: X-Api-Key %q, Authorization %q, cookie %q", apiKey, authorization, cookie)
		}
	})
}

// FuzzLoadConfig reads arbitrary configuration files: LoadConfig must
// never panic, and what it accepts must be valid.
func FuzzLoadConfig(f *testing.F) {
	f.Add("addr: 127.0.0.1:1\nstore: \"memory:\"\n")
	f.Add("apiKey: k\ninsecure: true\nlogLevel: debug\nbots: [a, b]\n")
	f.Add("addr: [1, 2]\n")
	f.Add("bots:\n  - \"\"\n")
	f.Add("{")
	f.Fuzz(func(t *testing.T, body string) {
		path := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		fs := cli.NewConfigFlags()
		if err := fs.Parse([]string{"--config", path}); err != nil {
			t.Fatal(err)
		}
		cfg, err := cli.LoadConfig(fs, nil, func(string) (string, bool) { return "", false })
		if err != nil {
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("LoadConfig accepted an invalid config: %v", err)
		}
	})
}

// FuzzExpandEnv checks that expanding any value from a bot file ends,
// leaves text without ${ alone and never grows beyond what the variables add.
func FuzzExpandEnv(f *testing.F) {
	for _, s := range []string{"${A}", "x${B:-d}y", "${", "${}", "${:-}", "$${A}}", "${A:-${B}}"} {
		f.Add(s)
	}
	env := mapEnv(map[string]string{"A": "aa", "B": ""})
	f.Fuzz(func(t *testing.T, s string) {
		got := cli.ExpandEnv(s, env)
		if !strings.Contains(s, "${") && got != s {
			t.Errorf("ExpandEnv(%q) = %q, want it unchanged", s, got)
		}
		if len(got) > len(s)+2*strings.Count(s, "${") {
			t.Errorf("ExpandEnv(%q) = %q: longer than its variables allow", s, got)
		}
	})
}

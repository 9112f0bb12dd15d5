package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/lexexport"
)

// versionedBot is a bot file whose Greet intent answers reply; aliases is
// the YAML of its aliases key, if any.
func versionedBot(reply, aliases string) string {
	return "id: VERSBOT001\nname: Versioned\n" + aliases + `locales:
  en_US:
    intents:
      - name: Greet
        sampleUtterances: [hello there, good morning]
        fulfillment:
          successResponse: ` + reply + "\n"
}

const prodOnVersion1 = "aliases:\n  - {id: PRODALIAS1, name: prod, botVersion: \"1\"}\n"

func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Main(args, strings.NewReader(""), &out, &errOut, func(string) (string, bool) { return "", false }); code != 0 {
		t.Fatalf("parley %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVersionCreateList(t *testing.T) {
	folder := writeBot(t, versionedBot("Hi.", ""))
	single := filepath.Join(t.TempDir(), "greet.yaml")
	writeFile(t, single, versionedBot("Hi.", ""))
	tests := []struct {
		name, path, versions string
	}{
		{"bot folder", folder, filepath.Join(folder, "versions")},
		{"single bot file", single, filepath.Join(filepath.Dir(single), "versions")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runCLI(t, "version", "list", tc.path); got != "" {
				t.Errorf("list before any version: %q", got)
			}
			for _, n := range []string{"1", "2", "3"} {
				want := fmt.Sprintf("bot VERSBOT001 version %s: %s\n", n, filepath.Join(tc.versions, n+".zip"))
				if got := runCLI(t, "version", "create", tc.path); got != want {
					t.Errorf("create: %q, want %q", got, want)
				}
			}
			if got := runCLI(t, "version", "list", tc.path); got != "1\n2\n3\n" {
				t.Errorf("list: %q", got)
			}
			draft, err := botdef.Load(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			v, _, err := lexexport.Read(filepath.Join(tc.versions, "2.zip"))
			if err != nil {
				t.Fatal(err)
			}
			if v.ID != draft.ID || v.Name != draft.Name || len(v.Locales) != 1 || v.Locales[0].Intent("Greet") == nil ||
				v.Locales[0].Intent("Greet").Fulfillment.SuccessResponse.MessageGroups[0].Message.Content != "Hi." {
				t.Errorf("version 2 reads back as %+v", v)
			}
		})
	}
	// A bot folder still loads with its versions folder in it.
	if _, err := botdef.Load(folder); err != nil {
		t.Errorf("load with versions: %v", err)
	}
}

// say posts one turn and returns the first message.
func say(t *testing.T, url, key, alias, session, text string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/bots/VERSBOT001/botAliases/"+alias+"/botLocales/en_US/sessions/"+session+"/text",
		strings.NewReader(fmt.Sprintf(`{"text":%q}`, text)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("X-Api-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var turn struct {
		Messages []struct{ Content string }
		Message  string
	}
	if err := json.NewDecoder(resp.Body).Decode(&turn); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp.Status + ": " + turn.Message
	}
	if len(turn.Messages) == 0 {
		return ""
	}
	return turn.Messages[0].Content
}

func versionServerConfig(dir string) cli.Config {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.Bots = []string{dir}
	return cfg
}

func TestServeAliasOnVersion(t *testing.T) {
	dir := writeBot(t, versionedBot("Hi from version 1.", ""))
	runCLI(t, "version", "create", dir)
	writeFile(t, filepath.Join(dir, "bot.yaml"), versionedBot("Hi from the draft.", prodOnVersion1))
	srv := openServer(t, versionServerConfig(dir))
	var banner bytes.Buffer
	srv.WriteBanner(&banner)
	if want := "\n  versions 1 (PRODALIAS1 → 1)\n"; !strings.Contains(banner.String(), want) {
		t.Errorf("banner:\n%s\nlacks %q", banner.String(), want)
	}
	tests := []struct{ alias, want string }{
		{"TSTALIASID", "Hi from the draft."},
		{"PRODALIAS1", "Hi from version 1."},
	}
	for _, tc := range tests {
		t.Run(tc.alias, func(t *testing.T) {
			if got := say(t, srv.URL(), "", tc.alias, "s1", "hello there"); got != tc.want {
				t.Errorf("answer %q, want %q", got, tc.want)
			}
		})
	}
}

func TestServeAliasOnMissingVersion(t *testing.T) {
	dir := writeBot(t, versionedBot("Hi.", prodOnVersion1))
	srv := cli.NewServer(versionServerConfig(dir), slog.New(slog.DiscardHandler), cli.HookOptions{})
	err := srv.Open()
	if err == nil {
		srv.Close()
		t.Fatal("Open succeeded")
	}
	if want := "alias PRODALIAS1 points at version 1, which does not exist"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want %q", err, want)
	}
}

// logBuffer is a log destination the watcher and the test share.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

// eventually polls cond until it holds; the deadline only stops a hung
// test, it asserts nothing about speed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}

// TestAdminVersionsAndWatch creates version 1 through the admin API, then
// edits the bot file under --watch to point an alias at it with a new
// draft answer; a broken edit after that is logged and ignored.
func TestAdminVersionsAndWatch(t *testing.T) {
	const key = "test-key"
	dir := writeBot(t, versionedBot("One.", ""))
	cfg := versionServerConfig(dir)
	cfg.APIKey = key
	logs := &logBuffer{}
	srv := cli.NewServer(cfg, slog.New(slog.NewTextHandler(logs, nil)), cli.HookOptions{})
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	watched := make(chan struct{})
	go func() { srv.Watch(ctx, 10*time.Millisecond); close(watched) }()
	t.Cleanup(func() {
		cancel()
		<-watched
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		srv.Close()
	})

	admin := func(method, apiKey string) (int, string) {
		req, err := http.NewRequest(method, srv.URL()+"/admin/bots/VERSBOT001/versions", nil)
		if err != nil {
			t.Fatal(err)
		}
		if apiKey != "" {
			req.Header.Set("X-Api-Key", apiKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(body))
	}
	if code, _ := admin(http.MethodPost, ""); code == http.StatusOK {
		t.Error("POST without the API key succeeded")
	}
	if code, body := admin(http.MethodPost, key); code != http.StatusOK || body != `{"botId":"VERSBOT001","botVersion":"1"}` {
		t.Errorf("POST: %d %s", code, body)
	}
	if code, body := admin(http.MethodGet, key); code != http.StatusOK ||
		body != `{"botId":"VERSBOT001","botVersionSummaries":[{"botName":"Versioned","botVersion":"1","botStatus":"Available"}]}` {
		t.Errorf("GET: %d %s", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "versions", "1.zip")); err != nil {
		t.Errorf("version file: %v", err)
	}

	// A session started on the draft before the edit is kept.
	if got := say(t, srv.URL(), key, "TSTALIASID", "kept", "hello there"); got != "One." {
		t.Fatalf("draft before the edit: %q", got)
	}
	eventually(t, "the watcher to start", func() bool { return logs.count("watching bot files") == 1 })
	writeFile(t, filepath.Join(dir, "bot.yaml"), versionedBot("Two, edited.", prodOnVersion1))
	eventually(t, "the edit to be served", func() bool {
		return say(t, srv.URL(), key, "TSTALIASID", "s1", "hello there") == "Two, edited."
	})
	if got := say(t, srv.URL(), key, "PRODALIAS1", "s2", "hello there"); got != "One." {
		t.Errorf("alias on version 1 says %q, want One.", got)
	}

	writeFile(t, filepath.Join(dir, "bot.yaml"), versionedBot("Three.", prodOnVersion1)+"  nonsense: [\n")
	eventually(t, "the broken edit to be logged", func() bool { return logs.count("reload failed") == 1 })
	if got := say(t, srv.URL(), key, "TSTALIASID", "s1", "hello there"); got != "Two, edited." {
		t.Errorf("after a broken edit the draft says %q, want the last good one", got)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/bots/VERSBOT001/botAliases/TSTALIASID/botLocales/en_US/sessions/kept", nil)
	req.Header.Set("X-Api-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("session started before the reloads: %s", resp.Status)
	}
}

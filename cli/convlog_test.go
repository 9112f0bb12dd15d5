package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/convlog"
)

// obfuscatedHello is examples/hello with its Name slot obfuscated.
func obfuscatedHello(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../examples/hello/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "            slotConstraint: Required\n"
	if !bytes.Contains(data, []byte(anchor)) {
		t.Fatal("examples/hello/bot.yaml changed: no Name slotConstraint line to add obfuscation after")
	}
	return writeBot(t, strings.Replace(string(data), anchor, anchor+"            obfuscationSetting: DefaultObfuscation\n", 1))
}

// sayHello runs one RecognizeText turn of HELLOBOT01 in ko_KR.
func sayHello(t *testing.T, base, session, text string) {
	sayHelloStatus(t, base, session, text, http.StatusOK)
}

func sayHelloStatus(t *testing.T, base, session, text string, want int) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	resp, err := http.Post(base+"/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/"+session+"/text", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d", text, resp.StatusCode)
	}
}

// brokenOnRequest is the hello bot's code hook: it lets the dialog go on,
// except that it fails on a turn whose text ends in "고장".
func brokenOnRequest() map[string]cli.HookKind {
	return map[string]cli.HookKind{"node": {Usage: "node:PATH", New: func(string, *parley.CodeHookBinding, cli.HookEnv) (parley.CodeHook, error) {
		return parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			if strings.HasSuffix(ev.InputTranscript, "고장") {
				return nil, errors.New("hook down")
			}
			return parley.NopCodeHook.Invoke(ctx, ev)
		}), nil
	}}}
}

// servedLog serves the obfuscated hello bot with the conversation log in
// a temporary directory, runs turns (two missed, one giving the
// obfuscated name, one failing in the code hook), stops the server so the
// log is flushed, and returns the directory.
func servedLog(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "log")
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.ConversationLog = dir
	cfg.ConversationLogRetention = "30d"
	cfg.Bots = []string{obfuscatedHello(t)}
	srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{Kinds: brokenOnRequest()})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	stop := startServer(t, srv)
	sayHello(t, srv.URL(), "s1", "안녕")
	sayHello(t, srv.URL(), "s2", "저는 김민수입니다")
	sayHello(t, srv.URL(), "s2", "아니요")
	sayHello(t, srv.URL(), "s2", "날씨 어때")
	sayHello(t, srv.URL(), "s3", "오늘 날씨 어때요?")
	sayHelloStatus(t, srv.URL(), "s4", "내 이름은 박철수야 고장", http.StatusFailedDependency)
	stop()
	return dir
}

func TestConversationLog(t *testing.T) {
	dir := servedLog(t)
	if testing.Verbose() {
		t.Log("\n" + runCLI(t, "logs", "--dir", dir) + "\n" + runCLI(t, "stats", "--dir", dir))
	}
	// The turns may straddle midnight UTC: read every day's file.
	files, err := filepath.Glob(filepath.Join(dir, "turns-*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no log files in %s (%v)", dir, err)
	}
	var raw []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, data...)
	}
	if bytes.Contains(raw, []byte("민수")) || bytes.Contains(raw, []byte("철수")) {
		t.Errorf("the obfuscated name reached the log file:\n%s", raw)
	}
	if !bytes.Contains(raw, []byte(`"inputTranscript":"저는 {Name}입니다"`)) {
		t.Errorf("no masked input in the log file:\n%s", raw)
	}

	t.Run("logs", func(t *testing.T) {
		out := runCLI(t, "logs", "--dir", dir)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 6 {
			t.Fatalf("%d lines, want 6:\n%s", len(lines), out)
		}
		for i, want := range []string{
			`HELLOBOT01/TSTALIASID/ko_KR s1 HelloIntent`,
			`s2 HelloIntent 1.00 {Name={Name}} "저는 {Name}입니다" -> "{Name}님이 맞으세요? / [card: 확인해 주세요]"`,
			`s2 HelloIntent`,
			`s2 FallbackIntent MISSED "날씨 어때" -> "죄송해요`,
			`s3 FallbackIntent MISSED "오늘 날씨 어때요?"`,
			`s4 - "{redacted}"`,
		} {
			if !strings.Contains(lines[i], want) {
				t.Errorf("line %d = %s\nwant it to contain %s", i+1, lines[i], want)
			}
		}
	})
	t.Run("filters and export", func(t *testing.T) {
		out := runCLI(t, "logs", "--dir", dir, "--session", "s2", "--intent", "FallbackIntent", "--since", "1h", "--json")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 1 {
			t.Fatalf("%d records, want 1:\n%s", len(lines), out)
		}
		r, err := convlog.DecodeLine([]byte(lines[0]))
		if err != nil {
			t.Fatal(err)
		}
		if r.SessionID != "s2" || r.InputTranscript != "날씨 어때" || !r.MissedUtterance || r.Bot.Version != "DRAFT" || r.OperationName != convlog.OpRecognizeText {
			t.Errorf("exported record = %+v", r)
		}
		if out := runCLI(t, "logs", "--dir", dir, "--until", "1h"); out != "" {
			t.Errorf("turns older than an hour:\n%s", out)
		}
	})
	t.Run("stats", func(t *testing.T) {
		out := runCLI(t, "stats", "--dir", dir)
		for _, want := range []string{
			"turns 6, sessions 4, failed 1",
			"utterances 5, missed 2, fallback rate 40.0%",
			"HelloIntent         3   60.0%",
			"FallbackIntent      2   40.0%",
			`       2  "날씨 어때", "오늘 날씨 어때요?"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("stats lack %q:\n%s", want, out)
			}
		}
		out = runCLI(t, "stats", "--dir", dir, "--json", "--top", "1")
		var st convlog.Stats
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatal(err)
		}
		if st.Turns != 6 || st.Missed != 2 || len(st.MissedGroups) != 1 || st.MissedGroups[0].Count != 2 {
			t.Errorf("stats = %+v", st)
		}
	})
}

// lineWriter hands each write to a channel, so a test can wait for output.
type lineWriter struct {
	mu    sync.Mutex
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines <- string(p)
	return len(p), nil
}

func TestLogsFollowStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	sink, err := convlog.NewSink(dir, convlog.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := convlog.Record{Timestamp: time.Now().UTC(), OperationName: convlog.OpRecognizeText, SessionID: "live", Intent: "HelloIntent", InputTranscript: "안녕"}
	sink.Write(&r)
	sink.Close()

	out := &lineWriter{lines: make(chan string, 10)}
	root := cli.NewRootCommand(strings.NewReader(""), out, &bytes.Buffer{}, mapEnv(map[string]string{"PARLEY_CONVERSATION_LOG": dir}))
	root.SetArgs([]string{"logs", "--follow"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	if line := <-out.lines; !strings.Contains(line, `live HelloIntent "안녕"`) {
		t.Errorf("followed %q", line)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("logs --follow: %v", err)
	}
}

func TestConversationLogSettings(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantDir string
		wantRet string
		wantErr string
	}{
		{name: "flags", args: []string{"--conversation-log", "logs", "--conversation-log-retention", "30d"}, wantDir: "logs", wantRet: "30d"},
		{name: "env", env: map[string]string{"PARLEY_CONVERSATION_LOG": "/var/log/parley", "PARLEY_CONVERSATION_LOG_RETENTION": "72h"}, wantDir: "/var/log/parley", wantRet: "72h"},
		{name: "bad retention", args: []string{"--conversation-log-retention", "a week"}, wantErr: `conversationLogRetention "a week"`},
		{name: "zero days", args: []string{"--conversation-log-retention", "0d"}, wantErr: "positive number of days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig(t, "", tc.args, tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ConversationLog != tc.wantDir || cfg.ConversationLogRetention != tc.wantRet {
				t.Errorf("log %q retention %q", cfg.ConversationLog, cfg.ConversationLogRetention)
			}
		})
	}
}

func TestLogsCommandErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no directory", []string{"logs"}, "no conversation log directory: pass --dir DIR or set PARLEY_CONVERSATION_LOG"},
		{"missing directory", []string{"stats", "--dir", filepath.Join(dir, "nope")}, "conversation log: stat"},
		{"bad since", []string{"logs", "--dir", dir, "--since", "yesterday"}, `--since: "yesterday": want an RFC 3339 time`},
		{"bad until", []string{"stats", "--dir", dir, "--until", "-1h"}, `--until: "-1h"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := cli.Main(tc.args, strings.NewReader(""), &stdout, &stderr, mapEnv(nil)); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.want)
			}
		})
	}
}

// BenchmarkConversationLog compares a RecognizeText turn of the hello bot
// (in process, through the Lex API handler, no network) without and with
// the conversation log.
func BenchmarkConversationLog(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			cfg := cli.DefaultConfig()
			cfg.Addr = "127.0.0.1:0"
			cfg.Store = "memory:"
			cfg.NoHooks = true
			cfg.Bots = []string{"../examples/hello"}
			if on {
				cfg.ConversationLog = b.TempDir()
			}
			srv := cli.NewServer(cfg, slog.New(slog.DiscardHandler), cli.HookOptions{})
			if err := srv.Open(); err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			h := srv.Handler()
			body := []byte(`{"text":"오늘 날씨 어때요?"}`)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/bench/text", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

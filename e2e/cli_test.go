package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCLIChatPiped drives `parley chat` the way a script would: one input
// line in, one reply block (messages, then an empty line) out.
func TestCLIChatPiped(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{
			name: "greeting confirmed with a button number",
			input: "안녕\n" +
				"홍길동\n" +
				"1\n",
			want: "이름이 뭐예요?\n\n" +
				"홍길동님이 맞으세요?\n[확인해 주세요] 1) 네 2) 아니요\n\n" +
				"반가워요, 홍길동님! 좋은 하루 보내세요.\n\n",
		},
		{
			name: "confirmation declined in words, blank lines skipped",
			input: "안녕\n\n" +
				"홍길동\n" +
				"아니요\n",
			want: "이름이 뭐예요?\n\n" +
				"홍길동님이 맞으세요?\n[확인해 주세요] 1) 네 2) 아니요\n\n" +
				"알겠어요. 다시 시작하려면 '안녕'이라고 말해 주세요.\n\n",
		},
		{
			name:  "fallback",
			input: "오늘 주식 시장 전망 알려줘\n",
			want:  "죄송해요, 무슨 말인지 잘 모르겠어요. '안녕'이라고 인사해 주세요.\n\n",
		},
		{
			name:  "no input",
			input: "",
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runParley(t, tt.input, "chat", "../examples/hello", "--locale", "ko_KR")
			if r.Code != 0 {
				t.Fatalf("exit status %d\nstderr:\n%s", r.Code, r.Stderr)
			}
			if r.Stdout != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", r.Stdout, tt.want)
			}
		})
	}
}

func TestCLIChatErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{name: "unknown locale", args: []string{"chat", "../examples/hello", "--locale", "en_US"}, want: "no locale en_US"},
		{name: "missing bot", args: []string{"chat", filepath.Join(t.TempDir(), "nothing")}, want: "nothing"},
		{name: "no bot path", args: []string{"chat"}, want: "arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runParley(t, "안녕\n", tt.args...)
			if r.Code != 1 {
				t.Errorf("exit status %d, want 1", r.Code)
			}
			if !strings.Contains(r.Stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", r.Stderr, tt.want)
			}
		})
	}
}

func TestValidateExamples(t *testing.T) {
	r := runParley(t, "", "validate", "../examples/hello", "../examples/pizza")
	if r.Code != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	for _, want := range []string{
		"ok: ../examples/hello (bot HELLOBOT01, 1 locale, 2 intents",
		"ok: ../examples/pizza (bot PIZZABOT01, 1 locale, 4 intents, 4 slot types)",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.Stdout)
		}
	}
}

// brokenBot has a bad bot id, a misspelled key and a reference to a slot
// that does not exist: three problems in three places.
const brokenBot = `id: BROKEN
name: Broken
locales:
  ko_KR:
    intents:
      - name: HelloIntent
        sampleUtterance:
          - 안녕
      - name: NameIntent
        sampleUtterances:
          - 나는 {Nmae}이야
        slots:
          - name: Name
            slotTypeName: AMAZON.FirstName
            slotConstraint: Required
            prompt:
              messageGroups:
                - 이름이 뭐예요?
`

func TestValidateBroken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bot.yaml")
	if err := os.WriteFile(file, []byte(brokenBot), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runParley(t, "", "validate", dir)
	if r.Code != 1 {
		t.Fatalf("exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	located := regexp.MustCompile(`^(.+):(\d+):(\d+): (.+)$`)
	lines := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		m := located.FindStringSubmatch(l)
		if m == nil || m[1] != file {
			t.Errorf("line %q is not %s:LINE:COL: message", l, file)
			continue
		}
		lines[m[2]] = true
		t.Log(l)
	}
	// id on line 1, sampleUtterance on line 7, {Nmae} on line 11.
	for _, want := range []string{"1", "7", "11"} {
		if !lines[want] {
			t.Errorf("no problem reported on line %s:\n%s", want, r.Stdout)
		}
	}
	if !strings.Contains(r.Stdout, "did you mean") {
		t.Errorf("the misspelled key gets no suggestion:\n%s", r.Stdout)
	}
}

func TestServeBrokenBot(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte(brokenBot), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runParley(t, "", "serve", dir, "--addr", "127.0.0.1:0", "--store", "memory:")
	if r.Code != 1 {
		t.Fatalf("exit status %d, want 1\nstderr:\n%s", r.Code, r.Stderr)
	}
	if !regexp.MustCompile(`(?m)^.+bot\.yaml:1:\d+: `).MatchString(r.Stderr) {
		t.Errorf("stderr does not list the problems as file:line:col:\n%s", r.Stderr)
	}
}

func TestServeRefusesPublicAddress(t *testing.T) {
	r := runParley(t, "", "serve", "../examples/hello", "--addr", "0.0.0.0:0", "--store", "memory:")
	if r.Code != 1 {
		t.Fatalf("exit status %d, want 1\nstdout:\n%s", r.Code, r.Stdout)
	}
	for _, want := range []string{"0.0.0.0:0", "--api-key", "--insecure"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr does not mention %q:\n%s", want, r.Stderr)
		}
	}
}

func TestServePublicAddressInsecure(t *testing.T) {
	base := startServer(t, "../examples/hello", "--addr", "0.0.0.0:0", "--insecure")
	// The banner names the bound address; reach it over loopback.
	base = strings.Replace(base, "0.0.0.0", "127.0.0.1", 1)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s", resp.Status)
	}
}

// launchServe starts `parley serve args...` and reads its start-up lines
// up to the web chat line. The process is killed when the test ends unless
// the test has waited for it.
func launchServe(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(parleyBin, append([]string{"serve"}, args...)...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("parley serve stderr:\n%s", stderr.String())
		}
	})
	var banner strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "web chat: ") {
			break
		}
	}
	return cmd, banner.String()
}

// baseURL returns the address a banner announces.
func baseURL(t *testing.T, banner string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Parley listening on (http://\S+)$`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("no listening line in the banner:\n%s", banner)
	}
	return m[1]
}

func TestServeBanner(t *testing.T) {
	_, r := launchServe(t, "../examples/hello", "../examples/pizza", "--addr", "127.0.0.1:0", "--store", "memory:")
	if !regexp.MustCompile(`^Parley listening on http://127\.0\.0\.1:\d+\n`).MatchString(r) {
		t.Errorf("banner does not start with the bound address:\n%s", r)
	}
	for _, want := range []string{
		"bot HELLOBOT01 (HelloWorld) alias TSTALIASID locales ko_KR\n",
		"bot PIZZABOT01 (PizzaShop) alias TSTALIASID locales en_US\n",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("banner lacks %q:\n%s", want, r)
		}
	}
}

func TestServeAPIKey(t *testing.T) {
	const key = "test-key-123"
	base := startServer(t, "../examples/hello", "--api-key", key)
	lexURL := base + "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/apikey-1/text"
	lexBody := `{"text":"안녕"}`
	chatBody := `{"text":"안녕","sessionId":"apikey-2","botId":"HELLOBOT01"}`
	sigv4 := "AWS4-HMAC-SHA256 Credential=" + key + "/20260513/us-east-1/lex/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef"
	tests := []struct {
		name      string
		method    string
		path      string
		body      string
		header    map[string]string
		status    int
		errorType string // X-Amzn-ErrorType on Lex denials
	}{
		{name: "Lex without key", method: "POST", path: lexURL, body: lexBody, status: 403, errorType: "AccessDeniedException"},
		{name: "Lex with wrong key", method: "POST", path: lexURL, body: lexBody, header: map[string]string{"X-Api-Key": "nope"}, status: 403, errorType: "AccessDeniedException"},
		{name: "Lex with X-Api-Key", method: "POST", path: lexURL, body: lexBody, header: map[string]string{"X-Api-Key": key}, status: 200},
		{name: "Lex with SigV4 access key id", method: "POST", path: lexURL, body: lexBody, header: map[string]string{"Authorization": sigv4}, status: 200},
		{name: "Lex with bearer", method: "POST", path: lexURL, body: lexBody, header: map[string]string{"Authorization": "Bearer " + key}, status: 200},
		{name: "chat without key", method: "POST", path: base + "/chat", body: chatBody, status: 403},
		{name: "chat with X-Api-Key", method: "POST", path: base + "/chat", body: chatBody, header: map[string]string{"X-Api-Key": key}, status: 200},
		{name: "page needs no key", method: "GET", path: base + "/", status: 200},
		{name: "health needs no key", method: "GET", path: base + "/healthz", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tt.errorType {
				t.Errorf("X-Amzn-ErrorType = %q, want %q", got, tt.errorType)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := runParley(t, "", "version")
	if r.Code != 0 {
		t.Fatalf("exit status %d\nstderr:\n%s", r.Code, r.Stderr)
	}
	if !regexp.MustCompile(`^parley \S.* \(go1\.\d+`).MatchString(r.Stdout) {
		t.Errorf("version output %q", r.Stdout)
	}

	// A release build names its version with -ldflags -X on cli.version.
	bin := filepath.Join(t.TempDir(), "parley")
	build := exec.Command("go", "build", "-ldflags", "-X github.com/parleybot/parley/cli.version=v9.8.7-test", "-o", bin, "./cmd/parley")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "parley v9.8.7-test (go1.") {
		t.Errorf("version output %q", out)
	}
}

// TestServeH2C checks that the server speaks HTTP/2 without TLS to a
// client with prior knowledge, as the AWS JavaScript SDK does.
func TestServeH2C(t *testing.T) {
	base := startServer(t, "../examples/hello")
	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true)
	client := &http.Client{Transport: &http.Transport{Protocols: &protocols}}
	resp, err := client.Post(base+"/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/h2c-1/text",
		"application/json", strings.NewReader(`{"text":"안녕"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 || resp.StatusCode != http.StatusOK {
		t.Errorf("got %s %s, want HTTP/2.0 200", resp.Proto, resp.Status)
	}
}

// TestServeSQLiteRestart checks the embedded store end to end: a session
// written before a graceful shutdown (SIGTERM, exit status 0) is there
// after a restart on the same database file.
func TestServeSQLiteRestart(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	db := filepath.Join(t.TempDir(), "parley.db")
	session := "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/restart-1"

	cmd, banner := launchServe(t, "../examples/hello", "--addr", "127.0.0.1:0", "--store", "sqlite:"+db)
	base := baseURL(t, banner)
	resp, err := http.Post(base+session+"/text", "application/json", strings.NewReader(`{"text":"안녕"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("RecognizeText: %s", resp.Status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v, want exit status 0", err)
	}

	_, banner = launchServe(t, "../examples/hello", "--addr", "127.0.0.1:0", "--store", "sqlite:"+db)
	resp, err = http.Get(baseURL(t, banner) + session)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		SessionID    string `json:"sessionId"`
		SessionState struct {
			Intent struct {
				Name string `json:"name"`
			} `json:"intent"`
		} `json:"sessionState"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("GetSession %s: %v", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK || got.SessionID != "restart-1" || got.SessionState.Intent.Name != "HelloIntent" {
		t.Errorf("GetSession after restart: %s %+v", resp.Status, got)
	}
}

// TestCLIChatTerminal runs `parley chat` on a pseudo-terminal (made by
// util-linux script), where it uses line editing: replies are prefixed
// "bot>", cards are drawn with numbered buttons, and Ctrl-D ends the chat.
func TestCLIChatTerminal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("util-linux script is Linux-only")
	}
	script := requireTool(t, "script")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, script, "-qec", parleyBin+" chat ../examples/hello", "/dev/null")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Each line is typed once the prompt for it is shown: the line editor
	// switches the terminal to raw mode when it starts reading, and that
	// switch drops whatever was typed before it.
	for i, line := range []string{"안녕\r", "홍길동\r", "1\r", "\x04"} {
		for strings.Count(out.String(), "you> ") < i+1 {
			if ctx.Err() != nil {
				t.Fatalf("no prompt %d within the time limit:\n%s", i+1, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := io.WriteString(stdin, line); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := strings.ReplaceAll(out.String(), "\r\n", "\n")
	for _, want := range []string{
		"Chatting with HelloWorld (HELLOBOT01), locale ko_KR.",
		"bot> 이름이 뭐예요?\n",
		"bot> 홍길동님이 맞으세요?\n",
		"bot> [확인해 주세요]\n     1) 네\n     2) 아니요\n",
		"bot> 반가워요, 홍길동님! 좋은 하루 보내세요.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output lacks %q:\n%s", want, got)
		}
	}
}

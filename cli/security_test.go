package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/sigv4"
)

func writeSecret(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigSecurity(t *testing.T) {
	keysFile := writeSecret(t, "keys", "# Parley access keys\nAKIDONE secret-one\n\n  AKIDTWO:secret/two+x  \n")
	apiKeyFile := writeSecret(t, "api-key", "file-api-key\n")
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		flags []string
		check func(t *testing.T, c cli.Config)
	}{
		{
			name:  "access keys file, both line forms",
			flags: []string{"--access-keys-file", keysFile},
			check: func(t *testing.T, c cli.Config) {
				want := []cli.AccessKey{{AccessKeyID: "AKIDONE", SecretAccessKey: "secret-one"}, {AccessKeyID: "AKIDTWO", SecretAccessKey: "secret/two+x"}}
				if !reflect.DeepEqual(c.AccessKeys, want) {
					t.Errorf("AccessKeys = %+v, want %+v", c.AccessKeys, want)
				}
			},
		},
		{
			name: "YAML keys plus a file from the environment",
			file: "accessKeys:\n  - accessKeyId: AKIDYAML\n    secretAccessKey: yaml-secret\n",
			env:  map[string]string{"PARLEY_ACCESS_KEYS_FILE": keysFile},
			check: func(t *testing.T, c cli.Config) {
				if len(c.AccessKeys) != 3 || c.AccessKeys[0].AccessKeyID != "AKIDYAML" {
					t.Errorf("AccessKeys = %+v, want the YAML pair then the file's two", c.AccessKeys)
				}
			},
		},
		{
			name: "inline keys in the environment",
			env:  map[string]string{"PARLEY_ACCESS_KEYS": "AKIDA:sa,AKIDB:sb"},
			check: func(t *testing.T, c cli.Config) {
				want := []cli.AccessKey{{AccessKeyID: "AKIDA", SecretAccessKey: "sa"}, {AccessKeyID: "AKIDB", SecretAccessKey: "sb"}}
				if !reflect.DeepEqual(c.AccessKeys, want) {
					t.Errorf("AccessKeys = %+v, want %+v", c.AccessKeys, want)
				}
			},
		},
		{
			name: "API key file",
			env:  map[string]string{"PARLEY_API_KEY_FILE": apiKeyFile},
			check: func(t *testing.T, c cli.Config) {
				if c.APIKey != "file-api-key" {
					t.Errorf("APIKey = %q, want the file's", c.APIKey)
				}
			},
		},
		{
			name:  "CORS origins: flags win over the environment",
			env:   map[string]string{"PARLEY_CORS_ORIGINS": "https://a.example, https://b.example"},
			flags: []string{"--cors-origin", "https://c.example", "--cors-origin", "*"},
			check: func(t *testing.T, c cli.Config) {
				if want := []string{"https://c.example", "*"}; !reflect.DeepEqual(c.CORS.AllowedOrigins, want) {
					t.Errorf("AllowedOrigins = %q, want %q", c.CORS.AllowedOrigins, want)
				}
			},
		},
		{
			name: "CORS origins from the environment",
			env:  map[string]string{"PARLEY_CORS_ORIGINS": "https://a.example, https://b.example"},
			check: func(t *testing.T, c cli.Config) {
				if want := []string{"https://a.example", "https://b.example"}; !reflect.DeepEqual(c.CORS.AllowedOrigins, want) {
					t.Errorf("AllowedOrigins = %q, want %q", c.CORS.AllowedOrigins, want)
				}
			},
		},
		{
			name:  "rate limits",
			file:  "rateLimit:\n  perSession: 5/s\n  sessionBurst: 10\n",
			flags: []string{"--rate-limit-client", "600/m"},
			check: func(t *testing.T, c cli.Config) {
				want := cli.RateLimitConfig{PerSession: "5/s", PerClient: "600/m", SessionBurst: 10}
				if c.RateLimit != want {
					t.Errorf("RateLimit = %+v, want %+v", c.RateLimit, want)
				}
			},
		},
		{
			name:  "access keys allow a public address",
			flags: []string{"--addr", "0.0.0.0:0", "--access-keys-file", keysFile},
			check: func(t *testing.T, c cli.Config) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(t, tt.file, tt.flags, tt.env)
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfigSecurityErrors(t *testing.T) {
	dir := t.TempDir()
	badKeys := writeSecret(t, "bad-keys", "# ok\nAKIDONE secret-one\nAKIDTWO\n")
	tooMany := writeSecret(t, "three-fields", "AKIDONE secret-one extra\n")
	twoLines := writeSecret(t, "two-lines", "key-one\nkey-two\n")
	empty := writeSecret(t, "empty", "# nothing\n")
	tests := []struct {
		name     string
		file     string
		env      map[string]string
		flags    []string
		mentions []string
	}{
		{name: "missing keys file", flags: []string{"--access-keys-file", filepath.Join(dir, "nope")}, mentions: []string{"accessKeysFile", "nope", "no such file"}},
		{name: "line without secret", flags: []string{"--access-keys-file", badKeys}, mentions: []string{badKeys + ":3", "ACCESS_KEY_ID SECRET"}},
		{name: "three fields", flags: []string{"--access-keys-file", tooMany}, mentions: []string{tooMany + ":1", "3 fields"}},
		{name: "no pairs", flags: []string{"--access-keys-file", empty}, mentions: []string{empty, "no key pairs"}},
		{name: "missing API key file", env: map[string]string{"PARLEY_API_KEY_FILE": filepath.Join(dir, "nokey")}, mentions: []string{"apiKeyFile", "nokey"}},
		{name: "API key file of two lines", flags: []string{"--api-key-file", twoLines}, mentions: []string{twoLines + ":2"}},
		{name: "API key and file", flags: []string{"--api-key", "k", "--api-key-file", twoLines}, mentions: []string{"both apiKey and apiKeyFile"}},
		{name: "inline pair without secret", env: map[string]string{"PARLEY_ACCESS_KEYS": "AKIDZ:secret-one,AKIDA"}, mentions: []string{"PARLEY_ACCESS_KEYS:2"}},
		{name: "duplicate key id", file: "accessKeys:\n  - {accessKeyId: A, secretAccessKey: x}\n  - {accessKeyId: A, secretAccessKey: y}\n", mentions: []string{`"A" is given twice`}},
		{name: "bad origin", flags: []string{"--cors-origin", "shop.example.com"}, mentions: []string{`cors.allowedOrigins "shop.example.com"`}},
		{name: "bad rate", flags: []string{"--rate-limit-session", "fast"}, mentions: []string{`rateLimit.perSession "fast"`, "5/s"}},
		{name: "bad rate unit", file: "rateLimit: {perClient: 5/fortnight}\n", mentions: []string{"rateLimit.perClient"}},
		{name: "negative burst", flags: []string{"--rate-limit-client", "5/s", "--rate-limit-client-burst", "-1"}, mentions: []string{"burst -1"}},
		{name: "public address without credentials", flags: []string{"--addr", "0.0.0.0:0"}, mentions: []string{"access keys (--access-keys-file)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(t, tt.file, tt.flags, tt.env)
			if err == nil {
				t.Fatal("LoadConfig succeeded")
			}
			for _, m := range tt.mentions {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
			if strings.Contains(err.Error(), "secret-one") {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

const (
	testKeyID  = "AKIDPARLEYTEST"
	testSecret = "parley-test-secret"
	lexText    = "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/"
)

// signedRequest is a request to base+path signed as the AWS SDKs sign Lex
// calls.
func signedRequest(t *testing.T, method, url, body, keyID, secret string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "lex", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return r
}

type wireAnswer struct {
	status    int
	errorType string
	body      map[string]any
	header    http.Header
}

func send(t *testing.T, r *http.Request) wireAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &body)
	return wireAnswer{resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, resp.Header}
}

func TestServerSigV4(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.NoHooks = true
	cfg.Bots = []string{"../examples/hello"}
	cfg.APIKey = "chat-key"
	cfg.AccessKeys = []cli.AccessKey{{AccessKeyID: testKeyID, SecretAccessKey: testSecret}}
	srv := openServer(t, cfg)
	text := `{"text":"안녕"}`
	tests := []struct {
		name      string
		req       func() *http.Request
		status    int
		errorType string
		message   string
	}{
		{name: "signed", req: func() *http.Request {
			return signedRequest(t, "POST", srv.URL()+lexText+"sig-1/text", text, testKeyID, testSecret)
		}, status: 200},
		{name: "session id with colon", req: func() *http.Request {
			return signedRequest(t, "POST", srv.URL()+lexText+"us-east-1%3Aabc/text", text, testKeyID, testSecret)
		}, status: 200},
		{name: "wrong secret", req: func() *http.Request {
			return signedRequest(t, "POST", srv.URL()+lexText+"sig-1/text", text, testKeyID, "wrong")
		}, status: 403, errorType: "InvalidSignatureException", message: "The request signature we calculated does not match"},
		{name: "unknown key id", req: func() *http.Request {
			return signedRequest(t, "POST", srv.URL()+lexText+"sig-1/text", text, "AKIDNOBODY", testSecret)
		}, status: 403, errorType: "UnrecognizedClientException", message: "The security token included in the request is invalid."},
		{name: "body changed after signing", req: func() *http.Request {
			r := signedRequest(t, "POST", srv.URL()+lexText+"sig-1/text", text, testKeyID, testSecret)
			r.Body = io.NopCloser(strings.NewReader(`{"text":"안녕!"}`))
			r.ContentLength = -1
			return r
		}, status: 403, errorType: "InvalidSignatureException"},
		{name: "no signature", req: func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL()+lexText+"sig-1/text", strings.NewReader(text))
			return r
		}, status: 403, errorType: "MissingAuthenticationTokenException", message: "Missing Authentication Token"},
		{name: "API key is not enough for Lex once key pairs are set", req: func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL()+lexText+"sig-1/text", strings.NewReader(text))
			r.Header.Set("X-Api-Key", "chat-key")
			return r
		}, status: 403, errorType: "MissingAuthenticationTokenException"},
		{name: "access key id as API key no longer passes", req: func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL()+lexText+"sig-1/text", strings.NewReader(text))
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testKeyID+"/20260513/us-east-1/lex/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
			r.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
			return r
		}, status: 403, errorType: "InvalidSignatureException"},
		{name: "chat with the API key", req: func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL()+"/chat", strings.NewReader(`{"text":"안녕","botId":"HELLOBOT01"}`))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Api-Key", "chat-key")
			return r
		}, status: 200},
		{name: "chat signed", req: func() *http.Request {
			return signedRequest(t, "POST", srv.URL()+"/chat", `{"text":"안녕","botId":"HELLOBOT01"}`, testKeyID, testSecret)
		}, status: 200},
		{name: "chat without credentials", req: func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL()+"/chat", strings.NewReader(`{"text":"안녕","botId":"HELLOBOT01"}`))
			return r
		}, status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, tt.req())
			if got.status != tt.status || got.errorType != tt.errorType {
				t.Fatalf("answer %d %q %v, want %d %q", got.status, got.errorType, got.body, tt.status, tt.errorType)
			}
			if tt.errorType != "" {
				if got.body["__type"] != tt.errorType || !strings.Contains(got.body["message"].(string), tt.message) {
					t.Errorf("body %v, want __type %s and a message with %q", got.body, tt.errorType, tt.message)
				}
				if got.header.Get("X-Amzn-RequestId") == "" {
					t.Error("no X-Amzn-RequestId")
				}
			}
		})
	}
	// The refusals are counted for Prometheus.
	r, _ := http.NewRequest("GET", srv.URL()+"/metrics", nil)
	r.Header.Set("X-Api-Key", "chat-key")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	scraped, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`parley_http_rejected_total{api="lex",reason="auth"} 6`, `parley_http_rejected_total{api="chat",reason="auth"} 1`} {
		if !strings.Contains(string(scraped), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestServerCORS(t *testing.T) {
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.NoHooks = true
	cfg.Bots = []string{"../examples/hello"}
	cfg.CORS.AllowedOrigins = []string{"https://shop.example.com"}
	srv := openServer(t, cfg)
	tests := []struct {
		name, method, path, origin string
		requestHeaders             string
		status                     int
		allowOrigin                string
		allowHeaders               string
		expose                     bool
	}{
		{name: "Lex preflight", method: "OPTIONS", path: lexText + "c-1/text", origin: "https://shop.example.com",
			requestHeaders: "authorization,content-type,x-amz-date,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,x-amz-lex-session-state,x-evil",
			status:         204, allowOrigin: "https://shop.example.com",
			allowHeaders: "authorization, content-type, x-amz-date, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, x-amz-lex-session-state"},
		{name: "chat preflight", method: "OPTIONS", path: "/chat", origin: "https://shop.example.com", requestHeaders: "content-type, x-api-key",
			status: 204, allowOrigin: "https://shop.example.com", allowHeaders: "content-type, x-api-key"},
		{name: "preflight from another origin", method: "OPTIONS", path: "/chat", origin: "https://evil.example", requestHeaders: "content-type", status: 403},
		{name: "Lex call from the origin", method: "POST", path: lexText + "c-1/text", origin: "https://shop.example.com", status: 200, allowOrigin: "https://shop.example.com", expose: true},
		{name: "Lex call from another origin", method: "POST", path: lexText + "c-1/text", origin: "https://evil.example", status: 200},
		{name: "no Origin", method: "POST", path: lexText + "c-1/text", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := io.Reader(nil)
			if tt.method == "POST" {
				body = strings.NewReader(`{"text":"안녕"}`)
			}
			r, err := http.NewRequest(tt.method, srv.URL()+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			if tt.method == "OPTIONS" {
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", tt.requestHeaders)
			}
			got := send(t, r)
			if got.status != tt.status {
				t.Errorf("status %d, want %d", got.status, tt.status)
			}
			if o := got.header.Get("Access-Control-Allow-Origin"); o != tt.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", o, tt.allowOrigin)
			}
			if h := got.header.Get("Access-Control-Allow-Headers"); h != tt.allowHeaders {
				t.Errorf("Access-Control-Allow-Headers %q, want %q", h, tt.allowHeaders)
			}
			if tt.status == 204 && !strings.Contains(got.header.Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("Access-Control-Allow-Methods %q lacks POST", got.header.Get("Access-Control-Allow-Methods"))
			}
			expose := got.header.Get("Access-Control-Expose-Headers")
			if tt.expose != (strings.Contains(expose, "x-amzn-RequestId") && strings.Contains(expose, "x-amz-lex-session-state")) {
				t.Errorf("Access-Control-Expose-Headers %q (want exposed: %v)", expose, tt.expose)
			}
		})
	}
}

// clock is a settable time for the rate limits.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestRateLimits(t *testing.T) {
	clk := &clock{time.Date(2026, 5, 13, 9, 0, 0, 0, time.UTC)}
	rl, err := cli.NewRateLimits(cli.RateLimitConfig{PerSession: "1/s", SessionBurst: 2, PerClient: "10/m", ClientBurst: 4}, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, string(b))
	})
	lex, chat := rl.Lex(next), rl.Chat(next)
	type step struct {
		name      string
		h         http.Handler
		path      string
		body      string
		remote    string
		advance   time.Duration
		status    int
		retry     string
		errorType string
	}
	steps := []step{
		{name: "session burst 1", h: lex, path: lexText + "a/text", remote: "10.0.0.1:1", status: 200},
		{name: "session burst 2", h: lex, path: lexText + "a/text", remote: "10.0.0.1:1", status: 200},
		{name: "session over its rate", h: lex, path: lexText + "a/text", remote: "10.0.0.1:1", status: 429, retry: "1", errorType: "ThrottlingException"},
		{name: "other session of the client", h: lex, path: lexText + "b/text", remote: "10.0.0.1:1", status: 200},
		{name: "a second later", h: lex, path: lexText + "a/text", remote: "10.0.0.1:1", advance: time.Second, status: 200},
		{name: "client over its burst", h: lex, path: lexText + "c/text", remote: "10.0.0.1:2", status: 429, retry: "5", errorType: "ThrottlingException"},
		{name: "other client", h: lex, path: lexText + "c/text", remote: "10.0.0.2:1", status: 200},
		{name: "chat session 1", h: chat, path: "/chat", body: `{"sessionId":"w","botId":"B","text":"1"}`, remote: "10.0.0.3:1", status: 200},
		{name: "chat session 2", h: chat, path: "/chat", body: `{"sessionId":"w","botId":"B","text":"2"}`, remote: "10.0.0.3:1", status: 200},
		{name: "chat session over its rate", h: chat, path: "/chat", body: `{"sessionId":"w","botId":"B","text":"3"}`, remote: "10.0.0.3:1", status: 429, retry: "1"},
		{name: "chat new session", h: chat, path: "/chat", body: `{"botId":"B","text":"4"}`, remote: "10.0.0.3:1", status: 200},
	}
	for _, s := range steps {
		clk.t = clk.t.Add(s.advance)
		r := httptest.NewRequest(http.MethodPost, s.path, strings.NewReader(s.body))
		r.RemoteAddr = s.remote
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, r)
		if rec.Code != s.status || rec.Header().Get("Retry-After") != s.retry || rec.Header().Get("X-Amzn-ErrorType") != s.errorType {
			t.Errorf("%s: %d Retry-After %q %q, want %d %q %q\n%s", s.name, rec.Code, rec.Header().Get("Retry-After"),
				rec.Header().Get("X-Amzn-ErrorType"), s.status, s.retry, s.errorType, rec.Body.String())
		}
	}
	// The handler got each let-through chat body whole.
	if want := []string{`{"sessionId":"w","botId":"B","text":"1"}`, `{"sessionId":"w","botId":"B","text":"2"}`, `{"botId":"B","text":"4"}`}; !reflect.DeepEqual(seen[len(seen)-3:], want) {
		t.Errorf("chat bodies seen %q, want %q", seen[len(seen)-3:], want)
	}
	if n := rl.Buckets(); n == 0 {
		t.Fatal("no buckets held")
	}
	// Once every bucket has filled up again, the next request sweeps them.
	clk.t = clk.t.Add(time.Hour)
	r := httptest.NewRequest(http.MethodPost, lexText+"z/text", nil)
	r.RemoteAddr = "10.0.0.9:1"
	lex.ServeHTTP(httptest.NewRecorder(), r)
	if n := rl.Buckets(); n != 2 {
		t.Errorf("after an idle hour %d buckets, want 2 (the last request's session and client)", n)
	}
}

func TestNewRateLimitsNone(t *testing.T) {
	rl, err := cli.NewRateLimits(cli.RateLimitConfig{}, time.Now)
	if err != nil || rl != nil {
		t.Errorf("NewRateLimits(none) = %v, %v; want nil, nil", rl, err)
	}
}

// FuzzSecuritySettings feeds arbitrary access key, rate and origin
// settings (the parsers of the environment and of the keys file) to
// LoadConfig: it must not panic, must never echo a secret in its error,
// and what it accepts must be usable.
func FuzzSecuritySettings(f *testing.F) {
	f.Add("AKIDA:sa,AKIDB:sb", "AKIDC secret-c\n# c\n", "5/s", "https://a.example,*")
	f.Add("A", "A B C\n", "fast", "shop")
	f.Add(":,:", "\x00:\n", "1e309/s", ",,")
	f.Add("AKID:x", "AKID:y", "0.5/1m30s", "http://h:1/")
	f.Fuzz(func(t *testing.T, inline, file, rate, origins string) {
		keys := filepath.Join(t.TempDir(), "keys")
		if err := os.WriteFile(keys, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		env := mapEnv(map[string]string{
			"PARLEY_ACCESS_KEYS":        inline,
			"PARLEY_ACCESS_KEYS_FILE":   keys,
			"PARLEY_RATE_LIMIT_SESSION": rate,
			"PARLEY_CORS_ORIGINS":       origins,
		})
		fs := cli.NewConfigFlags()
		c, err := cli.LoadConfig(fs, nil, env)
		if err != nil {
			for _, secret := range []string{"sa", "sb", "secret-c", "B C"} {
				if strings.Contains(inline+file, secret) && strings.Contains(err.Error(), ":"+secret) {
					t.Fatalf("error shows a secret: %v", err)
				}
			}
			return
		}
		for _, k := range c.AccessKeys {
			if k.AccessKeyID == "" || k.SecretAccessKey == "" {
				t.Fatalf("accepted an empty key: %+v", c.AccessKeys)
			}
		}
		if _, err := cli.NewRateLimits(c.RateLimit, time.Now); err != nil {
			t.Fatalf("validated rate %q is refused: %v", c.RateLimit.PerSession, err)
		}
	})
}

// BenchmarkRequireSigV4 is the cost the signature check adds to a Lex
// request: reading the body, rebuilding the canonical request, four HMACs
// for the signing key and one for the signature.
func BenchmarkRequireSigV4(b *testing.B) {
	t := &testing.T{}
	keys := []cli.AccessKey{{AccessKeyID: testKeyID, SecretAccessKey: testSecret}}
	cfg := cli.DefaultConfig()
	cfg.AccessKeys = keys
	body := `{"text":"I want a large pepperoni pizza","sessionState":{"sessionAttributes":{"customer":"kim"}}}`
	signed := signedRequest(t, "POST", "http://127.0.0.1:8080"+lexText+"bench/text", body, testKeyID, testSecret)
	h := cli.RequireSigV4(sigv4.NewVerifier(sigv4.Keys{testKeyID: testSecret}, "lex", time.Now), slog.New(slog.DiscardHandler), nil,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", signed.URL.String(), strings.NewReader(body))
		r.Header = signed.Header.Clone()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	}
}

// BenchmarkRateLimits is what the two bucket checks add to a Lex request,
// over many sessions of a few clients.
func BenchmarkRateLimits(b *testing.B) {
	rl, err := cli.NewRateLimits(cli.RateLimitConfig{PerSession: "1000/s", PerClient: "1000000/s"}, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	h := rl.Lex(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	reqs := make([]*http.Request, 1024)
	for i := range reqs {
		reqs[i] = httptest.NewRequest("POST", lexText+"s"+strconv.Itoa(i)+"/text", nil)
		reqs[i].RemoteAddr = "10.0.0." + strconv.Itoa(i%8) + ":1"
	}
	w := httptest.NewRecorder()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.ServeHTTP(w, reqs[i%len(reqs)])
		i++
	}
}

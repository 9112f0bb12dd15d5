package openai_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/llm/llmtest"
	"github.com/parleybot/parley/llm/openai"
)

const testKey = "sk-test-5ecret-key"

// sleeps records the waits between retries instead of spending them.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// setup starts a fake and a client for it; edit adjusts the client's config.
func setup(t *testing.T, opts llmtest.Options, edit func(*openai.Config)) (*llmtest.Server, *openai.Client, *sleeps, *bytes.Buffer) {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	srv := llmtest.New(t, opts)
	var logs bytes.Buffer
	cfg := openai.Config{
		BaseURL:        srv.URL,
		APIKey:         testKey,
		Model:          llmtest.DefaultModel,
		EmbeddingModel: llmtest.DefaultEmbeddingModel,
		Logger:         slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := openai.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s := &sleeps{}
	openai.SetSleep(c, s.sleep)
	return srv, c, s, &logs
}

func ask(text string) *parley.ChatRequest {
	return &parley.ChatRequest{Messages: []parley.ChatMessage{
		{Role: parley.RoleSystem, Content: "You answer briefly."},
		{Role: parley.RoleUser, Content: "안녕"},
		{Role: parley.RoleAssistant, Content: "안녕하세요!"},
		{Role: parley.RoleUser, Content: text},
	}}
}

func wantCode(t *testing.T, err error, code parley.ErrorCode) *parley.Error {
	t.Helper()
	var pe *parley.Error
	if !errors.As(err, &pe) || pe.Code != code {
		t.Fatalf("error = %v, want a *parley.Error with code %s", err, code)
	}
	return pe
}

func TestChat(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Answer: func(r llmtest.Request) string {
		return "Lex는 대화형 봇 서비스입니다. (" + r.LastUser() + ")"
	}}, nil)
	temp := 0.0
	req := ask("Lex에 대해 설명해줘")
	req.MaxTokens = 50
	req.Temperature = &temp
	resp, err := c.Chat(t.Context(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := "Lex는 대화형 봇 서비스입니다. (Lex에 대해 설명해줘)"
	if resp.Content != want || resp.Model != llmtest.DefaultModel {
		t.Errorf("response = %+v, want content %q", resp, want)
	}
	if resp.PromptTokens != llmtest.Tokens("You answer briefly.")+llmtest.Tokens("안녕")+llmtest.Tokens("안녕하세요!")+llmtest.Tokens("Lex에 대해 설명해줘") ||
		resp.CompletionTokens != llmtest.Tokens(want) {
		t.Errorf("usage = %d+%d, want the server's", resp.PromptTokens, resp.CompletionTokens)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	got := reqs[0]
	if got.Header.Get("Authorization") != "Bearer "+testKey || got.Stream || got.MaxTokens != 50 {
		t.Errorf("request = %+v", got)
	}
	if got.Temperature == nil || *got.Temperature > 1e-6 {
		t.Errorf("temperature 0 was not sent as 0: %v", got.Temperature)
	}
	if !slices.Equal(got.Messages, req.Messages) {
		t.Errorf("messages = %v, want %v", got.Messages, req.Messages)
	}
}

func TestChatDefaults(t *testing.T) {
	temp := 0.7
	srv, c, _, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) {
		cfg.MaxTokens = 300
		cfg.Temperature = &temp
		cfg.Organization = "org-parley"
	})
	if _, err := c.Chat(t.Context(), ask("hi")); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	got := srv.Requests()[0]
	if got.MaxTokens != 300 || got.Temperature == nil || *got.Temperature < 0.69 || *got.Temperature > 0.71 || got.Header.Get("OpenAI-Organization") != "org-parley" {
		t.Errorf("request = %+v, want the config's max tokens, temperature and organisation", got)
	}
}

func TestChatStream(t *testing.T) {
	answer := "Parley는 Lex V2와 호환되는 봇 엔진입니다. It streams, piece by piece."
	srv, c, _, _ := setup(t, llmtest.Options{Answer: func(llmtest.Request) string { return answer }, ChunkDelay: time.Millisecond}, nil)
	var deltas []string
	resp, err := c.ChatStream(t.Context(), ask("Parley가 뭐야?"), func(d string) error {
		deltas = append(deltas, d)
		return nil
	})
	if err != nil {
		t.Fatalf("ChatStream: %v", err)
	}
	if !slices.Equal(deltas, llmtest.Pieces(answer)) {
		t.Errorf("deltas = %q, want %q", deltas, llmtest.Pieces(answer))
	}
	if resp.Content != answer || resp.CompletionTokens != llmtest.Tokens(answer) || resp.PromptTokens == 0 {
		t.Errorf("response = %+v", resp)
	}
	got := srv.Requests()[0]
	if !got.Stream || !got.IncludeUsage {
		t.Errorf("request stream=%v include_usage=%v, want both", got.Stream, got.IncludeUsage)
	}
}

func TestUsageEstimatedWhenMissing(t *testing.T) {
	answer := "twelve bytes"
	_, c, _, _ := setup(t, llmtest.Options{Answer: func(llmtest.Request) string { return answer }, OmitUsage: true}, nil)
	req := &parley.ChatRequest{Messages: []parley.ChatMessage{{Role: parley.RoleUser, Content: "sixteen bytes!!!"}}}
	for name, call := range map[string]func() (*parley.ChatResponse, error){
		"chat": func() (*parley.ChatResponse, error) { return c.Chat(t.Context(), req) },
		"stream": func() (*parley.ChatResponse, error) {
			return c.ChatStream(t.Context(), req, func(string) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := call()
			if err != nil {
				t.Fatal(err)
			}
			if resp.PromptTokens != 4 || resp.CompletionTokens != 3 {
				t.Errorf("usage = %d+%d, want the estimate 4+3", resp.PromptTokens, resp.CompletionTokens)
			}
		})
	}
}

func TestEmbed(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Dimensions: 64}, nil)
	texts := []string{"주문 취소는 어떻게 하나요?", "주문을 취소하고 싶어요", "The weather is nice today"}
	vecs, err := c.Embed(t.Context(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		if !slices.Equal(v, llmtest.Vector(texts[i], 64)) {
			t.Errorf("vector %d is not the fake's vector of %q", i, texts[i])
		}
	}
	if llmtest.Cosine(vecs[0], vecs[1]) <= llmtest.Cosine(vecs[0], vecs[2]) {
		t.Errorf("related texts are not closer than unrelated ones")
	}
	if got := srv.Requests()[0]; got.Model != llmtest.DefaultEmbeddingModel || !slices.Equal(got.Input, texts) {
		t.Errorf("request = %+v", got)
	}
}

func TestEmbedBatches(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Dimensions: 8}, nil)
	texts := make([]string, 300)
	for i := range texts {
		texts[i] = strings.Repeat("x", i%7+1) + " " + string(rune('가'+i))
	}
	vecs, err := c.Embed(t.Context(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	for i, v := range vecs {
		if !slices.Equal(v, llmtest.Vector(texts[i], 8)) {
			t.Fatalf("vector %d out of order", i)
		}
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests for 300 texts, want 3 batches", n)
	}
}

func TestEmbedValidation(t *testing.T) {
	_, c, _, _ := setup(t, llmtest.Options{}, nil)
	_, noModel, _, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) { cfg.EmbeddingModel = "" })
	tests := []struct {
		name  string
		c     *openai.Client
		texts []string
		want  string
	}{
		{"empty text", c, []string{"a", " "}, "texts[1]"},
		{"no embedding model", noModel, []string{"a"}, "EmbeddingModel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Embed(t.Context(), tt.texts)
			if pe := wantCode(t, err, parley.ErrValidation); !strings.Contains(pe.Message, tt.want) {
				t.Errorf("message %q does not name %q", pe.Message, tt.want)
			}
		})
	}
	if vecs, err := c.Embed(t.Context(), nil); err != nil || len(vecs) != 0 {
		t.Errorf("Embed(nil) = %v, %v", vecs, err)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		fault     llmtest.Fault
		times     int
		stream    bool
		wantErr   parley.ErrorCode // "" for success
		wantTries int
		wantWaits []time.Duration // nil: not checked beyond their count
	}{
		{"429 then success, Retry-After honoured", llmtest.Fault{Status: 429, RetryAfter: "7"}, 1, false, "", 2, []time.Duration{7 * time.Second}},
		{"500 twice then success", llmtest.Fault{Status: 500}, 2, false, "", 3, nil},
		{"stream 503 then success", llmtest.Fault{Status: 503, RetryAfter: "1"}, 1, true, "", 2, []time.Duration{time.Second}},
		{"persisting 429", llmtest.Fault{Status: 429, RetryAfter: "0"}, 10, false, parley.ErrThrottling, 3, []time.Duration{0, 0}},
		{"persisting 502", llmtest.Fault{Status: 502}, 10, true, parley.ErrDependencyFailed, 3, nil},
		{"400 is not retried", llmtest.Fault{Status: 400, Message: "bad"}, 1, false, parley.ErrDependencyFailed, 1, nil},
		{"garbage is not retried", llmtest.Fault{Garbage: true}, 1, false, parley.ErrDependencyFailed, 1, nil},
		{"garbage stream is not retried", llmtest.Fault{Garbage: true}, 1, true, parley.ErrDependencyFailed, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, s, _ := setup(t, llmtest.Options{}, nil)
			srv.FailNext(tt.times, tt.fault)
			var err error
			if tt.stream {
				_, err = c.ChatStream(t.Context(), ask("hi"), func(string) error { return nil })
			} else {
				_, err = c.Chat(t.Context(), ask("hi"))
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("err = %v, want success", err)
			}
			if tt.wantErr != "" {
				wantCode(t, err, tt.wantErr)
			}
			if n := len(srv.Requests()); n != tt.wantTries {
				t.Errorf("%d requests, want %d", n, tt.wantTries)
			}
			waits := s.all()
			if len(waits) != tt.wantTries-1 || (tt.wantWaits != nil && !slices.Equal(waits, tt.wantWaits)) {
				t.Errorf("waits = %v, want %d of them %v", waits, tt.wantTries-1, tt.wantWaits)
			}
		})
	}
}

func TestProxyErrorPage(t *testing.T) {
	srv, c, s, _ := setup(t, llmtest.Options{}, nil)
	srv.FailNext(1, llmtest.Fault{Status: 502, Body: "<html><body>nginx: bad gateway</body></html>"})
	srv.FailNext(1, llmtest.Fault{Status: 403, Body: "<html>forbidden by proxy</html>"})
	_, err := c.Chat(t.Context(), ask("hi"))
	pe := wantCode(t, err, parley.ErrDependencyFailed)
	if !strings.Contains(pe.Message, "403 Forbidden: <html>forbidden by proxy</html>") || !strings.Contains(pe.Message, "after 2 tries") {
		t.Errorf("message %q", pe.Message)
	}
	if len(s.all()) != 1 {
		t.Errorf("waits %v, want one retry after the 502", s.all())
	}
}

func TestRealSleep(t *testing.T) {
	// The client's own wait, not the test's: Retry-After 0 returns at once.
	srv, _, _, _ := setup(t, llmtest.Options{}, nil)
	c, err := openai.New(openai.Config{BaseURL: srv.URL, APIKey: testKey, Model: llmtest.DefaultModel})
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1, llmtest.Fault{Status: 503, RetryAfter: "0"})
	if _, err := c.Chat(t.Context(), ask("hi")); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestReasoningModel(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Model: "o3-mini"}, func(cfg *openai.Config) { cfg.Model = "o3-mini" })
	temp := 0.2
	req := ask("hi")
	req.MaxTokens = 99
	req.Temperature = &temp
	if _, err := c.Chat(t.Context(), req); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	got := srv.Requests()[0]
	if !strings.Contains(string(got.Body), `"max_completion_tokens":99`) || strings.Contains(string(got.Body), `"max_tokens"`) || got.Temperature != nil {
		t.Errorf("body %s, want max_completion_tokens and no temperature", got.Body)
	}
}

func TestNoRetryAfterPartialStream(t *testing.T) {
	answer := "one two three four five"
	srv, c, s, _ := setup(t, llmtest.Options{Answer: func(llmtest.Request) string { return answer }}, nil)
	srv.FailNext(1, llmtest.Fault{BreakAfter: 2})
	var deltas []string
	_, err := c.ChatStream(t.Context(), ask("count"), func(d string) error {
		deltas = append(deltas, d)
		return nil
	})
	wantCode(t, err, parley.ErrDependencyFailed)
	if !slices.Equal(deltas, llmtest.Pieces(answer)[:2]) {
		t.Errorf("deltas = %q, want the first two pieces once", deltas)
	}
	if n := len(srv.Requests()); n != 1 || len(s.all()) != 0 {
		t.Errorf("%d requests, %d waits: a partial stream was retried", n, len(s.all()))
	}
}

func TestStreamBreakBeforeFirstPieceIsNotRetried(t *testing.T) {
	// A cut stream is not among the retried failures even before its
	// first piece: the server may have billed and logged the answer.
	srv, c, _, _ := setup(t, llmtest.Options{}, nil)
	srv.FailNext(1, llmtest.Fault{BreakAfter: 1})
	srv.FailNext(1, llmtest.Fault{})
	_, err := c.ChatStream(t.Context(), ask("hi"), func(string) error { return nil })
	wantCode(t, err, parley.ErrDependencyFailed)
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestOnDeltaErrorStopsStream(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Answer: func(llmtest.Request) string { return "a b c d e" }}, nil)
	stop := errors.New("client went away")
	n := 0
	_, err := c.ChatStream(t.Context(), ask("hi"), func(string) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("err = %v, want onDelta's error unchanged", err)
	}
	if n != 2 || len(srv.Requests()) != 1 {
		t.Errorf("onDelta called %d times over %d requests, want 2 over 1", n, len(srv.Requests()))
	}
}

func TestTimeout(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "chat", true: "stream"}[stream], func(t *testing.T) {
			srv, c, s, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) { cfg.Timeout = 50 * time.Millisecond })
			srv.FailAlways(llmtest.Fault{Hang: true})
			var err error
			if stream {
				_, err = c.ChatStream(t.Context(), ask("hi"), func(string) error { return nil })
			} else {
				_, err = c.Chat(t.Context(), ask("hi"))
			}
			pe := wantCode(t, err, parley.ErrDependencyFailed)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(pe.Message, "deadline") {
				t.Errorf("err = %v, want a deadline", err)
			}
			if len(s.all()) != 0 {
				t.Errorf("a timed-out call was retried")
			}
		})
	}
}

func TestCallerCancel(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{}, nil)
	srv.FailAlways(llmtest.Fault{Hang: true})
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for len(srv.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Chat(ctx, ask("hi"))
	wantCode(t, err, parley.ErrDependencyFailed)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want canceled", err)
	}
}

func TestWrongKey(t *testing.T) {
	const wrong = "sk-wrong-and-secret-0123456789"
	srv, c, _, logs := setup(t, llmtest.Options{APIKey: "sk-the-right-one"}, func(cfg *openai.Config) { cfg.APIKey = wrong })
	for name, call := range map[string]func() error{
		"chat": func() error { _, err := c.Chat(t.Context(), ask("hi")); return err },
		"stream": func() error {
			_, err := c.ChatStream(t.Context(), ask("hi"), func(string) error { return nil })
			return err
		},
		"embed": func() error { _, err := c.Embed(t.Context(), []string{"hi"}); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			pe := wantCode(t, err, parley.ErrDependencyFailed)
			host := strings.TrimPrefix(strings.TrimSuffix(srv.URL, "/v1"), "http://")
			for _, want := range []string{"401", host, "Incorrect API key"} {
				if !strings.Contains(pe.Message, want) {
					t.Errorf("message %q does not name %q", pe.Message, want)
				}
			}
			if strings.Contains(err.Error(), wrong) {
				t.Errorf("error text leaks the key: %v", err)
			}
		})
	}
	if strings.Contains(logs.String(), wrong) {
		t.Errorf("logs leak the key: %s", logs)
	}
}

func TestKeyScrubbedFromRetryLogs(t *testing.T) {
	srv, c, _, logs := setup(t, llmtest.Options{}, nil)
	srv.FailAlways(llmtest.Fault{Status: 500, Message: "proxy saw key " + testKey + " and failed"})
	_, err := c.Chat(t.Context(), ask("hi"))
	pe := wantCode(t, err, parley.ErrDependencyFailed)
	if !strings.Contains(pe.Message, "500") || !strings.Contains(pe.Message, "proxy saw key [redacted]") {
		t.Errorf("message %q", pe.Message)
	}
	if strings.Count(logs.String(), "retrying") != openai.DefaultMaxRetries {
		t.Errorf("retries not logged: %s", logs)
	}
	if strings.Contains(err.Error(), testKey) || strings.Contains(logs.String(), testKey) {
		t.Errorf("key leaked:\nerror %v\nlogs %s", err, logs)
	}
}

func TestWrongModel(t *testing.T) {
	_, c, _, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) { cfg.Model = "gpt-nonexistent" })
	_, err := c.Chat(t.Context(), ask("hi"))
	if pe := wantCode(t, err, parley.ErrDependencyFailed); !strings.Contains(pe.Message, "404") || !strings.Contains(pe.Message, "gpt-nonexistent") {
		t.Errorf("message %q", pe.Message)
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := openai.New(openai.Config{BaseURL: "http://" + addr + "/v1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	s := &sleeps{}
	openai.SetSleep(c, s.sleep)
	_, err = c.Chat(t.Context(), ask("hi"))
	if pe := wantCode(t, err, parley.ErrDependencyFailed); !strings.Contains(pe.Message, addr) {
		t.Errorf("message %q does not name %s", pe.Message, addr)
	}
	if len(s.all()) != openai.DefaultMaxRetries {
		t.Errorf("%d waits, want %d retries", len(s.all()), openai.DefaultMaxRetries)
	}
}

func TestNoRetries(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) { cfg.MaxRetries = -1 })
	srv.FailNext(1, llmtest.Fault{Status: 429})
	_, err := c.Chat(t.Context(), ask("hi"))
	wantCode(t, err, parley.ErrThrottling)
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRetryAfterBeyondDeadline(t *testing.T) {
	srv, c, s, _ := setup(t, llmtest.Options{}, func(cfg *openai.Config) { cfg.Timeout = time.Minute })
	srv.FailNext(1, llmtest.Fault{Status: 429, RetryAfter: "3600"})
	_, err := c.Chat(t.Context(), ask("hi"))
	wantCode(t, err, parley.ErrThrottling)
	if len(s.all()) != 0 {
		t.Errorf("waited %v past the deadline", s.all())
	}
}

func TestAzure(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Model: "my-gpt-4.1-deploy", EmbeddingModel: "my-embed"}, func(cfg *openai.Config) {
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/v1") // the resource's endpoint
		cfg.AzureAPIVersion = "2024-10-21"
		cfg.Model = "my-gpt-4.1-deploy"
		cfg.EmbeddingModel = "my-embed"
	})
	if _, err := c.Chat(t.Context(), ask("hi")); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if _, err := c.ChatStream(t.Context(), ask("hi"), func(string) error { return nil }); err != nil {
		t.Fatalf("ChatStream: %v", err)
	}
	if _, err := c.Embed(t.Context(), []string{"hi"}); err != nil {
		t.Fatalf("Embed: %v", err)
	}
	reqs := srv.Requests()
	want := []string{"/openai/deployments/my-gpt-4.1-deploy/chat/completions", "/openai/deployments/my-gpt-4.1-deploy/chat/completions", "/openai/deployments/my-embed/embeddings"}
	for i, r := range reqs {
		if r.Path != want[i] || r.Query != "api-version=2024-10-21" || r.Header.Get("api-key") != testKey || r.Header.Get("Authorization") != "" {
			t.Errorf("request %d: %s?%s api-key=%q authorization=%q", i, r.Path, r.Query, r.Header.Get("api-key"), r.Header.Get("Authorization"))
		}
	}
}

func TestNewValidation(t *testing.T) {
	neg := -1.0
	tests := []struct {
		name string
		cfg  openai.Config
		want string // the field the message names; "" when valid
	}{
		{"ollama needs no key", openai.Config{BaseURL: "http://localhost:11434/v1", Model: "llama3.2"}, ""},
		{"openai default", openai.Config{APIKey: "k", Model: "gpt-4o-mini"}, ""},
		{"no model", openai.Config{APIKey: "k"}, "Model"},
		{"openai without key", openai.Config{Model: "gpt-4o-mini"}, "APIKey"},
		{"azure without key", openai.Config{BaseURL: "https://x.openai.azure.com", Model: "d", AzureAPIVersion: "2024-10-21"}, "APIKey"},
		{"bad base URL", openai.Config{BaseURL: "localhost:11434", Model: "m"}, "BaseURL"},
		{"negative timeout", openai.Config{BaseURL: "http://h/v1", Model: "m", Timeout: -time.Second}, "Timeout"},
		{"negative max tokens", openai.Config{BaseURL: "http://h/v1", Model: "m", MaxTokens: -1}, "MaxTokens"},
		{"temperature out of range", openai.Config{BaseURL: "http://h/v1", Model: "m", Temperature: &neg}, "Temperature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openai.New(tt.cfg)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if pe := wantCode(t, err, parley.ErrValidation); !strings.Contains(pe.Message, tt.want) {
				t.Errorf("message %q does not name %s", pe.Message, tt.want)
			}
		})
	}
}

func TestChatRequestValidation(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{}, nil)
	tests := []struct {
		name string
		req  *parley.ChatRequest
	}{
		{"nil", nil},
		{"no messages", &parley.ChatRequest{}},
		{"unknown role", &parley.ChatRequest{Messages: []parley.ChatMessage{{Role: "tool", Content: "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Chat(t.Context(), tt.req)
			wantCode(t, err, parley.ErrValidation)
			_, err = c.ChatStream(t.Context(), tt.req, func(string) error { return nil })
			wantCode(t, err, parley.ErrValidation)
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d invalid requests were sent", n)
	}
}

func TestConcurrentCalls(t *testing.T) {
	srv, c, _, _ := setup(t, llmtest.Options{Answer: func(r llmtest.Request) string { return "re: " + r.LastUser() }}, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			text := string(rune('a' + i))
			var resp *parley.ChatResponse
			var err error
			if i%2 == 0 {
				resp, err = c.Chat(t.Context(), ask(text))
			} else {
				resp, err = c.ChatStream(t.Context(), ask(text), func(string) error { return nil })
			}
			if err == nil && resp.Content != "re: "+text {
				err = errors.New("crossed answer " + resp.Content + " for " + text)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(srv.Requests()); n != 20 {
		t.Errorf("%d requests, want 20", n)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		retryAfter string
		lo, hi     time.Duration
	}{
		{"seconds", 0, "3", 3 * time.Second, 3 * time.Second},
		{"past date", 0, "Wed, 21 Oct 2015 07:28:00 GMT", 0, 0},
		{"first try", 0, "", 250 * time.Millisecond, 500 * time.Millisecond},
		{"third try", 2, "", time.Second, 2 * time.Second},
		{"capped", 20, "junk", 4 * time.Second, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := openai.Backoff(tt.n, tt.retryAfter); d < tt.lo || d > tt.hi {
				t.Errorf("backoff = %v, want within [%v, %v]", d, tt.lo, tt.hi)
			}
		})
	}
}

package llmtest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/llm/llmtest"
)

// post sends a raw request as an OpenAI client would.
func post(t *testing.T, ctx context.Context, url, key, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

type apiErrorBody struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

const hello = `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"안녕"}]}`

func TestChatValidation(t *testing.T) {
	tests := []struct {
		name       string
		key        string
		body       string
		wantStatus int
		wantParam  string
	}{
		{"valid", "k", hello, 200, ""},
		{"valid with options", "k", `{"model":"m","messages":[{"role":"user","content":""}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":5,"temperature":0}`, 200, ""},
		{"no key", "", hello, 401, ""},
		{"wrong key", "nope", hello, 401, ""},
		{"wrong model", "k", `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}`, 404, ""},
		{"no model", "k", `{"messages":[{"role":"user","content":"x"}]}`, 400, "model"},
		{"not JSON", "k", `{"model":`, 400, ""},
		{"no messages", "k", `{"model":"m"}`, 400, "messages"},
		{"empty messages", "k", `{"model":"m","messages":[]}`, 400, "messages"},
		{"bad role", "k", `{"model":"m","messages":[{"role":"robot","content":"x"}]}`, 400, "messages[0].role"},
		{"tool role", "k", `{"model":"m","messages":[{"role":"user","content":"x"},{"role":"tool","content":"x"}]}`, 400, "messages[1].role"},
		{"content not a string", "k", `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}`, 400, "messages[0].content"},
		{"content null", "k", `{"model":"m","messages":[{"role":"user","content":null}]}`, 400, "messages[0].content"},
		{"stream not bool", "k", `{"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"}`, 400, "stream"},
		{"stream_options without stream", "k", `{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true}}`, 400, "stream_options"},
		{"max_tokens zero", "k", `{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0}`, 400, "max_tokens"},
		{"temperature too high", "k", `{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":2.5}`, 400, "temperature"},
	}
	srv := llmtest.New(t, llmtest.Options{Model: "m", APIKey: "k"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, t.Context(), srv.URL+"/chat/completions", tt.key, tt.body)
			if resp.StatusCode != tt.wantStatus {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, b)
			}
			if tt.wantStatus == 200 {
				return
			}
			var e apiErrorBody
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error.Message == "" {
				t.Fatalf("error body: %v %+v", err, e)
			}
			if tt.wantParam != "" && (e.Error.Param == nil || *e.Error.Param != tt.wantParam) {
				t.Errorf("param = %v, want %q", e.Error.Param, tt.wantParam)
			}
		})
	}
}

func TestChatAnswer(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{Answer: func(r llmtest.Request) string { return "echo " + r.LastUser() }})
	resp := post(t, t.Context(), srv.URL+"/chat/completions", "", strings.Replace(hello, `"m"`, `"`+llmtest.DefaultModel+`"`, 1))
	var got struct {
		Object  string `json:"object"`
		Model   string `json:"model"`
		Choices []struct {
			Message      parley.ChatMessage `json:"message"`
			FinishReason string             `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
			TotalTokens      int `json:"total_tokens"`
		} `json:"usage"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Object != "chat.completion" || got.Model != llmtest.DefaultModel || len(got.Choices) != 1 ||
		got.Choices[0].Message != (parley.ChatMessage{Role: "assistant", Content: "echo 안녕"}) || got.Choices[0].FinishReason != "stop" {
		t.Errorf("answer = %+v", got)
	}
	// "Be ", "brie", "f." and "안녕"; "echo ", "안녕".
	if got.Usage.PromptTokens != 4 || got.Usage.CompletionTokens != 2 || got.Usage.TotalTokens != 6 {
		t.Errorf("usage = %+v, want 4+2", got.Usage)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Kind != llmtest.KindChat || reqs[0].Status != 200 || len(reqs[0].Messages) != 2 || reqs[0].Messages[0].Role != parley.RoleSystem {
		t.Errorf("recorded %+v", reqs)
	}
}

// events reads a Server-Sent Events body into the data of its events,
// checking that each data line is followed by a blank line.
func events(t *testing.T, body io.Reader) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			t.Fatalf("line %q is not a data line", sc.Text())
		}
		out = append(out, data)
		if !sc.Scan() || sc.Text() != "" {
			t.Fatalf("event %q not followed by a blank line", data)
		}
	}
	return out
}

type chunk struct {
	Choices []struct {
		Delta struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

func TestStream(t *testing.T) {
	answer := "스트리밍 답변은 조각조각 도착합니다, one piece at a time."
	tests := []struct {
		name      string
		options   string
		omitUsage bool
		wantUsage bool
	}{
		{"with usage", `,"stream_options":{"include_usage":true}`, false, true},
		{"without usage asked", ``, false, false},
		{"server omits usage", `,"stream_options":{"include_usage":true}`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Options{Model: "m", OmitUsage: tt.omitUsage, Answer: func(llmtest.Request) string { return answer }})
			resp := post(t, t.Context(), srv.URL+"/chat/completions", "", `{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true`+tt.options+`}`)
			if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
				t.Errorf("content type %q", ct)
			}
			evs := events(t, resp.Body)
			if len(evs) == 0 || evs[len(evs)-1] != "[DONE]" {
				t.Fatalf("stream does not end with [DONE]: %q", evs)
			}
			var pieces []string
			var finished, usage bool
			for i, ev := range evs[:len(evs)-1] {
				var c chunk
				if err := json.Unmarshal([]byte(ev), &c); err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
				if c.Usage != nil {
					usage = true
					if len(c.Choices) != 0 || c.Usage.CompletionTokens != llmtest.Tokens(answer) || i != len(evs)-2 {
						t.Errorf("usage chunk %d: %s", i, ev)
					}
					continue
				}
				if tt.wantUsage && !strings.Contains(ev, `"usage":null`) {
					t.Errorf("chunk %d lacks usage: null: %s", i, ev)
				}
				if len(c.Choices) != 1 {
					t.Fatalf("chunk %d: %s", i, ev)
				}
				if i == 0 && c.Choices[0].Delta.Role != "assistant" {
					t.Errorf("first chunk has no role: %s", ev)
				}
				if c.Choices[0].FinishReason != nil {
					finished = *c.Choices[0].FinishReason == "stop" && strings.Contains(ev, `"delta":{}`)
					continue
				}
				if c.Choices[0].Delta.Content != "" {
					pieces = append(pieces, c.Choices[0].Delta.Content)
				}
			}
			if !slices.Equal(pieces, llmtest.Pieces(answer)) || strings.Join(pieces, "") != answer {
				t.Errorf("pieces = %q", pieces)
			}
			if !finished || usage != tt.wantUsage {
				t.Errorf("finished=%v usage=%v, want true %v", finished, usage, tt.wantUsage)
			}
		})
	}
}

func TestStreamFlushesBeforeTheEnd(t *testing.T) {
	// With a long ChunkDelay, the first event arrives while the answer is
	// still being written: the fake flushes each event.
	srv := llmtest.New(t, llmtest.Options{ChunkDelay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	resp := post(t, ctx, srv.URL+"/chat/completions", "", `{"model":"`+llmtest.DefaultModel+`","messages":[{"role":"user","content":"hi"}],"stream":true}`)
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.Contains(line, `"role":"assistant"`) {
		t.Fatalf("first line %q, %v", line, err)
	}
}

func TestFaults(t *testing.T) {
	body := `{"model":"` + llmtest.DefaultModel + `","messages":[{"role":"user","content":"hi"}]}`
	stream := strings.TrimSuffix(body, "}") + `,"stream":true}`
	t.Run("status with Retry-After, then healthy", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{})
		srv.FailNext(1, llmtest.Fault{Status: 429, RetryAfter: "2", Message: "slow down"})
		resp := post(t, t.Context(), srv.URL+"/chat/completions", "", body)
		var e apiErrorBody
		json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || e.Error.Message != "slow down" {
			t.Errorf("status %d, Retry-After %q, error %+v", resp.StatusCode, resp.Header.Get("Retry-After"), e)
		}
		if resp := post(t, t.Context(), srv.URL+"/chat/completions", "", body); resp.StatusCode != 200 {
			t.Errorf("second request: %d", resp.StatusCode)
		}
	})
	t.Run("always, then healed", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{})
		srv.FailAlways(llmtest.Fault{Status: 500})
		for range 2 {
			if resp := post(t, t.Context(), srv.URL+"/embeddings", "", `{"model":"`+llmtest.DefaultEmbeddingModel+`","input":"x"}`); resp.StatusCode != 500 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}
		srv.FailAlways(llmtest.Fault{})
		if resp := post(t, t.Context(), srv.URL+"/chat/completions", "", body); resp.StatusCode != 200 {
			t.Errorf("healed: %d", resp.StatusCode)
		}
	})
	t.Run("hang ends when the client gives up", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{})
		srv.FailNext(1, llmtest.Fault{Hang: true})
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/chat/completions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the client's deadline", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{})
		srv.FailNext(2, llmtest.Fault{Garbage: true})
		for _, b := range []string{body, stream} {
			resp := post(t, t.Context(), srv.URL+"/chat/completions", "", b)
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || json.Valid(raw) || strings.Contains(string(raw), "[DONE]") {
				t.Errorf("status %d body %q", resp.StatusCode, raw)
			}
		}
	})
	t.Run("broken stream", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{Answer: func(llmtest.Request) string { return "a b c d" }})
		srv.FailNext(1, llmtest.Fault{BreakAfter: 2})
		resp := post(t, t.Context(), srv.URL+"/chat/completions", "", stream)
		raw, err := io.ReadAll(resp.Body)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("read err = %v, want a cut connection", err)
		}
		if n := strings.Count(string(raw), "data: "); n != 3 || strings.Contains(string(raw), "[DONE]") {
			t.Errorf("got %q, want the role chunk and two pieces", raw)
		}
	})
}

func TestLatency(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{Model: "m", Latency: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/chat/completions", strings.NewReader(hello))
	req.Header.Set("Content-Type", "application/json")
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v: a slow model answered before the client's deadline", err)
	}
}

func TestEmbeddings(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{EmbeddingModel: "e", Dimensions: 32})
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantInput  []string
	}{
		{"one string", `{"model":"e","input":"안녕하세요"}`, 200, []string{"안녕하세요"}},
		{"array", `{"model":"e","input":["a","b c"],"encoding_format":"float"}`, 200, []string{"a", "b c"}},
		{"wrong model", `{"model":"x","input":"a"}`, 404, nil},
		{"empty string", `{"model":"e","input":["a",""]}`, 400, nil},
		{"empty array", `{"model":"e","input":[]}`, 400, nil},
		{"tokens", `{"model":"e","input":[[1,2]]}`, 400, nil},
		{"base64", `{"model":"e","input":"a","encoding_format":"base64"}`, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, t.Context(), srv.URL+"/embeddings", "", tt.body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			var got struct {
				Data []struct {
					Index     int       `json:"index"`
					Embedding []float32 `json:"embedding"`
				} `json:"data"`
				Model string `json:"model"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if len(got.Data) != len(tt.wantInput) || got.Model != "e" {
				t.Fatalf("answer %+v", got)
			}
			for i, d := range got.Data {
				if d.Index != i || !slices.Equal(d.Embedding, llmtest.Vector(tt.wantInput[i], 32)) {
					t.Errorf("vector %d wrong", i)
				}
			}
		})
	}
}

func TestAzureRoutes(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{Model: "dep", APIKey: "k"})
	tests := []struct {
		name, path, key string
		want            int
	}{
		{"ok", "/openai/deployments/dep/chat/completions?api-version=2024-10-21", "k", 200},
		{"no api-version", "/openai/deployments/dep/chat/completions", "k", 404},
		{"wrong key", "/openai/deployments/dep/chat/completions?api-version=2024-10-21", "x", 401},
		{"wrong deployment", "/openai/deployments/other/chat/completions?api-version=2024-10-21", "k", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.AzureURL+tt.path, strings.NewReader(hello))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("api-key", tt.key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestUnknownRouteIsRecorded(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{})
	if resp := post(t, t.Context(), srv.URL+"/completions", "", `{}`); resp.StatusCode != 404 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Path != "/v1/completions" || reqs[0].Kind != "" {
		t.Errorf("recorded %+v", reqs)
	}
}

func TestPieces(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"hi there", []string{"hi ", "ther", "e"}},
		{"  lead", []string{"  ", "lead"}},
		{"안녕하세요 반가워요", []string{"안녕하세", "요 ", "반가워요"}},
		{"你好世界你好", []string{"你好世界", "你好"}},
		{"a\nb", []string{"a\n", "b"}},
	}
	for _, tt := range tests {
		if got := llmtest.Pieces(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Pieces(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVector(t *testing.T) {
	a := llmtest.Vector("환불은 어떻게 받나요?", 128)
	b := llmtest.Vector("환불 받는 방법", 128)
	c := llmtest.Vector("what time is it", 128)
	if llmtest.Cosine(a, b) <= llmtest.Cosine(a, c) {
		t.Errorf("cos(related) %.3f <= cos(unrelated) %.3f", llmtest.Cosine(a, b), llmtest.Cosine(a, c))
	}
	if got := llmtest.Cosine(a, llmtest.Vector("환불은 어떻게 받나요?", 128)); got < 0.9999 {
		t.Errorf("not deterministic: %f", got)
	}
	var norm float64
	for _, x := range a {
		norm += float64(x) * float64(x)
	}
	if norm < 0.999 || norm > 1.001 {
		t.Errorf("norm² = %f, want 1", norm)
	}
}

package llmtest_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/llm/llmtest"
)

// FuzzParseChat feeds arbitrary bodies to the chat request validator: it
// must not panic, and what it accepts must be a request the API would
// take, which reads back the same once encoded again.
func FuzzParseChat(f *testing.F) {
	for _, s := range []string{
		`{"model":"m","messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"m","messages":[{"role":"system","content":"x"},{"role":"assistant","content":""}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":3,"temperature":1.5}`,
		`{"model":"m","messages":[{"role":"user","content":null}]}`,
		`{"model":"m","messages":[{"role":"tool","content":"x"}],"stream":null}`,
		`{"model":"","messages":[]}`,
		`[]`, `null`, `{"model":1}`, `{"model":"m","messages":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := llmtest.ParseChat(body)
		if err != nil {
			return
		}
		if req.Model == "" || len(req.Messages) == 0 {
			t.Fatalf("accepted %q without model or messages", body)
		}
		for _, m := range req.Messages {
			if m.Role != parley.RoleSystem && m.Role != parley.RoleUser && m.Role != parley.RoleAssistant {
				t.Fatalf("accepted role %q", m.Role)
			}
		}
		if tp := req.Temperature; tp != nil && (*tp < 0 || *tp > 2) {
			t.Fatalf("accepted temperature %v", *req.Temperature)
		}
		if req.IncludeUsage && !req.Stream {
			t.Fatalf("accepted stream_options without stream")
		}
		again := map[string]any{"model": req.Model, "messages": req.Messages, "stream": req.Stream}
		if req.Stream {
			again["stream_options"] = map[string]bool{"include_usage": req.IncludeUsage}
		}
		if req.MaxTokens > 0 {
			again["max_tokens"] = req.MaxTokens
		}
		if req.Temperature != nil {
			again["temperature"] = *req.Temperature
		}
		b, _ := json.Marshal(again)
		back, err := llmtest.ParseChat(b)
		if err != nil || back.Model != req.Model || !slices.Equal(back.Messages, req.Messages) || back.Stream != req.Stream ||
			back.IncludeUsage != req.IncludeUsage || back.MaxTokens != req.MaxTokens {
			t.Fatalf("round trip of %q: %+v, %v", body, back, err)
		}
	})
}

// FuzzParseEmbeddings: no panic, and accepted input is never empty.
func FuzzParseEmbeddings(f *testing.F) {
	for _, s := range []string{
		`{"model":"e","input":"x"}`, `{"model":"e","input":["a","b"],"encoding_format":"float"}`,
		`{"model":"e","input":[null]}`, `{"model":"e","input":[[1]]}`, `{"model":"e"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := llmtest.ParseEmbeddings(body)
		if err != nil {
			return
		}
		if req.Model == "" || len(req.Input) == 0 || slices.Contains(req.Input, "") {
			t.Fatalf("accepted %q as %+v", body, req)
		}
	})
}

// FuzzPieces: pieces always join back to the text and none is empty.
func FuzzPieces(f *testing.F) {
	for _, s := range []string{"", "hello world", "안녕하세요 반가워요", "你好世界你好", " \t\n", "a\xffb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps := llmtest.Pieces(s)
		joined := ""
		for _, p := range ps {
			if p == "" {
				t.Fatalf("empty piece in %q", ps)
			}
			joined += p
		}
		if joined != string([]rune(s)) {
			t.Fatalf("Pieces(%q) joins to %q", s, joined)
		}
	})
}

package openai_test

import (
	"strings"
	"testing"

	"github.com/parleybot/parley/llm/llmtest"
	"github.com/parleybot/parley/llm/openai"
)

// BenchmarkChat measures the client's own cost per call (request building,
// the library, JSON, loopback HTTP) against the fake, which answers at once.
func BenchmarkChat(b *testing.B) {
	answer := strings.Repeat("토큰 ", 50)
	srv := llmtest.New(b, llmtest.Options{Answer: func(llmtest.Request) string { return answer }})
	c, err := openai.New(openai.Config{BaseURL: srv.URL, Model: llmtest.DefaultModel})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Chat(b.Context(), ask("hi")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChatStream is the same with a 50-piece streamed answer.
func BenchmarkChatStream(b *testing.B) {
	answer := strings.Repeat("토큰 ", 50)
	srv := llmtest.New(b, llmtest.Options{Answer: func(llmtest.Request) string { return answer }})
	c, err := openai.New(openai.Config{BaseURL: srv.URL, Model: llmtest.DefaultModel})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.ChatStream(b.Context(), ask("hi"), func(string) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

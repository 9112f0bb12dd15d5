package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/llm/llmtest"
)

func TestKBCommand(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{})
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{"index", []string{"kb", "index", "../examples/assistant"}, nil, 0, []string{"ASSISTBOT1/ko_KR: "}, ""},
		{"index with embeddings", []string{"kb", "index", "../examples/assistant"},
			map[string]string{"PARLEY_LLM_BASE_URL": fake.URL, "PARLEY_LLM_MODEL": llmtest.DefaultModel, "PARLEY_LLM_EMBEDDING_MODEL": llmtest.DefaultEmbeddingModel},
			0, []string{"ASSISTBOT1/ko_KR: "}, ""},
		{"index a bot without one", []string{"kb", "index", "../examples/hello"}, nil, 0, []string{"no knowledge base in 1 bot(s)"}, ""},
		{"search", []string{"kb", "search", "../examples/assistant", "세션은 어디에 저장되나요?"}, nil, 0,
			[]string{"ko_KR (minScore 0.30):", "* ", "lex-api.md"}, ""},
		{"search a bot without one", []string{"kb", "search", "../examples/hello", "x"}, nil, 1, nil, "has no knowledge base"},
		{"an unusable model setting", []string{"kb", "index", "../examples/assistant"}, map[string]string{"PARLEY_LLM_BASE_URL": "http://x"}, 1, nil, "llm.model"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := cli.Main(tc.args, strings.NewReader(""), &out, &errOut, mapEnv(tc.env))
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			if tc.wantErr != "" && !strings.Contains(errOut.String(), tc.wantErr) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tc.wantErr)
			}
		})
	}
	embedded := 0
	for _, r := range fake.Requests() {
		if r.Kind == llmtest.KindEmbeddings {
			embedded += len(r.Input)
		}
	}
	if embedded == 0 {
		t.Error("the passages were not embedded with the embedding model")
	}
}

package cli_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

func TestLoadLLMConfig(t *testing.T) {
	half := 0.5
	tests := []struct {
		name    string
		file    string
		env     map[string]string
		want    cli.LLMConfig
		wantErr string
	}{
		{"none", "", nil, cli.LLMConfig{}, ""},
		{"from the file", "llm:\n  baseURL: http://localhost:11434/v1\n  model: qwen2.5:7b\n  timeout: 30s\n  maxTokens: 400\n  temperature: 0.5\n", nil,
			cli.LLMConfig{BaseURL: "http://localhost:11434/v1", Model: "qwen2.5:7b", Timeout: "30s", MaxTokens: 400, Temperature: &half}, ""},
		{"the environment wins", "llm:\n  model: a\n", map[string]string{
			"PARLEY_LLM_MODEL": "gpt-4o-mini", "PARLEY_LLM_API_KEY": "sk-test", "PARLEY_LLM_EMBEDDING_MODEL": "text-embedding-3-small",
			"PARLEY_LLM_TIMEOUT": "15s", "PARLEY_LLM_MAX_TOKENS": "300", "PARLEY_LLM_TEMPERATURE": "0.5"},
			cli.LLMConfig{Model: "gpt-4o-mini", APIKey: "sk-test", EmbeddingModel: "text-embedding-3-small", Timeout: "15s", MaxTokens: 300, Temperature: &half}, ""},
		{"a base URL without a model", "", map[string]string{"PARLEY_LLM_BASE_URL": "http://localhost:8080/v1"}, cli.LLMConfig{}, "llm.model: required"},
		{"a bad base URL", "", map[string]string{"PARLEY_LLM_BASE_URL": "localhost:8080", "PARLEY_LLM_MODEL": "m"}, cli.LLMConfig{}, "llm.baseURL"},
		{"a bad timeout", "", map[string]string{"PARLEY_LLM_MODEL": "m", "PARLEY_LLM_TIMEOUT": "soon"}, cli.LLMConfig{}, `llm.timeout "soon"`},
		{"a bad temperature", "llm: {model: m, temperature: 3}\n", nil, cli.LLMConfig{}, "llm.temperature 3"},
		{"a bad number", "", map[string]string{"PARLEY_LLM_MODEL": "m", "PARLEY_LLM_MAX_TOKENS": "many"}, cli.LLMConfig{}, "PARLEY_LLM_MAX_TOKENS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig(t, tc.file, nil, tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg.LLM, tc.want) {
				t.Fatalf("llm %+v, want %+v", cfg.LLM, tc.want)
			}
		})
	}
}

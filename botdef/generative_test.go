package botdef_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
)

// genBot is a bot file whose ko_KR locale has the generative section gen.
func genBot(gen string) string {
	return "id: GENBOT0001\nname: Gen\nlocales:\n  ko_KR:\n    intents: [{name: Hello, sampleUtterances: [안녕]}]\n    generative:\n" + gen
}

func TestLoadGenerative(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "kb"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		gen     string
		want    *parley.GenerativeSettings
		wantErr string // a problem's text, with its line:col
	}{
		{"everything", `      fallback:
        systemPrompt: 친절하게 답하세요.
        historyTurns: 4
        maxTokens: 300
      knowledgeBase: {folder: kb, minScore: 0.5, passages: 2}
      assist: {low: 0.2, high: 0.6}
      budget: {perSession: 2000, perDay: 100000}
      redact: {obfuscatedSlots: true, emails: true, phones: true}
`, &parley.GenerativeSettings{
			Fallback:      &parley.LLMFallback{SystemPrompt: "친절하게 답하세요.", HistoryTurns: 4, MaxTokens: 300},
			KnowledgeBase: &parley.KnowledgeBaseSettings{Folder: filepath.Join(dir, "kb"), MinScore: 0.5, Passages: 2},
			Assist:        &parley.AssistSettings{Low: 0.2, High: 0.6},
			Budget:        parley.TokenBudget{PerSession: 2000, PerDay: 100000},
			Redact:        parley.RedactSettings{ObfuscatedSlots: true, Emails: true, Phones: true},
		}, ""},
		{"defaults", "      fallback:\n      knowledgeBase: {folder: kb}\n",
			&parley.GenerativeSettings{Fallback: &parley.LLMFallback{}, KnowledgeBase: &parley.KnowledgeBaseSettings{Folder: filepath.Join(dir, "kb"), MinScore: 0.3}}, ""},
		{"missing folder", "      knowledgeBase: {folder: docs}\n", nil, `7:31: knowledgeBase folder "docs"`},
		{"folder is a file", "      knowledgeBase: {folder: notes.md}\n", nil, `7:31: knowledgeBase folder "notes.md" is a file`},
		{"no folder", "      knowledgeBase: {minScore: 0.4}\n", nil, `missing required key "folder"`},
		{"minScore out of range", "      knowledgeBase: {folder: kb, minScore: 1.5}\n", nil, "7:45: minScore must be 0–1, got 1.5"},
		{"low not below high", "      assist: {low: 0.6, high: 0.6}\n", nil, "7:15: assist needs 0 ≤ low < high ≤ 1"},
		{"assist without high", "      assist: {low: 0.2}\n", nil, `missing required key "high"`},
		{"negative budget", "      budget: {perSession: -1}\n", nil, "7:28: perSession must be 0–1073741824, got -1"},
		{"unknown key", "      fallbak: {}\n", nil, `7:7: unknown key "fallbak" in generative`},
		{"unknown fallback key", "      fallback: {prompt: hi}\n", nil, `unknown key "prompt" in fallback`},
		{"historyTurns zero", "      fallback: {historyTurns: 0}\n", nil, "historyTurns must be 1–50, got 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "bot.yaml")
			if err := os.WriteFile(path, []byte(genBot(tc.gen)), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := botdef.Load(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Locale("ko_KR").Generative; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestNoGenerative(t *testing.T) {
	b, err := botdef.Parse("bot.yaml", []byte("id: GENBOT0001\nname: Gen\nlocales:\n  ko_KR:\n    intents: [{name: Hello, sampleUtterances: [안녕]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if g := b.Locale("ko_KR").Generative; g != nil {
		t.Fatalf("generative %+v for a locale without the section", g)
	}
}

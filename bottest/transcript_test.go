package bottest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/bottest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string
		check   func(t *testing.T, tr *bottest.Transcript)
	}{
		{"headers and defaults", "# c\nbot: examples/hello\n\n> 안녕\n< 이름이 뭐예요?\n", "", func(t *testing.T, tr *bottest.Transcript) {
			if tr.Bot != "examples/hello" || tr.Session != "transcript" || tr.Locale != "" || tr.Now.IsZero() {
				t.Errorf("transcript %+v", tr)
			}
			if len(tr.Lines) != 5 {
				t.Errorf("%d lines, want 5", len(tr.Lines))
			}
		}},
		{"all headers", "bot: b\nlocale: ko_KR\nsession: s9\nnow: 2026-05-13T10:00:00+09:00\n", "", func(t *testing.T, tr *bottest.Transcript) {
			if tr.Locale != "ko_KR" || tr.Session != "s9" || !tr.Now.Equal(time.Date(2026, 5, 13, 1, 0, 0, 0, time.UTC)) {
				t.Errorf("transcript %+v", tr)
			}
		}},
		{"directives", "bot: b\n! wait 301s\n! session s2\n! attributes a=1 b=2\n! attributes\n! hook broken\n! hook none\n> hi\n", "", nil},
		{"hook header", "bot: b\nhook: kitchen_down\n", "", func(t *testing.T, tr *bottest.Transcript) {
			if tr.Hook != "kitchen_down" {
				t.Errorf("hook %q", tr.Hook)
			}
		}},
		{"hook without a name", "bot: b\n! hook\n", "t:2: hook: missing name", nil},
		{"no bot", "> hi\n", "no bot: header", nil},
		{"unknown header", "bot: b\ncolour: red\n", `unknown header "colour"`, nil},
		{"header after the first input", "bot: b\n> hi\nlocale: en_US\n", "t:3: unrecognised line", nil},
		{"expected before input", "bot: b\n< hello\n", "t:2: expected output before the first input", nil},
		{"empty input", "bot: b\n>\n", "t:2: empty input", nil},
		{"bad wait", "bot: b\n! wait soon\n", "t:2: wait:", nil},
		{"negative wait", "bot: b\n! wait -1s\n", "negative duration", nil},
		{"bad attributes", "bot: b\n! attributes nope\n", `"nope" is not key=value`, nil},
		{"unknown directive", "bot: b\n! sleep 1s\n", `unknown directive "sleep"`, nil},
		{"bad now", "bot: b\nnow: yesterday\n", "t:2: now:", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := bottest.Parse("t", []byte(tc.src))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, tr)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("bot: examples/hello\n> 안녕\n< 이름이 뭐예요?\n= action ElicitSlot Name\n! wait 5s\n"))
	f.Add([]byte("bot: b\n! attributes a=1\n# c\n\n> x\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tr, err := bottest.Parse("fuzz", src)
		if err != nil {
			return
		}
		if tr.Bot == "" {
			t.Fatal("parsed a transcript without a bot")
		}
		if n := strings.Count(strings.TrimSuffix(string(src), "\n"), "\n") + 1; len(tr.Lines) != n {
			t.Fatalf("%d lines parsed from %d", len(tr.Lines), n)
		}
	})
}

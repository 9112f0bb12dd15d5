package botdef_test

import (
	"strings"
	"testing"

	"github.com/parleybot/parley/botdef"
)

func TestAliasBotVersion(t *testing.T) {
	const head = "id: ALIASBOT01\nname: A\nlocales:\n  en_US:\n    intents: [{name: Hi, sampleUtterances: [hi]}]\naliases:\n"
	tests := []struct {
		name    string
		alias   string
		want    string
		problem string
	}{
		{name: "default is the draft", alias: "  - {id: PRODALIAS1}\n", want: ""},
		{name: "DRAFT is the draft", alias: "  - {id: PRODALIAS1, botVersion: DRAFT}\n", want: ""},
		{name: "quoted number", alias: "  - {id: PRODALIAS1, botVersion: \"3\"}\n", want: "3"},
		{name: "bare number", alias: "  - {id: PRODALIAS1, botVersion: 12}\n", want: "12"},
		{name: "leading zero", alias: "  - {id: PRODALIAS1, botVersion: \"01\"}\n", problem: "botVersion must be DRAFT or a version number"},
		{name: "word", alias: "  - {id: PRODALIAS1, botVersion: latest}\n", problem: "botVersion must be DRAFT or a version number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := botdef.Parse("bot.yaml", []byte(head+tc.alias))
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Fatalf("err = %v, want %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Aliases[0].BotVersion; got != tc.want {
				t.Errorf("BotVersion = %q, want %q", got, tc.want)
			}
		})
	}
}

package botdef_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
)

const channelBot = `id: CHANBOT001
name: Channels
aliases: [{id: PRODALIAS1, name: prod}]
channels:
  - name: kakao
    type: kakao
    settings:
      skillKey: ${KAKAO_KEY}
      replyTimeout: 3s
  - name: ops-slack_2
    type: slack
    alias: PRODALIAS1
    locale: en_US
    settings:
      signingSecret: pre-${SLACK_SECRET}-post
      botToken: ${SLACK_TOKEN:-xoxb-default}
      allowChannels: C1,C2
      apiBase: "http://127.0.0.1:${PORT}/api"
      note: "$${NOT_A_VAR} stays"
      retries: 3
      enabled: true
  - name: tg
    type: telegram
locales:
  ko_KR:
    intents: [{name: Hello, sampleUtterances: [안녕]}]
  en_US:
    intents: [{name: Hello, sampleUtterances: [hello]}]
`

func envOf(m map[string]string) botdef.Options {
	return botdef.Options{LookupEnv: func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}}
}

func TestLoadChannels(t *testing.T) {
	env := envOf(map[string]string{"KAKAO_KEY": "k-123", "SLACK_SECRET": "shh", "PORT": "8081"})
	b, err := botdef.ParseWith("chan.yaml", []byte(channelBot), env)
	if err != nil {
		t.Fatalf("ParseWith: %v", err)
	}
	want := []parley.ChannelBinding{
		{Name: "kakao", Type: "kakao", AliasID: parley.DraftAliasID, LocaleID: "ko_KR",
			Settings: map[string]string{"skillKey": "k-123", "replyTimeout": "3s"}},
		{Name: "ops-slack_2", Type: "slack", AliasID: "PRODALIAS1", LocaleID: "en_US",
			Settings: map[string]string{
				"signingSecret": "pre-shh-post",
				"botToken":      "xoxb-default",
				"allowChannels": "C1,C2",
				"apiBase":       "http://127.0.0.1:8081/api",
				"note":          "${NOT_A_VAR} stays",
				"retries":       "3",
				"enabled":       "true",
			}},
		{Name: "tg", Type: "telegram", AliasID: parley.DraftAliasID, LocaleID: "ko_KR"},
	}
	if !reflect.DeepEqual(b.Channels, want) {
		t.Errorf("channels =\n%+v\nwant\n%+v", b.Channels, want)
	}
}

// TestChannelSettingExpansion covers the ${VAR} forms one at a time.
func TestChannelSettingExpansion(t *testing.T) {
	env := envOf(map[string]string{"A": "alpha", "EMPTY": "", "B_2": "beta"})
	tests := []struct {
		name    string
		value   string
		want    string
		problem string // a substring of the only problem; none when empty
	}{
		{name: "plain", value: "abc", want: "abc"},
		{name: "whole", value: "${A}", want: "alpha"},
		{name: "inside", value: "x${A}y${B_2}z", want: "xalphaybetaz"},
		{name: "dollar without brace", value: "$A and $", want: "$A and $"},
		{name: "escape", value: "$${A}", want: "${A}"},
		{name: "escape then var", value: "$${A}${A}", want: "${A}alpha"},
		{name: "set but empty", value: "${EMPTY}", want: ""},
		{name: "default when unset", value: "${NOPE:-fallback}", want: "fallback"},
		{name: "default when empty", value: "${EMPTY:-fallback}", want: "fallback"},
		{name: "default ignored when set", value: "${A:-fallback}", want: "alpha"},
		{name: "korean around", value: "키-${A}-값", want: "키-alpha-값"},
		{name: "unset", value: "${NOPE}", problem: "environment variable NOPE is not set"},
		{name: "unclosed", value: "x${A", problem: "unclosed ${"},
		{name: "empty name", value: "${}", problem: "${} does not name an environment variable"},
		{name: "bad name", value: "${A-B}", problem: "${A-B} does not name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "id: CHANBOT001\nname: C\nchannels:\n  - name: c\n    type: line\n    settings:\n      key: '" + tt.value + "'\nlocales: {en_US: {intents: [{name: A, sampleUtterances: [a]}]}}\n"
			b, err := botdef.ParseWith("c.yaml", []byte(src), env)
			if tt.problem != "" {
				var ps botdef.Problems
				if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Message, tt.problem) {
					t.Fatalf("err = %v, want one problem with %q", err, tt.problem)
				}
				if ps[0].Line != 7 || ps[0].Col != 12 {
					t.Errorf("problem at %d:%d, want the value at 7:12", ps[0].Line, ps[0].Col)
				}
				if strings.Contains(ps[0].Message, "alpha") {
					t.Errorf("problem %q shows a variable's value", ps[0].Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseWith: %v", err)
			}
			if got := b.Channels[0].Settings["key"]; got != tt.want {
				t.Errorf("key = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLoadUsesProcessEnvironment checks that Load without options reads
// the process environment.
func TestLoadUsesProcessEnvironment(t *testing.T) {
	t.Setenv("PARLEY_BOTDEF_TEST_KEY", "from-process")
	src := "id: CHANBOT001\nname: C\nchannels: [{name: c, type: kakao, settings: {skillKey: '${PARLEY_BOTDEF_TEST_KEY}'}}]\nlocales: {ko_KR: {intents: [{name: A, sampleUtterances: [a]}]}}\n"
	b, err := botdef.Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Channels[0].Settings["skillKey"]; got != "from-process" {
		t.Errorf("skillKey = %q", got)
	}
}

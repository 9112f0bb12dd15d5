package parley_test

import (
	"encoding/json"
	"testing"

	"github.com/parleybot/parley"
)

func TestCodeHookBinding(t *testing.T) {
	bot := &parley.Bot{CodeHooks: []parley.CodeHookBinding{
		{URI: "any"},
		{LocaleID: "ko_KR", URI: "korean"},
		{AliasID: "PRODALIAS1", URI: "prod"},
		{AliasID: "PRODALIAS1", LocaleID: "ko_KR", URI: "prod-korean"},
	}}
	tests := []struct{ alias, locale, want string }{
		{"TSTALIASID", "en_US", "any"},
		{"TSTALIASID", "ko_KR", "korean"},
		{"PRODALIAS1", "en_US", "prod"},
		{"PRODALIAS1", "ko_KR", "prod-korean"},
	}
	for _, tt := range tests {
		if got := bot.CodeHookBinding(tt.alias, tt.locale); got == nil || got.URI != tt.want {
			t.Errorf("CodeHookBinding(%s, %s) = %+v, want %s", tt.alias, tt.locale, got, tt.want)
		}
	}
	if got := (&parley.Bot{}).CodeHookBinding("TSTALIASID", "en_US"); got != nil {
		t.Errorf("no bindings: got %+v", got)
	}
}

// TestHookInterpretationsBareScore checks the one shape difference between
// the runtime API and the Lambda event: nluConfidence is a bare number there.
func TestHookInterpretationsBareScore(t *testing.T) {
	in := []parley.Interpretation{
		{Intent: parley.SessionIntent{Name: "OrderPizza"}, NLUConfidence: &parley.Confidence{Score: 0.87}},
		{Intent: parley.SessionIntent{Name: "FallbackIntent"}},
	}
	body, err := json.Marshal(parley.HookInterpretations(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"intent":{"name":"OrderPizza","slots":null},"nluConfidence":0.87},{"intent":{"name":"FallbackIntent","slots":null}}]`
	if string(body) != want {
		t.Errorf("got  %s\nwant %s", body, want)
	}
}

package eval_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/eval"
)

var lexName = regexp.MustCompile(`^([0-9a-zA-Z][_-]?){1,100}$`)

func TestName(t *testing.T) {
	tests := []struct {
		name, label, want string
	}{
		{name: "valid label kept", label: "alarm_set", want: "alarm_set"},
		{name: "trailing dash kept", label: "x-", want: "x-"},
		{name: "slash", label: "weather/query", want: "weather_query_dcc245f0"},
		{name: "double underscore", label: "a__b", want: "a_b_749bc500"},
		{name: "no ASCII at all", label: "날씨", want: "L3bf19400"},
		{name: "too long", label: strings.Repeat("ab", 60) + "!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := eval.Name(tt.label)
			if tt.want != "" && got != tt.want {
				t.Errorf("Name(%q) = %q, want %q", tt.label, got, tt.want)
			}
			if !lexName.MatchString(got) || len(got) > 100 {
				t.Errorf("Name(%q) = %q does not satisfy Lex's pattern", tt.label, got)
			}
			if eval.Name(tt.label) != got {
				t.Error("Name is not deterministic")
			}
		})
	}
}

func TestBotFromExamples(t *testing.T) {
	train := []eval.Example{
		{Text: "wake me at 7", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 12, Value: "7"}}},
		{Text: "wake me at 8", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 12, Value: "8"}}},
		{Text: "wake me at 7", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 12, Value: "7"}}},
		{Text: "from {a} to b", Intent: "route/plan", Slots: []eval.SlotSpan{{Slot: "to city", Start: 12, End: 13, Value: "b"}, {Slot: "from", Start: 5, End: 8, Value: "{a}"}}},
		{Text: "what is love", Intent: "FallbackIntent"},
	}
	bot := eval.BotFromExamples("EVALBOT001", "en_US", train)
	if bot.ID != "EVALBOT001" || len(bot.Locales) != 1 {
		t.Fatalf("bot %s with %d locales", bot.ID, len(bot.Locales))
	}
	loc := bot.Locale("en_US")
	if loc == nil || loc.NLUConfidenceThreshold != parley.DefaultConfidenceThreshold {
		t.Fatalf("locale %+v", loc)
	}
	route := eval.Name("route/plan")
	tests := []struct {
		intent     string
		utterances []string
		slots      map[string]string // slot → type
	}{
		{intent: "alarm_set", utterances: []string{"wake me at {time}", "wake me at 7", "wake me at 8"}, slots: map[string]string{"time": "timeValues"}},
		{intent: route, utterances: []string{"from {from} to {" + eval.Name("to city") + "}", "from a to b"},
			slots: map[string]string{"from": "fromValues", eval.Name("to city"): eval.Name("to city") + "Values"}},
		{intent: parley.FallbackIntentName, slots: map[string]string{}},
	}
	if len(loc.Intents) != len(tests) {
		t.Errorf("%d intents, want %d", len(loc.Intents), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.intent, func(t *testing.T) {
			in := loc.Intent(tt.intent)
			if in == nil {
				t.Fatalf("no intent %s", tt.intent)
			}
			if !reflect.DeepEqual(in.SampleUtterances, tt.utterances) {
				t.Errorf("utterances %q, want %q", in.SampleUtterances, tt.utterances)
			}
			got := map[string]string{}
			for _, s := range in.Slots {
				got[s.Name] = s.SlotTypeName
			}
			if !reflect.DeepEqual(got, tt.slots) {
				t.Errorf("slots %v, want %v", got, tt.slots)
			}
		})
	}
	if fb := loc.FallbackIntent(); fb == nil || fb.Name != parley.FallbackIntentName {
		t.Errorf("fallback intent %+v", fb)
	}
	if in := loc.Intent(route); in == nil || in.Description != "route/plan" {
		t.Errorf("intent %s does not keep its label in the description", route)
	}
	st := loc.SlotType("timeValues")
	if st == nil || st.ResolutionStrategy != parley.ResolutionOriginalValue ||
		!reflect.DeepEqual(st.Values, []parley.SlotTypeValue{{Value: "7"}, {Value: "8"}}) {
		t.Errorf("slot type timeValues = %+v", st)
	}
	if len(loc.SlotTypes) != 3 {
		t.Errorf("%d slot types, want 3", len(loc.SlotTypes))
	}
}

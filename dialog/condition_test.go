package dialog_test

import (
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

func conditionScope() dialog.Scope {
	list := &parley.SlotValue{Shape: parley.ShapeList, Values: []*parley.SlotValue{
		parley.ScalarSlot("cheese", "cheese"), parley.ScalarSlot("ham", "Ham"),
	}}
	return dialog.Scope{
		Intent: &parley.SessionIntent{Name: "Order", Slots: map[string]*parley.SlotValue{
			"Size":     parley.ScalarSlot("Large", "large"),
			"Days":     parley.ScalarSlot("10", "10"),
			"Date":     parley.ScalarSlot("tomorrow", "2026-11-24"),
			"Toppings": list,
			"Crust":    nil,
		}},
		Attributes: map[string]string{"count": "2", "flag": "true", "empty": ""},
		InputMode:  "Text",
		Transcript: "a large pizza",
	}
}

func TestConditionEval(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want bool
	}{
		{"IS_SET on a filled slot", "fn.IS_SET({Size})", true},
		{"IS_SET on an unfilled slot", "fn.IS_SET({Crust})", false},
		{"IS_SET on an unknown slot", "fn.IS_SET({Nope})", false},
		{"IS_SET on a set attribute", "fn.IS_SET([count])", true},
		{"IS_SET on an empty attribute is set", "fn.IS_SET([empty])", true},
		{"IS_SET on a missing attribute", "fn.IS_SET([missing])", false},
		{"IS_SET lower case", "fn.is_set({Size})", true},
		{"= string, case-insensitive", `{Size} = "LARGE"`, true},
		{"== reads as =", `{Size} == "large"`, true},
		{"= false", `{Size} = "small"`, false},
		{"!= true", `{Size} != "small"`, true},
		{"!= false", `{Size} != "Large"`, false},
		{"> numeric, not lexical", "{Days} > 7", true},
		{"> quoted number is numeric", `{Days} > "9"`, true},
		{"< numeric", "{Days} < 1", false},
		{"<= equal", "{Days} <= 10", true},
		{">= equal", "{Days} >= 10.0", true},
		{">= false", "{Days} >= 11", false},
		{"< negative", "{Days} < -1", false},
		{"date compares chronologically", `{Date} > "2026-11-23"`, true},
		{"date before", `{Date} < "2026-01-01"`, false},
		{"attribute comparison", `[count] = "2"`, true},
		{"attribute numeric", `[count] > 1`, true},
		{"attribute empty string", `[empty] = ""`, true},
		{"list joins with commas", `{Toppings} = "cheese,ham"`, true},
		{"CONTAINS in a list", `{Toppings} CONTAINS "HAM"`, true},
		{"CONTAINS absent", `{Toppings} CONTAINS "olive"`, false},
		{"CONTAINS on a scalar", `{Size} contains "large"`, true},
		{"COUNT of a list", "fn.COUNT({Toppings}) = 2", true},
		{"COUNT of unset is 0", "fn.COUNT({Crust}) = 0", true},
		{"COUNT of scalar", "fn.COUNT({Size}) > 1", false},
		{"COUNT of a set attribute", "fn.COUNT([count]) = 1", true},
		{"COUNT of a missing attribute", "fn.COUNT([missing]) = 0", true},
		{"COUNT of a missing request field", "fn.COUNT($.nope) = 0", true},
		{"AND both", `fn.IS_SET({Size}) AND {Days} > 7`, true},
		{"AND one", `fn.IS_SET({Size}) AND {Days} > 70`, false},
		{"&& spelling", `fn.IS_SET({Size}) && [flag] = "true"`, true},
		{"OR one", `{Days} > 70 OR {Size} = "large"`, true},
		{"OR none", `{Days} > 70 OR {Size} = "small"`, false},
		{"|| spelling", `{Days} > 70 || [flag] = "true"`, true},
		{"NOT", `NOT fn.IS_SET({Crust})`, true},
		{"! spelling", `!fn.IS_SET({Size})`, false},
		{"double negation", `!!fn.IS_SET({Size})`, true},
		{"AND binds tighter than OR", `[flag] = "true" OR {Days} > 70 AND {Size} = "small"`, true},
		{"parentheses override", `([flag] = "true" OR {Days} > 70) AND {Size} = "small"`, false},
		{"unset reference makes a comparison false", `{Crust} = "thin"`, false},
		{"unset reference is not rescued by NOT", `!({Crust} = "thin")`, false},
		{"unset reference spoils OR on the left", `{Crust} = "thin" OR {Size} = "large"`, false},
		{"OR short-circuits before an unset reference", `!fn.IS_SET([missing]) OR [missing] = "0"`, true},
		{"AND short-circuits before an unset reference", `fn.IS_SET([missing]) AND [missing] = "0"`, false},
		{"Intent.Slot of the current intent", `{Order.Size} = "large"`, true},
		{"Intent.Slot of another intent is unset", `fn.IS_SET({Other.Size})`, false},
		{"$.inputMode", `$.inputMode = "text"`, true},
		{"$.inputTranscript", `fn.IS_SET($.inputTranscript)`, true},
		{"true constant", `[flag] = true`, true},
		{"single-quoted string", `{Size} = 'large'`, true},
		{"escaped quote", `[flag] != "a\"b"`, true},
		{"ReminderBot fallback, first time", `(!fn.IS_SET([fallback-count]) OR [fallback-count] = "" OR [fallback-count] = "0") AND (!fn.IS_SET([slot-failure]) OR [slot-failure] != "true")`, true},
		{"trailing space", `[flag] = "true" `, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dialog.ParseCondition(tt.expr)
			if err != nil {
				t.Fatalf("ParseCondition(%q): %v", tt.expr, err)
			}
			if got := c.Eval(conditionScope()); got != tt.want {
				t.Errorf("Eval(%q) = %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}

func TestConditionEvalWithoutIntent(t *testing.T) {
	c, err := dialog.ParseCondition("fn.IS_SET({Size}) OR [a] = 1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Eval(dialog.Scope{Attributes: map[string]string{"a": "1"}}) {
		t.Error("want true from the attribute when no intent is in progress")
	}
	if c.Eval(dialog.Scope{}) {
		t.Error("want false with nothing set")
	}
}

func TestParseConditionErrors(t *testing.T) {
	tests := []struct {
		name string
		expr string
	}{
		{"empty", ""},
		{"bare reference", "{Size}"},
		{"missing right side", "{Size} ="},
		{"unclosed brace", "{Size = 1"},
		{"unclosed bracket", "[a = 1"},
		{"empty reference", "{} = 1"},
		{"unterminated string", `{Size} = "abc`},
		{"unclosed parenthesis", "({Size} = 1"},
		{"stray parenthesis", "{Size} = 1)"},
		{"dangling AND", "{Size} = 1 AND"},
		{"unknown function", "fn.NOPE({Size})"},
		{"IS_SET of a constant", `fn.IS_SET("x")`},
		{"IS_SET without parentheses", "fn.IS_SET {Size}"},
		{"trailing junk", "{Size} = 1 $"},
		{"bad character", "{Size} = 1 # 2"},
		{"bad number", "{Size} = 1.2.3"},
		{"too long", "[a] = \"" + string(make([]byte, parley.MaxConditionLength)) + "\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dialog.ParseCondition(tt.expr)
			if err == nil {
				t.Fatalf("ParseCondition(%q) succeeded, want an error", tt.expr)
			}
			if parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Errorf("error %v, want ValidationException", err)
			}
		})
	}
}

// FuzzCondition parses arbitrary expressions (bot files and exports are
// outside input): no panic, a parsed condition evaluates, and its source is
// kept.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{
		`fn.IS_SET({DaysBefore})`,
		`{DaysBefore} > 7`,
		`(!fn.IS_SET([fallback-count]) OR [fallback-count] = "" OR [fallback-count] = "0") AND (!fn.IS_SET([slot-failure]) OR [slot-failure] != "true")`,
		`fn.COUNT({Toppings}) >= 2 && {Toppings} CONTAINS "ham" || NOT $.inputMode = 'Speech'`,
		`{Order.Size} <= -1.5`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := dialog.ParseCondition(expr)
		if err != nil {
			if parley.ErrorCodeOf(err) != parley.ErrValidation {
				t.Fatalf("error %v, want ValidationException", err)
			}
			return
		}
		if c.String() != expr {
			t.Fatalf("String() = %q, want %q", c.String(), expr)
		}
		c.Eval(conditionScope())
		c.Eval(dialog.Scope{})
	})
}

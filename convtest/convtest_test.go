package convtest_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/convtest"
)

func str(s string) *string { return &s }

func TestParseYAML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		check   func(t *testing.T, f *convtest.File)
	}{
		{
			name: "full",
			in: `name: order
bot: PIZZABOT01
locale: en_US
sessionAttributes: {tier: gold}
turns:
  - user: order a pizza
    expect:
      intent: OrderPizza
      state: InProgress
      dialogAction: ElicitSlot
      slotToElicit: Size
      slots: {Size: null, Crust: thin}
      message: ^What size
      sessionAttributes: {tier: gold, orderId: null}
  - user: large
`,
			check: func(t *testing.T, f *convtest.File) {
				c := f.Conversations[0]
				if c.Name != "order" || c.Locale != "en_US" || c.SessionAttributes["tier"] != "gold" || len(c.Turns) != 2 {
					t.Fatalf("conversation = %+v", c)
				}
				e := c.Turns[0].Expect
				if v, ok := e.Slots["Size"]; !ok || v != nil {
					t.Errorf("Size = %v, %v; want present and null", v, ok)
				}
				if *e.Slots["Crust"] != "thin" {
					t.Errorf("Crust = %q", *e.Slots["Crust"])
				}
				if c.Turns[0].Line != 6 || c.Turns[1].Line != 15 {
					t.Errorf("lines = %d, %d; want 6, 15", c.Turns[0].Line, c.Turns[1].Line)
				}
				if c.Turns[1].Expect != nil {
					t.Errorf("a turn without expect checks nothing, got %+v", c.Turns[1].Expect)
				}
			},
		},
		{
			name: "name defaults to the path",
			in:   "turns: [{user: hi}]",
			check: func(t *testing.T, f *convtest.File) {
				if f.Conversations[0].Name != "t.yaml" {
					t.Errorf("name = %q", f.Conversations[0].Name)
				}
			},
		},
		{name: "unknown field", in: "turns: [{user: hi, expect: {intnet: X}}]", wantErr: "intnet"},
		{name: "no turns", in: "name: x", wantErr: "no turns"},
		{name: "empty user", in: "turns: [{expect: {intent: X}}]", wantErr: "user is required"},
		{name: "bad state", in: "turns: [{user: hi, expect: {state: Done}}]", wantErr: "expect.state"},
		{name: "bad dialog action", in: "turns: [{user: hi, expect: {dialogAction: Elicit}}]", wantErr: "expect.dialogAction"},
		{name: "bad message pattern", in: "turns: [{user: hi, expect: {message: '('}}]", wantErr: "expect.message"},
		{name: "bad attribute pattern", in: "turns: [{user: hi, expect: {sessionAttributes: {a: '['}}}]", wantErr: "sessionAttributes.a"},
		{name: "not YAML", in: "turns: [", wantErr: "t.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := convtest.ParseYAML("t.yaml", []byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if parley.ErrorCodeOf(err) != parley.ErrValidation {
					t.Errorf("code = %s, want %s", parley.ErrorCodeOf(err), parley.ErrValidation)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

const workbench = "\ufeffLine #,Conversation #,Source,Input,Expected Output Intent,Expected Output Slot 1,Expected Output Slot 2,Session Attribute\n" +
	"1,,User,book a cleaning appointment tomorrow,MakeAppointment,AppointmentType = cleaning,Date = tomorrow,\n" +
	"2,N/A,User,cancel it,CancelAppointment,,,\n" +
	"3,1,User,Can you help me book an appointment?,MakeAppointment,,,tier = gold\n" +
	"4,1,Agent,What type of appointment would you like to schedule?,,,,\n" +
	"5,2,User,hello,Greeting,,,\n" +
	"6,1,User,cleaning,MakeAppointment,AppointmentType = cleaning,,\n" +
	"7,1,Agent,When should I book your appointment?,,,,\n" +
	"7,1,Agent,\"Say a date, e.g. tomorrow.\",,,,\n" +
	",,,,,,,\n"

func TestParseCSV(t *testing.T) {
	f, err := convtest.ParseCSV("set.csv", []byte(workbench))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Conversations {
		var turns []string
		for _, turn := range c.Turns {
			e := turn.Expect
			s := fmt.Sprintf("%s→%s", turn.User, e.Intent)
			for _, k := range []string{"AppointmentType", "Date"} {
				if v, ok := e.Slots[k]; ok {
					s += fmt.Sprintf(" %s=%s", k, *v)
				}
			}
			if e.Message != "" {
				s += " /" + e.Message + "/"
			}
			turns = append(turns, s)
		}
		got = append(got, fmt.Sprintf("%s %v: %s", c.Name, c.SessionAttributes, strings.Join(turns, "; ")))
	}
	want := []string{
		"line 1 map[]: book a cleaning appointment tomorrow→MakeAppointment AppointmentType=cleaning Date=tomorrow",
		"line 2 map[]: cancel it→CancelAppointment",
		"conversation 1 map[tier:gold]: Can you help me book an appointment?→MakeAppointment /What type of appointment would you like to schedule\\?/; " +
			"cleaning→MakeAppointment AppointmentType=cleaning /When should I book your appointment\\?[\\s\\S]*Say a date, e\\.g\\. tomorrow\\./",
		"conversation 2 map[]: hello→Greeting",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("conversations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "header"},
		{"no source column", "Line #,Input\n1,hi\n", "no Source"},
		{"agent first", "Conversation #,Source,Input\n1,Agent,hello\n", "must follow a User row"},
		{"single agent", "Conversation #,Source,Input\n,User,hi\n,Agent,hello\n", "must follow a User row"},
		{"bad source", "Source,Input\nBot,hi\n", `source "Bot"`},
		{"user without input", "Source,Input\nUser,\n", "needs an Input"},
		{"bad slot", "Source,Input,Expected Output Slot 1\nUser,hi,cleaning\n", "want Name = value"},
		{"no rows", "Source,Input\n", "no test rows"},
		{"ragged quote", "Source,Input\nUser,\"hi\n", "set.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := convtest.ParseCSV("set.csv", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func result(intent string, state parley.IntentState, action parley.DialogActionType, slot string, slots map[string]*parley.SlotValue, attrs map[string]string, msgs ...parley.Message) *parley.TurnResult {
	return &parley.TurnResult{
		Messages: msgs,
		SessionState: parley.SessionState{
			DialogAction:      &parley.DialogAction{Type: action, SlotToElicit: slot},
			Intent:            &parley.SessionIntent{Name: intent, State: state, Slots: slots},
			SessionAttributes: attrs,
		},
	}
}

func expect(t *testing.T, yaml string) *convtest.Expect {
	t.Helper()
	f, err := convtest.ParseYAML("t.yaml", []byte("turns:\n  - user: x\n    expect: "+yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f.Conversations[0].Turns[0].Expect
}

func TestCompare(t *testing.T) {
	res := result("OrderPizza", parley.IntentInProgress, parley.ActionElicitSlot, "Crust",
		map[string]*parley.SlotValue{
			"Size":    parley.ScalarSlot("big", "large", "large"),
			"Crust":   nil,
			"Topping": {Shape: parley.ShapeList, Values: []*parley.SlotValue{parley.ScalarSlot("ham", "ham"), parley.ScalarSlot("olive", "olives")}},
		},
		map[string]string{"orderId": "PZ-000123"},
		parley.Message{ContentType: parley.ContentPlainText, Content: "Which crust?"},
		parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{Title: "Crust", Buttons: []parley.Button{{Text: "Thin", Value: "thin"}}}},
	)
	tests := []struct {
		name   string
		expect string
		want   []string
	}{
		{"all hold", `{intent: OrderPizza, state: InProgress, dialogAction: ElicitSlot, slotToElicit: Crust, slots: {Size: large, Crust: null, Topping: "ham, olives"}, message: "^Which crust\\?\nCrust \\| Thin$", sessionAttributes: {orderId: 'PZ-\d{6}', other: null}}`, nil},
		{"slot by what was said or its resolution", `{slots: {Size: big}}`, nil},
		{"nothing expected", `{}`, nil},
		{"intent and state", `{intent: CheckOrder, state: Fulfilled}`, []string{`intent: CheckOrder ≠ OrderPizza`, `state: Fulfilled ≠ InProgress`}},
		{"action", `{dialogAction: Close, slotToElicit: Size}`, []string{`dialogAction: Close ≠ ElicitSlot`, `slotToElicit: Size ≠ Crust`}},
		{"slots", `{slots: {Size: small, Crust: thin, Topping: null, Drink: cola}}`, []string{`slots.Crust: "thin" ≠ null`, `slots.Drink: "cola" ≠ null`, `slots.Size: "small" ≠ "large"`, `slots.Topping: null ≠ "ham, olives"`}},
		{"message", `{message: "^Which size"}`, []string{"message: /^Which size/ ≠ \"Which crust?\\nCrust | Thin\""}},
		{"attributes", `{sessionAttributes: {orderId: 'PZ-\d{3}', tier: gold}}`, []string{`sessionAttributes.orderId: /PZ-\d{3}/ ≠ "PZ-000123"`, `sessionAttributes.tier: /gold/ ≠ absent`}},
		{"attribute expected absent", `{sessionAttributes: {orderId: null}}`, []string{`sessionAttributes.orderId: absent ≠ "PZ-000123"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range convtest.Compare(expect(t, tt.expect), res) {
				got = append(got, fmt.Sprintf("%s: %s ≠ %s", d.Field, d.Expected, d.Got))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diffs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	t.Run("no intent", func(t *testing.T) {
		d := convtest.Compare(expect(t, `{intent: X}`), &parley.TurnResult{})
		if len(d) != 1 || d[0].Got != "(none)" {
			t.Errorf("diffs = %+v, want intent got (none)", d)
		}
	})
}

// echoRuntime answers every turn with the session's turn count and the
// text, so a test can tell whether sessions were kept apart.
type echoRuntime struct {
	mu    sync.Mutex
	turns map[parley.SessionKey]int
}

var _ parley.Runtime = (*echoRuntime)(nil)

func (r *echoRuntime) RecognizeText(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Text == "boom" {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "the code hook failed")
	}
	r.turns[req.Key]++
	attrs := map[string]string{}
	if req.SessionState != nil {
		attrs = req.SessionState.SessionAttributes
	}
	return result("Echo", parley.IntentFulfilled, parley.ActionClose, "", nil, attrs,
		parley.Message{ContentType: parley.ContentPlainText, Content: fmt.Sprintf("%d %s %s", r.turns[req.Key], req.Key.LocaleID, req.Text)}), nil
}

func (r *echoRuntime) PutSession(context.Context, *parley.PutSessionRequest) (*parley.TurnResult, error) {
	return nil, parley.Errorf(parley.ErrValidation, "not used")
}

func (r *echoRuntime) GetSession(context.Context, parley.SessionKey) (*parley.Session, error) {
	return nil, parley.Errorf(parley.ErrNotFound, "not used")
}

func (r *echoRuntime) DeleteSession(context.Context, parley.SessionKey) error { return nil }

func parse(t *testing.T, path, in string) *convtest.File {
	t.Helper()
	f, err := convtest.ParseYAML(path, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRun(t *testing.T) {
	files := []*convtest.File{
		parse(t, "a.yaml", "name: a\nsessionAttributes: {tier: gold}\nturns:\n  - {user: one, expect: {message: '^1 en_US one$', sessionAttributes: {tier: gold}}}\n  - {user: two, expect: {message: '^2 en_US two$'}}\n"),
		parse(t, "b.yaml", "name: b\nlocale: ko_KR\nturns:\n  - {user: 하나, expect: {message: '^1 ko_KR 하나$'}}\n  - {user: 둘, expect: {intent: Other, message: '^2 ko_KR 둘$'}}\n"),
		parse(t, "c.yaml", "name: c\nturns:\n  - {user: boom}\n  - {user: never}\n"),
	}
	rt := &echoRuntime{turns: map[parley.SessionKey]int{}}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	results := convtest.Run(context.Background(), convtest.Target{Runtime: rt, BotID: "B", AliasID: "A", Locale: "en_US", Parallel: 1, Now: now}, files)
	if len(results) != 3 || results[0].Path != "a.yaml" || results[2].Path != "c.yaml" {
		t.Fatalf("results out of file order: %+v", results)
	}
	if results[0].Failed() {
		t.Errorf("a failed: %+v", results[0].Conversations[0].Turns)
	}
	b := results[1].Conversations[0]
	if !b.Failed() || len(b.Turns) != 2 || len(b.Turns[0].Diffs) != 0 || len(b.Turns[1].Diffs) != 1 || b.Turns[1].Diffs[0].Field != "intent" {
		t.Errorf("b = %+v, want only turn 2's intent to differ", b.Turns)
	}
	c := results[2].Conversations[0]
	if c.Err == nil || !strings.Contains(c.Err.Error(), "DependencyFailedException") || len(c.Turns) != 0 {
		t.Errorf("c = %+v, want the runtime's error and no turns played after it", c)
	}
	if got := convtest.Summarize(results); got != (convtest.Summary{Conversations: 3, Failed: 2}) {
		t.Errorf("summary = %+v", got)
	}
	for _, f := range results {
		if f.Duration != time.Second {
			t.Errorf("%s took %v on a clock that ticks a second a call, want 1s", f.Path, f.Duration)
		}
	}
	if len(rt.turns) != 2 {
		t.Errorf("sessions used = %v, want one per conversation that got a turn through", rt.turns)
	}

	var text bytes.Buffer
	if err := convtest.WriteText(&text, results); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ok   a.yaml: a (1s)",
		"FAIL b.yaml: b (1s)\n    turn 2 (line 5), user: \"둘\"\n      intent:  expected Other\n                    got Echo\n",
		"FAIL c.yaml: c (1s)\n    error: turn 1 (\"boom\"): DependencyFailedException: the code hook failed\n",
		"3 conversations, 1 passed, 2 failed\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}

	var junit bytes.Buffer
	if err := convtest.WriteJUnit(&junit, "Bot <&>", results); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Name     string   `xml:"name,attr"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Time     string   `xml:"time,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Text string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit XML does not decode: %v\n%s", err, junit.String())
	}
	if doc.Name != "Bot <&>" || doc.Tests != 3 || doc.Failures != 1 || doc.Errors != 1 || doc.Time != "3.000" || len(doc.Suites) != 3 {
		t.Errorf("testsuites = %+v", doc)
	}
	if f := doc.Suites[1].Cases[0].Failure; f == nil || !strings.Contains(f.Text, "expected Other") {
		t.Errorf("b's failure = %+v, want the diff", f)
	}
	if e := doc.Suites[2].Cases[0].Error; e == nil || !strings.Contains(e.Message, "boom") {
		t.Errorf("c's error = %+v", e)
	}
}

// TestRunParallel plays many conversations at once: each gets a session
// of its own, so every one sees only its own turns.
func TestRunParallel(t *testing.T) {
	var files []*convtest.File
	for i := range 20 {
		files = append(files, parse(t, fmt.Sprintf("%d.yaml", i), fmt.Sprintf(
			"turns:\n  - {user: a%d, expect: {message: '^1 en_US a%d$'}}\n  - {user: b%d, expect: {message: '^2 en_US b%d$'}}\n", i, i, i, i)))
	}
	rt := &echoRuntime{turns: map[parley.SessionKey]int{}}
	results := convtest.Run(context.Background(), convtest.Target{Runtime: rt, BotID: "B", AliasID: "A", Locale: "en_US", Parallel: 8}, files)
	if s := convtest.Summarize(results); s != (convtest.Summary{Conversations: 20}) {
		var b bytes.Buffer
		convtest.WriteText(&b, results)
		t.Errorf("summary = %+v\n%s", s, b.String())
	}
	if len(rt.turns) != 20 {
		t.Errorf("%d sessions, want 20", len(rt.turns))
	}
}

func TestExpectationRoundTrip(t *testing.T) {
	res := result("OrderPizza", parley.IntentInProgress, parley.ActionElicitSlot, "Crust",
		map[string]*parley.SlotValue{"Size": parley.ScalarSlot("big", "large"), "Crust": nil},
		nil,
		parley.Message{ContentType: parley.ContentPlainText, Content: "Which crust (thin, thick)?"},
	)
	conv := &convtest.Conversation{Name: "rec", Bot: "B", Locale: "en_US", Turns: []*convtest.Turn{{User: "a large pizza", Expect: convtest.Expectation(res)}}}
	data, err := convtest.MarshalYAML(conv)
	if err != nil {
		t.Fatal(err)
	}
	f, err := convtest.ParseYAML("rec.yaml", data)
	if err != nil {
		t.Fatalf("a recorded file does not parse: %v\n%s", err, data)
	}
	if d := convtest.Compare(f.Conversations[0].Turns[0].Expect, res); len(d) != 0 {
		t.Errorf("the recorded turn does not pass against itself: %+v\n%s", d, data)
	}
	e := f.Conversations[0].Turns[0].Expect
	if e.Intent != "OrderPizza" || e.SlotToElicit != "Crust" || e.Slots["Crust"] != nil || *e.Slots["Size"] != "large" {
		t.Errorf("recorded expectation = %+v", e)
	}
	other := result("OrderPizza", parley.IntentInProgress, parley.ActionElicitSlot, "Crust",
		map[string]*parley.SlotValue{"Size": parley.ScalarSlot("small", "small"), "Crust": nil}, nil,
		parley.Message{ContentType: parley.ContentPlainText, Content: "Which crust (thin, thick)? "})
	if d := convtest.Compare(e, other); len(d) != 2 {
		t.Errorf("a changed slot and message give %+v, want two diffs", d)
	}
}

func FuzzParseYAML(f *testing.F) {
	f.Add([]byte("name: x\nturns:\n  - user: hi\n    expect: {intent: A, slots: {S: null}, message: '^a'}\n"))
	f.Add([]byte("turns: [{user: a}, {user: b, expect: {sessionAttributes: {k: v}}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := convtest.ParseYAML("f.yaml", data)
		if err != nil {
			return
		}
		for _, c := range file.Conversations {
			if len(c.Turns) == 0 {
				t.Fatal("a parsed conversation has no turns")
			}
			for _, turn := range c.Turns {
				// Every parsed expectation can be checked without panicking.
				convtest.Compare(turn.Expect, &parley.TurnResult{})
			}
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(workbench))
	f.Add([]byte("Source,Input\nUser,hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := convtest.ParseCSV("f.csv", data)
		if err != nil {
			return
		}
		for _, c := range file.Conversations {
			if len(c.Turns) == 0 {
				t.Fatal("a parsed conversation has no turns")
			}
			for _, turn := range c.Turns {
				convtest.Compare(turn.Expect, &parley.TurnResult{})
			}
		}
	})
}

func TestParseConversationLogs(t *testing.T) {
	log := `{"sessionId":"a","bot":{"id":"B","localeId":"en_US"},"inputTranscript":"hi","messages":[{"contentType":"PlainText","content":"Hello (there)"}],"sessionState":{"dialogAction":{"type":"Close"},"intent":{"name":"Greet","slots":{},"state":"Fulfilled"}}}
{"sessionId":"b","bot":{"id":"B","localeId":"ko_KR"},"inputTranscript":"","sessionState":{}}
{"sessionId":"a","bot":{"id":"B","localeId":"en_US"},"inputTranscript":"order","sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Size"},"intent":{"name":"Order","slots":{"Size":null},"state":"InProgress"}}}
`
	convs, err := convtest.ParseConversationLogs("log.jsonl", []byte(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 || convs[0].Name != "session a" || convs[0].Locale != "en_US" || convs[0].Bot != "B" || len(convs[0].Turns) != 2 {
		t.Fatalf("conversations = %+v", convs)
	}
	first, second := convs[0].Turns[0].Expect, convs[0].Turns[1].Expect
	if first.Intent != "Greet" || first.State != "Fulfilled" || first.DialogAction != "Close" || first.Message != `^Hello \(there\)$` {
		t.Errorf("turn 1 expects %+v", first)
	}
	if second.SlotToElicit != "Size" || second.Message != "" || len(second.Slots) != 1 || second.Slots["Size"] != nil {
		t.Errorf("turn 2 expects %+v", second)
	}
	for _, bad := range []string{"", "\n\n", "not json\n", `{"sessionId":"a"}`, `{"inputTranscript":"x","sessionState":{"dialogAction":{"type":"Shout"}}}`} {
		if _, err := convtest.ParseConversationLogs("log.jsonl", []byte(bad)); err == nil {
			t.Errorf("ParseConversationLogs(%q) succeeded", bad)
		}
	}
}

func FuzzParseConversationLogs(f *testing.F) {
	f.Add([]byte(`{"sessionId":"a","inputTranscript":"hi","messages":[{"contentType":"PlainText","content":"x"}],"sessionState":{"intent":{"name":"A","slots":{"S":null}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		convs, err := convtest.ParseConversationLogs("f.jsonl", data)
		if err != nil {
			return
		}
		for _, c := range convs {
			out, err := convtest.MarshalYAML(c)
			if err != nil {
				t.Fatal(err)
			}
			// What the log gave must read back as a test file.
			if _, err := convtest.ParseYAML("f.yaml", out); err != nil {
				t.Fatalf("a conversation from a log does not read back: %v\n%s", err, out)
			}
		}
	})
}

package engine_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

// fakeLLM answers every chat with answer (or what reply returns), split
// into deltas of one word when streamed, and reports tokens per call. With
// block set it waits for the context to end instead.
type fakeLLM struct {
	mu       sync.Mutex
	answer   string
	reply    func(req *parley.ChatRequest) string
	tokens   int
	block    bool
	requests []*parley.ChatRequest
	streamed int
}

var _ parley.LLM = (*fakeLLM)(nil)

func (f *fakeLLM) Chat(ctx context.Context, req *parley.ChatRequest) (*parley.ChatResponse, error) {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	answer, block, reply := f.answer, f.block, f.reply
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, &parley.Error{Code: parley.ErrDependencyFailed, Message: "model timed out", Err: ctx.Err()}
	}
	if reply != nil {
		answer = reply(req)
	}
	return &parley.ChatResponse{Content: answer, Model: "fake", PromptTokens: f.tokens / 2, CompletionTokens: f.tokens - f.tokens/2}, nil
}

func (f *fakeLLM) ChatStream(ctx context.Context, req *parley.ChatRequest, onDelta func(string) error) (*parley.ChatResponse, error) {
	resp, err := f.Chat(ctx, req)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.streamed++
	f.mu.Unlock()
	words := strings.SplitAfter(resp.Content, " ")
	for _, w := range words {
		if err := onDelta(w); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

func (f *fakeLLM) calls() []*parley.ChatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*parley.ChatRequest(nil), f.requests...)
}

func (f *fakeLLM) last(t *testing.T) *parley.ChatRequest {
	t.Helper()
	c := f.calls()
	if len(c) == 0 {
		t.Fatal("the model was not asked")
	}
	return c[len(c)-1]
}

// fakeKB returns its passages for every query.
type fakeKB struct {
	passages []parley.Passage
	queries  []string
}

var _ parley.Retriever = (*fakeKB)(nil)

func (k *fakeKB) Retrieve(_ context.Context, query string, n int) ([]parley.Passage, error) {
	k.queries = append(k.queries, query)
	return k.passages[:min(n, len(k.passages))], nil
}

type genSetup struct {
	gs      *parley.GenerativeSettings
	llm     parley.LLM
	kb      parley.Retriever
	timeout time.Duration
	// obfuscate turns obfuscation on for OrderCoffee's Size slot.
	obfuscate bool
}

func newGenFixture(t testing.TB, g genSetup) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), script: coffeeScript(), clock: &clock{now: time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)}}
	fb := parley.IntentMatch{Name: "FallbackIntent", Fallback: true}
	f.script.answers["a large one maybe"] = &parley.Understanding{Intents: []parley.IntentMatch{fb, {Name: "OrderCoffee", Score: 0.3}}}
	f.script.answers["something strange"] = &parley.Understanding{Intents: []parley.IntentMatch{fb, {Name: "OrderCoffee", Score: 0.1}}}
	bot := coffeeBot()
	loc := bot.Locales[0]
	loc.Generative = g.gs
	loc.Intents[0].Description = "order a coffee"
	loc.Intents[0].SampleUtterances = []string{"coffee", "a {Size} coffee", "I want coffee", "one more"}
	loc.Intents[0].Slots[0].Obfuscate = g.obfuscate
	opts := engine.Options{
		Store:      f.store,
		Trainer:    &trainer{scripts: map[string]*script{"en_US": f.script}},
		Now:        f.clock.Now,
		LLM:        g.llm,
		LLMTimeout: g.timeout,
	}
	if g.kb != nil {
		opts.Retriever = func(botID, localeID string) parley.Retriever {
			if botID == "COFFEEBOT1" && localeID == "en_US" {
				return g.kb
			}
			return nil
		}
	}
	eng, err := engine.New(opts, bot)
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	return f
}

func fallbackSettings() *parley.GenerativeSettings {
	return &parley.GenerativeSettings{Fallback: &parley.LLMFallback{SystemPrompt: "You are the coffee shop's helper."}}
}

func TestFallbackAnswer(t *testing.T) {
	tests := []struct {
		name     string
		gs       *parley.GenerativeSettings
		llm      *fakeLLM
		text     string
		want     string
		wantCall bool
	}{
		{"the model answers", fallbackSettings(), &fakeLLM{answer: "We open at eight."}, "when do you open", "We open at eight.", true},
		{"no model configured", fallbackSettings(), nil, "when do you open", "Pardon?", false},
		{"no generative settings", nil, &fakeLLM{answer: "x"}, "when do you open", "Pardon?", false},
		{"an empty answer", fallbackSettings(), &fakeLLM{answer: "  "}, "when do you open", "Pardon?", true},
		{"a recognised intent is the dialog's", fallbackSettings(), &fakeLLM{answer: "x"}, "coffee", "Which size?", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := genSetup{gs: tc.gs}
			if tc.llm != nil {
				g.llm = tc.llm
			}
			f := newGenFixture(t, g)
			res := f.say(t, "s1", tc.text)
			if got := texts(res.Messages); got != tc.want {
				t.Fatalf("messages %q, want %q", got, tc.want)
			}
			if tc.llm != nil && (len(tc.llm.calls()) > 0) != tc.wantCall {
				t.Fatalf("model called %d times, want call %v", len(tc.llm.calls()), tc.wantCall)
			}
			if !tc.wantCall || tc.want == "Pardon?" {
				return
			}
			st := res.SessionState
			if st.Intent == nil || st.Intent.Name != "FallbackIntent" || st.DialogAction == nil || st.DialogAction.Type != parley.ActionElicitIntent {
				t.Fatalf("state %+v %+v, want FallbackIntent with ElicitIntent", st.Intent, st.DialogAction)
			}
			if res.Messages[0].ContentType != parley.ContentPlainText {
				t.Fatalf("content type %s", res.Messages[0].ContentType)
			}
			req := tc.llm.last(t)
			if req.Messages[0].Role != parley.RoleSystem || !strings.HasPrefix(req.Messages[0].Content, "You are the coffee shop's helper.") {
				t.Fatalf("system message %+v", req.Messages[0])
			}
			if strings.Contains(req.Messages[0].Content, tc.text) {
				t.Fatal("the user's text is in the system instructions")
			}
			q := req.Messages[len(req.Messages)-1]
			if q.Role != parley.RoleUser || q.Content != "<question>\n"+tc.text+"\n</question>" {
				t.Fatalf("question message %+v", q)
			}
			// The conversation goes on: the next input is classified afresh.
			if got := texts(f.say(t, "s1", "coffee").Messages); got != "Which size?" {
				t.Fatalf("next turn %q", got)
			}
		})
	}
}

func TestFallbackStreams(t *testing.T) {
	llm := &fakeLLM{answer: "We open at eight every day."}
	f := newGenFixture(t, genSetup{gs: fallbackSettings(), llm: llm})
	var deltas []string
	res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "when do you open",
		Stream: func(d string) error { deltas = append(deltas, d); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(deltas) < 2 || strings.Join(deltas, "") != "We open at eight every day." {
		t.Fatalf("deltas %q", deltas)
	}
	if texts(res.Messages) != "We open at eight every day." {
		t.Fatalf("messages %q", texts(res.Messages))
	}
}

func TestFallbackAnsweredOnceAcrossConflicts(t *testing.T) {
	llm := &fakeLLM{answer: "We open at eight.", tokens: 10}
	f := newGenFixture(t, genSetup{gs: fallbackSettings(), llm: llm})
	f.store.conflicts = 2
	var deltas []string
	res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "when do you open",
		Stream: func(d string) error { deltas = append(deltas, d); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(llm.calls()) != 1 || strings.Join(deltas, "") != "We open at eight." || texts(res.Messages) != "We open at eight." {
		t.Fatalf("calls %d, deltas %q, messages %q", len(llm.calls()), deltas, texts(res.Messages))
	}
	s, err := f.eng.GetSession(context.Background(), key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Memory.LLMTokens != 10 {
		t.Fatalf("session tokens %d, want 10", s.Memory.LLMTokens)
	}
}

func TestFallbackHistoryBounded(t *testing.T) {
	gs := fallbackSettings()
	gs.Fallback.HistoryTurns = 2
	llm := &fakeLLM{reply: func(req *parley.ChatRequest) string {
		return fmt.Sprintf("answer %d", len(req.Messages))
	}}
	f := newGenFixture(t, genSetup{gs: gs, llm: llm})
	for _, text := range []string{"one", "two", "three", "four"} {
		f.say(t, "s1", text)
	}
	req := llm.last(t)
	var roles, contents []string
	for _, m := range req.Messages[1:] {
		roles = append(roles, m.Role)
		contents = append(contents, m.Content)
	}
	wantRoles := "user assistant user assistant user"
	if strings.Join(roles, " ") != wantRoles {
		t.Fatalf("roles %q, want %q", roles, wantRoles)
	}
	if contents[0] != "two" || contents[2] != "three" || !strings.Contains(contents[4], "four") {
		t.Fatalf("history %q, want the exchanges of two and three", contents)
	}
	s, err := f.eng.GetSession(context.Background(), key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Memory.History) != 2 || s.Memory.History[1].User != "four" || s.Memory.History[1].Bot == "" {
		t.Fatalf("stored history %+v", s.Memory.History)
	}
	// Other sessions have their own history.
	f.say(t, "s2", "five")
	if n := len(llm.last(t).Messages); n != 2 {
		t.Fatalf("a new session sent %d messages, want 2", n)
	}
}

func TestHistoryBoundedByLength(t *testing.T) {
	llm := &fakeLLM{answer: strings.Repeat("a", 2000)}
	f := newGenFixture(t, genSetup{gs: fallbackSettings(), llm: llm})
	long := strings.Repeat("b", 1024)
	for range 6 {
		f.say(t, "s1", long)
	}
	s, err := f.eng.GetSession(context.Background(), key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range s.Memory.History {
		n += len([]rune(x.User)) + len([]rune(x.Bot))
	}
	if n > 6000 || len(s.Memory.History) == 0 || len(s.Memory.History) >= 6 {
		t.Fatalf("history of %d exchanges and %d runes", len(s.Memory.History), n)
	}
	if len(s.Messages) != 2 {
		t.Fatalf("a 2000-character answer became %d messages, want 2", len(s.Messages))
	}
}

func TestBudget(t *testing.T) {
	tests := []struct {
		name     string
		budget   parley.TokenBudget
		sessions []string
		want     []string
	}{
		{"per session", parley.TokenBudget{PerSession: 25}, []string{"s1", "s1", "s1", "s2"},
			[]string{"ok", "ok", "Pardon?", "ok"}},
		{"per day", parley.TokenBudget{PerDay: 25}, []string{"s1", "s2", "s3"},
			[]string{"ok", "ok", "Pardon?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := fallbackSettings()
			gs.Budget = tc.budget
			llm := &fakeLLM{answer: "ok", tokens: 20}
			f := newGenFixture(t, genSetup{gs: gs, llm: llm})
			for i, s := range tc.sessions {
				if got := texts(f.say(t, s, "hello there").Messages); got != tc.want[i] {
					t.Fatalf("turn %d in %s: %q, want %q", i, s, got, tc.want[i])
				}
			}
			if tc.budget.PerDay > 0 {
				// A new UTC day starts a new budget.
				f.clock.advance(24 * time.Hour)
				if got := texts(f.say(t, "s9", "hello there").Messages); got != "ok" {
					t.Fatalf("next day %q", got)
				}
			}
		})
	}
}

func TestRedaction(t *testing.T) {
	gs := fallbackSettings()
	gs.Redact = parley.RedactSettings{ObfuscatedSlots: true, Emails: true, Phones: true}
	llm := &fakeLLM{answer: "Noted."}
	f := newGenFixture(t, genSetup{gs: gs, llm: llm, obfuscate: true})
	f.say(t, "s1", "large coffee")
	f.say(t, "s1", "is a Large enough for two? mail me at kim.minsu@example.co.kr or call 010-1234-5678 or +82 10 9876 5432")
	var sent []string
	for _, m := range llm.last(t).Messages {
		sent = append(sent, m.Content)
	}
	all := strings.Join(sent, "\n")
	for _, secret := range []string{"kim.minsu@example.co.kr", "010-1234-5678", "9876", "Large", "large"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q reached the model:\n%s", secret, all)
		}
	}
	for _, mark := range []string{"[email]", "[phone]", "[Size]"} {
		if !strings.Contains(all, mark) {
			t.Errorf("no %s in what the model got:\n%s", mark, all)
		}
	}
}

func TestRedactionOff(t *testing.T) {
	llm := &fakeLLM{answer: "Noted."}
	f := newGenFixture(t, genSetup{gs: fallbackSettings(), llm: llm})
	f.say(t, "s1", "mail me at kim@example.com")
	if q := llm.last(t).Messages[1].Content; !strings.Contains(q, "kim@example.com") {
		t.Fatalf("question %q", q)
	}
}

func TestFallbackTimeout(t *testing.T) {
	llm := &fakeLLM{block: true}
	f := newGenFixture(t, genSetup{gs: fallbackSettings(), llm: llm, timeout: 20 * time.Millisecond})
	f.say(t, "s1", "large coffee")
	res := f.say(t, "s1", "what is the meaning of life")
	if got := texts(res.Messages); got != "Pardon?" {
		t.Fatalf("messages %q, want the configured response", got)
	}
	s, err := f.eng.GetSession(context.Background(), key("s1"))
	if err != nil {
		t.Fatalf("the session was lost: %v", err)
	}
	if s.Memory.Turns != 2 || s.State.Intent.Name != "FallbackIntent" || len(s.Memory.History) != 2 {
		t.Fatalf("session %+v", s)
	}
	// The next turn goes on normally.
	if got := texts(f.say(t, "s1", "coffee").Messages); got != "Which size?" {
		t.Fatalf("next turn %q", got)
	}
}

func TestKnowledgeBase(t *testing.T) {
	passages := []parley.Passage{
		{Source: "hours.md", Title: "Opening hours", Text: "We open at 8 and close at 20.", Score: 0.8},
		{Source: "menu.md", Text: "Espresso, latte.", Score: 0.5},
		{Source: "misc.md", Text: "Unrelated.", Score: 0.1},
	}
	tests := []struct {
		name     string
		gs       *parley.GenerativeSettings
		llm      *fakeLLM
		want     string
		wantDocs []string // in what the model got
	}{
		{"grounded answer with sources",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.3}},
			&fakeLLM{answer: "From 8 to 20."},
			"From 8 to 20.\n\nSources: hours.md, menu.md", []string{"hours.md", "We open at 8", "menu.md"}},
		{"no model: the best passage",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.3}},
			nil, "We open at 8 and close at 20.\n\nSources: hours.md", nil},
		{"the model fails: the best passage",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.3}},
			&fakeLLM{answer: ""}, "We open at 8 and close at 20.\n\nSources: hours.md", nil},
		{"below the threshold: the fallback",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.9}, Fallback: &parley.LLMFallback{}},
			&fakeLLM{answer: "I do not know."}, "I do not know.", nil},
		{"below the threshold, no fallback: the configured response",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.9}},
			&fakeLLM{answer: "x"}, "Pardon?", nil},
		{"one passage asked for",
			&parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.3, Passages: 1}},
			&fakeLLM{answer: "From 8."}, "From 8.\n\nSources: hours.md", []string{"hours.md"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kb := &fakeKB{passages: passages}
			g := genSetup{gs: tc.gs, kb: kb}
			if tc.llm != nil {
				g.llm = tc.llm
			}
			f := newGenFixture(t, g)
			res := f.say(t, "s1", "when are you open")
			if got := res.Messages[0].Content; got != tc.want {
				t.Fatalf("answer %q, want %q", got, tc.want)
			}
			if len(kb.queries) != 1 || kb.queries[0] != "when are you open" {
				t.Fatalf("queries %q", kb.queries)
			}
			if tc.wantDocs == nil {
				return
			}
			req := tc.llm.last(t)
			q := req.Messages[len(req.Messages)-1].Content
			for _, d := range tc.wantDocs {
				if !strings.Contains(q, d) {
					t.Errorf("%q not in the user message %q", d, q)
				}
			}
			if strings.Contains(q, "misc.md") || strings.Contains(req.Messages[0].Content, "We open") {
				t.Errorf("passages misplaced: system %q user %q", req.Messages[0].Content, q)
			}
		})
	}
}

func TestAssist(t *testing.T) {
	tests := []struct {
		name      string
		answer    string
		text      string
		want      string
		wantCalls int
	}{
		{"picks an intent and fills a slot", `Sure: {"intent": "OrderCoffee", "slots": {"Size": "large"}}`, "a large one maybe", "A large coffee for [name].", 1},
		{"a slot value not said is dropped", `{"intent": "OrderCoffee", "slots": {"Size": "small"}}`, "a large one maybe", "Which size?", 1},
		{"an unknown intent is ignored", `{"intent": "Teleport", "slots": {}}`, "a large one maybe", "Pardon?", 1},
		{"none keeps the NLU's decision", `{"intent": "none"}`, "a large one maybe", "Pardon?", 1},
		{"garbage keeps the NLU's decision", `I think coffee`, "a large one maybe", "Pardon?", 1},
		{"below the band: no call", `{"intent": "OrderCoffee"}`, "something strange", "Pardon?", 0},
		{"above the band: no call", `{"intent": "Status"}`, "coffee", "Which size?", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			llm := &fakeLLM{answer: tc.answer}
			f := newGenFixture(t, genSetup{gs: &parley.GenerativeSettings{Assist: &parley.AssistSettings{Low: 0.2, High: 0.6}}, llm: llm})
			res := f.say(t, "s1", tc.text)
			if got := texts(res.Messages); got != tc.want {
				t.Fatalf("messages %q, want %q", got, tc.want)
			}
			calls := llm.calls()
			if len(calls) != tc.wantCalls {
				t.Fatalf("%d calls, want %d", len(calls), tc.wantCalls)
			}
			if tc.wantCalls == 0 {
				return
			}
			req := calls[0]
			if req.Temperature == nil || *req.Temperature != 0 {
				t.Fatal("assist is not asked at temperature 0")
			}
			sys := req.Messages[0].Content
			if !strings.Contains(sys, `"name":"OrderCoffee"`) || !strings.Contains(sys, "order a coffee") || strings.Contains(sys, "one more") || strings.Contains(sys, "FallbackIntent") {
				t.Fatalf("intent list %q", sys)
			}
			if strings.Contains(sys, tc.text) || !strings.Contains(req.Messages[1].Content, tc.text) {
				t.Fatal("the text is not passed as data")
			}
		})
	}
}

func TestAssistCache(t *testing.T) {
	llm := &fakeLLM{answer: `{"intent": "OrderCoffee", "slots": {"Size": "large"}}`}
	f := newGenFixture(t, genSetup{gs: &parley.GenerativeSettings{Assist: &parley.AssistSettings{Low: 0.2, High: 0.6}}, llm: llm})
	for _, s := range []string{"s1", "s2"} {
		if got := texts(f.say(t, s, "a large one maybe").Messages); got != "A large coffee for [name]." {
			t.Fatalf("%s: %q", s, got)
		}
	}
	if n := len(llm.calls()); n != 1 {
		t.Fatalf("%d calls, want 1 (the second from the cache)", n)
	}
}

// FuzzAssistAnswer feeds the model's assist answer, outside input, through
// a turn: whatever it says, the turn answers.
func FuzzAssistAnswer(f *testing.F) {
	f.Add(`{"intent": "OrderCoffee", "slots": {"Size": "large"}}`)
	f.Add(`{"intent": "OrderCoffee", "slots": {"Size": 3, "Other": null}}`)
	f.Add(`} {"intent": "none"`)
	f.Add("```json\n{\"intent\": \"Status\"}\n```")
	f.Fuzz(func(t *testing.T, answer string) {
		llm := &fakeLLM{answer: answer}
		fx := newGenFixture(t, genSetup{gs: &parley.GenerativeSettings{Assist: &parley.AssistSettings{Low: 0.2, High: 0.6}}, llm: llm})
		res, err := fx.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "a large one maybe"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Messages) == 0 && res.SessionState.DialogAction == nil {
			t.Fatal("no answer")
		}
	})
}

func TestRedactionPatterns(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"e-mail", "write to kim.minsu+bot@mail.example.co.kr today", "write to [email] today"},
		{"Korean mobile with dashes", "제 번호는 010-1234-5678이에요", "제 번호는 [phone]이에요"},
		{"Korean mobile run together", "01012345678로 연락 주세요", "[phone]로 연락 주세요"},
		{"Seoul landline", "02-123-4567 or 02 1234 5678", "[phone] or [phone]"},
		{"international", "call +82 10-9876-5432 or +1 (415) 555-0100", "call [phone] or [phone]"},
		{"numbers that are not phones", "order 3 pizzas for 2026-05-13 at 19:30", "order 3 pizzas for 2026-05-13 at 19:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := fallbackSettings()
			gs.Redact = parley.RedactSettings{Emails: true, Phones: true}
			llm := &fakeLLM{answer: "ok"}
			f := newGenFixture(t, genSetup{gs: gs, llm: llm})
			f.say(t, "s1", tc.text)
			if got := llm.last(t).Messages[1].Content; got != "<question>\n"+tc.want+"\n</question>" {
				t.Fatalf("the model got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKnowledgeBaseStreamsSources(t *testing.T) {
	kb := &fakeKB{passages: []parley.Passage{{Source: "hours.md", Text: "We open at 8.", Score: 0.8}}}
	llm := &fakeLLM{answer: "From 8 on."}
	f := newGenFixture(t, genSetup{gs: &parley.GenerativeSettings{KnowledgeBase: &parley.KnowledgeBaseSettings{MinScore: 0.3}}, llm: llm, kb: kb})
	var deltas []string
	res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "when are you open",
		Stream: func(d string) error { deltas = append(deltas, d); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(deltas, ""), "From 8 on.\n\nSources: hours.md"; got != want || res.Messages[0].Content != want {
		t.Fatalf("streamed %q, message %q, want %q", got, res.Messages[0].Content, want)
	}
}

package engine_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

type fixture struct {
	eng    *engine.Engine
	store  *memStore
	script *script
	clock  *clock
}

func newFixture(t testing.TB, hook parley.CodeHook) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), script: coffeeScript(), clock: &clock{now: time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)}}
	opts := engine.Options{
		Store:       f.store,
		Trainer:     &trainer{scripts: map[string]*script{"en_US": f.script}},
		Now:         f.clock.Now,
		HookTimeout: 20 * time.Millisecond,
	}
	if hook != nil {
		opts.CodeHook = func(botID, aliasID, localeID string) parley.CodeHook { return hook }
	}
	eng, err := engine.New(opts, coffeeBot())
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	return f
}

func (f *fixture) say(t *testing.T, session, text string) *parley.TurnResult {
	t.Helper()
	res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key(session), Text: text})
	if err != nil {
		t.Fatalf("RecognizeText(%q): %v", text, err)
	}
	return res
}

func TestNew(t *testing.T) {
	other := coffeeBot()
	other.ID = "ANOTHERBOT"
	other.Locales = append(other.Locales, &parley.Locale{ID: "ko_KR"})
	brokenGraph := coffeeBot()
	brokenGraph.Locales[0].Intents[0].InitialNext = &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "NoSuchSlot"}
	tests := []struct {
		name    string
		opts    engine.Options
		bots    []*parley.Bot
		wantErr string
		trained []string
	}{
		{"trains every locale", engine.Options{Store: newMemStore(), Trainer: &trainer{}}, []*parley.Bot{other, coffeeBot()}, "",
			[]string{"ANOTHERBOT/en_US", "ANOTHERBOT/ko_KR", "COFFEEBOT1/en_US"}},
		{"no store", engine.Options{Trainer: &trainer{}}, nil, "Store is required", nil},
		{"no trainer", engine.Options{Store: newMemStore()}, nil, "Trainer is required", nil},
		{"duplicate ids", engine.Options{Store: newMemStore(), Trainer: &trainer{}}, []*parley.Bot{coffeeBot(), coffeeBot()}, "two bots with id COFFEEBOT1", nil},
		{"broken step graph", engine.Options{Store: newMemStore(), Trainer: &trainer{}}, []*parley.Bot{brokenGraph}, "NoSuchSlot", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng, err := engine.New(tc.opts, tc.bots...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.opts.Trainer.(*trainer).trained; !slices.Equal(got, tc.trained) {
				t.Errorf("trained %v, want %v", got, tc.trained)
			}
			var ids []string
			for _, b := range eng.Bots() {
				ids = append(ids, b.ID)
			}
			if !slices.Equal(ids, []string{"ANOTHERBOT", "COFFEEBOT1"}) {
				t.Errorf("Bots() = %v, want sorted ids", ids)
			}
		})
	}
}

func TestConversation(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	res, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{
		Key:               key("s1"),
		Text:              "coffee",
		SessionState:      &parley.SessionState{SessionAttributes: map[string]string{"name": "Kim"}},
		RequestAttributes: map[string]string{"channel": "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Messages); got != "Which size?" {
		t.Errorf("messages %q", got)
	}
	if a := res.SessionState.DialogAction; a.Type != parley.ActionElicitSlot || a.SlotToElicit != "Size" {
		t.Errorf("action %+v", a)
	}
	if !maps.Equal(res.RequestAttributes, map[string]string{"channel": "test"}) || res.SessionID != "s1" || res.InputTranscript != "coffee" {
		t.Errorf("result %+v", res)
	}
	if q := f.script.last(); q.Intent != "" || q.ElicitSlot != "" {
		t.Errorf("first query %+v, want a classification", q)
	}

	res = f.say(t, "s1", "large")
	if q := f.script.last(); q.Intent != "OrderCoffee" || q.ElicitSlot != "Size" {
		t.Errorf("second query %+v, want the elicited slot", q)
	}
	if got := texts(res.Messages); got != "A large coffee for Kim." {
		t.Errorf("messages %q", got)
	}
	if in := res.SessionState.Intent; in.State != parley.IntentFulfilled || res.SessionState.DialogAction.Type != parley.ActionClose {
		t.Errorf("state %+v", res.SessionState)
	}

	s, err := f.eng.GetSession(ctx, key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != 2 || texts(s.Messages) != "A large coffee for Kim." || s.State.SessionAttributes["name"] != "Kim" {
		t.Errorf("stored session %+v", s)
	}
	if err := f.eng.DeleteSession(ctx, key("s1")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.GetSession(ctx, key("s1")); parley.ErrorCodeOf(err) != parley.ErrNotFound {
		t.Errorf("GetSession after delete: %v, want ResourceNotFoundException", err)
	}
	if err := f.eng.DeleteSession(ctx, key("s1")); parley.ErrorCodeOf(err) != parley.ErrNotFound {
		t.Errorf("second DeleteSession: %v, want ResourceNotFoundException", err)
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	tests := []struct {
		name string
		key  parley.SessionKey
		want string
	}{
		{"unknown bot", parley.SessionKey{BotID: "NOSUCHBOT1", AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: "s1"}, "bot NOSUCHBOT1"},
		{"unknown alias", parley.SessionKey{BotID: "COFFEEBOT1", AliasID: "NOALIAS", LocaleID: "en_US", SessionID: "s1"}, "alias NOALIAS"},
		{"unknown locale", parley.SessionKey{BotID: "COFFEEBOT1", AliasID: parley.DraftAliasID, LocaleID: "fr_FR", SessionID: "s1"}, "locale fr_FR"},
		{"unknown session", key("nobody"), "session nobody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls := map[string]error{
				"GetSession":    func() error { _, err := f.eng.GetSession(ctx, tc.key); return err }(),
				"DeleteSession": f.eng.DeleteSession(ctx, tc.key),
			}
			if tc.name != "unknown session" {
				_, calls["RecognizeText"] = f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: tc.key, Text: "hi"})
				_, calls["PutSession"] = f.eng.PutSession(ctx, &parley.PutSessionRequest{Key: tc.key, SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionElicitIntent}}})
			}
			for call, err := range calls {
				if parley.ErrorCodeOf(err) != parley.ErrNotFound || !strings.Contains(parley.ErrorMessageOf(err), tc.want) {
					t.Errorf("%s: %v, want ResourceNotFoundException naming %q", call, err, tc.want)
				}
			}
		})
	}
	if _, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: parley.SessionKey{BotID: "COFFEEBOT1", AliasID: "PRODALIAS1", LocaleID: "en_US", SessionID: "s1"}, Text: "coffee"}); err != nil {
		t.Errorf("a declared alias: %v", err)
	}
}

func TestValidation(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name  string
		req   parley.TurnRequest
		field string
	}{
		{"empty text", parley.TurnRequest{Key: key("s1")}, "text"},
		{"bad session id", parley.TurnRequest{Key: key("s 1"), Text: "hi"}, "sessionId"},
		{"unknown intent", parley.TurnRequest{Key: key("s1"), Text: "hi", SessionState: &parley.SessionState{Intent: &parley.SessionIntent{Name: "OrderTea"}}}, "sessionState.intent.name"},
		{"unknown slot", parley.TurnRequest{Key: key("s1"), Text: "hi", SessionState: &parley.SessionState{Intent: &parley.SessionIntent{Name: "OrderCoffee", Slots: map[string]*parley.SlotValue{"Milk": nil}}}}, "sessionState.intent.slots.Milk"},
		{"unknown slot to elicit", parley.TurnRequest{Key: key("s1"), Text: "hi", SessionState: &parley.SessionState{
			Intent: &parley.SessionIntent{Name: "OrderCoffee"}, DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Milk"}}}, "sessionState.dialogAction.slotToElicit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.eng.RecognizeText(context.Background(), &tc.req)
			if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.HasPrefix(parley.ErrorMessageOf(err), tc.field) {
				t.Errorf("error %v, want ValidationException naming %s", err, tc.field)
			}
		})
	}
}

func TestConflictRetry(t *testing.T) {
	tests := []struct {
		name      string
		conflicts int
		wantErr   parley.ErrorCode
		wantPuts  int
	}{
		// A retry claims the session before it runs: two writes.
		{"first put loses, the retry wins", 1, "", 3},
		{"three lost races are retried", 3, "", 5},
		{"gives up after the attempts", 100, parley.ErrConflict, engine.DefaultConflictAttempts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.store.conflicts = tc.conflicts
			res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "coffee"})
			if parley.ErrorCodeOf(err) != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if f.store.puts != tc.wantPuts {
				t.Errorf("%d puts, want %d", f.store.puts, tc.wantPuts)
			}
			if err == nil && texts(res.Messages) != "Which size?" {
				t.Errorf("messages %q", texts(res.Messages))
			}
		})
	}
}

func TestExpiry(t *testing.T) {
	tests := []struct {
		name      string
		idle      time.Duration
		wantReply string
	}{
		{"within the TTL the slot answer counts", 299 * time.Second, "A large coffee for [name]."},
		{"after the TTL the conversation starts over", 300 * time.Second, "Pardon?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.say(t, "s1", "coffee")
			f.clock.advance(tc.idle)
			_, getErr := f.eng.GetSession(context.Background(), key("s1"))
			if expired := parley.ErrorCodeOf(getErr) == parley.ErrNotFound; expired != (tc.idle >= 300*time.Second) {
				t.Errorf("GetSession after %v: %v", tc.idle, getErr)
			}
			res := f.say(t, "s1", "large")
			if got := texts(res.Messages); got != tc.wantReply {
				t.Errorf("reply %q, want %q", got, tc.wantReply)
			}
		})
	}
}

func TestCodeHooks(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		hook      parley.CodeHookFunc
		wantReply string
		wantCode  parley.ErrorCode
	}{
		{"no hook configured delegates", "status", nil, "", ""},
		{"timeout says the timeout response", "status", func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, "Try again later.", ""},
		{"timeout without a timeout response fails the turn", "refund", func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, "", parley.ErrDependencyFailed},
		{"an invalid response fails the turn", "refund", func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return &parley.CodeHookResponse{}, nil
		}, "", parley.ErrDependencyFailed},
		{"an error fails the turn", "refund", func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, errors.New("connection refused")
		}, "", parley.ErrDependencyFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hook parley.CodeHook
			if tc.hook != nil {
				hook = tc.hook
			}
			f := newFixture(t, hook)
			res, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: tc.text})
			if parley.ErrorCodeOf(err) != tc.wantCode {
				t.Fatalf("error %v, want %q", err, tc.wantCode)
			}
			if err != nil {
				// The claim written before the hook call is no session.
				if _, err := f.eng.GetSession(context.Background(), key("s1")); parley.ErrorCodeOf(err) != parley.ErrNotFound {
					t.Errorf("a failed turn was saved: GetSession answered %v", err)
				}
				return
			}
			if got := texts(res.Messages); got != tc.wantReply {
				t.Errorf("reply %q, want %q", got, tc.wantReply)
			}
		})
	}
}

func TestCanceledContext(t *testing.T) {
	f := newFixture(t, parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: key("s1"), Text: "status"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestPutSession(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	res, err := f.eng.PutSession(ctx, &parley.PutSessionRequest{
		Key: key("s1"),
		SessionState: parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Size"},
			Intent:       &parley.SessionIntent{Name: "OrderCoffee"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Messages); got != "Which size?" {
		t.Errorf("messages %q", got)
	}
	if got := texts(f.say(t, "s1", "large").Messages); got != "A large coffee for [name]." {
		t.Errorf("after PutSession: %q", got)
	}
	_, err = f.eng.PutSession(ctx, &parley.PutSessionRequest{Key: key("s1"), SessionState: parley.SessionState{
		DialogAction: &parley.DialogAction{Type: parley.ActionDelegate}, Intent: &parley.SessionIntent{Name: "OrderTea"}}})
	if parley.ErrorCodeOf(err) != parley.ErrValidation || !strings.HasPrefix(parley.ErrorMessageOf(err), "sessionState.intent.name") {
		t.Errorf("unknown intent: %v", err)
	}
}

// TestConcurrentTurns runs turns on one session at once: they queue, so
// every turn wins and the stored version counts each once.
func TestConcurrentTurns(t *testing.T) {
	f := newFixture(t, nil)
	const turns = 16
	errs := make(chan error, turns)
	for range turns {
		go func() {
			_, err := f.eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key("s1"), Text: "status"})
			errs <- err
		}()
	}
	won := 0
	for range turns {
		if err := <-errs; err != nil {
			t.Errorf("turn failed: %v", err)
			continue
		}
		won++
	}
	s, err := f.eng.GetSession(context.Background(), key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	if int(s.Version) != won || won != turns {
		t.Errorf("stored version %d, but %d turns reported success", s.Version, won)
	}
}

func TestActiveContextsReachTheInterpreter(t *testing.T) {
	f := newFixture(t, nil)
	vip := parley.ActiveContext{Name: "vip", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 2}}
	steps := []struct {
		name     string
		contexts []parley.ActiveContext // nil: keep
		advance  time.Duration
		want     []string
	}{
		{"set by the request", []parley.ActiveContext{vip}, 0, []string{"vip"}},
		{"kept for its second turn", nil, time.Second, []string{"vip"}},
		{"gone after its turns", nil, time.Second, nil},
		{"set again", []parley.ActiveContext{vip}, 0, []string{"vip"}},
		{"gone after its seconds", nil, time.Minute, nil},
		{"cleared by an empty list", []parley.ActiveContext{}, 0, nil},
	}
	for _, st := range steps {
		f.clock.advance(st.advance)
		req := &parley.TurnRequest{Key: key("s1"), Text: "status"}
		if st.contexts != nil {
			req.SessionState = &parley.SessionState{ActiveContexts: st.contexts}
		}
		if _, err := f.eng.RecognizeText(context.Background(), req); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := f.script.last().ActiveContexts; !slices.Equal(got, st.want) {
			t.Errorf("%s: interpreter saw %v, want %v", st.name, got, st.want)
		}
	}
}

// TestOriginatingRequestID checks that the id of the request that produced
// a state is stored with it, so GetSession reports it as Lex does.
func TestOriginatingRequestID(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if _, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: key("s1"), Text: "coffee", RequestID: "req-1"}); err != nil {
		t.Fatal(err)
	}
	s, err := f.eng.GetSession(ctx, key("s1"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.State.OriginatingRequestID; got != "req-1" {
		t.Errorf("after RecognizeText: originatingRequestId %q, want req-1", got)
	}
	_, err = f.eng.PutSession(ctx, &parley.PutSessionRequest{Key: key("s1"), RequestID: "req-2",
		SessionState: parley.SessionState{DialogAction: &parley.DialogAction{Type: parley.ActionElicitIntent}}})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = f.eng.GetSession(ctx, key("s1")); err != nil {
		t.Fatal(err)
	}
	if got := s.State.OriginatingRequestID; got != "req-2" {
		t.Errorf("after PutSession: originatingRequestId %q, want req-2", got)
	}
}

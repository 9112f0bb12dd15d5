package engine_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

// utterTrainer trains an exact-match interpreter from the sample
// utterances of the locale it is given, so two definitions of a bot
// understand different words.
type utterTrainer struct{}

var _ parley.Trainer = utterTrainer{}

func (utterTrainer) Train(_ *parley.Bot, loc *parley.Locale) (parley.Interpreter, error) {
	s := &script{answers: map[string]*parley.Understanding{}}
	for _, in := range loc.Intents {
		for _, u := range in.SampleUtterances {
			s.answers[u] = &parley.Understanding{Intents: []parley.IntentMatch{{Name: in.Name, Score: 0.9}}}
		}
	}
	return s, nil
}

// greeter answers its greeting utterance with reply.
func greeter(utterance, reply string, aliases ...parley.Alias) *parley.Bot {
	return &parley.Bot{
		ID: "GREETBOT01", Name: "Greet", Aliases: aliases,
		Locales: []*parley.Locale{{ID: "en_US", NLUConfidenceThreshold: 0.4, Intents: []*parley.Intent{
			{Name: "Hello", SampleUtterances: []string{utterance}, Fulfillment: &parley.FulfillmentSetting{SuccessResponse: response(reply)}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature, Closing: response("Pardon?")},
		}}},
	}
}

func greetKey(alias, session string) parley.SessionKey {
	return parley.SessionKey{BotID: "GREETBOT01", AliasID: alias, LocaleID: "en_US", SessionID: session}
}

func ask(t *testing.T, eng *engine.Engine, k parley.SessionKey, text string) string {
	t.Helper()
	res, err := eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: k, Text: text})
	if err != nil {
		t.Fatalf("RecognizeText(%s, %q): %v", k.AliasID, text, err)
	}
	return texts(res.Messages)
}

func TestAliasesServeTheirVersion(t *testing.T) {
	prod := parley.Alias{ID: "PRODALIAS1", Name: "prod", BotVersion: "1"}
	beta := parley.Alias{ID: "BETAALIAS1", Name: "beta", BotVersion: "DRAFT"}
	eng, err := engine.NewServed(engine.Options{Store: newMemStore(), Trainer: utterTrainer{}}, engine.Served{
		Draft:    greeter("hi there", "Hello from the draft.", prod, beta),
		Versions: map[string]*parley.Bot{"1": greeter("hello", "Hello from version 1.")},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, alias, text, want string
	}{
		{"draft alias, draft utterance", parley.DraftAliasID, "hi there", "Hello from the draft."},
		{"draft alias, version utterance", parley.DraftAliasID, "hello", "Pardon?"},
		{"version alias, version utterance", "PRODALIAS1", "hello", "Hello from version 1."},
		{"version alias, draft utterance", "PRODALIAS1", "hi there", "Pardon?"},
		{"alias on DRAFT", "BETAALIAS1", "hi there", "Hello from the draft."},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ask(t, eng, greetKey(tc.alias, fmt.Sprintf("s%d", i)), tc.text); got != tc.want {
				t.Errorf("answer %q, want %q", got, tc.want)
			}
		})
	}
	if got := eng.Versions("GREETBOT01"); strings.Join(got, ",") != "1" {
		t.Errorf("Versions = %v, want [1]", got)
	}
}

func TestVersionErrors(t *testing.T) {
	prod := parley.Alias{ID: "PRODALIAS1", BotVersion: "2"}
	other := greeter("hello", "x")
	other.ID = "OTHERBOT01"
	tests := []struct {
		name    string
		served  engine.Served
		wantErr string
	}{
		{"alias on a missing version", engine.Served{Draft: greeter("hi", "x", prod), Versions: map[string]*parley.Bot{"1": greeter("hi", "x")}},
			"bot GREETBOT01 alias PRODALIAS1 points at version 2, which does not exist (versions: 1)"},
		{"alias on a version without versions", engine.Served{Draft: greeter("hi", "x", prod)},
			"alias PRODALIAS1 points at version 2, which does not exist (versions: none)"},
		{"version of another bot", engine.Served{Draft: greeter("hi", "x"), Versions: map[string]*parley.Bot{"1": other}},
			"version 1 of bot GREETBOT01 is not a version of that bot"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := engine.NewServed(engine.Options{Store: newMemStore(), Trainer: utterTrainer{}}, tc.served)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestAddVersion(t *testing.T) {
	eng, err := engine.NewServed(engine.Options{Store: newMemStore(), Trainer: utterTrainer{}}, engine.Served{Draft: greeter("hi", "One.")})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.AddVersion("1", greeter("hi", "One.")); err != nil {
		t.Fatal(err)
	}
	if err := eng.AddVersion("1", greeter("hi", "Other.")); parley.ErrorCodeOf(err) != parley.ErrConflict {
		t.Errorf("adding version 1 again: %v, want ErrConflict", err)
	}
	// The new draft points an alias at version 1; version 1 keeps its answer.
	if err := eng.ReplaceDraft(greeter("hi", "Two.", parley.Alias{ID: "PRODALIAS1", BotVersion: "1"})); err != nil {
		t.Fatal(err)
	}
	if got := ask(t, eng, greetKey("PRODALIAS1", "s1"), "hi"); got != "One." {
		t.Errorf("version alias says %q, want One.", got)
	}
	if got := ask(t, eng, greetKey(parley.DraftAliasID, "s2"), "hi"); got != "Two." {
		t.Errorf("draft says %q, want Two.", got)
	}
	// A draft pointing at a missing version is refused and the old one stays.
	if err := eng.ReplaceDraft(greeter("hi", "Three.", parley.Alias{ID: "PRODALIAS1", BotVersion: "9"})); parley.ErrorCodeOf(err) != parley.ErrValidation {
		t.Errorf("draft on version 9: %v, want ErrValidation", err)
	}
	if got := ask(t, eng, greetKey(parley.DraftAliasID, "s2"), "hi"); got != "Two." {
		t.Errorf("after a refused draft the draft says %q, want Two.", got)
	}
}

// TestReplaceDraftUnderLoad swaps drafts while sessions take turns: no turn
// fails, every answer is one of the drafts', and every session survives.
func TestReplaceDraftUnderLoad(t *testing.T) {
	store := newMemStore()
	eng, err := engine.New(engine.Options{Store: store, Trainer: utterTrainer{}}, greeter("hi", "Draft 0."))
	if err != nil {
		t.Fatal(err)
	}
	const sessions, turns, swaps = 8, 20, 20
	var wg sync.WaitGroup
	errs := make(chan error, sessions*turns+swaps)
	for i := range sessions {
		wg.Go(func() {
			k := greetKey(parley.DraftAliasID, fmt.Sprintf("s%d", i))
			for range turns {
				res, err := eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: k, Text: "hi"})
				if err != nil {
					errs <- err
					continue
				}
				if got := texts(res.Messages); !strings.HasPrefix(got, "Draft ") {
					errs <- fmt.Errorf("answer %q", got)
				}
			}
		})
	}
	wg.Go(func() {
		for n := range swaps {
			if err := eng.ReplaceDraft(greeter("hi", fmt.Sprintf("Draft %d.", n+1))); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := ask(t, eng, greetKey(parley.DraftAliasID, "after"), "hi"); got != fmt.Sprintf("Draft %d.", swaps) {
		t.Errorf("after the swaps the draft says %q", got)
	}
	for i := range sessions {
		if _, err := eng.GetSession(context.Background(), greetKey(parley.DraftAliasID, fmt.Sprintf("s%d", i))); err != nil {
			t.Errorf("session s%d: %v", i, err)
		}
	}
}

func TestNewLeavesVersionAliasesOut(t *testing.T) {
	eng, err := engine.New(engine.Options{Store: newMemStore(), Trainer: utterTrainer{}},
		greeter("hi", "Draft.", parley.Alias{ID: "PRODALIAS1", BotVersion: "1"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ask(t, eng, greetKey(parley.DraftAliasID, "s1"), "hi"); got != "Draft." {
		t.Errorf("draft says %q", got)
	}
	_, err = eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: greetKey("PRODALIAS1", "s1"), Text: "hi"})
	if parley.ErrorCodeOf(err) != parley.ErrNotFound {
		t.Errorf("alias on a version not served: %v, want ErrNotFound", err)
	}
}

func TestHookEventNamesTheVersion(t *testing.T) {
	withHook := func(reply string, aliases ...parley.Alias) *parley.Bot {
		b := greeter("hi", reply, aliases...)
		b.Locales[0].Intents[0].Fulfillment.CodeHook = true
		return b
	}
	var mu sync.Mutex
	seen := map[string]string{} // alias → event bot version
	hook := parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		mu.Lock()
		seen[ev.Bot.AliasID] = ev.Bot.Version
		mu.Unlock()
		return parley.NopCodeHook.Invoke(ctx, ev)
	})
	eng, err := engine.NewServed(engine.Options{
		Store: newMemStore(), Trainer: utterTrainer{},
		CodeHook: func(string, string, string) parley.CodeHook { return hook },
	}, engine.Served{
		Draft:    withHook("Draft.", parley.Alias{ID: "PRODALIAS1", BotVersion: "1"}),
		Versions: map[string]*parley.Bot{"1": withHook("One.")},
	})
	if err != nil {
		t.Fatal(err)
	}
	ask(t, eng, greetKey(parley.DraftAliasID, "s1"), "hi")
	ask(t, eng, greetKey("PRODALIAS1", "s1"), "hi")
	if want := map[string]string{parley.DraftAliasID: "DRAFT", "PRODALIAS1": "1"}; !maps.Equal(seen, want) {
		t.Errorf("event versions %v, want %v", seen, want)
	}
}

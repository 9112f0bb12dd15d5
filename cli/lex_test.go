package cli_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/lexexport"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

const lexFixtures = "../../shared/fixtures/lex"

var lexFixtureNames = []string{"airline-bot", "javalambda-bot", "reminder-bot"}

func lexFixture(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(lexFixtures, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("Lex fixture %s not available: %v", name, err)
	}
	return p
}

func runParley(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr, mapEnv(nil)); code != 0 {
		t.Fatalf("parley %s: exit status %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// TestImportLex converts each fixture to YAML and checks that the folder
// validates and loads to the model the export reads as.
func TestImportLex(t *testing.T) {
	for _, name := range lexFixtureNames {
		t.Run(name, func(t *testing.T) {
			src := lexFixture(t, name)
			want, ws, err := lexexport.Read(src)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), name)
			stdout, stderr := runParley(t, "import-lex", src, "--out", out)
			if !strings.Contains(stdout, "wrote "+out) {
				t.Errorf("stdout = %q", stdout)
			}
			if n := strings.Count(stderr, ": warning: "); n != len(ws) {
				t.Errorf("import-lex printed %d warnings, Read gives %d", n, len(ws))
			}
			if stdout, _ := runParley(t, "validate", out); !strings.Contains(stdout, "ok: "+out) {
				t.Errorf("validate: %s", stdout)
			}
			got, err := botdef.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			got.Source, want.Source = "", ""
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("the YAML loads to another model:\n%s", firstDifference(got, want))
			}
			header, err := os.ReadFile(filepath.Join(out, "bot.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) > 0 && !strings.Contains(string(header), "# What Parley does not run yet") {
				t.Error("bot.yaml does not list the warnings")
			}
		})
	}
}

// TestExportLexExamples: a Parley bot survives export → import unchanged
// (channels aside, which are not written).
func TestExportLexExamples(t *testing.T) {
	for _, dir := range []string{"../examples/pizza", "../examples/hello"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want, err := botdef.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			zipPath := filepath.Join(t.TempDir(), "bot.zip")
			if stdout, _ := runParley(t, "export-lex", dir, "--out", zipPath); !strings.Contains(stdout, "wrote "+zipPath) {
				t.Errorf("stdout = %q", stdout)
			}
			got, ws, err := lexexport.Read(zipPath)
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) != 0 {
				t.Errorf("warnings: %v", ws)
			}
			got.Source, want.Source, want.Channels = "", "", nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("export → import changed the bot:\n%s", firstDifference(got, want))
			}
			if stdout, _ := runParley(t, "validate", zipPath); !strings.Contains(stdout, "ok: "+zipPath+" (Lex export") {
				t.Errorf("validate: %s", stdout)
			}
		})
	}
}

// sampleValues fill the slot placeholders of a sample utterance with a
// value of each built-in type the fixtures use.
var sampleValues = map[string]string{
	"AMAZON.Number":       "2",
	"AMAZON.Date":         "tomorrow",
	"AMAZON.Time":         "10 am",
	"AMAZON.City":         "Seattle",
	"AMAZON.FirstName":    "John",
	"AMAZON.AlphaNumeric": "ABC123",
}

// sampleFor returns an intent's first sample utterance that needs no slot
// values, else the first whose placeholders it can fill: with a custom
// type's first value or a value of the built-in type.
func sampleFor(loc *parley.Locale, in *parley.Intent) string {
	for _, u := range in.SampleUtterances {
		if !strings.Contains(u, "{") {
			return u
		}
	}
	for _, u := range in.SampleUtterances {
		filled := u
		for _, s := range in.Slots {
			v := sampleValues[s.SlotTypeName]
			if st := loc.SlotType(s.SlotTypeName); st != nil && len(st.Values) > 0 {
				v = st.Values[0].Value
			}
			if v != "" {
				filled = strings.ReplaceAll(filled, "{"+s.Name+"}", v)
			}
		}
		if !strings.Contains(filled, "{") {
			return filled
		}
	}
	return ""
}

// fulfillingHook stands in for a bot's Lambda: it lets the engine run the
// dialog and answers a fulfillment with Fulfilled, as a working Lambda does.
var fulfillingHook = parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	if ev.InvocationSource != parley.FulfillmentCodeHook {
		return parley.NopCodeHook.Invoke(ctx, ev)
	}
	state := ev.SessionState
	intent := *state.Intent
	intent.State = parley.IntentFulfilled
	state.Intent = &intent
	state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	return &parley.CodeHookResponse{SessionState: state}, nil
})

// answerFor returns a value of the slot's type to answer its prompt with.
func answerFor(loc *parley.Locale, in *parley.Intent, slot string) string {
	s := in.Slot(slot)
	if s == nil {
		return ""
	}
	if st := loc.SlotType(s.SlotTypeName); st != nil {
		if len(st.Values) > 0 {
			return st.Values[0].Value
		}
		if st.RegexFilter == "[A-Z]{3}" {
			return "SEA"
		}
	}
	return sampleValues[s.SlotTypeName]
}

// TestLexFixtureConversations serves each fixture's export through the
// engine and holds one conversation per intent: a sample utterance, then
// an answer to every slot prompt, until the dialog closes. The first
// turn must reach the intent and, for classic intents, ask for the first
// missing slot by priority.
func TestLexFixtureConversations(t *testing.T) {
	ctx := context.Background()
	for _, name := range lexFixtureNames {
		t.Run(name, func(t *testing.T) {
			bot, _, err := lexexport.Read(lexFixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			store := memory.New(memory.Options{Now: time.Now})
			defer store.Close()
			hooks := func(string, string, string) parley.CodeHook { return fulfillingHook }
			eng, err := engine.New(engine.Options{Store: store, Trainer: nlu.New(), Now: time.Now, CodeHook: hooks}, bot)
			if err != nil {
				t.Fatal(err)
			}
			for _, loc := range bot.Locales {
				for _, in := range loc.Intents {
					if in.IsFallback() {
						continue
					}
					text := sampleFor(loc, in)
					if text == "" {
						t.Errorf("%s %s: no sample utterance to start with", loc.ID, in.Name)
						continue
					}
					t.Run(loc.ID+"/"+in.Name, func(t *testing.T) {
						key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: loc.ID, SessionID: "s-" + in.Name}
						var transcript []string
						for turn := 0; ; turn++ {
							if turn == 2*len(in.Slots)+3 {
								t.Fatalf("no end after %d turns:\n%s", turn, strings.Join(transcript, "\n"))
							}
							res, err := eng.RecognizeText(ctx, &parley.TurnRequest{Key: key, Text: text})
							if err != nil {
								t.Fatalf("%q: %v", text, err)
							}
							got, da := res.SessionState.Intent, res.SessionState.DialogAction
							if got == nil || da == nil {
								t.Fatalf("%q: no intent or dialog action: %+v", text, res.SessionState)
							}
							transcript = append(transcript, fmt.Sprintf("  %q → %s %s %s %s", text, got.Name, got.State, da.Type, da.SlotToElicit))
							if got.Name != in.Name {
								t.Fatalf("the conversation left the intent:\n%s", strings.Join(transcript, "\n"))
							}
							if turn == 0 && !in.IsStepGraph() {
								if want := firstMissing(in, got); want != "" && (da.Type != parley.ActionElicitSlot || da.SlotToElicit != want) {
									t.Errorf("%q: dialog action %+v, want ElicitSlot %s (the classic order)", text, da, want)
								}
							}
							switch da.Type {
							case parley.ActionElicitSlot:
								if text = answerFor(loc, in, da.SlotToElicit); text == "" {
									t.Fatalf("no answer for slot %s:\n%s", da.SlotToElicit, strings.Join(transcript, "\n"))
								}
								continue
							case parley.ActionConfirmIntent:
								text = "yes"
								continue
							}
							// A step graph may end the conversation on purpose
							// (the airline bot's capture steps go to
							// EndConversation: its Lambda does the work), so
							// only the classic order must reach fulfillment.
							if da.Type != parley.ActionClose || !in.IsStepGraph() && got.State != parley.IntentFulfilled {
								t.Fatalf("the conversation ended unfulfilled:\n%s", strings.Join(transcript, "\n"))
							}
							return
						}
					})
				}
			}
		})
	}
}

// TestReminderStepGraphConversation runs the reminder bot's range check on
// DaysBefore, a conditional on a slot capture: an answer above seven days
// is refused, the slot cleared and asked again.
func TestReminderStepGraphConversation(t *testing.T) {
	bot, _, err := lexexport.Read(lexFixture(t, "reminder-bot"))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(memory.Options{Now: time.Now})
	defer store.Close()
	eng, err := engine.New(engine.Options{Store: store, Trainer: nlu.New(), Now: time.Now, CodeHook: func(string, string, string) parley.CodeHook { return fulfillingHook }}, bot)
	if err != nil {
		t.Fatal(err)
	}
	key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: "days"}
	for _, step := range []struct {
		say        string
		action     parley.DialogActionType
		slot, days string
	}{
		{say: "I would like an email", action: parley.ActionElicitSlot, slot: "DaysBefore"},
		{say: "10", action: parley.ActionElicitSlot, slot: "DaysBefore"},
		{say: "3", action: parley.ActionClose, days: "3"},
	} {
		res, err := eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key, Text: step.say})
		if err != nil {
			t.Fatalf("%q: %v", step.say, err)
		}
		da, in := res.SessionState.DialogAction, res.SessionState.Intent
		if da.Type != step.action || da.SlotToElicit != step.slot || in.Name != "EmailIntent" {
			t.Fatalf("%q: %s %s in %s, want %s %s", step.say, da.Type, da.SlotToElicit, in.Name, step.action, step.slot)
		}
		if step.slot != "" && in.Filled("DaysBefore") {
			t.Errorf("%q: DaysBefore is still filled: %+v", step.say, in.Slots["DaysBefore"])
		}
		if step.days != "" && (!in.Filled("DaysBefore") || in.Slots["DaysBefore"].Value.InterpretedValue != step.days) {
			t.Errorf("%q: DaysBefore = %+v, want %s", step.say, in.Slots["DaysBefore"], step.days)
		}
	}
}

// firstMissing is the first required slot, by priority, that the turn did
// not fill: the slot the classic order asks for next.
func firstMissing(in *parley.Intent, got *parley.SessionIntent) string {
	for _, s := range in.Slots {
		if s.Required && !got.Filled(s.Name) {
			return s.Name
		}
	}
	return ""
}

// zipFolder zips dir under a top folder named like the console's exports,
// as a user who re-zips an unzipped export does.
func zipFolder(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "Export_DRAFT_LexJson.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create("Export/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServeLexExport runs `parley serve EXPORT.zip`'s server on a zipped
// export: it answers the Lex runtime API and logs the export's warnings.
func TestServeLexExport(t *testing.T) {
	zipPath := zipFolder(t, lexFixture(t, "javalambda-bot"))
	cfg := cli.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Store = "memory:"
	cfg.Bots = []string{zipPath}
	var logs bytes.Buffer
	srv := cli.NewServer(cfg, slog.New(slog.NewTextHandler(&logs, nil)), cli.HookOptions{})
	if err := srv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer startServer(t, srv)()
	if !strings.Contains(logs.String(), "voiceSettings") {
		t.Errorf("the export's warning was not logged:\n%s", logs.String())
	}
	resp, err := http.Post(srv.URL()+"/bots/8UT7JOJNLY/botAliases/TSTALIASID/botLocales/en_US/sessions/s1/text",
		"application/json", strings.NewReader(`{"text":"I want to book a test drive"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var turn struct {
		Messages     []struct{ Content string }
		SessionState struct {
			Intent struct{ Name string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&turn); err != nil {
		t.Fatal(err)
	}
	if turn.SessionState.Intent.Name != "BookTestDrive" || len(turn.Messages) != 1 || turn.Messages[0].Content != "What make of vehicle" {
		t.Errorf("RecognizeText = %+v", turn)
	}
}

// firstDifference shows where two values first differ, as indented JSON
// lines with a little context.
func firstDifference(got, want any) string {
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			from := max(0, i-6)
			return fmt.Sprintf("got:\n%s\nwant:\n%s", strings.Join(gl[from:min(len(gl), i+3)], "\n"), strings.Join(wl[from:min(len(wl), i+3)], "\n"))
		}
	}
	return fmt.Sprintf("same JSON (%d and %d lines); they differ in nil against empty or unexported state", len(gl), len(wl))
}

func TestLexCommandErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.yaml"), []byte("id: X\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notZip := filepath.Join(dir, "bad.zip")
	if err := os.WriteFile(notZip, []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"import needs --out", []string{"import-lex", lexFixture(t, "javalambda-bot")}, "--out DIR is required"},
		{"import keeps an existing bot", []string{"import-lex", lexFixture(t, "javalambda-bot"), "--out", dir}, "already holds a bot.yaml"},
		{"import of something else", []string{"import-lex", notZip, "--out", t.TempDir()}, "not a zip file"},
		{"export needs --out", []string{"export-lex", "../examples/hello"}, "--out FILE is required"},
		{"validate a broken zip", []string{"validate", notZip}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := cli.Main(tt.args, strings.NewReader(""), &stdout, &stderr, mapEnv(nil)); code != 1 {
				t.Fatalf("exit status %d, want 1\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			// validate reports on standard output, as for bot files.
			if tt.args[0] == "validate" && !strings.Contains(stdout.String(), "not a zip file") {
				t.Errorf("validate printed %q, want why bad.zip cannot be read", stdout.String())
			}
		})
	}
}

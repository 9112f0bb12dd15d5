package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// TestLexFixtureConversations serves each fixture's export through the
// engine and says one sample utterance per intent, expecting that intent
// and a dialog that goes on (a slot asked, or the intent closed).
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
			eng, err := engine.New(engine.Options{Store: store, Trainer: nlu.New(), Now: time.Now}, bot)
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
						continue
					}
					t.Run(loc.ID+"/"+in.Name, func(t *testing.T) {
						key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: loc.ID, SessionID: "s-" + in.Name}
						res, err := eng.RecognizeText(ctx, &parley.TurnRequest{Key: key, Text: text})
						if err != nil {
							t.Fatalf("%q: %v", text, err)
						}
						got := res.SessionState.Intent
						if got == nil || got.Name != in.Name {
							t.Fatalf("%q recognised as %+v, want %s", text, got, in.Name)
						}
						da := res.SessionState.DialogAction
						if da == nil {
							t.Fatalf("%q: no dialog action", text)
						}
						switch {
						case da.Type == parley.ActionElicitSlot && in.Slot(da.SlotToElicit) == nil:
							t.Errorf("%q: elicits %s, which is not a slot of %s", text, da.SlotToElicit, in.Name)
						case in.IsStepGraph():
							// The graph decides what follows.
						case firstMissing(in, got) != "" && (da.Type != parley.ActionElicitSlot || da.SlotToElicit != firstMissing(in, got)):
							t.Errorf("%q: dialog action %+v, want ElicitSlot %s (the classic order)", text, da, firstMissing(in, got))
						}
					})
				}
			}
		})
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

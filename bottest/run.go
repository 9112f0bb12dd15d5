package bottest

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/memory"
)

// Options configures RunWith and RunFileWith.
type Options struct {
	// Hooks are in-process code hooks by name. A transcript's bot is served
	// by the hook named in its "hook:" header, else by the one named by the
	// bot's id, else by none (parley.NopCodeHook); "! hook NAME" switches
	// to another between turns ("! hook none" to none).
	Hooks map[string]parley.CodeHook
}

// Run replays every *.txt transcript under dir, each as a subtest named
// after its path relative to dir. When the test binary has a boolean
// -update flag (define it in the calling test) and it is set, the expected
// lines are rewritten from what the bot said instead of compared.
func Run(t *testing.T, dir string) {
	t.Helper()
	RunWith(t, dir, Options{})
}

// RunWith is Run with code hooks.
func RunWith(t *testing.T, dir string, opts Options) {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("bottest: no transcripts (*.txt) under %s", dir)
	}
	slices.Sort(files)
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		t.Run(strings.TrimSuffix(filepath.ToSlash(rel), ".txt"), func(t *testing.T) { RunFileWith(t, f, opts) })
	}
}

// updating reports whether the test binary was asked to rewrite goldens.
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	on, _ := strconv.ParseBool(f.Value.String())
	return on
}

// RunFile replays one transcript file.
func RunFile(t *testing.T, path string) {
	t.Helper()
	RunFileWith(t, path, Options{})
}

// RunFileWith is RunFile with code hooks.
func RunFileWith(t *testing.T, path string, opts Options) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}
	tr, err := Parse(path, src)
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}
	botPath := tr.Bot
	if !filepath.IsAbs(botPath) {
		botPath = filepath.Join(moduleRoot(filepath.Dir(path)), botPath)
	}
	bot, err := botdef.Load(botPath)
	if err != nil {
		t.Fatalf("bottest: load %s: %v", tr.Bot, err)
	}
	locale := tr.Locale
	if locale == "" {
		locale = bot.Locales[0].ID
	}
	loc := bot.Locale(locale)
	if loc == nil {
		t.Fatalf("bottest: bot %s has no locale %s", bot.ID, locale)
	}
	clk := &clock{now: tr.Now}
	store := memory.New(memory.Options{Now: clk.Now})
	defer store.Close()
	hook := opts.Hooks[bot.ID]
	if tr.Hook != "" {
		if hook = opts.hook(tr.Hook); hook == nil {
			t.Fatalf("bottest: %s: no hook named %q in Options.Hooks", path, tr.Hook)
		}
	}
	// Turns run one at a time, so the hook can change between them.
	serving := func(botID, aliasID, localeID string) parley.CodeHook { return hook }
	eng, err := engine.New(engine.Options{Store: store, Trainer: nlu.New(), Now: clk.Now, CodeHook: serving}, bot)
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}

	update := updating()
	var out []string // the rewritten file when updating
	session := tr.Session
	var attrs map[string]string
	for i, ln := range tr.Lines {
		switch ln.Kind {
		case kindExpected:
			continue // replaced by the actual block when updating
		case kindDirective:
			verb, args := directive(ln.Text)
			switch verb {
			case "wait":
				d, _ := time.ParseDuration(args)
				clk.advance(d)
			case "session":
				session = args
			case "attributes":
				attrs, _ = attributes(args)
			case "hook":
				hook = opts.hook(args)
				if hook == nil && args != "none" {
					t.Fatalf("bottest: %s:%d: no hook named %q in Options.Hooks", path, ln.No, args)
				}
			}
		case kindUser:
			req := &parley.TurnRequest{
				Key:  parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: loc.ID, SessionID: session},
				Text: userText(ln.Text),
			}
			if attrs != nil {
				req.SessionState = &parley.SessionState{SessionAttributes: attrs}
				attrs = nil
			}
			res, err := eng.RecognizeText(context.Background(), req)
			got := render(loc, res, err)
			out = append(out, ln.Text)
			out = append(out, got...)
			if want := expectedBlock(tr.Lines, i); !update && !slices.Equal(got, want) {
				t.Errorf("%s:%d: after %q\n--- want\n%s\n--- got\n%s", path, ln.No, userText(ln.Text), strings.Join(want, "\n"), strings.Join(got, "\n"))
			}
			continue
		}
		out = append(out, ln.Text)
	}
	if update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatalf("bottest: %v", err)
		}
	}
}

// hook returns the named hook; nil for "none" or an unknown name.
func (o Options) hook(name string) parley.CodeHook {
	if name == "none" {
		return nil
	}
	return o.Hooks[name]
}

// moduleRoot returns the nearest folder at or above dir holding go.mod, or
// dir itself when there is none.
func moduleRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// render writes what a turn produced as transcript lines.
func render(loc *parley.Locale, res *parley.TurnResult, err error) []string {
	if err != nil {
		return []string{fmt.Sprintf("= error %s: %s", parley.ErrorCodeOf(err), parley.ErrorMessageOf(err))}
	}
	var out []string
	for _, m := range res.Messages {
		out = append(out, "< "+message(m))
	}
	st := res.SessionState
	if in := st.Intent; in != nil {
		out = append(out, fmt.Sprintf("= intent %s %s confirmation %s", in.Name, in.State, in.ConfirmationState))
	}
	if a := st.DialogAction; a != nil {
		line := "= action " + string(a.Type)
		if a.SlotToElicit != "" {
			line += " " + a.SlotToElicit
		}
		out = append(out, line)
	}
	if in := st.Intent; in != nil && len(in.Slots) > 0 {
		var parts []string
		for _, name := range slotOrder(loc, in) {
			v := "-"
			if sv := in.Slots[name]; sv != nil {
				v = quote(slotText(sv))
			}
			parts = append(parts, name+"="+v)
		}
		out = append(out, "= slots "+strings.Join(parts, " "))
	}
	if len(st.ActiveContexts) > 0 {
		var parts []string
		for _, c := range st.ActiveContexts {
			parts = append(parts, fmt.Sprintf("%s(turns=%d, seconds=%d)", c.Name, c.TimeToLive.TurnsToLive, c.TimeToLive.TimeToLiveInSeconds))
		}
		out = append(out, "= contexts "+strings.Join(parts, " "))
	}
	if len(st.SessionAttributes) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(st.SessionAttributes)) {
			parts = append(parts, k+"="+quote(st.SessionAttributes[k]))
		}
		out = append(out, "= attributes "+strings.Join(parts, " "))
	}
	return out
}

// slotOrder lists an intent's slots in priority order, then any others by
// name.
func slotOrder(loc *parley.Locale, in *parley.SessionIntent) []string {
	var names []string
	if def := loc.Intent(in.Name); def != nil {
		for _, s := range def.Slots {
			if _, ok := in.Slots[s.Name]; ok {
				names = append(names, s.Name)
			}
		}
	}
	var rest []string
	for name := range in.Slots {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(names, rest...)
}

func slotText(v *parley.SlotValue) string {
	switch {
	case v.Value != nil:
		return v.Value.InterpretedValue
	case len(v.Values) > 0:
		var items []string
		for _, it := range v.Values {
			items = append(items, slotText(it))
		}
		return strings.Join(items, ",")
	}
	return "?"
}

// quote quotes values that would not read back as one word.
func quote(s string) string {
	if s == "" || strings.ContainsAny(s, " =\"\t") {
		return strconv.Quote(s)
	}
	return s
}

func message(m parley.Message) string {
	switch m.ContentType {
	case parley.ContentSSML:
		return "ssml: " + m.Content
	case parley.ContentCustomPayload:
		return "payload: " + m.Content
	case parley.ContentImageResponseCard:
		c := m.ImageResponseCard
		if c == nil {
			return "card: ?"
		}
		s := "card: " + c.Title
		if c.Subtitle != "" {
			s += " / " + c.Subtitle
		}
		if c.ImageURL != "" {
			s += " <" + c.ImageURL + ">"
		}
		for _, b := range c.Buttons {
			s += " [" + b.Text + "=" + b.Value + "]"
		}
		return s
	}
	return m.Content
}

// clock is the fake clock of a transcript.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

package convtest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// Target is the bot the tests talk to.
type Target struct {
	Runtime parley.Runtime
	BotID   string
	AliasID string
	// Locale is used by conversations that name none.
	Locale string
	// Parallel bounds the conversations run at once; 1 when below 1.
	Parallel int
	// Now measures durations for the report; time.Now when nil.
	Now func() time.Time
}

// FileResult is the outcome of one file.
type FileResult struct {
	Path          string
	Conversations []*ConversationResult
	Duration      time.Duration
}

// Failed reports whether any conversation of the file failed.
func (r *FileResult) Failed() bool {
	return slices.ContainsFunc(r.Conversations, (*ConversationResult).Failed)
}

// ConversationResult is the outcome of one conversation.
type ConversationResult struct {
	Name     string
	Turns    []TurnResult
	Duration time.Duration
	// Err is a turn that the runtime refused (a failing code hook, an
	// unknown locale); the turns after it are not played.
	Err error
}

// Failed reports whether a turn failed or the runtime refused one.
func (r *ConversationResult) Failed() bool {
	return r.Err != nil || slices.ContainsFunc(r.Turns, func(t TurnResult) bool { return len(t.Diffs) > 0 })
}

// TurnResult is the outcome of one turn: what differed from the
// expectation.
type TurnResult struct {
	Turn  *Turn
	Diffs []Diff
}

// Diff is one expectation that did not hold.
type Diff struct {
	Field    string // "intent", "slots.Crust", "message", …
	Expected string
	Got      string
}

// Run plays every conversation of files, each in a session of its own,
// up to t.Parallel at once, and returns the results in file order.
func Run(ctx context.Context, t Target, files []*File) []*FileResult {
	now := t.Now
	if now == nil {
		now = time.Now
	}
	type job struct {
		file, conv int
		c          *Conversation
	}
	results := make([]*FileResult, len(files))
	var jobs []job
	for i, f := range files {
		results[i] = &FileResult{Path: f.Path, Conversations: make([]*ConversationResult, len(f.Conversations))}
		for j, c := range f.Conversations {
			jobs = append(jobs, job{i, j, c})
		}
	}
	sem := make(chan struct{}, max(t.Parallel, 1))
	var wg sync.WaitGroup
	for n, j := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			// The session id is unique per run, so no two conversations
			// share state even when two files name the same conversation.
			key := parley.SessionKey{BotID: t.BotID, AliasID: t.AliasID, LocaleID: cmp.Or(j.c.Locale, t.Locale), SessionID: fmt.Sprintf("convtest-%d", n)}
			start := now()
			r := play(ctx, t.Runtime, key, j.c)
			r.Duration = now().Sub(start)
			results[j.file].Conversations[j.conv] = r
		})
	}
	wg.Wait()
	for _, r := range results {
		for _, c := range r.Conversations {
			r.Duration += c.Duration
		}
	}
	return results
}

func play(ctx context.Context, rt parley.Runtime, key parley.SessionKey, c *Conversation) *ConversationResult {
	r := &ConversationResult{Name: c.Name}
	for i, turn := range c.Turns {
		req := &parley.TurnRequest{Key: key, Text: turn.User}
		if i == 0 && c.SessionAttributes != nil {
			req.SessionState = &parley.SessionState{SessionAttributes: maps.Clone(c.SessionAttributes)}
		}
		res, err := rt.RecognizeText(ctx, req)
		if err != nil {
			r.Err = fmt.Errorf("turn %d (%q): %s: %s", i+1, turn.User, parley.ErrorCodeOf(err), parley.ErrorMessageOf(err))
			return r
		}
		r.Turns = append(r.Turns, TurnResult{Turn: turn, Diffs: Compare(turn.Expect, res)})
	}
	return r
}

// Compare checks a turn's result against its expectation and returns what
// differed, in a fixed field order.
func Compare(e *Expect, res *parley.TurnResult) []Diff {
	if e == nil {
		return nil
	}
	var diffs []Diff
	check := func(field, want, got string) {
		if want != "" && want != got {
			diffs = append(diffs, Diff{Field: field, Expected: want, Got: orNone(got)})
		}
	}
	st := res.SessionState
	var intent parley.SessionIntent
	if st.Intent != nil {
		intent = *st.Intent
	}
	var action parley.DialogAction
	if st.DialogAction != nil {
		action = *st.DialogAction
	}
	check("intent", e.Intent, intent.Name)
	check("state", e.State, string(intent.State))
	check("dialogAction", e.DialogAction, string(action.Type))
	check("slotToElicit", e.SlotToElicit, action.SlotToElicit)
	for _, name := range slices.Sorted(maps.Keys(e.Slots)) {
		want := e.Slots[name]
		got := intent.Slots[name]
		switch {
		case want == nil && intent.Filled(name):
			diffs = append(diffs, Diff{Field: "slots." + name, Expected: "null", Got: quote(slotText(got))})
		case want != nil && !slotMatches(got, *want):
			g := "null"
			if intent.Filled(name) {
				g = quote(slotText(got))
			}
			diffs = append(diffs, Diff{Field: "slots." + name, Expected: quote(*want), Got: g})
		}
	}
	if e.message != nil {
		text := MessageText(res.Messages)
		if !e.message.MatchString(text) {
			diffs = append(diffs, Diff{Field: "message", Expected: "/" + e.Message + "/", Got: quote(text)})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.SessionAttributes)) {
		want := e.SessionAttributes[k]
		got, ok := st.SessionAttributes[k]
		switch {
		case want == nil && ok:
			diffs = append(diffs, Diff{Field: "sessionAttributes." + k, Expected: "absent", Got: quote(got)})
		case want != nil && (!ok || !e.attrs[k].MatchString(got)):
			g := "absent"
			if ok {
				g = quote(got)
			}
			diffs = append(diffs, Diff{Field: "sessionAttributes." + k, Expected: "/" + *want + "/", Got: g})
		}
	}
	return diffs
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// slotMatches reports whether want names the slot's value: its
// interpreted value, what the user said, or one of its resolutions, so a
// test reads naturally whichever the author had in mind. A list slot is
// written as its values joined by ", ".
func slotMatches(v *parley.SlotValue, want string) bool {
	if v == nil {
		return false
	}
	if v.Value != nil {
		if v.Value.InterpretedValue == want || v.Value.OriginalValue == want || slices.Contains(v.Value.ResolvedValues, want) {
			return true
		}
	}
	return len(v.Values) > 0 && slotText(v) == want
}

// slotText is the slot's value as a test file writes it.
func slotText(v *parley.SlotValue) string {
	if v == nil {
		return ""
	}
	if v.Value != nil {
		return v.Value.InterpretedValue
	}
	var parts []string
	for _, x := range v.Values {
		parts = append(parts, slotText(x))
	}
	return strings.Join(parts, ", ")
}

// MessageText is the text that message patterns match: each message on a
// line of its own; a card is its title, subtitle and button texts.
func MessageText(msgs []parley.Message) string {
	var lines []string
	for _, m := range msgs {
		if card := m.ImageResponseCard; card != nil {
			parts := []string{card.Title}
			if card.Subtitle != "" {
				parts = append(parts, card.Subtitle)
			}
			for _, b := range card.Buttons {
				parts = append(parts, b.Text)
			}
			lines = append(lines, strings.Join(parts, " | "))
			continue
		}
		lines = append(lines, m.Content)
	}
	return strings.Join(lines, "\n")
}

package eval_test

import (
	"context"
	"sync"

	"github.com/parleybot/parley"
)

// fakeTrainer trains interpreters that answer from a fixed table of
// understandings by text (FallbackIntent for any other text); it records
// the locales it was given and, per training, the texts interpreted.
type fakeTrainer struct {
	answers map[string]*parley.Understanding
	mu      sync.Mutex
	trained []*parley.Locale
	queries [][]string // per Train call
}

var _ parley.Trainer = (*fakeTrainer)(nil)

func (f *fakeTrainer) Train(_ *parley.Bot, loc *parley.Locale) (parley.Interpreter, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trained = append(f.trained, loc)
	f.queries = append(f.queries, nil)
	return &fakeInterpreter{tr: f, run: len(f.queries) - 1}, nil
}

type fakeInterpreter struct {
	tr  *fakeTrainer
	run int
}

var _ parley.Interpreter = (*fakeInterpreter)(nil)

func (f *fakeInterpreter) Interpret(ctx context.Context, q parley.Query) (*parley.Understanding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.tr.mu.Lock()
	defer f.tr.mu.Unlock()
	f.tr.queries[f.run] = append(f.tr.queries[f.run], q.Text)
	if u, ok := f.tr.answers[q.Text]; ok {
		return u, nil
	}
	return &parley.Understanding{Intents: []parley.IntentMatch{{Name: parley.FallbackIntentName, Fallback: true}}}, nil
}

func match(name string, score float64, slots ...string) parley.IntentMatch {
	m := parley.IntentMatch{Name: name, Score: score}
	if len(slots) > 0 {
		m.Slots = map[string]*parley.SlotValue{}
		for i := 0; i+1 < len(slots); i += 2 {
			m.Slots[slots[i]] = parley.ScalarSlot(slots[i+1], slots[i+1])
		}
	}
	return m
}

func fallback() parley.IntentMatch {
	return parley.IntentMatch{Name: parley.FallbackIntentName, Fallback: true}
}

func understood(ms ...parley.IntentMatch) *parley.Understanding {
	return &parley.Understanding{Intents: ms}
}

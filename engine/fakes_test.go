package engine_test

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// memStore is a SessionStore fake with optimistic versions. The first
// conflicts Puts fail with ErrConflict, as if another turn had won.
type memStore struct {
	mu        sync.Mutex
	sessions  map[parley.SessionKey]parley.Session
	conflicts int
	puts      int
}

var _ parley.SessionStore = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{sessions: map[parley.SessionKey]parley.Session{}} }

func (m *memStore) Get(_ context.Context, key parley.SessionKey) (*parley.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[key]
	if !ok {
		return nil, parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	return &s, nil
}

func (m *memStore) Put(_ context.Context, s *parley.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.puts++
	if m.conflicts > 0 {
		m.conflicts--
		return parley.Errorf(parley.ErrConflict, "session %s changed", s.Key.SessionID)
	}
	if cur := m.sessions[s.Key]; cur.Version != s.Version {
		return parley.Errorf(parley.ErrConflict, "session %s changed", s.Key.SessionID)
	}
	s.Version++
	m.sessions[s.Key] = *s
	return nil
}

func (m *memStore) Delete(_ context.Context, key parley.SessionKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[key]; !ok {
		return parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	delete(m.sessions, key)
	return nil
}

func (m *memStore) Close() error { return nil }

// script is an Interpreter fake: each text maps to a fixed understanding;
// anything else is the fallback. It records the queries it was asked.
type script struct {
	mu      sync.Mutex
	answers map[string]*parley.Understanding
	queries []parley.Query
}

var _ parley.Interpreter = (*script)(nil)

func (s *script) Interpret(_ context.Context, q parley.Query) (*parley.Understanding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, q)
	if u, ok := s.answers[q.Text]; ok {
		return u, nil
	}
	return &parley.Understanding{Intents: []parley.IntentMatch{{Name: "FallbackIntent", Fallback: true}}}, nil
}

func (s *script) last() parley.Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[len(s.queries)-1]
}

// trainer hands out one script per locale and records what it trained.
type trainer struct {
	scripts map[string]*script
	trained []string
}

var _ parley.Trainer = (*trainer)(nil)

func (tr *trainer) Train(bot *parley.Bot, loc *parley.Locale) (parley.Interpreter, error) {
	tr.trained = append(tr.trained, bot.ID+"/"+loc.ID)
	if s := tr.scripts[loc.ID]; s != nil {
		return s, nil
	}
	return &script{}, nil
}

func plainGroup(s string) parley.MessageGroup {
	return parley.MessageGroup{Message: parley.Message{ContentType: parley.ContentPlainText, Content: s}}
}

func response(s string) *parley.Response {
	return &parley.Response{MessageGroups: []parley.MessageGroup{plainGroup(s)}}
}

// coffeeBot orders a coffee by size; Status has a fulfillment code hook
// with a timeout response.
func coffeeBot() *parley.Bot {
	return &parley.Bot{
		ID:             "COFFEEBOT1",
		Name:           "Coffee",
		IdleSessionTTL: 300 * time.Second,
		Aliases:        []parley.Alias{{ID: "PRODALIAS1", Name: "prod"}},
		Locales: []*parley.Locale{{
			ID:                     "en_US",
			NLUConfidenceThreshold: 0.4,
			Intents: []*parley.Intent{
				{
					Name: "OrderCoffee",
					Slots: []*parley.Slot{{Name: "Size", SlotTypeName: "Size", Required: true,
						Prompt: parley.PromptSpecification{MaxRetries: 1, MessageGroups: []parley.MessageGroup{plainGroup("Which size?")}}}},
					Fulfillment: &parley.FulfillmentSetting{SuccessResponse: response("A {Size} coffee for [name].")},
				},
				{
					Name:        "Status",
					Fulfillment: &parley.FulfillmentSetting{CodeHook: true, TimeoutResponse: response("Try again later.")},
				},
				{
					Name:        "Refund",
					Fulfillment: &parley.FulfillmentSetting{CodeHook: true},
				},
				{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature, Closing: response("Pardon?")},
			},
		}},
	}
}

func coffeeScript() *script {
	fb := parley.IntentMatch{Name: "FallbackIntent", Fallback: true}
	intent := func(name string, slots map[string]*parley.SlotValue) *parley.Understanding {
		return &parley.Understanding{Intents: []parley.IntentMatch{{Name: name, Score: 0.9, Slots: slots}, fb}}
	}
	return &script{answers: map[string]*parley.Understanding{
		"coffee":       intent("OrderCoffee", nil),
		"large coffee": intent("OrderCoffee", map[string]*parley.SlotValue{"Size": parley.ScalarSlot("large", "large")}),
		"large":        {Intents: []parley.IntentMatch{fb}, Slots: map[string]*parley.SlotValue{"Size": parley.ScalarSlot("large", "large")}},
		"status":       intent("Status", nil),
		"refund":       intent("Refund", nil),
	}}
}

func key(session string) parley.SessionKey {
	return parley.SessionKey{BotID: "COFFEEBOT1", AliasID: parley.DraftAliasID, LocaleID: "en_US", SessionID: session}
}

// clock is a settable fake clock.
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

func texts(msgs []parley.Message) string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Content)
	}
	return strings.Join(out, " | ")
}

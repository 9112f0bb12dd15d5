package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/dialog"
)

var (
	_ parley.Runtime    = (*Engine)(nil)
	_ parley.BotCatalog = (*Engine)(nil)
)

// DefaultHookTimeout is how long a code hook may take when Options names no
// timeout: Lex's Lambda limit.
const DefaultHookTimeout = 30 * time.Second

// draftVersion is the version name of a draft, in Lex's words.
const draftVersion = "DRAFT"

// maxHookCalls bounds the code hook calls of one turn. The dialog needs at
// most a dialog hook and a fulfillment hook; the bound keeps a bug from
// becoming an endless loop.
const maxHookCalls = 4

// Options configures an Engine.
type Options struct {
	Store   parley.SessionStore // required
	Trainer parley.Trainer      // required
	// CodeHook returns the code hook of a bot alias locale; nil, or a nil
	// result, means parley.NopCodeHook.
	CodeHook func(botID, aliasID, localeID string) parley.CodeHook
	// HookTimeout limits each code hook call; DefaultHookTimeout when zero.
	// A hook's own limit (parley.TimeLimited) comes first, and a
	// fulfillment's updates timeout before both.
	HookTimeout time.Duration
	Now         func() time.Time // time.Now when nil
	Logger      *slog.Logger     // discards when nil
	// Progress, when set, receives the start and update messages of a slow
	// fulfillment (the intent's fulfillment updates) while its code hook
	// runs, for channels that can push messages to the user. It is called
	// from another goroutine and never after the turn has returned.
	// RecognizeText's result does not contain these messages.
	Progress func(key parley.SessionKey, msgs []parley.Message)
	// LLM answers for the locales with generative settings (fallback,
	// knowledge base, assist); nil means none is configured and those
	// features fall back to the bot's own responses.
	LLM parley.LLM
	// Retriever returns the knowledge base of a bot locale; nil, or a nil
	// result, means the locale has none.
	Retriever func(botID, localeID string) parley.Retriever
	// LLMTimeout limits the model and knowledge-base work of one turn;
	// DefaultLLMTimeout when zero.
	LLMTimeout time.Duration
	// Observer, when set, is told the stage durations and outcome of every
	// turn (see TurnObservation).
	Observer Observer
	// ConflictAttempts bounds how often a turn that calls no code hook is
	// run, each time from a fresh read, when other instances keep winning
	// the race for its session; DefaultConflictAttempts when zero.
	ConflictAttempts int
}

// Engine runs the turns of every bot it was given. It is safe for concurrent
// use.
type Engine struct {
	store       parley.SessionStore
	trainer     parley.Trainer
	codeHook    func(botID, aliasID, localeID string) parley.CodeHook
	hookTimeout time.Duration
	now         func() time.Time
	log         *slog.Logger
	progress    func(key parley.SessionKey, msgs []parley.Message)
	llm         parley.LLM
	retriever   func(botID, localeID string) parley.Retriever
	llmTimeout  time.Duration
	llmState    *llmState
	observer    Observer
	attempts    int

	// locks queues the turns of one session in this process.
	locks *keyLocks
	// owner names this engine in the session claims it writes.
	owner string

	// strict makes an alias on a version that is not served an error;
	// engines built with New serve drafts only and leave such aliases out.
	strict bool
	// cat is what is served now. A new draft or version publishes a new
	// catalog, so a turn that resolved against the old one finishes on it.
	cat atomic.Pointer[catalog]
	// publish serializes the writers of cat.
	publish sync.Mutex
}

// Served is one bot to serve: its draft and its numbered versions.
type Served struct {
	Draft *parley.Bot
	// Versions are the immutable versions by number ("1", "2", …).
	Versions map[string]*parley.Bot
}

// catalog is the bots served at one moment. It is never modified once
// published.
type catalog struct {
	bots   map[string]*servedBot
	sorted []*parley.Bot // the drafts
}

// servedBot is a bot's draft, its versions and what each alias serves.
type servedBot struct {
	draft    *servedDef
	versions map[string]*servedDef
	aliases  map[string]*servedDef // alias id → definition, TSTALIASID included
}

// servedDef is one trained definition: an Interpreter and a time zone per
// locale (the zone is looked up once because time.LoadLocation reads the
// zone database on every call). It is never modified once built, so
// catalogs share it.
type servedDef struct {
	version string // "DRAFT" or the version number, for code hook events
	bot     *parley.Bot
	interps map[string]parley.Interpreter
	zones   map[string]*time.Location
}

// New returns an engine serving the drafts of bots, training every locale
// of every bot with opts.Trainer. Two bots with the same id are an error.
// It serves no versions, so aliases pointing at one are not served (chat
// and conversation tests talk to the draft).
func New(opts Options, bots ...*parley.Bot) (*Engine, error) {
	served := make([]Served, len(bots))
	for i, b := range bots {
		served[i] = Served{Draft: b}
	}
	return newEngine(opts, served, false)
}

// NewServed returns an engine serving bots with their versions, training
// every locale of every draft and version once. An alias pointing at a
// version that is not given is an ErrValidation naming both.
func NewServed(opts Options, bots ...Served) (*Engine, error) {
	return newEngine(opts, bots, true)
}

func newEngine(opts Options, bots []Served, strict bool) (*Engine, error) {
	if opts.Store == nil {
		return nil, errors.New("engine: Options.Store is required")
	}
	if opts.Trainer == nil {
		return nil, errors.New("engine: Options.Trainer is required")
	}
	e := &Engine{
		store:       opts.Store,
		trainer:     opts.Trainer,
		codeHook:    opts.CodeHook,
		hookTimeout: opts.HookTimeout,
		now:         opts.Now,
		log:         opts.Logger,
		progress:    opts.Progress,
		llm:         opts.LLM,
		retriever:   opts.Retriever,
		llmTimeout:  opts.LLMTimeout,
		observer:    opts.Observer,
		llmState:    newLLMState(),
		attempts:    opts.ConflictAttempts,
		locks:       newKeyLocks(),
		owner:       newOwner(),
		strict:      strict,
	}
	if e.attempts <= 0 {
		e.attempts = DefaultConflictAttempts
	}
	if e.hookTimeout <= 0 {
		e.hookTimeout = DefaultHookTimeout
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.llmTimeout <= 0 {
		e.llmTimeout = DefaultLLMTimeout
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	byID := make(map[string]*servedBot, len(bots))
	for _, sv := range bots {
		if sv.Draft == nil {
			return nil, errors.New("engine: nil bot")
		}
		if _, dup := byID[sv.Draft.ID]; dup {
			return nil, fmt.Errorf("engine: two bots with id %s", sv.Draft.ID)
		}
		draft, err := e.train(sv.Draft, draftVersion)
		if err != nil {
			return nil, err
		}
		versions := make(map[string]*servedDef, len(sv.Versions))
		for n, vb := range sv.Versions {
			if vb == nil || vb.ID != sv.Draft.ID {
				return nil, fmt.Errorf("engine: version %s of bot %s is not a version of that bot", n, sv.Draft.ID)
			}
			if versions[n], err = e.train(vb, n); err != nil {
				return nil, fmt.Errorf("engine: version %s: %w", n, err)
			}
		}
		sb, err := e.serve(draft, versions)
		if err != nil {
			return nil, err
		}
		byID[sv.Draft.ID] = sb
	}
	e.cat.Store(newCatalog(byID))
	return e, nil
}

// train checks and trains every locale of b as version. Only the first
// draft warns about a missing LLM: versions and reloads would repeat it.
func (e *Engine) train(b *parley.Bot, version string) (*servedDef, error) {
	warn := version == draftVersion && e.cat.Load() == nil
	d := &servedDef{version: version, bot: b, interps: make(map[string]parley.Interpreter, len(b.Locales)), zones: make(map[string]*time.Location, len(b.Locales))}
	for _, loc := range b.Locales {
		// A broken step graph would take wrong branches mid-conversation;
		// refusing the bot names every problem up front.
		if err := dialog.CheckGraph(loc); err != nil {
			return nil, fmt.Errorf("engine: bot %s locale %s: %w", b.ID, loc.ID, err)
		}
		start := time.Now()
		in, err := e.trainer.Train(b, loc)
		if err != nil {
			return nil, fmt.Errorf("engine: train bot %s locale %s: %w", b.ID, loc.ID, err)
		}
		d.interps[loc.ID] = in
		d.zones[loc.ID] = loc.Location()
		if warn && e.llm == nil {
			warnNoLLM(e.log, b, loc)
		}
		e.log.Debug("trained", "bot", b.ID, "locale", loc.ID, "intents", len(loc.Intents), "duration", time.Since(start))
	}
	return d, nil
}

// serve points the draft's aliases at their definitions. A version is
// served with the draft's aliases, hook bindings and channels: those belong
// to the alias, as in Lex, not to the version.
func (e *Engine) serve(draft *servedDef, versions map[string]*servedDef) (*servedBot, error) {
	b := draft.bot
	sb := &servedBot{draft: draft, versions: versions, aliases: map[string]*servedDef{parley.DraftAliasID: draft}}
	for _, a := range b.Aliases {
		if a.BotVersion == "" || a.BotVersion == draftVersion {
			sb.aliases[a.ID] = draft
			continue
		}
		v := versions[a.BotVersion]
		if v == nil && !e.strict {
			e.log.Debug("alias not served: its version is not loaded", "bot", b.ID, "alias", a.ID, "version", a.BotVersion)
			continue
		}
		if v == nil {
			return nil, parley.Errorf(parley.ErrValidation, "bot %s alias %s points at version %s, which does not exist (versions: %s)",
				b.ID, a.ID, a.BotVersion, strings.Join(versionNumbers(versions), ", "))
		}
		view := *v.bot
		view.Aliases, view.CodeHooks, view.Channels, view.Source = b.Aliases, b.CodeHooks, b.Channels, b.Source
		sb.aliases[a.ID] = &servedDef{version: v.version, bot: &view, interps: v.interps, zones: v.zones}
	}
	return sb, nil
}

// versionNumbers returns the version numbers in numeric order; "none" when
// there are none, for messages.
func versionNumbers(versions map[string]*servedDef) []string {
	ns := slices.Collect(maps.Keys(versions))
	slices.SortFunc(ns, compareVersions)
	if len(ns) == 0 {
		return []string{"none"}
	}
	return ns
}

// compareVersions orders version numbers numerically: shorter is smaller,
// as they have no leading zeros.
func compareVersions(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func newCatalog(bots map[string]*servedBot) *catalog {
	c := &catalog{bots: bots}
	for _, sb := range bots {
		c.sorted = append(c.sorted, sb.draft.bot)
	}
	slices.SortFunc(c.sorted, func(a, b *parley.Bot) int { return strings.Compare(a.ID, b.ID) })
	return c
}

// ReplaceDraft serves b as the new draft of the served bot with its id:
// it is checked and trained first, and the swap is atomic, so turns in
// flight finish on the old draft and sessions are kept. On error the old
// draft stays.
func (e *Engine) ReplaceDraft(b *parley.Bot) error {
	if b == nil {
		return errors.New("engine: nil bot")
	}
	draft, err := e.train(b, draftVersion)
	if err != nil {
		return err
	}
	e.publish.Lock()
	defer e.publish.Unlock()
	old := e.cat.Load()
	prev := old.bots[b.ID]
	if prev == nil {
		return parley.Errorf(parley.ErrNotFound, "bot %s not found", b.ID)
	}
	sb, err := e.serve(draft, prev.versions)
	if err != nil {
		return err
	}
	e.swap(old, b.ID, sb)
	e.log.Info("draft replaced", "bot", b.ID)
	return nil
}

// AddVersion serves b as version n of the bot with its id. Versions are
// immutable: adding one that exists is an ErrConflict.
func (e *Engine) AddVersion(n string, b *parley.Bot) error {
	if b == nil {
		return errors.New("engine: nil bot")
	}
	v, err := e.train(b, n)
	if err != nil {
		return err
	}
	e.publish.Lock()
	defer e.publish.Unlock()
	old := e.cat.Load()
	prev := old.bots[b.ID]
	if prev == nil {
		return parley.Errorf(parley.ErrNotFound, "bot %s not found", b.ID)
	}
	if prev.versions[n] != nil {
		return parley.Errorf(parley.ErrConflict, "version %s of bot %s exists", n, b.ID)
	}
	versions := maps.Clone(prev.versions)
	if versions == nil {
		versions = map[string]*servedDef{}
	}
	versions[n] = v
	sb, err := e.serve(prev.draft, versions)
	if err != nil {
		return err
	}
	e.swap(old, b.ID, sb)
	e.log.Info("version added", "bot", b.ID, "version", n)
	return nil
}

// swap publishes old with the bot id replaced by sb; e.publish is held.
func (e *Engine) swap(old *catalog, id string, sb *servedBot) {
	bots := maps.Clone(old.bots)
	bots[id] = sb
	e.cat.Store(newCatalog(bots))
}

// Draft returns the served draft of a bot, or nil.
func (e *Engine) Draft(botID string) *parley.Bot {
	if sb := e.cat.Load().bots[botID]; sb != nil {
		return sb.draft.bot
	}
	return nil
}

// Versions returns the version numbers of a bot in numeric order.
func (e *Engine) Versions(botID string) []string {
	sb := e.cat.Load().bots[botID]
	if sb == nil || len(sb.versions) == 0 {
		return nil
	}
	return versionNumbers(sb.versions)
}

// Bots returns the served drafts sorted by id; the result must not be
// modified.
func (e *Engine) Bots() []*parley.Bot { return e.cat.Load().sorted }

// target is the bot, locale, interpreter and time zone a session key names.
type target struct {
	version string // "DRAFT" or the version number the alias serves
	bot     *parley.Bot
	loc     *parley.Locale
	interp  parley.Interpreter
	zone    *time.Location
}

// resolve finds what key names, or an ErrNotFound naming the unknown part.
// The alias picks the definition: the draft or the version it points at.
func (e *Engine) resolve(key parley.SessionKey) (target, error) {
	sb := e.cat.Load().bots[key.BotID]
	if sb == nil {
		return target{}, parley.Errorf(parley.ErrNotFound, "bot %s not found", key.BotID)
	}
	d := sb.aliases[key.AliasID]
	if d == nil {
		return target{}, parley.Errorf(parley.ErrNotFound, "alias %s of bot %s not found", key.AliasID, key.BotID)
	}
	loc := d.bot.Locale(key.LocaleID)
	if loc == nil {
		return target{}, parley.Errorf(parley.ErrNotFound, "locale %s of bot %s not found", key.LocaleID, key.BotID)
	}
	return target{version: d.version, bot: d.bot, loc: loc, interp: d.interps[loc.ID], zone: d.zones[loc.ID]}, nil
}

// RecognizeText runs one turn.
func (e *Engine) RecognizeText(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	tg, err := e.resolve(req.Key)
	if err != nil {
		return nil, err
	}
	if err := dialog.ValidateState(tg.loc, "sessionState", req.SessionState); err != nil {
		return nil, err
	}
	gen := &generation{stream: req.Stream}
	ctx, st := e.withStats(ctx)
	return e.retry(ctx, call{key: req.Key, tg: tg, text: req.Text, requestID: req.RequestID, gen: gen, run: func(s *parley.Session, now time.Time) (dialog.Outcome, error) {
		dialog.Merge(s, tg.loc, req.SessionState, now)
		q := dialog.Query(s, tg.loc, req.Text, now.In(tg.zone))
		began := time.Now()
		u, err := tg.interp.Interpret(ctx, q)
		st.addNLU(began)
		if err != nil {
			return dialog.Outcome{}, fmt.Errorf("engine: interpret: %w", err)
		}
		u = e.assist(ctx, tg, s, q, u, now)
		return dialog.Step(dialog.Input{
			Bot:               tg.bot,
			Locale:            tg.loc,
			Session:           s,
			Understanding:     u,
			Text:              req.Text,
			InputMode:         req.InputMode,
			RequestAttributes: req.RequestAttributes,
			RequestID:         req.RequestID,
			Now:               now,
		}), nil
	}})
}

// PutSession replaces a session's state and returns what to say.
func (e *Engine) PutSession(ctx context.Context, req *parley.PutSessionRequest) (*parley.TurnResult, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	tg, err := e.resolve(req.Key)
	if err != nil {
		return nil, err
	}
	if err := dialog.ValidateState(tg.loc, "sessionState", &req.SessionState); err != nil {
		return nil, err
	}
	return e.retry(ctx, call{key: req.Key, tg: tg, requestID: req.RequestID, run: func(s *parley.Session, now time.Time) (dialog.Outcome, error) {
		return dialog.Put(dialog.PutInput{
			Bot:               tg.bot,
			Locale:            tg.loc,
			Session:           s,
			State:             req.SessionState,
			Messages:          req.Messages,
			RequestAttributes: req.RequestAttributes,
			RequestID:         req.RequestID,
			Now:               now,
		}), nil
	}})
}

// GetSession returns the stored session; ErrNotFound when there is none or
// it has expired.
func (e *Engine) GetSession(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	if err := key.Validate(); err != nil {
		return nil, err
	}
	tg, err := e.resolve(key)
	if err != nil {
		return nil, err
	}
	s, err := e.store.Get(ctx, key)
	if err != nil {
		return nil, storeError("get", err)
	}
	if placeholder(s) || e.expired(s, tg.bot, e.now()) {
		return nil, parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
	}
	s.Claim = nil
	return s, nil
}

// DeleteSession forgets the session; ErrNotFound when there is none.
func (e *Engine) DeleteSession(ctx context.Context, key parley.SessionKey) error {
	if err := key.Validate(); err != nil {
		return err
	}
	if _, err := e.resolve(key); err != nil {
		return err
	}
	held, err := e.locks.lock(ctx, key)
	if err != nil {
		return busyError(key, err)
	}
	defer e.locks.unlock(key, held)
	if err := e.store.Delete(ctx, key); err != nil {
		return storeError("delete", err)
	}
	e.log.Debug("session deleted", "bot", key.BotID, "locale", key.LocaleID, "session", key.SessionID)
	return nil
}

// expired reports whether s has been idle for the bot's TTL.
func (e *Engine) expired(s *parley.Session, bot *parley.Bot, now time.Time) bool {
	return !s.UpdatedAt.IsZero() && !now.Before(s.UpdatedAt.Add(bot.SessionTTL()))
}

// session returns the session a turn works on: the stored one (nil when
// there is none) without its claim, or a fresh one when there is none or
// it has expired. A fresh session replacing an expired one keeps its
// version so that saving it is not mistaken for a concurrent write. The
// claim is engine bookkeeping that neither the dialog nor a code hook sees,
// and the saved session drops it.
func (e *Engine) session(key parley.SessionKey, stored *parley.Session, bot *parley.Bot, now time.Time) *parley.Session {
	if stored == nil {
		return &parley.Session{Key: key}
	}
	stored.Claim = nil
	if e.expired(stored, bot, now) {
		e.log.Debug("session expired", "bot", key.BotID, "session", key.SessionID, "idle", now.Sub(stored.UpdatedAt))
		return &parley.Session{Key: key, Version: stored.Version}
	}
	return stored
}

// call is one RecognizeText or PutSession request on its way through the
// turn loop; run does the part that depends on the operation.
type call struct {
	key  parley.SessionKey
	tg   target
	text string
	// requestID becomes the state's originatingRequestId when set.
	requestID string
	// gen is set for RecognizeText: the turn may be answered by the model.
	gen *generation
	run func(s *parley.Session, now time.Time) (dialog.Outcome, error)
}

// retry runs a turn after the other turns of its session in this process,
// and again from a fresh read, after a jittered backoff, while it loses
// races to other instances before calling a code hook or finds the session
// claimed by one (see the package doc). The observer, if any, hears of the
// turn once, whatever the attempts.
func (e *Engine) retry(ctx context.Context, c call) (res *parley.TurnResult, err error) {
	ctx, st := e.withStats(ctx)
	start := time.Now()
	defer func() { e.observe(st, c, start, res, err) }()
	held, err := e.locks.lock(ctx, c.key)
	if err != nil {
		return nil, busyError(c.key, err)
	}
	defer e.locks.unlock(c.key, held)
	var wait backoff
	contended := false
	for attempt := 1; ; {
		var v verdict
		res, v, err = e.turn(ctx, c, contended)
		switch v {
		case settled:
			return res, err
		case lost:
			if attempt == e.attempts {
				e.log.Warn("turn conflict: giving up", "bot", c.key.BotID, "session", c.key.SessionID, "attempts", attempt)
				return nil, err
			}
			attempt++
			e.log.Debug("turn conflict", "bot", c.key.BotID, "session", c.key.SessionID, "attempt", attempt)
		case busy:
			e.log.Debug("session claimed by another instance; waiting", "bot", c.key.BotID, "session", c.key.SessionID)
		}
		contended = true
		if werr := wait.wait(ctx); werr != nil {
			return nil, busyError(c.key, werr)
		}
	}
}

// turn runs one attempt of a turn. Its verdict says whether running it
// again is safe and useful: only while no bound code hook has been called.
// A contended turn (one that lost a race or waited for a claim) claims the
// session as soon as it has read it, so that the instance which keeps
// winning waits for it in turn.
func (e *Engine) turn(ctx context.Context, c call, contended bool) (*parley.TurnResult, verdict, error) {
	start := time.Now()
	now := e.now()
	key, tg := c.key, c.tg
	stats := statsOf(ctx)
	began := time.Now()
	stored, err := e.store.Get(ctx, key)
	stats.addStore(began)
	switch {
	case parley.ErrorCodeOf(err) == parley.ErrNotFound:
		stored = nil
	case err != nil:
		return nil, settled, storeError("get", err)
	}
	g := claimGuard{e: e, key: key, loaded: versionOf(stored), effects: e.boundHook(key) != nil}
	if c.gen != nil && tg.loc.Generative != nil {
		g.tail = 2 * e.llmTimeout
	}
	// A claim of this engine's own is left over from a turn whose final
	// write failed: this process runs one turn per session at a time.
	if cl := claimOf(stored); cl != nil && cl.Owner != e.owner && now.Before(cl.Until) {
		return nil, busy, nil
	}
	if contended {
		began = time.Now()
		err := g.claim(ctx, stored, now.Add(g.tail+claimMargin))
		stats.addStore(began)
		if err != nil {
			return nil, retryable(err), err
		}
	}
	s := e.session(key, stored, tg.bot, now)
	out, err := c.run(s, now)
	if err != nil {
		g.release(ctx)
		return nil, settled, err
	}
	out, err = e.runHooks(ctx, key, tg.version, out, &g)
	if err != nil {
		g.release(ctx)
		if g.called {
			return nil, settled, err
		}
		return nil, retryable(err), err
	}
	if c.gen != nil && tg.loc.Generative != nil {
		e.fallbackAnswer(ctx, c, s, now, &out)
		remember(tg.loc, s, out.Session, c.text)
	}
	next := out.Session
	next.Key = key
	next.UpdatedAt = now
	next.ExpiresAt = now.Add(tg.bot.SessionTTL())
	next.Claim = nil
	if g.held {
		next.Version = g.version
	}
	if c.requestID != "" {
		next.State.OriginatingRequestID = c.requestID
	}
	began = time.Now()
	err = e.store.Put(ctx, next)
	stats.addStore(began)
	switch {
	case err == nil:
	case parley.ErrorCodeOf(err) != parley.ErrConflict:
		g.release(ctx) // in case the write did not happen
		return nil, settled, storeError("put", err)
	case g.called:
		// The claim ran out before the save (a hook or the store slower
		// than its limit, or clocks apart by more than the margin) and
		// another instance wrote the session. The hooks had their effect;
		// running them again could repeat it, so the client is told.
		e.log.Warn("turn conflict after code hooks: claim lost, result not stored", "bot", key.BotID, "alias", key.AliasID,
			"locale", key.LocaleID, "session", key.SessionID, "claimedUntil", g.until)
		return nil, settled, err
	default:
		return nil, lost, err
	}
	st := next.State
	attrs := []any{"bot", key.BotID, "locale", key.LocaleID, "session", key.SessionID, "messages", len(next.Messages), "duration", time.Since(start)}
	if st.Intent != nil {
		attrs = append(attrs, "intent", st.Intent.Name, "state", st.Intent.State)
	}
	if st.DialogAction != nil {
		attrs = append(attrs, "action", st.DialogAction.Type)
	}
	e.log.Debug("turn", attrs...)
	return &parley.TurnResult{
		SessionID:         key.SessionID,
		Messages:          next.Messages,
		SessionState:      st,
		Interpretations:   next.Interpretations,
		RequestAttributes: out.RequestAttributes,
		InputTranscript:   c.text,
	}, settled, nil
}

// retryable is the verdict on an error met before any bound hook was
// called: a lost race is run again, anything else is the answer.
func retryable(err error) verdict {
	if parley.ErrorCodeOf(err) == parley.ErrConflict {
		return lost
	}
	return settled
}

// claimOf returns the stored session's claim, if any.
func claimOf(s *parley.Session) *parley.SessionClaim {
	if s == nil {
		return nil
	}
	return s.Claim
}

// runHooks invokes pending code hooks until the dialog is done. A failed
// hook fails the turn (unless the dialog has a configured response for it),
// and the caller stores nothing, so the session stays as it was.
// The event names the version the alias serves. The guard holds the
// session for each call; its error stops the turn before the call.
func (e *Engine) runHooks(ctx context.Context, key parley.SessionKey, version string, out dialog.Outcome, guard *claimGuard) (dialog.Outcome, error) {
	var hook parley.CodeHook
	for calls := 0; out.Pending != nil; calls++ {
		if calls == maxHookCalls {
			return out, fmt.Errorf("engine: more than %d code hook calls in one turn", maxHookCalls)
		}
		if hook == nil {
			hook = e.hookFor(key)
		}
		p := out.Pending
		ev := p.Event
		ev.Bot.Version = version
		limit := e.timeoutFor(hook, p)
		began := time.Now()
		if err := guard.before(ctx, limit); err != nil {
			return out, err
		}
		if guard.effects {
			statsOf(ctx).addStore(began)
			guard.called = true
		}
		hctx, cancel := context.WithTimeout(ctx, limit)
		stop := e.startUpdates(key, p.Updates)
		start := time.Now()
		resp, err := hook.Invoke(hctx, ev)
		stop()
		timedOut := errors.Is(hctx.Err(), context.DeadlineExceeded)
		cancel()
		if ctx.Err() != nil {
			// The caller went away; that is not the hook's failure.
			return out, fmt.Errorf("engine: code hook: %w", ctx.Err())
		}
		if err != nil && timedOut {
			err = timeoutError(err, limit)
		}
		attrs := []any{"bot", key.BotID, "alias", key.AliasID, "locale", key.LocaleID, "session", key.SessionID,
			"source", ev.InvocationSource, "label", ev.InvocationLabel, "duration", time.Since(start)}
		out = dialog.Resume(p, resp, err)
		statsOf(ctx).addHook(start, err != nil || out.Err != nil)
		switch {
		case err != nil:
			e.log.Warn("code hook failed", append(attrs, "code", parley.ErrorCodeOf(err), "error", err)...)
		case out.Err != nil:
			e.log.Warn("code hook response rejected", append(attrs, "code", parley.ErrorCodeOf(out.Err), "error", parley.ErrorMessageOf(out.Err))...)
		default:
			e.log.Debug("code hook", attrs...)
		}
	}
	return out, out.Err
}

// timeoutFor returns the time limit of one hook call: the fulfillment's
// updates timeout, else the hook's own, else the engine's.
func (e *Engine) timeoutFor(hook parley.CodeHook, p *dialog.Pending) time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	if tl, ok := hook.(parley.TimeLimited); ok && tl.Timeout() > 0 {
		return tl.Timeout()
	}
	return e.hookTimeout
}

// timeoutError makes the error of a hook that ran out of time a
// DependencyFailedException that still reads as context.DeadlineExceeded, so
// the dialog can say a configured timeout response. A transport's own coded
// message is kept.
func timeoutError(err error, limit time.Duration) error {
	var pe *parley.Error
	if errors.As(err, &pe) {
		if errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return &parley.Error{Code: pe.Code, Message: pe.Message, Err: errors.Join(context.DeadlineExceeded, err)}
	}
	return &parley.Error{Code: parley.ErrDependencyFailed, Message: fmt.Sprintf("Code hook timed out after %s", limit), Err: err}
}

// startUpdates pushes a slow fulfillment's start message after its delay and
// its update message at its frequency to Options.Progress until stop is
// called; stop returns once nothing more will be pushed.
func (e *Engine) startUpdates(key parley.SessionKey, u *dialog.Updates) (stop func()) {
	if e.progress == nil || u == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		timer := time.NewTimer(u.StartDelay)
		defer timer.Stop()
		select {
		case <-done:
			return
		case <-timer.C:
		}
		if len(u.Start) > 0 {
			e.progress(key, slices.Clone(u.Start))
		}
		if u.UpdateEvery <= 0 || len(u.Update) == 0 {
			return
		}
		ticker := time.NewTicker(u.UpdateEvery)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				e.progress(key, slices.Clone(u.Update))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func (e *Engine) hookFor(key parley.SessionKey) parley.CodeHook {
	if h := e.boundHook(key); h != nil {
		return h
	}
	return parley.NopCodeHook
}

// boundHook returns the code hook bound to the session's bot alias and
// locale, or nil.
func (e *Engine) boundHook(key parley.SessionKey) parley.CodeHook {
	if e.codeHook == nil {
		return nil
	}
	return e.codeHook(key.BotID, key.AliasID, key.LocaleID)
}

// storeError passes coded store errors through and wraps the rest.
func storeError(action string, err error) error {
	var pe *parley.Error
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("engine: store %s: %w", action, err)
}

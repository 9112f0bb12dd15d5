// Package engine runs conversations: it implements parley.Runtime and
// parley.BotCatalog over the bots it was given. It owns the turn loop and
// everything in it that touches the world: validating a request against the
// bot, loading the session from the SessionStore (a session idle longer than
// the bot's TTL starts over), merging the request's state, asking the
// locale's Interpreter, stepping the pure dialog state machine, invoking code
// hooks with a time limit (a fulfillment's updates timeout, else the hook's
// own parley.TimeLimited limit, else Options.HookTimeout) while pushing a
// slow fulfillment's updates to Options.Progress, and saving the session
// with optimistic concurrency in the order described below. Interpreters
// come from the Trainer when New is called.
//
// Each bot is served as its draft (TSTALIASID) and, with NewServed, its
// immutable numbered versions; an alias serves the definition its
// BotVersion names, with the draft's aliases, hook bindings and channels
// (Lex keeps those on the alias), and its code hook events name that
// version. Every definition is trained once. ReplaceDraft and AddVersion
// train off to the side and then publish a new catalog atomically, so a
// turn finishes on the definitions it started with and no session is lost.
//
// GetSession and DeleteSession answer ErrNotFound (ResourceNotFoundException)
// for a session that does not exist or has been idle for the bot's TTL, an
// open question of the Lex documentation (lex-v2.md §9) settled here on the
// modelled exception. A turn whose code hook fails (error, timeout, a response
// Lex would reject) stores nothing: the session stays exactly as it was,
// and the failure is logged at warn with the bot, session and invocation
// source, never the user's text.
//
// Locales with parley.GenerativeSettings get the language model
// (Options.LLM) and their knowledge base (Options.Retriever) in the loop. A
// turn that ends in FallbackIntent (classification found nothing; a slot
// whose retries ran out is not sent, its answer was no question) is answered
// from the knowledge base when a passage reaches MinScore (by the model
// grounded in the passages, citing their sources, or by the best passage
// itself without a model), else by the model with the bot's system prompt
// and the session's last exchanges; the user's text and the documents go in
// a delimited user message, never into the instructions. The answer is one
// PlainText message (streamed to TurnRequest.Stream), with the intent
// FallbackIntent and ElicitIntent. A fallback intent with a code hook
// answers for itself. Timeouts (Options.LLMTimeout), errors, a spent budget
// or no model leave the bot's configured response, logged at warn. When the
// NLU's best confidence lies in Assist's [Low, High) and no intent is in
// progress, the model picks among the locale's intents; its decisions are
// cached per bot, locale and text and logged at info. Token budgets count
// per session (in the session) and per bot locale and UTC day in this
// process's memory: instances do not share the daily count; that comes
// with the shared (Redis) session store. Obfuscated slot values, e-mail addresses and
// phone numbers are masked as configured before text leaves the process;
// the redacted prompt and the answer are logged at debug.
//
// Turns of one session are applied one after the other, also across
// instances that share a store, with no lock service: the store's
// compare-and-set on Session.Version is the only arbiter. Within a process
// the turns (and PutSession, DeleteSession) of one session queue on a
// per-session lock held only while a turn runs or waits, so they never race
// each other; the wait ends with the request's context (ConflictException).
// Across instances a turn that calls no bound code hook has no effect
// outside its own write, so when that write loses it is run again from a
// fresh read after a jittered exponential backoff, up to
// Options.ConflictAttempts (50) times and within its context. A turn that
// will call a bound code hook first claims the session: a compare-and-set
// write of the stored session with Session.Claim (this engine's random id
// and an end: now plus the hook call's limit, room for a second call, the
// model's time and a 10 s margin for clocks and the final write), extended
// before a later call when needed. Losing the claim write means nothing was
// called, so the turn runs again. Other instances that read a live claim
// wait (backoff, reread) until the final write, which stores the result on
// the claimed version and clears the claim, or a failed turn's release, or
// the claim's end when its holder died; this engine takes over its own
// leftover claim at once. A turn that lost a race or waited claims the
// session right after reading it, before any work, so that an instance with
// a long queue of turns for the session cannot starve it. Hence: every
// answered turn was stored exactly once, on top of the one before it (a
// serial history per session); a bound hook is called at most once per
// turn (never again on a retry); and only when a claim ran out before the
// final write (a hook or store slower than its limit, or clocks apart by
// more than the margin) and another instance took the session over is the
// result dropped after the hook ran: the client gets ConflictException,
// the session keeps the other turn's result, and a warning is logged.
// Model calls (assist, fallback answers) claim nothing: they cost but have
// no effect outside the turn, and a retried turn reuses the answer it
// already had. The claim is bookkeeping: the engine strips it on load, so
// the dialog, code hook events and GetSession never see it, and a session
// that only ever held a claim reads as absent. Claims and their releases
// advance Session.Version. DeleteSession waits for this process's turns of
// the session but not for another instance's claim: a turn whose session
// is deleted after its hook call ends in ConflictException (one that has
// called none runs again on a fresh session).
//
// An Options.Observer hears of every turn once, with the time it spent in
// the NLU, code hooks, the model and the store, how it ended, the chosen
// intent's confidence and its hook and model errors; the server turns that
// into Prometheus metrics, so the engine does not import a metrics library.
package engine

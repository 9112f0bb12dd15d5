// Package engine runs conversations: it implements parley.Runtime and
// parley.BotCatalog over the bots it was given. It owns the turn loop and
// everything in it that touches the world: validating a request against the
// bot, loading the session from the SessionStore (a session idle longer than
// the bot's TTL starts over), merging the request's state, asking the
// locale's Interpreter, stepping the pure dialog state machine, invoking code
// hooks with a time limit (a fulfillment's updates timeout, else the hook's
// own parley.TimeLimited limit, else Options.HookTimeout) while pushing a
// slow fulfillment's updates to Options.Progress, and saving the session
// with optimistic concurrency
// (a turn that loses a race is retried from a fresh read, then reported as
// ErrConflict). Interpreters come from the Trainer when New is called.
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
// modelled exception. A conflicting turn is run again from scratch, code
// hooks included, so hooks with side effects should be idempotent per
// session turn. A turn whose code hook fails (error, timeout, a response
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
// An Options.Observer hears of every turn once, with the time it spent in
// the NLU, code hooks, the model and the store, how it ended, the chosen
// intent's confidence and its hook and model errors; the server turns that
// into Prometheus metrics, so the engine does not import a metrics library.
package engine

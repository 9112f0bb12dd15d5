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
// GetSession and DeleteSession answer ErrNotFound (ResourceNotFoundException)
// for a session that does not exist or has been idle for the bot's TTL, an
// open question of the Lex documentation (lex-v2.md §9) settled here on the
// modelled exception. A conflicting turn is run again from scratch, code
// hooks included, so hooks with side effects should be idempotent per
// session turn. A turn whose code hook fails (error, timeout, a response
// Lex would reject) stores nothing: the session stays exactly as it was,
// and the failure is logged at warn with the bot, session and invocation
// source, never the user's text.
package engine

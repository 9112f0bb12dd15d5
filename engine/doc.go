// Package engine runs conversations: it implements parley.Runtime and
// parley.BotCatalog over the bots it was given. It owns the turn loop and
// everything in it that touches the world: validating a request against the
// bot, loading the session from the SessionStore (a session idle longer than
// the bot's TTL starts over), merging the request's state, asking the
// locale's Interpreter, stepping the pure dialog state machine, invoking code
// hooks with a timeout, and saving the session with optimistic concurrency
// (a turn that loses a race is retried from a fresh read, then reported as
// ErrConflict). Interpreters come from the Trainer when New is called.
package engine

// Package gofunc runs code hooks as Go functions inside the Parley process:
// the in-process counterpart of a Lex Lambda function, with no network hop
// and no serialisation.
//
// A [Router] dispatches each event to the [HandlerFunc] registered for its
// intent, as the router Lambda of the Lex documentation does, and delegates
// back to the dialog when none is registered. The typed helpers ([Close],
// [ElicitSlot], [ConfirmIntent], [Delegate], [ElicitIntent]) build responses
// from the event's session state, so a handler only says what changes.
//
// A Go program that embeds Parley registers its routers by name from an init
// function, and a bot selects one with the code hook URI "go:NAME":
//
//	func init() { gofunc.Register("pizza", router) }
//
// A handler must honour its context: the engine cannot stop a Go function
// that ignores its deadline. A handler that panics fails only its own turn.
package gofunc

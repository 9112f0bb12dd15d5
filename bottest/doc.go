// Package bottest replays golden conversation transcripts against a bot
// running in-process: the real bot loader, the real NLU, the engine over a
// memory store, and a fake clock that only moves when a transcript says so.
// It is to bot authors what a conformance suite is to store authors: one
// test walks a folder of transcripts and runs each file as a subtest, and
// the -update flag rewrites the expected lines from what the bot said.
//
// A transcript is a text file, one line per item:
//
//	# Slots given up front, then confirmed.      a comment, kept on update
//	bot: examples/pizza                          the bot, relative to the module root
//	locale: en_US                                optional; the bot's first locale by default
//	session: s1                                  optional; "transcript" by default
//	now: 2026-05-13T10:00:00+09:00               optional start time (RFC 3339)
//	hook: pizza                                  optional code hook from Options.Hooks
//
//	> I'd like a large thin pizza with mushrooms what the user says
//	< So that's a large thin crust pizza with mushroom. Shall I place the order?
//	= intent OrderPizza InProgress confirmation None
//	= action ConfirmIntent
//	= slots Size=large Crust=thin Topping=mushroom
//	! wait 301s                                  advance the clock
//
// After each "> text" line come the expected lines: "<" for each message
// (PlainText as is; "ssml: ", "payload: " and "card: Title [Text=value] …"
// for the other content types), then "=" lines for the session's intent, its
// dialog action, its slots in priority order (- when unfilled), the active
// contexts with their remaining turns and seconds, the session attributes, or
// an error code and message when the turn failed. The whole block is
// compared. Directives: "! wait DURATION" (Go duration syntax) advances the
// clock; "! session ID" switches to another session; "! attributes k=v …"
// sends those session attributes with the next input (none: an empty map,
// which clears them); "! hook NAME" serves the next turns with another hook
// of Options.Hooks ("! hook none": no hook).
//
// Bots with code hooks run with RunWith, whose Options.Hooks holds
// in-process hooks (any parley.CodeHook) by name; a transcript uses the one
// its "hook:" header names, else the one named by its bot's id.
package bottest

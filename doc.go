// Package parley is the vocabulary of the Parley bot engine: bot definitions
// (Bot, Locale, Intent, Slot, SlotType, Message), the runtime state of a
// conversation in Amazon Lex V2's shapes (Session, SessionState, DialogAction,
// SlotValue, ActiveContext, Interpretation), one turn's request and result,
// the coded Error, and the small interfaces between the parts (Interpreter,
// SessionStore, CodeHook, Runtime). It imports only the standard library; every
// technology lives in a leaf package that imports this one and never another
// leaf, and package cli (behind cmd/parley) wires the leaves together.
//
// Runtime types carry JSON tags that follow the Lex V2 wire format, because the
// same shapes cross every edge: the runtime API, Lambda code hooks and stores.
package parley

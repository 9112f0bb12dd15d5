// Package convtest runs conversation tests against a bot: files of user
// turns, each with what the bot is expected to do (intent, slots, intent
// state, dialog action, a message pattern, session attributes), played
// against any parley.Runtime, each conversation in its own session and the
// conversations in parallel. It owns the YAML test format (FORMAT.md), the
// reading of Lex Test Workbench CSV test sets, the readable diff of a
// failure, JUnit XML for CI, and turning a recorded chat into a test file.
// It knows nothing of how the runtime is built; the cli wires that.
package convtest

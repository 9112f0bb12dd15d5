// Package convlog owns Parley's conversation logs: one Record per turn
// (what the user said, how the NLU read it, what the dialog chose and said,
// what each stage cost and what failed), written as JSON lines to daily
// files in a directory by a Sink that never makes a turn wait, read back
// with filters or followed as it grows, pruned after a retention period,
// and summarised by a Summary into the figures an author needs: turns,
// sessions, fallback rate, intent distribution, and the missed utterances
// grouped by similarity, the list to add utterances from. The records
// follow the spirit of Amazon Lex V2's text conversation logs (field names
// such as inputTranscript, interpretations, missedUtterance), with the
// values of obfuscated slots masked as {SlotName} by whoever builds them.
package convlog

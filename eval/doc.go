// Package eval measures how well a parley.Trainer understands labelled
// utterances: it owns the JSONL format of labelled examples (FORMAT.md),
// builds a bot from training examples, runs test examples through the
// trained Interpreter and reports intent accuracy, macro-F1, per-intent
// scores, confusions, exact-span slot F1, out-of-scope figures at a
// confidence threshold, a reliability curve, training time and parse
// throughput, as text, JSON or one self-contained HTML page. It also
// cross-validates a bot's own sample utterances and tunes the confidence
// threshold on validation data. It imports only the root package; the
// caller passes the NLU in as a parley.Trainer.
package eval

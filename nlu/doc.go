// Package nlu is Parley's own natural-language understanding: it trains,
// when a bot loads, one interpreter per locale from the intents' sample
// utterances and the slot types' values, without external models or
// dictionaries. It owns text normalisation (NFKC, case and width folding,
// Hangul at syllable and jamo level), tokenisation for Korean, English,
// Chinese and Japanese (Korean particles stripped by rule, Han and kana as
// character n-grams), the intent classifier (a softmax regression over
// hashed word and character n-gram features, trained deterministically),
// the confidence that sends out-of-scope input to the FallbackIntent the
// way Lex V2 ranks it, and slot filling from utterance templates, custom
// slot values and synonyms (exact, then fuzzy) and the built-in slot types
// of nlu/entity.
package nlu

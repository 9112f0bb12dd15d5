// Package entity recognises the values of Amazon Lex V2 built-in slot types
// (AMAZON.Number, AMAZON.Date, AMAZON.Time, AMAZON.Duration, AMAZON.Percentage,
// AMAZON.Confirmation, AMAZON.EmailAddress, AMAZON.PhoneNumber,
// AMAZON.AlphaNumeric, AMAZON.FirstName and AMAZON.FreeFormInput) in user
// text, for en_US, ko_KR and zh_CN, and resolves them to the exact
// interpretedValue strings Lex returns (ISO dates, 24-hour times, ISO-8601
// durations, plain digits). It owns the numeral grammar for English words,
// Sino-Korean and native Korean numbers with counters, and Chinese numerals,
// and the rules that keep common Korean syllables from being read as numbers.
// Everything is rule based, pure and deterministic: there is no I/O and no
// clock, relative dates are resolved against the reference time the caller
// passes in, offsets always point into the caller's original text even
// when it contains full-width characters, and Find is safe for concurrent
// use.
package entity

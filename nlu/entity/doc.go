// Package entity recognises the values of every Amazon Lex V2 built-in slot
// type (AMAZON.Number, Date, Time, Duration, Percentage, Confirmation,
// EmailAddress, PhoneNumber, AlphaNumeric, FirstName, LastName, City,
// Country, State, StreetName, Currency, UKPostalCode and FreeFormInput) in
// user text, for en_US, ko_KR and zh_CN, and resolves them to the exact
// interpretedValue strings Lex returns (ISO dates, 24-hour times, ISO-8601
// durations, plain digits, "USD 10.00" amounts, "SW1A 1AA" postcodes). It
// owns the numeral grammar for English words, Sino-Korean and native Korean
// numbers with counters, and Chinese numerals; the rules that keep common
// Korean syllables from being read as numbers; the Korean spacing, honorific
// and chat-spelling variants of answers and names; the compact gazetteers of
// cities, countries and states (data/*.txt) with their English, Korean and
// Chinese names; and which type Lex offers in which locale (Available).
// Everything is rule based, pure and deterministic: there is no I/O and no
// clock, relative dates are resolved against the reference time the caller
// passes in, offsets always point into the caller's original text even when
// it contains full-width characters, and Find is safe for concurrent use.
package entity

package entity

import (
	"strings"
	"time"
)

// Match is one recognised span.
type Match struct {
	Start, End int      // byte offsets of the span in the text passed to Find
	Text       string   // text[Start:End], the original value as the user said it
	Value      string   // Lex interpretedValue format
	Resolved   []string // candidate values; len>=1; Resolved[0]==Value unless ambiguous
	Ambiguous  bool     // e.g. "10 o'clock" → Resolved ["10:00","22:00"]; Value = first candidate
}

// lang is the rule family a Lex locale uses.
type lang int

const (
	langEn lang = iota // English, and the fallback for every locale without rules of its own
	langKo
	langZh
)

func langOf(locale string) lang {
	l := strings.ToLower(locale)
	switch {
	case strings.HasPrefix(l, "ko"):
		return langKo
	case strings.HasPrefix(l, "zh"):
		return langZh
	}
	return langEn
}

// recognisers maps each supported built-in slot type to its recogniser.
var recognisers = map[string]func(in *input, lg lang, ref time.Time) []span{
	"AMAZON.Number":        findNumbers,
	"AMAZON.Percentage":    findPercentages,
	"AMAZON.Date":          findDates,
	"AMAZON.Time":          findTimes,
	"AMAZON.Duration":      findDurations,
	"AMAZON.Confirmation":  findConfirmation,
	"AMAZON.EmailAddress":  findEmails,
	"AMAZON.PhoneNumber":   findPhoneNumbers,
	"AMAZON.AlphaNumeric":  findAlphaNumerics,
	"AMAZON.FirstName":     findFirstName,
	"AMAZON.FreeFormInput": findFreeForm,
	"AMAZON.LastName":      findLastName,
	"AMAZON.City":          findPlaces(cities),
	"AMAZON.Country":       findPlaces(countries),
	"AMAZON.State":         findPlaces(states),
	"AMAZON.StreetName":    findStreets,
	"AMAZON.Currency":      findCurrency,
	"AMAZON.UKPostalCode":  findUKPostalCodes,
}

// Supported reports whether Find knows the built-in type name (e.g. "AMAZON.Number").
func Supported(slotType string) bool {
	_, ok := recognisers[slotType]
	return ok
}

// Available reports whether the built-in type may be used in the locale:
// Supported, and offered by Lex there. Lex has no AMAZON.AlphaNumeric in
// ko_KR and AMAZON.UKPostalCode only in en_GB. AMAZON.Currency, which some
// translated Lex pages list for English and Spanish only, is available
// everywhere: Parley reads Korean and Chinese amounts too.
func Available(slotType, locale string) bool {
	if !Supported(slotType) {
		return false
	}
	switch slotType {
	case "AMAZON.AlphaNumeric":
		return langOf(locale) != langKo
	case "AMAZON.UKPostalCode":
		return strings.EqualFold(strings.ReplaceAll(locale, "-", "_"), "en_GB")
	}
	return true
}

// Find returns the non-overlapping matches of a built-in slot type in text, leftmost first,
// preferring the longest match at each position. locale is a Lex locale id ("en_US","ko_KR","zh_CN";
// other locales fall back to en rules plus digits). A type not Available in
// the locale finds nothing. ref is "now" in the user's time zone (use ref.Location()).
func Find(slotType, locale, text string, ref time.Time) []Match {
	rec, ok := recognisers[slotType]
	if !ok || !Available(slotType, locale) {
		return nil
	}
	lg := langOf(locale)
	in := newInput(text)
	spans := rec(in, lg, ref)
	if len(spans) == 0 {
		return nil
	}
	out := make([]Match, 0, len(spans))
	for _, s := range spans {
		start, end := in.offs[s.start], in.offs[s.end]
		resolved := s.alts
		if len(resolved) == 0 {
			resolved = []string{s.value}
		}
		out = append(out, Match{
			Start:     start,
			End:       end,
			Text:      text[start:end],
			Value:     resolved[0],
			Resolved:  resolved,
			Ambiguous: len(resolved) > 1,
		})
	}
	return out
}

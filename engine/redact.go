package engine

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// Patterns masked before text leaves the process. Phone numbers are an
// international number with a + and a country code, a Korean mobile or
// area-code number (010-1234-5678, 02 123 4567), or ten and more digits in
// groups.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	phonePattern = regexp.MustCompile(`\+\d{1,3}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,4}(?:[\s.\-]?\d{2,4}){1,4}` +
		`|\b0\d{1,2}[\s.\-]?\d{3,4}[\s.\-]?\d{4}\b` +
		`|\(\d{2,4}\)\s?\d{3,4}[\s.\-]?\d{4}\b`)
)

// Placeholders that replace what is masked.
const (
	emailPlaceholder = "[email]"
	phonePlaceholder = "[phone]"
)

// redactor masks what a locale's RedactSettings name in text sent to the
// model.
type redactor struct {
	emails, phones bool
	// values are the obfuscated slot values to mask, longest first, each
	// with the placeholder that replaces it.
	values []maskedValue
}

type maskedValue struct {
	text, placeholder string
}

// newRedactor collects the values of obfuscated slots in the sessions'
// intents (the current session before and after the turn).
func newRedactor(rs parley.RedactSettings, loc *parley.Locale, sessions ...*parley.Session) redactor {
	r := redactor{emails: rs.Emails, phones: rs.Phones}
	if !rs.ObfuscatedSlots {
		return r
	}
	for _, s := range sessions {
		if s == nil || s.State.Intent == nil {
			continue
		}
		def := loc.Intent(s.State.Intent.Name)
		if def == nil {
			continue
		}
		for _, sl := range def.Slots {
			if sl.Obfuscate {
				r.addValues(sl.Name, s.State.Intent.Slots[sl.Name])
			}
		}
	}
	slices.SortFunc(r.values, func(a, b maskedValue) int { return len(b.text) - len(a.text) })
	return r
}

// addValues adds every text of a slot value. One-rune values are left
// alone: masking every "a" would wreck the text and hide nothing.
func (r *redactor) addValues(slot string, v *parley.SlotValue) {
	if v == nil {
		return
	}
	if v.Value != nil {
		for _, t := range append([]string{v.Value.OriginalValue, v.Value.InterpretedValue}, v.Value.ResolvedValues...) {
			t = strings.TrimSpace(t)
			if utf8.RuneCountInString(t) > 1 {
				r.values = append(r.values, maskedValue{text: t, placeholder: "[" + slot + "]"})
			}
		}
	}
	for _, item := range v.Values {
		r.addValues(slot, item)
	}
	for _, sub := range v.SubSlots {
		r.addValues(slot, sub)
	}
}

// apply returns s with the configured patterns and values masked.
func (r redactor) apply(s string) string {
	for _, v := range r.values {
		s = replaceFold(s, v.text, v.placeholder)
	}
	if r.emails {
		s = emailPattern.ReplaceAllString(s, emailPlaceholder)
	}
	if r.phones {
		s = phonePattern.ReplaceAllString(s, phonePlaceholder)
	}
	return s
}

// replaceFold replaces every occurrence of old in s, ignoring case, with
// repl.
func replaceFold(s, old, repl string) string {
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(old))
	return re.ReplaceAllLiteralString(s, repl)
}

package entity

import (
	"strings"
	"time"
	"unicode"
)

// ---- e-mail ----

func isEmailUserRune(c rune) bool {
	return isASCIILetter(c) || isDigit(c) || strings.ContainsRune("._%+-", c)
}

func isDomainRune(c rune) bool {
	return isASCIILetter(c) || isDigit(c) || c == '-'
}

// Length limits from RFC 5321 keep scanning linear on long junk input.
const (
	maxEmailUser   = 64
	maxEmailLabels = 8
)

func findEmails(in *input, lg lang, _ time.Time) []span {
	rules := []rule{writtenEmail}
	if lg == langEn {
		rules = append(rules, spokenEmail)
	}
	return scan(in, rules)
}

// writtenEmail reads user@domain.tld. The user part keeps its case; the
// domain is lower-cased, as domains are case-insensitive.
func writtenEmail(in *input, i int) (span, bool) {
	if !isASCIILetter(in.at(i)) && !isDigit(in.at(i)) {
		return span{}, false
	}
	j := i
	for isEmailUserRune(in.at(j)) && j-i <= maxEmailUser {
		j++
	}
	if in.at(j) != '@' || in.at(j-1) == '.' {
		return span{}, false
	}
	user := string(in.cased[i:j])
	labels, end := 0, -1
	k := j + 1
	lastLabel := ""
	for labels < maxEmailLabels {
		s := k
		for isDomainRune(in.at(k)) && k-s <= maxEmailUser {
			k++
		}
		if k == s {
			break
		}
		labels++
		lastLabel, end = string(in.r[s:k]), k
		if in.at(k) != '.' || !isDomainRune(in.at(k+1)) {
			break
		}
		k++
	}
	if labels < 2 || len(lastLabel) < 2 || !isAllLetters(lastLabel) {
		return span{}, false
	}
	return span{end: end, value: user + "@" + string(in.r[j+1:end])}, true
}

func isAllLetters(s string) bool {
	for _, c := range s {
		if !isASCIILetter(c) {
			return false
		}
	}
	return true
}

// spokenEmail reads "john dot smith at example dot com".
func spokenEmail(in *input, i int) (span, bool) {
	user, j, ok := dottedWords(in, i)
	if !ok {
		return span{}, false
	}
	g, ok := in.gap(j)
	if !ok {
		return span{}, false
	}
	k := in.word(g, "at")
	if k < 0 {
		return span{}, false
	}
	g, ok = in.gap(k)
	if !ok {
		return span{}, false
	}
	domain, end, ok := dottedWords(in, g)
	if !ok || !strings.Contains(domain, ".") {
		return span{}, false
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	if len(tld) < 2 || !isAllLetters(tld) {
		return span{}, false
	}
	return span{end: end, value: user + "@" + domain}, true
}

// dottedWords reads alphanumeric words joined by spoken "dot".
func dottedWords(in *input, i int) (string, int, bool) {
	var parts []string
	end, j := -1, i
	for len(parts) < maxEmailLabels {
		k := j
		for isASCIILetter(in.at(k)) || isDigit(in.at(k)) {
			k++
		}
		w := string(in.r[j:k])
		if k == j || w == "at" || w == "dot" || !in.latinEnd(k) {
			break
		}
		parts, end = append(parts, w), k
		g, ok := in.gap(k)
		if !ok {
			break
		}
		d := in.word(g, "dot")
		if d < 0 {
			break
		}
		if j, ok = in.gap(d); !ok {
			break
		}
	}
	if end < 0 {
		return "", i, false
	}
	return strings.Join(parts, "."), end, true
}

// ---- phone numbers ----

// Phone numbers have at least 7 digits (a local number) and at most 15
// (the E.164 maximum).
const (
	minPhoneDigits = 7
	maxPhoneDigits = 15
)

// phoneDigit reads one digit of a phone number at i: an ASCII digit, or in
// ko and zh a numeral syllable (공일공…, 幺三八…), or in en a digit word.
type phoneDigit func(in *input, i int) (byte, int, bool)

func asciiPhoneDigit(in *input, i int) (byte, int, bool) {
	if c := in.at(i); isDigit(c) {
		return byte(c), i + 1, true
	}
	return 0, i, false
}

var enDigitNames = map[string]byte{
	"zero": '0', "oh": '0', "one": '1', "two": '2', "three": '3', "four": '4',
	"five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9',
}

func enPhoneDigit(in *input, i int) (byte, int, bool) {
	if d, j, ok := asciiPhoneDigit(in, i); ok {
		return d, j, true
	}
	w, j := in.latinWord(i)
	if d, ok := enDigitNames[w]; ok && in.latinEnd(j) {
		return d, j, true
	}
	return 0, i, false
}

var koPhoneDigits = map[rune]byte{
	'공': '0', '영': '0', '일': '1', '이': '2', '삼': '3', '사': '4', '오': '5',
	'육': '6', '칠': '7', '팔': '8', '구': '9',
}

var zhPhoneDigits = map[rune]byte{
	'零': '0', '〇': '0', '幺': '1', '一': '1', '二': '2', '两': '2', '三': '3',
	'四': '4', '五': '5', '六': '6', '七': '7', '八': '8', '九': '9',
}

func mapPhoneDigit(m map[rune]byte) phoneDigit {
	return func(in *input, i int) (byte, int, bool) {
		if d, j, ok := asciiPhoneDigit(in, i); ok {
			return d, j, true
		}
		if d, ok := m[in.at(i)]; ok {
			return d, i + 1, true
		}
		return 0, i, false
	}
}

func findPhoneNumbers(in *input, lg lang, _ time.Time) []span {
	digit := enPhoneDigit
	switch lg {
	case langKo:
		digit = mapPhoneDigit(koPhoneDigits)
	case langZh:
		digit = mapPhoneDigit(zhPhoneDigits)
	}
	return scan(in, []rule{func(in *input, i int) (span, bool) { return phoneAt(in, i, digit) }})
}

// phoneAt reads digits separated by at most two of space, hyphen, dot and
// parentheses ("+1 (509) 555-1212"), keeping only the digits and a leading +.
func phoneAt(in *input, i int, digit phoneDigit) (span, bool) {
	if continuesDigits(in, i, digit) {
		return span{}, false
	}
	var b strings.Builder
	j := i
	if in.at(j) == '+' {
		b.WriteByte('+')
		j++
	}
	digits, end := 0, -1
	// Digits and spoken digits do not mix: "01012345678이에요" ends at 8.
	spoken := !isDigit(in.at(j)) && in.at(j) != '('
	for {
		if d, k, ok := digit(in, j); ok && isDigit(in.at(j)) != spoken {
			b.WriteByte(d)
			digits++
			if digits > maxPhoneDigits {
				return span{}, false
			}
			j, end = k, k
			continue
		}
		k := j
		for k-j < 2 && isPhoneSep(in.at(k)) {
			// A dot separates digits only inside a number ("555.1212"), not
			// at the end of a sentence.
			if in.at(k) == '.' && !isDigit(in.at(k+1)) {
				break
			}
			k++
		}
		if k == j || (digits == 0 && in.at(j) != '(') {
			break
		}
		if _, _, ok := digit(in, k); !ok || isDigit(in.at(k)) == spoken {
			break
		}
		j = k
	}
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		return span{}, false
	}
	return span{end: end, value: b.String()}, true
}

// continuesDigits reports whether i is inside a longer digit sequence (a
// digit and at most two separators come before it), so that the tail of an
// over-long number is not taken for a phone number.
func continuesDigits(in *input, i int, digit phoneDigit) bool {
	k := i - 1
	for k >= 0 && i-k <= 2 && isPhoneSep(in.r[k]) {
		k--
	}
	if k < 0 {
		return false
	}
	start := k
	for start > 0 && isASCIILetter(in.r[k]) && isASCIILetter(in.r[start-1]) {
		start--
	}
	_, e, ok := digit(in, start)
	return ok && e == k+1
}

func isPhoneSep(c rune) bool {
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'
}

// ---- alphanumeric ----

// findAlphaNumerics returns runs of ASCII letters and digits that contain a
// digit (booking codes like "A1B2C3"), or the whole answer when it is a
// single run of letters ("ABCDEF"); ordinary words around a code are not
// codes.
func findAlphaNumerics(in *input, _ lang, _ time.Time) []span {
	a, b := in.trimmed()
	return scan(in, []rule{func(in *input, i int) (span, bool) {
		j, hasDigit := i, false
		for isASCIILetter(in.at(j)) || isDigit(in.at(j)) {
			hasDigit = hasDigit || isDigit(in.at(j))
			j++
		}
		// A code may run into Han or Hangul ("AB123号") but not into another
		// Latin-script letter ("AB123é" is one word).
		if c := in.at(j); j == i || unicode.IsLetter(c) && !isHan(c) && !isHangul(c) {
			return span{}, false
		}
		if !hasDigit && !(i == a && j == b) {
			return span{}, false
		}
		return span{end: j, value: string(in.cased[i:j])}, true
	}})
}

package entity

import (
	"regexp"
	"strings"
	"time"
)

// AMAZON.UKPostalCode (en_GB only) checks the format of a postcode, not that
// it exists, and returns it in capitals with the single space before the
// inward code: "sw1a1aa" → "SW1A 1AA".
var (
	ukOutward = regexp.MustCompile(`^[a-z]{1,2}[0-9][a-z0-9]?$`)
	ukInward  = regexp.MustCompile(`^[0-9][a-z]{2}$`)
)

func findUKPostalCodes(in *input, _ lang, _ time.Time) []span {
	return scan(in, []rule{func(in *input, i int) (span, bool) {
		w1, j := alnumWord(in, i)
		if len(w1) >= 5 && len(w1) <= 7 {
			out, inw := w1[:len(w1)-3], w1[len(w1)-3:]
			if ukOutward.MatchString(out) && ukInward.MatchString(inw) {
				return span{end: j, value: strings.ToUpper(out + " " + inw)}, true
			}
		}
		if !ukOutward.MatchString(w1) {
			return span{}, false
		}
		k, gap := in.gap(j)
		if !gap {
			return span{}, false
		}
		w2, e := alnumWord(in, k)
		if !ukInward.MatchString(w2) {
			return span{}, false
		}
		return span{end: e, value: strings.ToUpper(w1 + " " + w2)}, true
	}})
}

// alnumWord returns the run of ASCII letters and digits at i, lower-cased.
func alnumWord(in *input, i int) (string, int) {
	j := i
	for isASCIILetter(in.at(j)) || isDigit(in.at(j)) {
		j++
	}
	if in.at(j) != 0 && (isWordRune(in.at(j)) && !isHan(in.at(j)) && !isHangul(in.at(j))) {
		return "", i
	}
	return string(in.r[i:j]), j
}

package line

import (
	"unicode/utf16"

	"github.com/parleybot/parley"
)

// clip shortens a user's text to what a turn accepts (parley.MaxTextLength
// UTF-16 code units), cutting between characters: a long message is read
// in part rather than refused with an error the user cannot act on.
func clip(text string) string {
	n := 0
	for i, r := range text {
		if n += utf16.RuneLen(r); n > parley.MaxTextLength {
			return text[:i]
		}
	}
	return text
}

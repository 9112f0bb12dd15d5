package nlubench

import (
	"fmt"
	"strings"

	"github.com/parleybot/parley/eval"
)

// bioSpans turns one BIO tag per token into slot spans over text, where
// token i covers code points [starts[i], ends[i]). An I- tag that does not
// continue a span of its type opens one, as CoNLL's conlleval does.
func bioSpans(text []rune, starts, ends []int, tags []string) ([]eval.SlotSpan, error) {
	if len(starts) != len(tags) || len(ends) != len(tags) {
		return nil, fmt.Errorf("%d tokens but %d tags", len(starts), len(tags))
	}
	var spans []eval.SlotSpan
	open := -1 // index in spans of the span the previous token belongs to
	for i, tag := range tags {
		if starts[i] == ends[i] {
			// An empty token (xSID zh has one) covers no text: it neither
			// opens, extends nor closes a span.
			continue
		}
		kind, typ, _ := strings.Cut(tag, "-")
		switch {
		case kind == "O" || tag == "":
			open = -1
			continue
		case kind != "B" && kind != "I" || typ == "":
			return nil, fmt.Errorf("token %d: tag %q is not BIO", i+1, tag)
		}
		name := typ
		if kind == "I" && open >= 0 && spans[open].Slot == name {
			spans[open].End = ends[i]
			continue
		}
		spans = append(spans, eval.SlotSpan{Slot: name, Start: starts[i], End: ends[i]})
		open = len(spans) - 1
	}
	for i := range spans {
		spans[i].Value = string(text[spans[i].Start:spans[i].End])
	}
	return spans, nil
}

// locateTokens finds each token in text in order and returns their code
// point offsets; xSID's Chinese tokens are segments of an unspaced text.
func locateTokens(text []rune, tokens []string) (starts, ends []int, err error) {
	pos := 0
	for _, tok := range tokens {
		t := []rune(tok)
		i := indexRunes(text[pos:], t)
		if i < 0 {
			return nil, nil, fmt.Errorf("token %q not found in %q after offset %d", tok, string(text), pos)
		}
		starts = append(starts, pos+i)
		ends = append(ends, pos+i+len(t))
		pos += i + len(t)
	}
	return starts, ends, nil
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		match := true
		for j := range sub {
			if s[i+j] != sub[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

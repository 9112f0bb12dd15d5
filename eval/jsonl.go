package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// SlotSpan is one labelled slot value: Start and End are Unicode code point
// offsets into the example's text, End exclusive, and Value is the text
// between them.
type SlotSpan struct {
	Slot  string `json:"slot"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value"`
}

// Example is one labelled utterance. Out-of-scope examples have the intent
// parley.FallbackIntentName.
type Example struct {
	Text   string     `json:"text"`
	Intent string     `json:"intent"`
	Slots  []SlotSpan `json:"slots,omitempty"`
}

// ReadJSONL reads examples, one JSON object per line (blank lines are
// skipped). Every problem is reported as "name:line:col: problem", the
// column counted in code points from 1; a slot whose value is omitted gets
// the text of its span.
func ReadJSONL(r io.Reader, name string) ([]Example, error) {
	br := bufio.NewReader(r)
	var exs []Example
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("eval: read %s: %w", name, err)
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			ex, col, problem := parseLine(line)
			if problem != "" {
				return nil, fmt.Errorf("%s:%d:%d: %s", name, lineNo, col, problem)
			}
			exs = append(exs, ex)
		}
		if err != nil {
			return exs, nil
		}
	}
}

// parseLine decodes and checks one line; on a problem it returns the
// 1-based column it concerns.
func parseLine(line []byte) (Example, int, string) {
	var ex Example
	if err := json.Unmarshal(line, &ex); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return ex, column(line, syn.Offset), syn.Error()
		case errors.As(err, &typ):
			if typ.Field == "" {
				return ex, column(line, typ.Offset), fmt.Sprintf("want a JSON object, not %s", typ.Value)
			}
			return ex, column(line, typ.Offset), fmt.Sprintf("%q must be %s, not %s", typ.Field, typ.Type, typ.Value)
		default:
			return ex, 1, err.Error()
		}
	}
	first := firstNonSpace(line)
	if ex.Text == "" {
		return ex, first, `"text" is missing or empty`
	}
	if ex.Intent == "" {
		return ex, first, `"intent" is missing or empty`
	}
	text := []rune(ex.Text)
	for i := range ex.Slots {
		s := &ex.Slots[i]
		switch {
		case s.Slot == "":
			return ex, first, fmt.Sprintf(`slot %d: "slot" is missing or empty`, i+1)
		case s.Start < 0 || s.End > len(text) || s.Start >= s.End:
			return ex, first, fmt.Sprintf("slot %d (%s): span [%d,%d) is not inside the %d code points of the text", i+1, s.Slot, s.Start, s.End, len(text))
		}
		span := string(text[s.Start:s.End])
		if s.Value == "" {
			s.Value = span
		} else if s.Value != span {
			return ex, first, fmt.Sprintf("slot %d (%s): value %q is not the text of span [%d,%d), which is %q", i+1, s.Slot, s.Value, s.Start, s.End, span)
		}
	}
	sorted := slices.Clone(ex.Slots)
	slices.SortFunc(sorted, func(a, b SlotSpan) int { return a.Start - b.Start })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Start < sorted[i-1].End {
			return ex, first, fmt.Sprintf("slots %s and %s overlap", sorted[i-1].Slot, sorted[i].Slot)
		}
	}
	return ex, 0, ""
}

// column turns a byte offset reported by encoding/json (bytes read when the
// problem was seen) into a 1-based code point column.
func column(line []byte, offset int64) int {
	if offset < 1 {
		return 1
	}
	if offset > int64(len(line)) {
		offset = int64(len(line))
	}
	return max(utf8.RuneCount(line[:offset]), 1)
}

func firstNonSpace(line []byte) int {
	trimmed := bytes.TrimLeft(line, " \t")
	return utf8.RuneCount(line[:len(line)-len(trimmed)]) + 1
}

// WriteJSONL writes examples in the format ReadJSONL reads, one per line,
// without escaping HTML characters.
func WriteJSONL(w io.Writer, exs []Example) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range exs {
		if err := enc.Encode(&exs[i]); err != nil {
			return fmt.Errorf("eval: write example %d: %w", i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("eval: write examples: %w", err)
	}
	return nil
}

package convtest

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/parleybot/parley"
)

// csvColumns are the Test Workbench columns Parley reads, by the lowercase
// header names the Lex documentation gives (either of the two names where
// it gives two). Other columns (audio, request attributes, context tags,
// runtime hints) are ignored.
type csvColumns struct {
	line, conversation, source, input, intent int
	slots, sessionAttrs                       []int
}

func findColumns(header []string) (csvColumns, error) {
	cols := csvColumns{line: -1, conversation: -1, source: -1, input: -1, intent: -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "line #" || h == "line number":
			cols.line = i
		case h == "conversation #" || h == "conversation number":
			cols.conversation = i
		case h == "source" || h == "conversation participant":
			cols.source = i
		case h == "input":
			cols.input = i
		case h == "expected output intent":
			cols.intent = i
		case strings.Contains(h, "expected output slot"):
			cols.slots = append(cols.slots, i)
		case h == "session attribute" || strings.HasPrefix(h, "session attribute "):
			cols.sessionAttrs = append(cols.sessionAttrs, i)
		}
	}
	var missing []string
	for name, i := range map[string]int{"Source": cols.source, "Input": cols.input} {
		if i < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return cols, fmt.Errorf("header has no %s column", strings.Join(missing, " or "))
	}
	return cols, nil
}

// ParseCSV reads a Lex Test Workbench test set (FORMAT.md, "Lex Test
// Workbench CSV"). Rows with the same Conversation # form one conversation
// in file order; a row whose Conversation # is empty, "-" or "N/A" is a
// conversation of its own. A User row is a turn; an Agent row is the bot's
// expected reply to the turn before it.
func ParseCSV(path string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "%s: read CSV header: %v", path, err)
	}
	cols, err := findColumns(header)
	if err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "%s: %v", path, err)
	}
	f := &File{Path: path}
	byID := map[string]*Conversation{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		if err := addRow(f, byID, cols, row, line); err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "%s:%d: %v", path, line, err)
		}
	}
	for _, c := range f.Conversations {
		if err := c.check(); err != nil {
			return nil, parley.Errorf(parley.ErrValidation, "%s: %v", path, err)
		}
	}
	if len(f.Conversations) == 0 {
		return nil, parley.Errorf(parley.ErrValidation, "%s: no test rows", path)
	}
	return f, nil
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func addRow(f *File, byID map[string]*Conversation, cols csvColumns, row []string, line int) error {
	if strings.Join(row, "") == "" {
		return nil
	}
	id := cell(row, cols.conversation)
	single := id == "" || id == "-" || strings.EqualFold(id, "N/A")
	c := byID[id]
	source := strings.ToLower(cell(row, cols.source))
	input := cell(row, cols.input)
	switch source {
	case "user":
		if input == "" {
			return errors.New("a User row needs an Input")
		}
		if c == nil || single {
			name := fmt.Sprintf("conversation %s", id)
			if single {
				// The author's Line # names the row; the file line when
				// the column is missing or empty.
				name = "line " + cmp.Or(cell(row, cols.line), strconv.Itoa(line))
			}
			c = &Conversation{Name: name}
			f.Conversations = append(f.Conversations, c)
			if !single {
				byID[id] = c
			}
		}
		t := &Turn{User: input, Line: line, Expect: &Expect{Intent: cell(row, cols.intent)}}
		for _, i := range cols.slots {
			name, value, err := keyValue(cell(row, i))
			if err != nil {
				return fmt.Errorf("slot: %w", err)
			}
			if name == "" {
				continue
			}
			if t.Expect.Slots == nil {
				t.Expect.Slots = map[string]*string{}
			}
			t.Expect.Slots[name] = &value
		}
		for _, i := range cols.sessionAttrs {
			k, v, err := keyValue(cell(row, i))
			if err != nil {
				return fmt.Errorf("session attribute: %w", err)
			}
			if k == "" || len(c.Turns) > 0 {
				continue
			}
			if c.SessionAttributes == nil {
				c.SessionAttributes = map[string]string{}
			}
			c.SessionAttributes[k] = v
		}
		c.Turns = append(c.Turns, t)
	case "agent":
		if c == nil || single || len(c.Turns) == 0 {
			return errors.New("an Agent row must follow a User row of the same conversation")
		}
		if input == "" {
			return nil
		}
		last := c.Turns[len(c.Turns)-1]
		if last.Expect.Message != "" {
			last.Expect.Message += `[\s\S]*`
		}
		last.Expect.Message += regexp.QuoteMeta(input)
	default:
		return fmt.Errorf("source %q: want User or Agent", cell(row, cols.source))
	}
	return nil
}

// keyValue splits a "Name = value" cell; an empty cell gives "".
func keyValue(s string) (key, value string, err error) {
	if s == "" {
		return "", "", nil
	}
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fmt.Errorf("%q: want Name = value", s)
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), nil
}

package bottest

import (
	"fmt"
	"strings"
	"time"
)

// Line kinds of a transcript.
const (
	kindBlank     = ' '
	kindComment   = '#'
	kindHeader    = ':'
	kindUser      = '>'
	kindDirective = '!'
	kindExpected  = '=' // both "<" and "=" lines
)

// Line is one line of a transcript.
type Line struct {
	// Kind is ' ' (blank), '#' (comment), ':' (header), '>' (input),
	// '!' (directive) or '=' (expected output: a "<" or "=" line).
	Kind byte
	Text string // the whole line as written
	No   int    // 1-based line number
}

// Transcript is a parsed transcript file.
type Transcript struct {
	Bot     string    // path of the bot definition, relative to the module root
	Locale  string    // "" = the bot's first locale
	Session string    // session id
	Now     time.Time // the clock at the start
	Hook    string    // the name of the code hook in Options.Hooks; "" = by bot id
	Lines   []Line
}

// defaultNow is the clock when a transcript names no start time.
var defaultNow = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// Parse reads a transcript; name is used in error messages.
func Parse(name string, src []byte) (*Transcript, error) {
	tr := &Transcript{Session: "transcript", Now: defaultNow}
	seenTurn := false
	for i, raw := range strings.Split(strings.TrimSuffix(string(src), "\n"), "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		ln := Line{Text: raw, No: i + 1}
		trimmed := strings.TrimSpace(raw)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, ln.No, fmt.Sprintf(format, args...))
		}
		switch {
		case trimmed == "":
			ln.Kind = kindBlank
		case trimmed[0] == '#':
			ln.Kind = kindComment
		case trimmed[0] == '>':
			ln.Kind = kindUser
			if userText(raw) == "" {
				return nil, fail("empty input after >")
			}
			seenTurn = true
		case trimmed[0] == '!':
			ln.Kind = kindDirective
			if err := checkDirective(raw); err != nil {
				return nil, fail("%v", err)
			}
		case trimmed[0] == '<' || trimmed[0] == '=':
			if !seenTurn {
				return nil, fail("expected output before the first input")
			}
			ln.Kind = kindExpected
		default:
			k, v, ok := strings.Cut(trimmed, ":")
			if !ok || seenTurn {
				return nil, fail("unrecognised line %q (want #, >, <, =, ! or a header before the first input)", trimmed)
			}
			ln.Kind = kindHeader
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "bot":
				tr.Bot = v
			case "locale":
				tr.Locale = v
			case "session":
				tr.Session = v
			case "hook":
				tr.Hook = v
			case "now":
				t, err := time.Parse(time.RFC3339, v)
				if err != nil {
					return nil, fail("now: %v", err)
				}
				tr.Now = t
			default:
				return nil, fail("unknown header %q (want bot, locale, session, hook or now)", k)
			}
		}
		tr.Lines = append(tr.Lines, ln)
	}
	if tr.Bot == "" {
		return nil, fmt.Errorf("%s: no bot: header", name)
	}
	return tr, nil
}

// userText returns the input of a "> text" line.
func userText(line string) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), ">"))
}

// directive splits a "! verb args" line.
func directive(line string) (verb, args string) {
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "!"))
	verb, args, _ = strings.Cut(rest, " ")
	return verb, strings.TrimSpace(args)
}

func checkDirective(line string) error {
	verb, args := directive(line)
	switch verb {
	case "wait":
		d, err := time.ParseDuration(args)
		if err != nil {
			return fmt.Errorf("wait: %v", err)
		}
		if d < 0 {
			return fmt.Errorf("wait: negative duration %s", args)
		}
	case "session":
		if args == "" {
			return fmt.Errorf("session: missing id")
		}
	case "attributes":
		_, err := attributes(args)
		return err
	case "hook":
		if args == "" {
			return fmt.Errorf("hook: missing name (a name in Options.Hooks, or none)")
		}
	default:
		return fmt.Errorf("unknown directive %q (want wait, session, attributes or hook)", verb)
	}
	return nil
}

// attributes parses "k=v k2=v2" into a map (empty, not nil, for "").
func attributes(args string) (map[string]string, error) {
	m := map[string]string{}
	for _, f := range strings.Fields(args) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("attributes: %q is not key=value", f)
		}
		m[k] = v
	}
	return m, nil
}

// expectedBlock returns the expected lines that follow the input at index i
// of lines (up to the next line of another kind).
func expectedBlock(lines []Line, i int) []string {
	var out []string
	for j := i + 1; j < len(lines) && lines[j].Kind == kindExpected; j++ {
		out = append(out, strings.TrimSpace(lines[j].Text))
	}
	return out
}

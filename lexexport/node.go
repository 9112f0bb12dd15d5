package lexexport

import (
	"fmt"
	"sort"

	"github.com/parleybot/parley"
)

// Warning names something in an export that Parley does not run or keep.
type Warning struct {
	// Path is the file inside the export and the JSON path in it, e.g.
	// "LexBot/BotLocales/en_US/Intents/BookFlight/Intent.json: intentClosingSetting.conditional".
	Path    string
	Message string
}

func (w Warning) String() string { return w.Path + ": " + w.Message }

// decoder collects the warnings of one read and keeps its first error, so
// the mapping code reads straight through without checking each field.
type decoder struct {
	warnings []Warning
	err      error
}

func (d *decoder) warn(file, path, format string, args ...any) {
	p := file
	if path != "" {
		p += ": " + path
	}
	d.warnings = append(d.warnings, Warning{Path: p, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) fail(file, path, format string, args ...any) {
	if d.err != nil {
		return
	}
	where := file
	if path != "" {
		where += ": " + path
	}
	d.err = parley.Errorf(parley.ErrValidation, "lexexport: %s: %s", where, fmt.Sprintf(format, args...))
}

// node is one JSON object of an export file. Every key a mapping reads is
// marked; finish warns about the keys nobody read, which is how fields
// Parley does not know surface instead of vanishing.
type node struct {
	d    *decoder
	file string
	path string
	m    map[string]any
	used map[string]bool
}

func newNode(d *decoder, file, path string, m map[string]any) *node {
	return &node{d: d, file: file, path: path, m: m, used: map[string]bool{}}
}

func (n *node) at(key string) string {
	if n.path == "" {
		return key
	}
	return n.path + "." + key
}

// get returns the first of names that is present and not null, marking all
// of them read (they are spellings of one field).
func (n *node) get(names ...string) (string, any) {
	var key string
	var val any
	for _, k := range names {
		n.used[k] = true
		if v, ok := n.m[k]; ok && v != nil && key == "" {
			key, val = k, v
		}
	}
	return key, val
}

func (n *node) str(names ...string) string {
	k, v := n.get(names...)
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		n.d.fail(n.file, n.at(k), "expected a string, got %s", kind(v))
	}
	return s
}

func (n *node) num(names ...string) (float64, bool) {
	k, v := n.get(names...)
	if v == nil {
		return 0, false
	}
	f, ok := v.(float64)
	if !ok {
		n.d.fail(n.file, n.at(k), "expected a number, got %s", kind(v))
	}
	return f, ok
}

func (n *node) integer(names ...string) int {
	f, _ := n.num(names...)
	return int(f)
}

// flag returns the boolean and whether it was given.
func (n *node) flag(names ...string) (bool, bool) {
	k, v := n.get(names...)
	if v == nil {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		n.d.fail(n.file, n.at(k), "expected true or false, got %s", kind(v))
	}
	return b, ok
}

// flagOr returns the boolean, or def when it is absent or null.
func (n *node) flagOr(def bool, names ...string) bool {
	b, ok := n.flag(names...)
	if !ok {
		return def
	}
	return b
}

func (n *node) child(names ...string) *node {
	k, v := n.get(names...)
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		n.d.fail(n.file, n.at(k), "expected an object, got %s", kind(v))
		return nil
	}
	return newNode(n.d, n.file, n.at(k), m)
}

func (n *node) list(names ...string) []*node {
	k, v := n.get(names...)
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		n.d.fail(n.file, n.at(k), "expected a list, got %s", kind(v))
		return nil
	}
	out := make([]*node, 0, len(a))
	for i, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			if e != nil {
				n.d.fail(n.file, fmt.Sprintf("%s[%d]", n.at(k), i), "expected an object, got %s", kind(e))
			}
			continue
		}
		out = append(out, newNode(n.d, n.file, fmt.Sprintf("%s[%d]", n.at(k), i), m))
	}
	return out
}

// skip marks keys read whose content does not matter to Parley (ids Lex
// regenerates, display names derived from other fields).
func (n *node) skip(names ...string) {
	for _, k := range names {
		n.used[k] = true
	}
}

// unsupported warns when key holds something, and marks it read.
func (n *node) unsupported(key, format string, args ...any) {
	n.used[key] = true
	if v, ok := n.m[key]; ok && !empty(v) {
		n.d.warn(n.file, n.at(key), format, args...)
	}
}

// finish warns about every key with content that no mapping read.
func (n *node) finish() {
	keys := make([]string, 0, len(n.m))
	for k, v := range n.m {
		if !n.used[k] && !empty(v) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		n.d.warn(n.file, n.at(k), "not supported by Parley; ignored")
	}
}

// empty reports whether v carries nothing: null, "", an empty list, or an
// object whose values are all empty (Lex writes {"name": null, "slots": {}}).
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, e := range v {
			if !empty(e) {
				return false
			}
		}
		return true
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

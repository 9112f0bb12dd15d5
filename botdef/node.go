package botdef

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// maxAliasExpansions bounds how often aliases are followed in one file, so a
// "billion laughs" document costs a problem instead of minutes of work.
const maxAliasExpansions = 10000

// maxDepth bounds nesting through aliases that refer to themselves.
const maxDepth = 64

// pos is a place in a file; line and col are 1-based, or 0 for the whole file.
type pos struct {
	file      string
	line, col int
}

// collector gathers the problems of one Load or Validate call.
type collector struct {
	problems Problems
	// lookupEnv resolves ${VAR} references in channel settings.
	lookupEnv func(key string) (string, bool)
}

func (c *collector) add(at pos, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: at.file, Line: at.line, Col: at.col, Message: fmt.Sprintf(format, args...)})
}

// doc is one parsed file and the state of walking its syntax tree. The walk
// is schema-driven and reports every problem it meets instead of stopping,
// which is why it does not decode into structs with the YAML library.
type doc struct {
	c          *collector
	file       string
	anchors    map[string]ast.Node
	expansions int
	// texts, while an intent is being decoded, collects the message texts
	// that may reference the intent's slots, for the check after decoding.
	texts *[]text
}

// text is a string from the file with where it starts.
type text struct {
	s  string
	at pos
}

// parse parses src and returns its (first) document's root node, or nil
// after reporting why there is none.
func (c *collector) parse(file string, src []byte) (d *doc, root ast.Node) {
	d = &doc{c: c, file: file, anchors: map[string]ast.Node{}}
	f, err := parseBytes(src)
	if err != nil {
		at := pos{file, 1, 1}
		msg := err.Error()
		var ye yaml.Error
		if errors.As(err, &ye) {
			msg = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				at = clampPos(file, tk.Position.Line, tk.Position.Column)
			}
		}
		c.add(at, "YAML syntax error: %s%s", msg, flowHint(src, at.line))
		return d, nil
	}
	var docs []ast.Node
	for _, dn := range f.Docs {
		if dn != nil && dn.Body != nil {
			docs = append(docs, dn.Body)
		}
	}
	if len(docs) == 0 {
		c.add(pos{file, 1, 1}, "file is empty")
		return d, nil
	}
	for _, extra := range docs[1:] {
		c.add(d.pos(extra), "only one YAML document per file is read; remove this one or move it to its own file")
	}
	collectAnchors(docs[0], d.anchors, 0)
	return d, docs[0]
}

// flowHint explains the most common syntax error in bot files: a {Slot}
// reference inside a [flow list], where YAML reads the brace as a mapping.
func flowHint(src []byte, line int) string {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	l := lines[line-1]
	if i := strings.IndexByte(l, '['); i >= 0 && strings.Contains(l[i:], "{") {
		return ` (inside [ ], quote texts with {Slot} references: ["order a {Size} pizza"])`
	}
	return ""
}

// parseBytes runs the YAML parser, turning a panic inside it into an error:
// bot files come from users, and a parser bug must not take down the server
// that loads them.
func parseBytes(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("botdef: yaml parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(src, 0)
}

func collectAnchors(n ast.Node, into map[string]ast.Node, depth int) {
	if n == nil || depth > maxDepth*4 {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if v.Name != nil {
			into[v.Name.GetToken().Value] = v.Value
		}
		collectAnchors(v.Value, into, depth+1)
	case *ast.TagNode:
		collectAnchors(v.Value, into, depth+1)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			collectAnchors(mv, into, depth+1)
		}
	case *ast.MappingValueNode:
		collectAnchors(v.Key, into, depth+1)
		collectAnchors(v.Value, into, depth+1)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			collectAnchors(e, into, depth+1)
		}
	}
}

func clampPos(file string, line, col int) pos {
	return pos{file, max(line, 1), max(col, 1)}
}

// pos returns where n starts. A block mapping's own token is its first
// colon, so it reports its first key instead.
func (d *doc) pos(n ast.Node) pos {
	switch v := n.(type) {
	case nil:
		return pos{d.file, 1, 1}
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return d.pos(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return d.pos(v.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return pos{d.file, 1, 1}
	}
	return clampPos(d.file, tk.Position.Line, tk.Position.Column)
}

func (d *doc) errorf(n ast.Node, format string, args ...any) {
	d.c.add(d.pos(n), format, args...)
}

// resolve looks through anchors, tags and aliases; it returns nil for null.
func (d *doc) resolve(n ast.Node) ast.Node {
	for depth := 0; n != nil; depth++ {
		if depth > maxDepth {
			d.errorf(n, "aliases nest too deeply")
			return nil
		}
		switch v := n.(type) {
		case *ast.NullNode:
			return nil
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			if d.expansions++; d.expansions > maxAliasExpansions {
				if d.expansions == maxAliasExpansions+1 {
					d.errorf(n, "too many alias expansions (more than %d)", maxAliasExpansions)
				}
				return nil
			}
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				d.errorf(n, "unknown alias *%s", name)
				return nil
			}
			n = target
		default:
			return n
		}
	}
	return nil
}

// kind names a node's type for messages.
func kind(n ast.Node) string {
	switch n.(type) {
	case nil:
		return "null"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "true or false"
	default:
		return "a string"
	}
}

// scalar returns the text of a scalar node. Numbers and booleans count as
// their source text, so `value: 12` is the string "12" where a string is
// expected (a slot value, a bot id of digits).
func (d *doc) scalar(raw ast.Node, what string) (string, bool) {
	n := d.resolve(raw)
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	d.errorf(raw, "%s must be a string, got %s", what, kind(n))
	return "", false
}

func (d *doc) integer(raw ast.Node, what string) (int, bool) {
	n := d.resolve(raw)
	switch v := n.(type) {
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			return int(max(min(x, math.MaxInt32), math.MinInt32)), true
		case uint64:
			return int(min(x, math.MaxInt32)), true
		}
	case *ast.FloatNode:
		if v.Value == math.Trunc(v.Value) && math.Abs(v.Value) < math.MaxInt32 {
			return int(v.Value), true
		}
		d.errorf(raw, "%s must be a whole number, got %s", what, v.GetToken().Value)
		return 0, false
	}
	d.errorf(raw, "%s must be a whole number, got %s", what, kind(n))
	return 0, false
}

func (d *doc) number(raw ast.Node, what string) (float64, bool) {
	n := d.resolve(raw)
	switch v := n.(type) {
	case *ast.FloatNode:
		return v.Value, true
	case *ast.IntegerNode:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v.GetToken().Value, "_", ""), 64)
		if err == nil {
			return f, true
		}
		switch x := v.Value.(type) {
		case int64:
			return float64(x), true
		case uint64:
			return float64(x), true
		}
	}
	d.errorf(raw, "%s must be a number, got %s", what, kind(n))
	return 0, false
}

func (d *doc) boolean(raw ast.Node, what string) (bool, bool) {
	n := d.resolve(raw)
	if v, ok := n.(*ast.BoolNode); ok {
		return v.Value, true
	}
	d.errorf(raw, "%s must be true or false, got %s", what, kind(n))
	return false, false
}

// list returns the items of a sequence; nil with a problem for anything
// else but null.
func (d *doc) list(raw ast.Node, what string) []ast.Node {
	n := d.resolve(raw)
	switch v := n.(type) {
	case nil:
		return nil
	case *ast.SequenceNode:
		return v.Values
	}
	d.errorf(raw, "%s must be a list, got %s", what, kind(n))
	return nil
}

// object is a mapping checked against the keys allowed at its place.
type object struct {
	d       *doc
	node    ast.Node // the mapping, for positions
	what    string   // what the mapping is, for messages ("slot")
	values  map[string]ast.Node
	keys    map[string]ast.Node
	allowed []string
	// unknown holds the keys reported as unknown, so that a misspelt key is
	// not reported a second time as a missing one.
	unknown []string
}

// misspelt reports whether an unknown key of o looks like key.
func (o *object) misspelt(key string) bool {
	for _, u := range o.unknown {
		if best, ok := closest(u, o.allowed); ok && best == key {
			return true
		}
	}
	return false
}

// keySet lists the keys allowed in a mapping and the other spellings
// accepted for some of them (alias → key).
type keySet struct {
	keys    []string
	aliases map[string]string
}

// isMapping reports whether raw resolves to a mapping.
func (d *doc) isMapping(raw ast.Node) bool {
	switch d.resolveQuiet(raw).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

// resolveQuiet is resolve for peeking at a node's type: it reports nothing
// and does not count against the alias budget.
func (d *doc) resolveQuiet(n ast.Node) ast.Node {
	for depth := 0; n != nil && depth <= maxDepth; depth++ {
		switch v := n.(type) {
		case *ast.NullNode:
			return nil
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil {
				return nil
			}
			n = d.anchors[v.Value.GetToken().Value]
		default:
			return n
		}
	}
	return nil
}

// mappingValues returns a mapping's entries; a lone MappingValueNode is a
// one-entry mapping.
func mappingValues(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, true
	}
	return nil, false
}

// object checks that raw is a mapping with only allowed keys and returns it;
// nil for null (nothing reported) or for anything else (a problem).
func (d *doc) object(raw ast.Node, what string, ks keySet) *object {
	n := d.resolve(raw)
	if n == nil {
		return nil
	}
	entries, ok := mappingValues(n)
	if !ok {
		d.errorf(raw, "%s must be a mapping, got %s", what, kind(n))
		return nil
	}
	o := &object{d: d, node: n, what: what, allowed: ks.keys, values: map[string]ast.Node{}, keys: map[string]ast.Node{}}
	var merges []ast.Node
	for _, e := range entries {
		if _, ok := e.Key.(*ast.MergeKeyNode); ok {
			merges = append(merges, e.Value)
			continue
		}
		o.set(e.Key, e.Value, ks, true)
	}
	// Merged keys (<<: *anchor) come after the explicit ones, which win.
	for _, m := range merges {
		src := []ast.Node{m}
		if seq, ok := d.resolveQuiet(m).(*ast.SequenceNode); ok {
			src = seq.Values
		}
		for _, s := range src {
			mn := d.resolve(s)
			entries, ok := mappingValues(mn)
			if !ok {
				d.errorf(s, "a merge key (<<) needs a mapping, got %s", kind(mn))
				continue
			}
			for _, e := range entries {
				o.set(e.Key, e.Value, ks, false)
			}
		}
	}
	return o
}

func (o *object) set(keyNode, value ast.Node, ks keySet, explicit bool) {
	d := o.d
	key, ok := d.keyText(keyNode)
	if !ok {
		return
	}
	name := key
	if canon, ok := ks.aliases[key]; ok {
		name = canon
	}
	if !slices.Contains(ks.keys, name) {
		if explicit {
			d.errorf(keyNode, "unknown key %q in %s%s", key, o.what, suggest(key, ks.keys))
			o.unknown = append(o.unknown, key)
		}
		return
	}
	if prev, dup := o.keys[name]; dup {
		if explicit {
			d.errorf(keyNode, "%q is given twice in %s (also at line %d)", name, o.what, d.pos(prev).line)
		}
		return
	}
	o.keys[name] = keyNode
	o.values[name] = value
}

func (d *doc) keyText(keyNode ast.Node) (string, bool) {
	k := d.resolve(keyNode)
	if mk, ok := k.(*ast.MappingKeyNode); ok {
		k = d.resolve(mk.Value)
	}
	switch k.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.LiteralNode:
		return k.GetToken().Value, true
	}
	d.errorf(keyNode, "a key must be a plain string, got %s", kind(k))
	return "", false
}

// has reports whether key is present and not null.
func (o *object) has(key string) bool {
	return o.d.resolveQuiet(o.values[key]) != nil
}

// at returns the node to point at for key: its value, or its key when the
// value is null, or the mapping when the key is absent.
func (o *object) at(key string) ast.Node {
	if v, ok := o.values[key]; ok {
		if o.d.resolveQuiet(v) != nil {
			return v
		}
		return o.keys[key]
	}
	return o.node
}

func (o *object) value(key string) ast.Node { return o.values[key] }

// require reports a missing required key.
func (o *object) require(keys ...string) bool {
	ok := true
	for _, k := range keys {
		if !o.has(k) {
			if !o.misspelt(k) {
				o.d.errorf(o.at(k), "%s is missing required key %q", o.what, k)
			}
			ok = false
		}
	}
	return ok
}

func (o *object) str(key string) string {
	s, _ := o.text(key)
	return s
}

// text is str that also reports whether the key held a usable string, so
// that a wrong type is not reported a second time as a bad value.
func (o *object) text(key string) (string, bool) {
	if !o.has(key) {
		return "", false
	}
	return o.d.scalar(o.values[key], fmt.Sprintf("%q", key))
}

// nullItem reports a list item that is null where a mapping is needed; an
// unknown alias has been reported already.
func (d *doc) nullItem(raw ast.Node, what string) {
	if _, alias := raw.(*ast.AliasNode); alias || d.resolveQuiet(raw) != nil {
		return
	}
	d.errorf(raw, "%s must be a mapping, got null", what)
}

func (o *object) integer(key string) (int, bool) {
	if !o.has(key) {
		return 0, false
	}
	return o.d.integer(o.values[key], fmt.Sprintf("%q", key))
}

func (o *object) number(key string) (float64, bool) {
	if !o.has(key) {
		return 0, false
	}
	return o.d.number(o.values[key], fmt.Sprintf("%q", key))
}

func (o *object) boolean(key string) bool {
	if !o.has(key) {
		return false
	}
	b, _ := o.d.boolean(o.values[key], fmt.Sprintf("%q", key))
	return b
}

func (o *object) list(key string) []ast.Node {
	return o.d.list(o.values[key], fmt.Sprintf("%q", key))
}

// strings returns a list of strings with where each one is.
func (o *object) strings(key string) []text {
	var out []text
	for _, item := range o.list(key) {
		if s, ok := o.d.scalar(item, fmt.Sprintf("each item of %q", key)); ok {
			out = append(out, text{s, o.d.pos(item)})
		}
	}
	return out
}

package dialog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// Condition is a parsed Lex condition expression (lex-v2.md §3.11), such as
// `fn.IS_SET({Size}) AND [count] >= 2`.
//
// The language: references {Slot}, {Intent.Slot}, [sessionAttribute],
// $.inputMode and $.inputTranscript; string ("…") and number constants;
// comparisons = != < <= > >= and CONTAINS; fn.IS_SET(ref) and
// fn.COUNT(ref); NOT (!), AND (&&), OR (||) and parentheses. Keywords are
// case-insensitive. NOT binds tightest, then AND, then OR.
type Condition struct {
	root node
	src  string
}

// String returns the expression as written.
func (c *Condition) String() string { return c.src }

// Scope is what a condition reads: the session's intent and attributes,
// and the turn's input.
type Scope struct {
	Intent     *parley.SessionIntent // nil when no intent is in progress
	Attributes map[string]string
	InputMode  string
	Transcript string
}

// ParseCondition parses expr. It returns an *parley.Error with
// ErrValidation that names the position of the first problem.
func ParseCondition(expr string) (*Condition, error) {
	if len(expr) > parley.MaxConditionLength {
		return nil, parley.Errorf(parley.ErrValidation, "condition: longer than %d characters", parley.MaxConditionLength)
	}
	p := &parser{src: expr}
	p.next()
	n, err := p.or()
	if err == nil && p.err != nil {
		err = p.err
	}
	if err == nil && p.tok.kind != tokEOF {
		err = p.errorf("unexpected %s", p.tok)
	}
	if err != nil {
		return nil, err
	}
	return &Condition{root: n, src: expr}, nil
}

// Eval reports whether the condition holds in sc. A comparison or count
// that reads something unset makes the whole expression false, as Lex
// does not take such a branch, unless AND or OR has already decided
// (evaluation short-circuits left to right, which is what makes
// `!fn.IS_SET([n]) OR [n] = "0"` work).
func (c *Condition) Eval(sc Scope) bool {
	v, err := c.root.eval(&sc)
	return err == nil && v
}

// errUnset is the evaluation failure of a reference to something unset.
type errUnset struct{ ref string }

func (e errUnset) Error() string { return e.ref + " is not set" }

// node is a boolean expression.
type node interface {
	eval(sc *Scope) (bool, error)
}

type (
	notNode struct{ x node }
	andNode struct{ l, r node }
	orNode  struct{ l, r node }
	isSet   struct{ ref ref }
	cmpNode struct {
		op   string // = != < <= > >= CONTAINS
		l, r operand
	}
)

func (n notNode) eval(sc *Scope) (bool, error) {
	v, err := n.x.eval(sc)
	return !v, err
}

func (n andNode) eval(sc *Scope) (bool, error) {
	l, err := n.l.eval(sc)
	if err != nil || !l {
		return false, err
	}
	return n.r.eval(sc)
}

func (n orNode) eval(sc *Scope) (bool, error) {
	l, err := n.l.eval(sc)
	if err != nil || l {
		return l, err
	}
	return n.r.eval(sc)
}

func (n isSet) eval(sc *Scope) (bool, error) {
	vals, ok := n.ref.values(sc)
	return ok && len(vals) > 0, nil
}

func (n cmpNode) eval(sc *Scope) (bool, error) {
	l, err := n.l.value(sc)
	if err != nil {
		return false, err
	}
	r, err := n.r.value(sc)
	if err != nil {
		return false, err
	}
	if n.op == "CONTAINS" {
		for _, v := range l.list {
			if strings.EqualFold(v, r.text) {
				return true, nil
			}
		}
		return false, nil
	}
	c := compare(l.text, r.text)
	switch n.op {
	case "=":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	default: // ">="
		return c >= 0, nil
	}
}

// compare orders a and b as numbers when both are numbers, else as
// case-folded strings (which orders ISO dates and times chronologically).
func compare(a, b string) int {
	x, errA := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, errB := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if errA == nil && errB == nil {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// val is an operand's value: its text (a list joined with commas) and its
// items.
type val struct {
	text string
	list []string
}

// operand is one side of a comparison.
type operand interface {
	value(sc *Scope) (val, error)
}

type (
	constant string
	countOf  struct{ ref ref }
)

func (c constant) value(*Scope) (val, error) {
	return val{text: string(c), list: []string{string(c)}}, nil
}

func (c countOf) value(sc *Scope) (val, error) {
	vals, _ := c.ref.values(sc)
	n := strconv.Itoa(len(vals))
	return val{text: n, list: []string{n}}, nil
}

// ref is a reference: kind '{' (slot), '[' (session attribute) or '$'
// (request field), and the name inside.
type ref struct {
	kind byte
	name string
}

func (r ref) String() string {
	switch r.kind {
	case '{':
		return "{" + r.name + "}"
	case '[':
		return "[" + r.name + "]"
	}
	return "$." + r.name
}

func (r ref) value(sc *Scope) (val, error) {
	vals, ok := r.values(sc)
	if !ok || len(vals) == 0 {
		return val{}, errUnset{r.String()}
	}
	return val{text: strings.Join(vals, ","), list: vals}, nil
}

// values returns the reference's values (one for a scalar) and whether it
// is set.
func (r ref) values(sc *Scope) ([]string, bool) {
	switch r.kind {
	case '[':
		v, ok := sc.Attributes[r.name]
		if !ok {
			return nil, false
		}
		return []string{v}, true
	case '$':
		v := ""
		switch r.name {
		case "inputMode":
			v = sc.InputMode
		case "inputTranscript":
			v = sc.Transcript
		}
		if v == "" {
			return nil, false
		}
		return []string{v}, true
	}
	if sc.Intent == nil {
		return nil, false
	}
	name := r.name
	if intent, slot, ok := strings.Cut(name, "."); ok {
		if intent != sc.Intent.Name {
			return nil, false
		}
		name = slot
	}
	sv := sc.Intent.Slots[name]
	if sv == nil {
		return nil, false
	}
	var out []string
	if sv.Value != nil {
		out = append(out, sv.Value.InterpretedValue)
	}
	for _, item := range sv.Values {
		if item != nil && item.Value != nil {
			out = append(out, item.Value.InterpretedValue)
		}
	}
	return out, len(out) > 0
}

// Tokens.
type tokKind int

const (
	tokEOF tokKind = iota
	tokRef
	tokString
	tokNumber
	tokOp     // = != < <= > >=
	tokAnd    // AND &&
	tokOr     // OR ||
	tokNot    // NOT !
	tokLParen // (
	tokRParen // )
	tokComma  // ,
	tokIdent  // fn.IS_SET, CONTAINS, true …
)

type token struct {
	kind tokKind
	text string // operator, identifier or constant text
	ref  ref
	pos  int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokRef:
		return t.ref.String()
	case tokString:
		return strconv.Quote(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

type parser struct {
	src string
	pos int
	tok token
	err error
}

func (p *parser) errorf(format string, args ...any) error {
	if p.err != nil {
		return p.err
	}
	return parley.Errorf(parley.ErrValidation, "condition: at %d: %s", p.tok.pos, fmt.Sprintf(format, args...))
}

// next reads the next token into p.tok; a lexical error becomes p.err and
// an EOF token.
func (p *parser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
	start := p.pos
	p.tok = token{pos: start}
	if p.pos >= len(p.src) {
		return
	}
	fail := func(format string, args ...any) {
		if p.err == nil {
			p.err = parley.Errorf(parley.ErrValidation, "condition: at %d: %s", start, fmt.Sprintf(format, args...))
		}
		p.pos = len(p.src)
		p.tok = token{pos: start}
	}
	c := p.src[p.pos]
	two := ""
	if p.pos+1 < len(p.src) {
		two = p.src[p.pos : p.pos+2]
	}
	switch {
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		end := strings.IndexByte(p.src[p.pos+1:], closer)
		if end < 0 {
			fail("%c without %c", c, closer)
			return
		}
		name := strings.TrimSpace(p.src[p.pos+1 : p.pos+1+end])
		if name == "" {
			fail("empty reference")
			return
		}
		p.pos += end + 2
		p.tok = token{kind: tokRef, ref: ref{kind: c, name: name}, pos: start}
	case c == '$':
		p.pos++
		if p.pos >= len(p.src) || p.src[p.pos] != '.' {
			fail("$ must be followed by .name")
			return
		}
		p.pos++
		name := p.word()
		if name == "" {
			fail("$. must be followed by a name")
			return
		}
		p.tok = token{kind: tokRef, ref: ref{kind: '$', name: name}, pos: start}
	case c == '"' || c == '\'':
		var b strings.Builder
		p.pos++
		for {
			if p.pos >= len(p.src) {
				fail("unterminated string")
				return
			}
			ch := p.src[p.pos]
			if ch == c {
				p.pos++
				break
			}
			if ch == '\\' && p.pos+1 < len(p.src) {
				p.pos++
				ch = p.src[p.pos]
			}
			b.WriteByte(ch)
			p.pos++
		}
		p.tok = token{kind: tokString, text: b.String(), pos: start}
	case c >= '0' && c <= '9' || c == '-' && len(two) == 2 && two[1] >= '0' && two[1] <= '9' || c == '.' && len(two) == 2 && two[1] >= '0' && two[1] <= '9':
		p.pos++
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		text := p.src[start:p.pos]
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			fail("bad number %q", text)
			return
		}
		p.tok = token{kind: tokNumber, text: text, pos: start}
	case two == "&&":
		p.pos += 2
		p.tok = token{kind: tokAnd, text: two, pos: start}
	case two == "||":
		p.pos += 2
		p.tok = token{kind: tokOr, text: two, pos: start}
	case two == "!=" || two == "<=" || two == ">=":
		p.pos += 2
		p.tok = token{kind: tokOp, text: two, pos: start}
	case c == '=' || c == '<' || c == '>':
		p.pos++
		if c == '=' && p.pos < len(p.src) && p.src[p.pos] == '=' {
			p.pos++ // == is read as =
		}
		p.tok = token{kind: tokOp, text: string(c), pos: start}
	case c == '!':
		p.pos++
		p.tok = token{kind: tokNot, text: "!", pos: start}
	case c == '(':
		p.pos++
		p.tok = token{kind: tokLParen, text: "(", pos: start}
	case c == ')':
		p.pos++
		p.tok = token{kind: tokRParen, text: ")", pos: start}
	case c == ',':
		p.pos++
		p.tok = token{kind: tokComma, text: ",", pos: start}
	default:
		w := p.word()
		if w == "" {
			r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
			fail("unexpected character %q", r)
			return
		}
		switch strings.ToUpper(w) {
		case "AND":
			p.tok = token{kind: tokAnd, text: w, pos: start}
		case "OR":
			p.tok = token{kind: tokOr, text: w, pos: start}
		case "NOT":
			p.tok = token{kind: tokNot, text: w, pos: start}
		default:
			p.tok = token{kind: tokIdent, text: w, pos: start}
		}
	}
}

// word reads letters, digits, '_', '-' and '.' (for fn.IS_SET and JSON
// path segments).
func (p *parser) word() string {
	start := p.pos
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
			break
		}
		p.pos += n
	}
	return p.src[start:p.pos]
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.tok.kind == tokOr {
		p.next()
		var r node
		if r, err = p.and(); err == nil {
			l = orNode{l, r}
		}
	}
	return l, err
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	for err == nil && p.tok.kind == tokAnd {
		p.next()
		var r node
		if r, err = p.unary(); err == nil {
			l = andNode{l, r}
		}
	}
	return l, err
}

func (p *parser) unary() (node, error) {
	if p.tok.kind == tokNot {
		p.next()
		x, err := p.unary()
		return notNode{x}, err
	}
	if p.tok.kind == tokLParen {
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.errorf("expected ) but found %s", p.tok)
		}
		p.next()
		return x, nil
	}
	if p.tok.kind == tokIdent && strings.EqualFold(p.tok.text, "fn.IS_SET") {
		r, err := p.call()
		return isSet{r}, err
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	op := ""
	switch {
	case p.tok.kind == tokOp:
		op = p.tok.text
	case p.tok.kind == tokIdent && strings.EqualFold(p.tok.text, "CONTAINS"):
		op = "CONTAINS"
	default:
		return nil, p.errorf("expected a comparison operator but found %s", p.tok)
	}
	p.next()
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return cmpNode{op: op, l: l, r: r}, nil
}

// call parses "(ref)" after a function name.
func (p *parser) call() (ref, error) {
	name := p.tok.text
	p.next()
	if p.tok.kind != tokLParen {
		return ref{}, p.errorf("expected ( after %s", name)
	}
	p.next()
	if p.tok.kind != tokRef {
		return ref{}, p.errorf("%s takes a {slot}, [attribute] or $.field, found %s", name, p.tok)
	}
	r := p.tok.ref
	p.next()
	if p.tok.kind != tokRParen {
		return ref{}, p.errorf("expected ) but found %s", p.tok)
	}
	p.next()
	return r, nil
}

func (p *parser) operand() (operand, error) {
	t := p.tok
	switch {
	case t.kind == tokRef:
		p.next()
		return t.ref, nil
	case t.kind == tokString, t.kind == tokNumber:
		p.next()
		return constant(t.text), nil
	case t.kind == tokIdent && strings.EqualFold(t.text, "fn.COUNT"):
		r, err := p.call()
		return countOf{r}, err
	case t.kind == tokIdent && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
		p.next()
		return constant(strings.ToLower(t.text)), nil
	}
	return nil, p.errorf("expected a value but found %s", t)
}

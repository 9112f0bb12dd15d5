package botdef

import (
	"fmt"
	"slices"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

// Lex's limits on messages in a bot definition.
const (
	maxMessageGroups = 5
	maxVariations    = 2
	maxCardField     = 250 // subtitle and image URL; the title uses parley.MaxCardTitleLength
)

var (
	messageKinds = []string{"plainText", "ssml", "customPayload", "imageResponseCard"}
	groupKeys    = keySet{keys: append([]string{"message", "variations"}, messageKinds...)}
	messageKeys  = keySet{keys: messageKinds}
	responseKeys = keySet{
		keys:    []string{"messageGroups", "allowInterrupt"},
		aliases: map[string]string{"messageGroupsList": "messageGroups"},
	}
	promptKeys = keySet{
		keys:    []string{"messageGroups", "maxRetries", "allowInterrupt", "messageSelectionStrategy"},
		aliases: map[string]string{"messageGroupsList": "messageGroups"},
	}
	cardKeys   = keySet{keys: []string{"title", "subtitle", "imageUrl", "buttons"}}
	buttonKeys = keySet{keys: []string{"text", "value"}}
)

// defaultMaxRetries is the retry count of a prompt that names none, the Lex
// console's default.
const defaultMaxRetries = 2

// hasAnyKey reports whether raw is a mapping with one of the keys (or their
// aliases); it decides between the shorthand and the full form.
func (d *doc) hasAnyKey(raw ast.Node, ks keySet) bool {
	entries, ok := mappingValues(d.resolveQuiet(raw))
	if !ok {
		return false
	}
	for _, e := range entries {
		k := d.resolveQuiet(e.Key)
		if k == nil {
			continue
		}
		name := k.GetToken().Value
		if canon, ok := ks.aliases[name]; ok {
			name = canon
		}
		for _, want := range ks.keys {
			if name == want {
				return true
			}
		}
	}
	return false
}

// response decodes a response: a string (one message), a list of message
// groups, a single group as a mapping, or the full form with messageGroups
// and allowInterrupt. It returns nil for null or after a problem.
func (d *doc) response(raw ast.Node, what string) *parley.Response {
	if d.resolveQuiet(raw) == nil {
		d.resolve(raw) // reports a dangling alias
		return nil
	}
	if !d.hasAnyKey(raw, responseKeys) {
		groups, ok := d.groups(raw, what)
		if !ok {
			return nil
		}
		return &parley.Response{MessageGroups: groups}
	}
	o := d.object(raw, what, responseKeys)
	if o == nil {
		return nil
	}
	r := &parley.Response{AllowInterrupt: o.boolean("allowInterrupt")}
	if !o.require("messageGroups") {
		return nil
	}
	groups, ok := d.groups(o.value("messageGroups"), what+" messageGroups")
	if !ok {
		return nil
	}
	r.MessageGroups = groups
	return r
}

// prompt decodes a prompt specification: the forms of a response, with
// maxRetries and messageSelectionStrategy in the full form.
func (d *doc) prompt(raw ast.Node, what string) (parley.PromptSpecification, bool) {
	p := parley.PromptSpecification{MaxRetries: defaultMaxRetries, MessageSelectionStrategy: "Random"}
	if !d.hasAnyKey(raw, promptKeys) {
		groups, ok := d.groups(raw, what)
		p.MessageGroups = groups
		return p, ok
	}
	o := d.object(raw, what, promptKeys)
	if o == nil {
		return p, false
	}
	ok := true
	if n, present := o.integer("maxRetries"); present {
		if n < 0 || n > 5 {
			d.errorf(o.at("maxRetries"), "maxRetries must be 0–5, got %d", n)
			ok = false
		}
		p.MaxRetries = n
	}
	if o.has("messageSelectionStrategy") {
		switch s := o.str("messageSelectionStrategy"); s {
		case "Random", "Ordered":
			p.MessageSelectionStrategy = s
		default:
			d.errorf(o.at("messageSelectionStrategy"), "messageSelectionStrategy must be Random or Ordered, got %q", s)
			ok = false
		}
	}
	p.AllowInterrupt = o.boolean("allowInterrupt")
	if !o.require("messageGroups") {
		return p, false
	}
	groups, gok := d.groups(o.value("messageGroups"), what+" messageGroups")
	p.MessageGroups = groups
	return p, ok && gok
}

// groups decodes one group or a list of groups.
func (d *doc) groups(raw ast.Node, what string) ([]parley.MessageGroup, bool) {
	items := []ast.Node{raw}
	if _, isList := d.resolveQuiet(raw).(*ast.SequenceNode); isList {
		items = d.list(raw, what)
		if len(items) == 0 {
			d.errorf(raw, "%s needs at least one message", what)
			return nil, false
		}
	}
	if len(items) > maxMessageGroups {
		d.errorf(items[maxMessageGroups], "%s has %d message groups; at most %d are allowed", what, len(items), maxMessageGroups)
	}
	ok := true
	out := make([]parley.MessageGroup, 0, len(items))
	for _, item := range items {
		g, gok := d.group(item, what)
		if !gok {
			ok = false
			continue
		}
		out = append(out, g)
	}
	return out, ok && len(items) <= maxMessageGroups
}

// group decodes a message group: a message (string or mapping), optionally
// with variations, or {message, variations}.
func (d *doc) group(raw ast.Node, what string) (parley.MessageGroup, bool) {
	var g parley.MessageGroup
	if !d.isMapping(raw) {
		m, ok := d.message(raw, what)
		g.Message = m
		return g, ok
	}
	o := d.object(raw, "message group", groupKeys)
	if o == nil {
		return g, false
	}
	ok := true
	if o.has("message") {
		for _, k := range messageKinds {
			if o.has(k) {
				d.errorf(o.keys[k], "a message group has either \"message\" or %q, not both", k)
				ok = false
			}
		}
		m, mok := d.message(o.value("message"), what)
		g.Message, ok = m, ok && mok
	} else {
		m, mok := d.messageOf(o)
		g.Message, ok = m, ok && mok
	}
	variations := o.list("variations")
	if len(variations) > maxVariations {
		d.errorf(variations[maxVariations], "a message group has at most %d variations, got %d", maxVariations, len(variations))
		ok = false
	}
	for _, v := range variations {
		m, mok := d.message(v, "variation")
		if !mok {
			ok = false
			continue
		}
		g.Variations = append(g.Variations, m)
	}
	return g, ok
}

// message decodes a message: a string is PlainText, a mapping has exactly
// one of plainText, ssml, customPayload and imageResponseCard.
func (d *doc) message(raw ast.Node, what string) (parley.Message, bool) {
	if !d.isMapping(raw) {
		s, ok := d.scalar(raw, fmt.Sprintf("a message of %s", what))
		if !ok {
			return parley.Message{}, false
		}
		return d.textMessage(parley.ContentPlainText, s, raw)
	}
	o := d.object(raw, "message", messageKeys)
	if o == nil {
		return parley.Message{}, false
	}
	return d.messageOf(o)
}

// messageOf decodes the message kinds present in o.
func (d *doc) messageOf(o *object) (parley.Message, bool) {
	var present []string
	for _, k := range messageKinds {
		if o.has(k) {
			present = append(present, k)
		}
	}
	if len(present) != 1 {
		if len(present) == 0 && !slices.ContainsFunc(messageKinds, o.misspelt) {
			d.errorf(o.node, "a message needs one of plainText, ssml, customPayload or imageResponseCard")
		} else if len(present) > 1 {
			d.errorf(o.keys[present[1]], "a message has exactly one of plainText, ssml, customPayload or imageResponseCard; got %s and %s", present[0], present[1])
		}
		return parley.Message{}, false
	}
	switch k := present[0]; k {
	case "imageResponseCard":
		return d.card(o.value(k))
	default:
		ct := map[string]string{"plainText": parley.ContentPlainText, "ssml": parley.ContentSSML, "customPayload": parley.ContentCustomPayload}[k]
		s, ok := d.scalar(o.value(k), fmt.Sprintf("%q", k))
		if !ok {
			return parley.Message{}, false
		}
		return d.textMessage(ct, s, o.value(k))
	}
}

func (d *doc) textMessage(contentType, s string, at ast.Node) (parley.Message, bool) {
	m := parley.Message{ContentType: contentType, Content: s}
	if n := parley.UTF16Len(s); n < 1 || n > parley.MaxMessageContent {
		d.errorf(at, "a message must be 1–%d characters long, got %d", parley.MaxMessageContent, n)
		return m, false
	}
	if contentType != parley.ContentCustomPayload {
		d.noteText(s, at)
	}
	return m, true
}

// noteText remembers a text that may reference slots, while an intent is
// being decoded.
func (d *doc) noteText(s string, at ast.Node) {
	if d.texts != nil {
		*d.texts = append(*d.texts, text{s, d.pos(at)})
	}
}

func (d *doc) card(raw ast.Node) (parley.Message, bool) {
	o := d.object(raw, "imageResponseCard", cardKeys)
	if o == nil {
		if d.resolveQuiet(raw) == nil {
			d.errorf(raw, "imageResponseCard needs a title")
		}
		return parley.Message{}, false
	}
	ok := o.require("title")
	c := &parley.ImageResponseCard{Title: o.str("title"), Subtitle: o.str("subtitle"), ImageURL: o.str("imageUrl")}
	if o.has("title") {
		if n := parley.UTF16Len(c.Title); n < 1 || n > parley.MaxCardTitleLength {
			d.errorf(o.at("title"), "a card title must be 1–%d characters long, got %d", parley.MaxCardTitleLength, n)
			ok = false
		}
		d.noteText(c.Title, o.at("title"))
	}
	for _, f := range []struct{ key, val string }{{"subtitle", c.Subtitle}, {"imageUrl", c.ImageURL}} {
		if n := parley.UTF16Len(f.val); n > maxCardField {
			d.errorf(o.at(f.key), "a card %s must be at most %d characters long, got %d", f.key, maxCardField, n)
			ok = false
		}
	}
	if c.Subtitle != "" {
		d.noteText(c.Subtitle, o.at("subtitle"))
	}
	buttons := o.list("buttons")
	if len(buttons) > parley.MaxCardButtons {
		d.errorf(buttons[parley.MaxCardButtons], "a card has at most %d buttons, got %d", parley.MaxCardButtons, len(buttons))
		ok = false
	}
	for _, b := range buttons {
		bo := d.object(b, "button", buttonKeys)
		if bo == nil {
			d.nullItem(b, "a button")
			ok = false
			continue
		}
		if !bo.require("text", "value") {
			ok = false
		}
		btn := parley.Button{Text: bo.str("text"), Value: bo.str("value")}
		for _, f := range []struct{ key, val string }{{"text", btn.Text}, {"value", btn.Value}} {
			if !bo.has(f.key) {
				continue
			}
			if n := parley.UTF16Len(f.val); n < 1 || n > parley.MaxButtonFieldLength {
				d.errorf(bo.at(f.key), "a button %s must be 1–%d characters long, got %d", f.key, parley.MaxButtonFieldLength, n)
				ok = false
			}
			d.noteText(f.val, bo.at(f.key))
		}
		c.Buttons = append(c.Buttons, btn)
	}
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: c}, ok
}

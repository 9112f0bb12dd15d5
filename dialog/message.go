package dialog

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/parleybot/parley"
)

// say appends one message per group of r. Pending code hook messages are
// said instead, once, whatever r is.
func (t *turn) say(r *parley.Response) {
	if t.override != nil {
		t.msgs = append(t.msgs, t.override...)
		t.override = nil
		return
	}
	if r == nil {
		return
	}
	t.msgs = append(t.msgs, t.rendered(r)...)
}

// rendered returns one message per group of r, as say would say them,
// without saying them; nil for a nil response.
func (t *turn) rendered(r *parley.Response) []parley.Message {
	if r == nil {
		return nil
	}
	out := make([]parley.Message, 0, len(r.MessageGroups))
	for i, g := range r.MessageGroups {
		out = append(out, t.render(group(g).pick(t.randomIndex(i, len(g.Variations)+1))))
	}
	return out
}

// prompt says a prompt at the given attempt (0 = initial). Ordered prompts
// walk through a group's variations across retries; Random ones pick one
// deterministically from the session id and turn count.
func (t *turn) prompt(p parley.PromptSpecification, attempt int) {
	if t.override != nil {
		t.say(nil)
		return
	}
	for i, g := range p.MessageGroups {
		n := len(g.Variations) + 1
		idx := t.randomIndex(i, n)
		if p.MessageSelectionStrategy == "Ordered" {
			idx = attempt % n
		}
		t.msgs = append(t.msgs, t.render(group(g).pick(idx)))
	}
}

// group adds picking to a message group.
type group parley.MessageGroup

func (g group) pick(i int) parley.Message {
	if i <= 0 || i > len(g.Variations) {
		return g.Message
	}
	return g.Variations[i-1]
}

// randomIndex chooses among n variations of group gi. The choice is a hash
// of the session id, the turn count and the group, so a replayed
// conversation says the same thing.
func (t *turn) randomIndex(gi, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(t.s.Key.SessionID))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(t.s.Memory.Turns)))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(gi)))
	return int(h.Sum64() % uint64(n))
}

// render substitutes {Slot} with the current intent's interpreted slot
// values and [attribute] with session attributes, in every text of m.
// Placeholders without a value stay as written.
func (t *turn) render(m parley.Message) parley.Message {
	out := m
	out.Content = t.substitute(m.Content)
	if c := m.ImageResponseCard; c != nil {
		card := *c
		card.Title = t.substitute(c.Title)
		card.Subtitle = t.substitute(c.Subtitle)
		card.ImageURL = t.substitute(c.ImageURL)
		card.Buttons = make([]parley.Button, len(c.Buttons))
		for i, b := range c.Buttons {
			card.Buttons[i] = parley.Button{Text: t.substitute(b.Text), Value: t.substitute(b.Value)}
		}
		if len(c.Buttons) == 0 {
			card.Buttons = nil
		}
		out.ImageResponseCard = &card
	}
	return out
}

func (t *turn) substitute(s string) string {
	if !strings.ContainsAny(s, "{[") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '{' || c == '[' {
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			if j := strings.IndexByte(s[i+1:], closer); j >= 0 {
				name := s[i+1 : i+1+j]
				if v, ok := t.lookup(c, name); ok {
					b.WriteString(v)
					i += j + 2
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func (t *turn) lookup(kind byte, name string) (string, bool) {
	if kind == '[' {
		v, ok := t.s.State.SessionAttributes[name]
		return v, ok
	}
	si := t.s.State.Intent
	if si == nil {
		return "", false
	}
	v := si.Slots[name]
	if v == nil || interpreted(v) == "" {
		return "", false
	}
	return interpreted(v), true
}

package botdef

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/parleybot/parley"
)

// where describes an earlier position relative to a later one: just the
// line in the same file, file:line otherwise.
func where(first, here pos) string {
	if first.file == here.file {
		return fmt.Sprintf("line %d", first.line)
	}
	return fmt.Sprintf("%s:%d", first.file, first.line)
}

// finish runs the checks that need a whole locale, applies the defaults
// that depend on them and fills def.bot.Locales.
func (c *collector) finish(def *botDef) {
	for _, ld := range def.locales {
		c.checkLocale(ld)
		c.checkStepGraphs(ld)
		def.bot.Locales = append(def.bot.Locales, ld.loc)
	}
	c.checkBindings(def)
	c.checkChannels(def)
}

func (c *collector) checkLocale(ld *localeDef) {
	loc := ld.loc
	types := map[string]*typeDef{}
	var typeNames []string
	for _, t := range ld.types {
		if t.t.Name == "" {
			continue
		}
		if first, dup := types[t.t.Name]; dup {
			c.add(t.at, "duplicate slot type name %q (first at %s)", t.t.Name, where(first.at, t.at))
			continue
		}
		types[t.t.Name] = t
		typeNames = append(typeNames, t.t.Name)
		loc.SlotTypes = append(loc.SlotTypes, t.t)
	}

	intents := ld.intents
	for _, b := range ld.builtIns {
		if !builtInIntent(b.s) {
			c.add(b.at, "unknown built-in intent %q%s", b.s, suggest(b.s, builtInIntents))
			continue
		}
		in := &parley.Intent{Name: strings.TrimPrefix(b.s, "AMAZON."), ParentIntentSignature: b.s}
		intents = append(intents, &intentDef{in: in, at: b.at})
	}

	names := map[string]pos{}
	signatures := map[string]*intentDef{}
	utterances := map[string]struct {
		intent string
		at     pos
	}{}
	for _, id := range intents {
		in := id.in
		// A duplicate is reported and left out, but its contents are still
		// checked so that one run shows everything.
		keep := true
		if in.Name != "" {
			if first, dup := names[in.Name]; dup {
				c.add(id.at, "duplicate intent name %q (first at %s)", in.Name, where(first, id.at))
				keep = false
			} else {
				names[in.Name] = id.at
			}
		}
		if in.Name == parley.FallbackIntentName && in.ParentIntentSignature == "" {
			c.add(id.at, "intent %q needs parentIntentSignature: %s (or another name)", in.Name, parley.FallbackIntentSignature)
		}
		if sig := in.ParentIntentSignature; sig != "" && builtInIntent(sig) {
			if first, dup := signatures[sig]; dup && keep {
				c.add(id.at, "%s is already defined by intent %q (at %s)", sig, first.in.Name, where(first.at, id.at))
				keep = false
			} else if !dup {
				signatures[sig] = id
			}
		}
		if in.IsFallback() {
			if len(in.SampleUtterances) > 0 {
				c.add(id.utterances[0].at, "FallbackIntent cannot have sample utterances: it is chosen when nothing else matches")
			}
			if len(id.slots) > 0 {
				c.add(id.slots[0].at, "FallbackIntent cannot have slots")
			}
		}
		c.checkSlots(id, loc.ID, types, typeNames)
		slotNames := make([]string, len(in.Slots))
		for i, s := range in.Slots {
			slotNames[i] = s.Name
		}
		for _, u := range id.utterances {
			c.checkRefs(u, in.Name, slotNames, true)
			key := strings.ToLower(strings.Join(strings.Fields(u.s), " "))
			if first, dup := utterances[key]; dup {
				if first.intent == in.Name {
					c.add(u.at, "duplicate sample utterance %q (also at %s)", u.s, where(first.at, u.at))
				} else {
					c.add(u.at, "sample utterance %q is also in intent %q (at %s); an utterance must belong to one intent", u.s, first.intent, where(first.at, u.at))
				}
				continue
			}
			utterances[key] = struct {
				intent string
				at     pos
			}{in.Name, u.at}
		}
		for _, u := range id.slotUtters {
			c.checkRefs(u, in.Name, slotNames, true)
		}
		for _, t := range id.texts {
			c.checkRefs(t, in.Name, slotNames, false)
		}
		if keep {
			loc.Intents = append(loc.Intents, in)
		}
	}
	if _, taken := names[parley.FallbackIntentName]; loc.FallbackIntent() == nil && !taken {
		loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	}
}

// checkSlots checks an intent's slots (unique names, known types), merges
// slotPriorities into the slots' priorities and sorts the slots by them.
func (c *collector) checkSlots(id *intentDef, localeID string, types map[string]*typeDef, typeNames []string) {
	byName := map[string]*slotDef{}
	var names []string
	for _, sd := range id.slots {
		names = append(names, sd.s.Name)
		s := sd.s
		if s.Name != "" {
			if first, dup := byName[s.Name]; dup {
				c.add(sd.at, "duplicate slot name %q in intent %q (first at %s)", s.Name, id.in.Name, where(first.at, sd.at))
			} else {
				byName[s.Name] = sd
			}
		}
		if s.SlotTypeName != "" && !slices.Contains(builtInSlotTypes, s.SlotTypeName) && types[s.SlotTypeName] == nil {
			c.add(sd.typeAt, "unknown slot type %q%s", s.SlotTypeName, suggest(s.SlotTypeName, append(slices.Clone(typeNames), builtInSlotTypes...)))
		} else if why := builtInSlotTypeMissing(s.SlotTypeName, localeID); why != "" && types[s.SlotTypeName] == nil {
			c.add(sd.typeAt, "%s", why)
		}
	}
	for _, p := range id.priorities {
		sd := byName[p.slot]
		if sd == nil {
			c.add(p.slotAt, "slotPriorities names %q, which is not a slot of intent %q%s", p.slot, id.in.Name, suggestSlot(p.slot, names))
			continue
		}
		if sd.hasPriority && sd.priority != p.priority {
			c.add(p.at, "slot %q has priority %d here and %d at %s", p.slot, p.priority, sd.priority, where(sd.priorityAt, p.at))
			continue
		}
		sd.priority, sd.hasPriority, sd.priorityAt = p.priority, true, p.at
	}
	seen := map[int]*slotDef{}
	for _, sd := range id.slots {
		if !sd.hasPriority {
			continue
		}
		if first, dup := seen[sd.priority]; dup && first.s.Name != sd.s.Name {
			c.add(sd.priorityAt, "slots %q and %q have the same priority %d", first.s.Name, sd.s.Name, sd.priority)
			continue
		}
		seen[sd.priority] = sd
	}
	// Slots without a priority keep their file order after the others.
	sorted := slices.Clone(id.slots)
	slices.SortStableFunc(sorted, func(a, b *slotDef) int {
		switch {
		case a.hasPriority && b.hasPriority:
			return cmp.Compare(a.priority, b.priority)
		case a.hasPriority:
			return -1
		case b.hasPriority:
			return 1
		}
		return 0
	})
	for i, sd := range sorted {
		id.in.Slots[i] = sd.s
	}
}

// checkRefs reports {Name} references to slots the intent lacks. In sample
// utterances braces are only for slots, so malformed ones are reported too;
// in messages only well-formed names are taken for references.
func (c *collector) checkRefs(t text, intent string, slots []string, utterance bool) {
	s := t.s
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			return
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			if utterance {
				c.add(t.at, "unclosed { in %q", t.s)
			}
			return
		}
		name := s[open+1 : open+end]
		s = s[open+end+1:]
		if !validName(name) {
			if utterance {
				c.add(t.at, "{%s} in %q is not a slot reference: slot names are letters, digits, _ and -", name, t.s)
			}
			continue
		}
		if !slices.Contains(slots, name) {
			c.add(t.at, "{%s} refers to a slot that intent %q does not have%s", name, intent, suggestSlot(name, slots))
		}
	}
}

// suggestSlot is suggest over an intent's slot names, which may be none.
func suggestSlot(name string, slots []string) string {
	if len(slots) == 0 {
		return " (it has no slots)"
	}
	return suggest(name, slots)
}

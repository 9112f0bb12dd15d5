package lexapi

import (
	"fmt"

	"github.com/parleybot/parley"
)

// Limits the root's Validate methods leave to the wire (lex-v2.md §1, §2).
const (
	maxNameLength        = 100 // intent and slot names
	maxCardFieldLength   = 250 // imageResponseCard subtitle and imageUrl
	maxHintIntents       = 100
	maxHintSlots         = 100
	maxHintValues        = 100
	maxHintPhraseLength  = 140
	minHintPhraseLength  = 1
	minHintValuesPerSlot = 1
)

// validName checks Lex's name pattern ^([0-9a-zA-Z][_-]?){1,100}$: letters
// and digits, each optionally followed by one '_' or '-'.
func validName(s string) bool {
	if s == "" || len(s) > maxNameLength {
		return false
	}
	prevSep := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			prevSep = false
		case (c == '_' || c == '-') && !prevSep:
			prevSep = true
		default:
			return false
		}
	}
	return true
}

func badName(field, name string) error {
	return invalid("%s: must match ^([0-9a-zA-Z][_-]?){1,100}$, got %q", field, name)
}

// checkState checks what parley.SessionState.Validate does not: name
// patterns and runtime-hint limits. field names the state in messages.
func checkState(field string, s *parley.SessionState) error {
	if s == nil {
		return nil
	}
	if a := s.DialogAction; a != nil && a.SlotToElicit != "" && !validName(a.SlotToElicit) {
		return badName(field+".dialogAction.slotToElicit", a.SlotToElicit)
	}
	if in := s.Intent; in != nil {
		if !validName(in.Name) {
			return badName(field+".intent.name", in.Name)
		}
		for name := range in.Slots {
			if !validName(name) {
				return badName(field+".intent.slots", name)
			}
		}
	}
	if h := s.RuntimeHints; h != nil {
		return checkHints(field+".runtimeHints.slotHints", h.SlotHints)
	}
	return nil
}

func checkHints(field string, hints map[string]map[string]parley.RuntimeHintDetails) error {
	if len(hints) > maxHintIntents {
		return invalid("%s: at most %d intents, got %d", field, maxHintIntents, len(hints))
	}
	for intent, slots := range hints {
		if !validName(intent) {
			return badName(field, intent)
		}
		if len(slots) > maxHintSlots {
			return invalid("%s.%s: at most %d slots, got %d", field, intent, maxHintSlots, len(slots))
		}
		for slot, d := range slots {
			if !validName(slot) {
				return badName(field+"."+intent, slot)
			}
			if err := checkHintDetails(field+"."+intent+"."+slot, d); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkHintDetails(field string, d parley.RuntimeHintDetails) error {
	if n := len(d.RuntimeHintValues); n > maxHintValues || (n < minHintValuesPerSlot && len(d.SubSlotHints) == 0) {
		return invalid("%s.runtimeHintValues: must hold %d–%d phrases, got %d", field, minHintValuesPerSlot, maxHintValues, n)
	}
	for i, v := range d.RuntimeHintValues {
		if n := parley.UTF16Len(v.Phrase); n < minHintPhraseLength || n > maxHintPhraseLength {
			return invalid("%s.runtimeHintValues[%d].phrase: length must be %d–%d, got %d", field, i, minHintPhraseLength, maxHintPhraseLength, n)
		}
	}
	for name, sub := range d.SubSlotHints {
		if !validName(name) {
			return badName(field+".subSlotHints", name)
		}
		if err := checkHintDetails(field+".subSlotHints."+name, sub); err != nil {
			return err
		}
	}
	return nil
}

// checkMessages checks the card fields parley.ValidateMessages leaves out.
func checkMessages(field string, msgs []parley.Message) error {
	for i, m := range msgs {
		c := m.ImageResponseCard
		if c == nil {
			continue
		}
		f := fmt.Sprintf("%s[%d].imageResponseCard", field, i)
		if n := parley.UTF16Len(c.Subtitle); n > maxCardFieldLength {
			return invalid("%s.subtitle: length must be 1–%d, got %d", f, maxCardFieldLength, n)
		}
		if n := parley.UTF16Len(c.ImageURL); n > maxCardFieldLength {
			return invalid("%s.imageUrl: length must be 1–%d, got %d", f, maxCardFieldLength, n)
		}
	}
	return nil
}

package eval

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/parleybot/parley"
)

// Name maps a label (an intent or slot name from a dataset, such as
// "alarm_set" or "weather/query") to a name that satisfies Lex's pattern
// ^([0-9a-zA-Z][_-]?){1,100}$. A label that already does is kept; any other
// becomes its ASCII letters and digits joined by single underscores, cut to
// 80 characters, followed by "_" and eight hex digits of its FNV-1a hash, so
// the mapping needs no context and two labels practically never collide.
// Reports map names back to the labels of the test data.
func Name(label string) string {
	if validName(label) {
		return label
	}
	var b strings.Builder
	sep := false
	for _, r := range label {
		alnum := r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		switch {
		case alnum:
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		default:
			sep = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	h := fnv.New32a()
	h.Write([]byte(label))
	if b.Len() == 0 {
		return fmt.Sprintf("L%08x", h.Sum32())
	}
	return fmt.Sprintf("%s_%08x", b.String(), h.Sum32())
}

// validName reports whether s matches ^([0-9a-zA-Z][_-]?){1,100}$.
func validName(s string) bool {
	groups := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
		i++
		if i < len(s) && (s[i] == '_' || s[i] == '-') {
			i++
		}
		groups++
	}
	return groups >= 1 && groups <= 100
}

// slotTypeName is the custom slot type BotFromExamples makes for a slot.
func slotTypeName(slot string) string { return slot + "Values" }

// BotFromExamples builds a bot with one locale: one intent per label (named
// by Name; FallbackIntent examples are not training utterances, and the
// locale gets an AMAZON.FallbackIntent), sample utterances with slot spans
// replaced by {Slot} placeholders and, for examples with slots, the text as
// said as well (duplicates dropped, braces in the text turned into spaces),
// and one ORIGINAL_VALUE custom slot type per slot name
// holding every value seen in training, in order of first appearance.
func BotFromExamples(id, localeID string, train []Example) *parley.Bot {
	loc := &parley.Locale{ID: localeID, NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
	intents := map[string]*parley.Intent{}
	seenUtt := map[string]map[string]bool{}
	types := map[string]*parley.SlotType{}
	seenVal := map[string]map[string]bool{}
	for _, ex := range train {
		if ex.Intent == parley.FallbackIntentName {
			continue
		}
		name := Name(ex.Intent)
		in := intents[name]
		if in == nil {
			in = &parley.Intent{Name: name, Description: ex.Intent}
			intents[name] = in
			seenUtt[name] = map[string]bool{}
			loc.Intents = append(loc.Intents, in)
		}
		for _, s := range ex.Slots {
			slot := Name(s.Slot)
			if in.Slot(slot) == nil {
				in.Slots = append(in.Slots, &parley.Slot{Name: slot, Description: s.Slot, SlotTypeName: slotTypeName(slot)})
			}
			st := types[slot]
			if st == nil {
				st = &parley.SlotType{Name: slotTypeName(slot), ResolutionStrategy: parley.ResolutionOriginalValue}
				types[slot] = st
				seenVal[slot] = map[string]bool{}
				loc.SlotTypes = append(loc.SlotTypes, st)
			}
			if v := strings.TrimSpace(s.Value); v != "" && !seenVal[slot][v] {
				seenVal[slot][v] = true
				st.Values = append(st.Values, parley.SlotTypeValue{Value: v})
			}
		}
		// The sentence as said, besides its template: the words of its slot
		// values also tell intents apart ("a movie called …" is a search,
		// "movie times" a screening), and a template keeps only their type.
		utts := []string{utteranceTemplate(ex)}
		if len(ex.Slots) > 0 {
			utts = append(utts, literal(ex.Text))
		}
		for _, u := range utts {
			if u != "" && !seenUtt[name][u] {
				seenUtt[name][u] = true
				in.SampleUtterances = append(in.SampleUtterances, u)
			}
		}
	}
	loc.Intents = append(loc.Intents, &parley.Intent{
		Name:                  parley.FallbackIntentName,
		ParentIntentSignature: parley.FallbackIntentSignature,
	})
	return &parley.Bot{ID: id, Name: id, Locales: []*parley.Locale{loc}}
}

// utteranceTemplate is an example's text with its slot spans replaced by {Slot}.
func utteranceTemplate(ex Example) string {
	text := []rune(strings.NewReplacer("{", " ", "}", " ").Replace(ex.Text))
	spans := slices.Clone(ex.Slots)
	slices.SortFunc(spans, func(a, b SlotSpan) int { return a.Start - b.Start })
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s.Start < at || s.End > len(text) || s.Start >= s.End {
			continue
		}
		b.WriteString(string(text[at:s.Start]))
		b.WriteString("{" + Name(s.Slot) + "}")
		at = s.End
	}
	b.WriteString(string(text[at:]))
	return strings.Join(strings.Fields(b.String()), " ")
}

// literal is an example's text as a sample utterance: braces, which would
// read as slot references, become spaces.
func literal(text string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("{", " ", "}", " ").Replace(text)), " ")
}

package dialog

import (
	"maps"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// Merge applies a request's session state st (nil for none) to s, the way
// Lex applies the sessionState of RecognizeText or PutSession: a non-nil
// sessionAttributes map replaces the stored one ({} clears it), a non-nil
// activeContexts list replaces the stored one ([] clears it), and an intent
// or dialog action puts the conversation into that state (an intent without
// an action is Delegate: the flow goes on from its slots). It then drops the
// contexts whose time ran out by now. Merge modifies s; call ValidateState
// first.
func Merge(s *parley.Session, loc *parley.Locale, st *parley.SessionState, now time.Time) {
	if st != nil {
		if st.SessionAttributes != nil {
			s.State.SessionAttributes = maps.Clone(st.SessionAttributes)
		}
		if st.ActiveContexts != nil {
			s.State.ActiveContexts = nil
			s.Memory.ContextExpiry = nil
			for _, c := range st.ActiveContexts {
				s.State.ActiveContexts = append(s.State.ActiveContexts, cloneContext(c))
				setExpiry(s, c.Name, now.Add(time.Duration(c.TimeToLive.TimeToLiveInSeconds)*time.Second))
			}
		}
		before := pendingOf(&s.State)
		if st.Intent != nil {
			s.State.Intent = normalizeIntent(loc, st.Intent)
			s.State.DialogAction = &parley.DialogAction{Type: parley.ActionDelegate}
		}
		if st.DialogAction != nil {
			a := *st.DialogAction
			s.State.DialogAction = &a
		}
		// Clients often send back the state they were given; only a state
		// that asks something else starts the retry count over.
		if pendingOf(&s.State) != before {
			s.Memory.Attempt = 0
		}
		if st.RuntimeHints != nil {
			s.State.RuntimeHints = st.RuntimeHints
		}
	}
	dropExpired(s, now)
}

// pendingOf names what a state waits for: intent, action and slot.
func pendingOf(st *parley.SessionState) string {
	var b strings.Builder
	if st.Intent != nil {
		b.WriteString(st.Intent.Name)
	}
	if a := st.DialogAction; a != nil {
		b.WriteString("\x00" + string(a.Type) + "\x00" + a.SlotToElicit)
	}
	return b.String()
}

// ValidateState checks the names in a request's session state against the
// locale: the intent, its slots, the slot to elicit and the runtime hints.
// field names the state in messages ("sessionState"). The error is an
// *parley.Error with ErrValidation naming the field.
func ValidateState(loc *parley.Locale, field string, st *parley.SessionState) error {
	if st == nil {
		return nil
	}
	var def *parley.Intent
	if in := st.Intent; in != nil {
		def = loc.Intent(in.Name)
		if def == nil {
			return parley.Errorf(parley.ErrValidation, "%s.intent.name: intent %q does not exist in locale %s", field, in.Name, loc.ID)
		}
		for name := range in.Slots {
			if def.Slot(name) == nil {
				return parley.Errorf(parley.ErrValidation, "%s.intent.slots.%s: intent %s has no slot %q", field, name, def.Name, name)
			}
		}
	}
	if a := st.DialogAction; a != nil && a.Type == parley.ActionElicitSlot && def != nil && def.Slot(a.SlotToElicit) == nil {
		return parley.Errorf(parley.ErrValidation, "%s.dialogAction.slotToElicit: intent %s has no slot %q", field, def.Name, a.SlotToElicit)
	}
	if h := st.RuntimeHints; h != nil {
		for iname, slots := range h.SlotHints {
			hd := loc.Intent(iname)
			if hd == nil {
				return parley.Errorf(parley.ErrValidation, "%s.runtimeHints.slotHints.%s: intent %q does not exist in locale %s", field, iname, iname, loc.ID)
			}
			for sname := range slots {
				if hd.Slot(sname) == nil {
					return parley.Errorf(parley.ErrValidation, "%s.runtimeHints.slotHints.%s.%s: intent %s has no slot %q", field, iname, sname, iname, sname)
				}
			}
		}
	}
	return nil
}

// normalizeIntent copies a client's or hook's intent and completes it: every
// slot of the definition present (nil when unfilled), state InProgress and
// confirmation None when not given.
func normalizeIntent(loc *parley.Locale, in *parley.SessionIntent) *parley.SessionIntent {
	out := &parley.SessionIntent{
		Name:              in.Name,
		Slots:             make(map[string]*parley.SlotValue, len(in.Slots)),
		State:             in.State,
		ConfirmationState: in.ConfirmationState,
	}
	if out.State == "" {
		out.State = parley.IntentInProgress
	}
	if out.ConfirmationState == "" {
		out.ConfirmationState = parley.ConfirmationNone
	}
	maps.Copy(out.Slots, in.Slots)
	if def := loc.Intent(in.Name); def != nil {
		for _, sl := range def.Slots {
			if _, ok := out.Slots[sl.Name]; !ok {
				out.Slots[sl.Name] = nil
			}
		}
	}
	return out
}

func setExpiry(s *parley.Session, name string, at time.Time) {
	if s.Memory.ContextExpiry == nil {
		s.Memory.ContextExpiry = make(map[string]time.Time)
	}
	s.Memory.ContextExpiry[name] = at
}

// dropExpired removes contexts whose seconds ran out, giving contexts
// without a recorded end one from their own timeToLive.
func dropExpired(s *parley.Session, now time.Time) {
	kept := s.State.ActiveContexts[:0]
	for _, c := range s.State.ActiveContexts {
		at, ok := s.Memory.ContextExpiry[c.Name]
		if !ok {
			at = now.Add(time.Duration(c.TimeToLive.TimeToLiveInSeconds) * time.Second)
			setExpiry(s, c.Name, at)
		}
		if !at.After(now) {
			delete(s.Memory.ContextExpiry, c.Name)
			continue
		}
		kept = append(kept, c)
	}
	s.State.ActiveContexts = kept
	if len(kept) == 0 {
		s.State.ActiveContexts = nil
		s.Memory.ContextExpiry = nil
	}
}

// ageContexts counts this turn against every active context and drops the
// ones that ran out of turns or seconds. The Interpreter already saw them
// for this turn.
func (t *turn) ageContexts() {
	cs := t.s.State.ActiveContexts
	for i := range cs {
		cs[i].TimeToLive.TurnsToLive--
		if cs[i].TimeToLive.TurnsToLive <= 0 {
			// Expired by turns: mark it expired by time too so dropExpired removes it.
			setExpiry(t.s, cs[i].Name, t.now)
		}
	}
	dropExpired(t.s, t.now)
}

// refreshContexts sets each context's timeToLiveInSeconds to what remains,
// rounded up, and drops the ones that ran out.
func (t *turn) refreshContexts() {
	dropExpired(t.s, t.now)
	for i := range t.s.State.ActiveContexts {
		c := &t.s.State.ActiveContexts[i]
		left := t.s.Memory.ContextExpiry[c.Name].Sub(t.now)
		c.TimeToLive.TimeToLiveInSeconds = int((left + time.Second - 1) / time.Second)
	}
}

// activateContexts activates def's output contexts with the intent's slot
// values as their attributes.
func (t *turn) activateContexts(def *parley.Intent, si *parley.SessionIntent) {
	for _, oc := range def.OutputContexts {
		attrs := map[string]string{}
		for _, sl := range def.Slots {
			if len(attrs) == parley.MaxContextAttributes {
				break
			}
			if v := interpreted(si.Slots[sl.Name]); v != "" {
				attrs[sl.Name] = v
			}
		}
		c := parley.ActiveContext{
			Name:              oc.Name,
			TimeToLive:        parley.ContextTimeToLive{TimeToLiveInSeconds: oc.TimeToLiveInSeconds, TurnsToLive: oc.TurnsToLive},
			ContextAttributes: attrs,
		}
		cs := t.s.State.ActiveContexts[:0]
		for _, old := range t.s.State.ActiveContexts {
			if old.Name != oc.Name {
				cs = append(cs, old)
			}
		}
		cs = append(cs, c)
		if len(cs) > parley.MaxActiveContexts {
			dropped := cs[0].Name
			delete(t.s.Memory.ContextExpiry, dropped)
			cs = cs[1:]
		}
		t.s.State.ActiveContexts = cs
		setExpiry(t.s, oc.Name, t.now.Add(time.Duration(oc.TimeToLiveInSeconds)*time.Second))
	}
}

// applyDefaults fills unfilled slots from their default values, in order:
// "#context.attribute" from an active context, "[attribute]" from the
// session attributes, anything else as a constant. The first one with a
// value wins.
func (t *turn) applyDefaults(def *parley.Intent, si *parley.SessionIntent) {
	for _, sl := range def.Slots {
		if si.Filled(sl.Name) {
			continue
		}
		for _, dv := range sl.DefaultValues {
			if v := t.defaultValue(dv); v != "" {
				si.Slots[sl.Name] = parley.ScalarSlot(v, v, v)
				break
			}
		}
	}
}

func (t *turn) defaultValue(spec string) string {
	switch {
	case strings.HasPrefix(spec, "#"):
		ctx, attr, ok := strings.Cut(spec[1:], ".")
		if !ok {
			return ""
		}
		for _, c := range t.s.State.ActiveContexts {
			if c.Name == ctx {
				return c.ContextAttributes[attr]
			}
		}
		return ""
	case strings.HasPrefix(spec, "[") && strings.HasSuffix(spec, "]"):
		return t.s.State.SessionAttributes[spec[1:len(spec)-1]]
	}
	return spec
}

// interpretations reports the understanding's ranked intents in the runtime
// API's shape; when the turn acted on the session's intent, that intent comes
// first exactly as the session holds it.
func (t *turn) interpretations() []parley.Interpretation {
	var out []parley.Interpretation
	si := t.s.State.Intent
	var mirrored *parley.Interpretation
	for _, m := range t.u.Intents {
		it := parley.Interpretation{InterpretationSource: "Lex"}
		if !m.Fallback {
			it.NLUConfidence = &parley.Confidence{Score: m.Score}
		}
		if t.acted && si != nil && m.Name == si.Name {
			it.Intent = cloneIntent(si)
			mirrored = &it
			continue
		}
		it.Intent = t.hypothesis(m)
		out = append(out, it)
	}
	if t.acted && si != nil {
		if mirrored == nil {
			mirrored = &parley.Interpretation{Intent: cloneIntent(si), InterpretationSource: "Lex"}
		}
		if def := t.loc.Intent(si.Name); (mirrored.NLUConfidence == nil || t.continued) && def != nil && !def.IsFallback() {
			mirrored.NLUConfidence = &parley.Confidence{Score: 1}
		}
		out = append([]parley.Interpretation{*mirrored}, out...)
	}
	if len(out) > parley.MaxInterpretations {
		out = out[:parley.MaxInterpretations]
	}
	return out
}

// hypothesis returns one ranked intent as a session intent: every slot
// present, ReadyForFulfillment when the input filled all required slots.
func (t *turn) hypothesis(m parley.IntentMatch) parley.SessionIntent {
	in := parley.SessionIntent{
		Name:              m.Name,
		Slots:             map[string]*parley.SlotValue{},
		State:             parley.IntentReadyForFulfillment,
		ConfirmationState: parley.ConfirmationNone,
	}
	def := t.loc.Intent(m.Name)
	if def == nil {
		return in
	}
	for _, sl := range def.Slots {
		v := m.Slots[sl.Name]
		in.Slots[sl.Name] = v
		if sl.Required && v == nil {
			in.State = parley.IntentInProgress
		}
	}
	return in
}

func cloneIntent(si *parley.SessionIntent) parley.SessionIntent {
	out := *si
	out.Slots = maps.Clone(si.Slots)
	if out.Slots == nil {
		out.Slots = map[string]*parley.SlotValue{}
	}
	return out
}

func cloneContext(c parley.ActiveContext) parley.ActiveContext {
	c.ContextAttributes = maps.Clone(c.ContextAttributes)
	if c.ContextAttributes == nil {
		c.ContextAttributes = map[string]string{}
	}
	return c
}

// cloneSession copies s deeply enough that a turn never changes the
// caller's session: slot values are shared, as nothing modifies them.
func cloneSession(s *parley.Session) *parley.Session {
	out := *s
	st := &out.State
	if st.DialogAction != nil {
		a := *st.DialogAction
		st.DialogAction = &a
	}
	if st.Intent != nil {
		in := cloneIntent(st.Intent)
		st.Intent = &in
	}
	st.ActiveContexts = nil
	for _, c := range s.State.ActiveContexts {
		st.ActiveContexts = append(st.ActiveContexts, cloneContext(c))
	}
	st.SessionAttributes = maps.Clone(s.State.SessionAttributes)
	out.Memory.ContextExpiry = maps.Clone(s.Memory.ContextExpiry)
	out.Messages = nil
	out.Interpretations = nil
	return &out
}

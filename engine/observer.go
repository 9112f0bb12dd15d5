package engine

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// Observer is told how each turn (RecognizeText or PutSession) went, so
// that an operator's metrics can be recorded where the work happens
// without the engine knowing the metrics library. ObserveTurn is called
// once per turn, after it has answered or failed, from the turn's
// goroutine; it must be safe for concurrent use and quick.
type Observer interface {
	ObserveTurn(TurnObservation)
}

// TurnObservation is what one turn cost and how it ended. Durations sum
// over the attempts of a turn that was retried after a conflict.
type TurnObservation struct {
	Key parley.SessionKey
	// BotVersion is the version the alias served: "DRAFT" or a number.
	BotVersion string
	// Start is when the turn began.
	Start time.Time
	// Input is the text of a RecognizeText turn ("" for PutSession), with
	// the values of obfuscated slots replaced by {SlotName} as Lex's
	// conversation logs do.
	Input string
	// Result is what the turn answered, nil when it failed; obfuscated
	// slot values are masked in it as in Input. It may be shared with the
	// caller of the turn and must not be modified.
	Result *parley.TurnResult
	// Err is why the turn failed; nil when it answered.
	Err error
	// Code is "" for a turn that answered, else the error code it failed
	// with (parley.ErrorCodeOf).
	Code  parley.ErrorCode
	Total time.Duration
	// NLU is the time spent interpreting the text (zero for PutSession).
	NLU time.Duration
	// Hooks is the time spent in code hook calls.
	Hooks time.Duration
	// LLM is the time spent waiting for the model (assist, fallback and
	// knowledge-base answers).
	LLM time.Duration
	// Store is the time spent reading and writing the session.
	Store time.Duration
	// Confidence is the NLU score of the intent the turn chose; nil when
	// the turn failed, chose none, or the interpretation carries no score
	// (FallbackIntent).
	Confidence *float64
	// HookErrors counts the code hook calls that failed or whose response
	// was rejected; LLMErrors counts the model calls that failed.
	HookErrors, LLMErrors int
}

// turnStats gathers a TurnObservation while a turn runs. It travels in the
// turn's context so that the stages deep in the call tree can add to it; a
// nil *turnStats (no observer) ignores everything.
type turnStats struct {
	nlu, hooks, llm, store time.Duration
	hookErrors, llmErrors  int
}

type statsKey struct{}

// withStats returns ctx carrying fresh turn statistics, or ctx and nil when
// nobody observes turns or ctx already carries them.
func (e *Engine) withStats(ctx context.Context) (context.Context, *turnStats) {
	if e.observer == nil {
		return ctx, nil
	}
	if st := statsOf(ctx); st != nil {
		return ctx, st
	}
	st := &turnStats{}
	return context.WithValue(ctx, statsKey{}, st), st
}

func statsOf(ctx context.Context) *turnStats {
	st, _ := ctx.Value(statsKey{}).(*turnStats)
	return st
}

func (st *turnStats) addNLU(since time.Time) {
	if st != nil {
		st.nlu += time.Since(since)
	}
}

func (st *turnStats) addStore(since time.Time) {
	if st != nil {
		st.store += time.Since(since)
	}
}

func (st *turnStats) addHook(since time.Time, failed bool) {
	if st == nil {
		return
	}
	st.hooks += time.Since(since)
	if failed {
		st.hookErrors++
	}
}

func (st *turnStats) addLLM(since time.Time, failed bool) {
	if st == nil {
		return
	}
	st.llm += time.Since(since)
	if failed {
		st.llmErrors++
	}
}

// observe reports a finished turn to the observer.
func (e *Engine) observe(st *turnStats, c call, start time.Time, res *parley.TurnResult, err error) {
	if st == nil {
		return
	}
	o := TurnObservation{
		Key: c.key, BotVersion: c.tg.version, Start: start, Input: c.text, Err: err,
		Code: parley.ErrorCodeOf(err), Total: time.Since(start),
		NLU: st.nlu, Hooks: st.hooks, LLM: st.llm, Store: st.store,
		HookErrors: st.hookErrors, LLMErrors: st.llmErrors,
	}
	if err == nil && res != nil {
		o.Confidence = chosenConfidence(res)
		o.Result = res
		if m := obfuscatedValues(c.tg.loc, res); len(m) > 0 {
			o.Input = m.mask(c.text)
			o.Result = m.maskResult(res)
		}
	}
	e.observer.ObserveTurn(o)
}

// slotMasks maps the texts of obfuscated slot values to the {SlotName}
// that stands for them in what is observed.
type slotMasks map[string]string

// obfuscatedValues collects the values of the obfuscated slots that res
// carries, in its state and its interpretations.
func obfuscatedValues(loc *parley.Locale, res *parley.TurnResult) slotMasks {
	m := slotMasks{}
	add := func(in *parley.SessionIntent) {
		if in == nil {
			return
		}
		def := loc.Intent(in.Name)
		if def == nil {
			return
		}
		for _, sl := range def.Slots {
			if sl.Obfuscate {
				m.addValues("{"+sl.Name+"}", in.Slots[sl.Name])
			}
		}
	}
	add(res.SessionState.Intent)
	for i := range res.Interpretations {
		add(&res.Interpretations[i].Intent)
	}
	return m
}

func (m slotMasks) addValues(placeholder string, v *parley.SlotValue) {
	if v == nil {
		return
	}
	if v.Value != nil {
		for _, t := range append([]string{v.Value.OriginalValue, v.Value.InterpretedValue}, v.Value.ResolvedValues...) {
			if t = strings.TrimSpace(t); t != "" {
				m[t] = placeholder
			}
		}
	}
	for _, item := range v.Values {
		m.addValues(placeholder, item)
	}
	for _, sub := range v.SubSlots {
		m.addValues(placeholder, sub)
	}
}

// mask replaces every obfuscated value in text, longest first so that a
// value containing another is replaced whole.
func (m slotMasks) mask(text string) string {
	values := slices.SortedFunc(maps.Keys(m), func(a, b string) int { return len(b) - len(a) })
	for _, v := range values {
		text = replaceFold(text, v, m[v])
	}
	return text
}

// maskResult returns a copy of res whose obfuscated slot values read
// {SlotName}; res itself is left as the caller got it.
func (m slotMasks) maskResult(res *parley.TurnResult) *parley.TurnResult {
	out := *res
	out.InputTranscript = m.mask(res.InputTranscript)
	out.SessionState.Intent = m.maskIntent(res.SessionState.Intent)
	out.Interpretations = make([]parley.Interpretation, len(res.Interpretations))
	for i, in := range res.Interpretations {
		in.Intent = *m.maskIntent(&in.Intent)
		out.Interpretations[i] = in
	}
	out.Messages = make([]parley.Message, len(res.Messages))
	for i, msg := range res.Messages {
		msg.Content = m.mask(msg.Content)
		out.Messages[i] = msg
	}
	return &out
}

func (m slotMasks) maskIntent(in *parley.SessionIntent) *parley.SessionIntent {
	if in == nil {
		return nil
	}
	out := *in
	out.Slots = make(map[string]*parley.SlotValue, len(in.Slots))
	for name, v := range in.Slots {
		out.Slots[name] = m.maskSlot(v)
	}
	return &out
}

func (m slotMasks) maskSlot(v *parley.SlotValue) *parley.SlotValue {
	if v == nil {
		return nil
	}
	out := &parley.SlotValue{Shape: v.Shape}
	if v.Value != nil {
		resolved := make([]string, len(v.Value.ResolvedValues))
		for i, r := range v.Value.ResolvedValues {
			resolved[i] = m.mask(r)
		}
		out.Value = &parley.Value{OriginalValue: m.mask(v.Value.OriginalValue), InterpretedValue: m.mask(v.Value.InterpretedValue), ResolvedValues: resolved}
	}
	for _, item := range v.Values {
		out.Values = append(out.Values, m.maskSlot(item))
	}
	if v.SubSlots != nil {
		out.SubSlots = make(map[string]*parley.SlotValue, len(v.SubSlots))
		for name, sub := range v.SubSlots {
			out.SubSlots[name] = m.maskSlot(sub)
		}
	}
	return out
}

// chosenConfidence returns the score of the interpretation of the intent
// the turn settled on.
func chosenConfidence(res *parley.TurnResult) *float64 {
	if res.SessionState.Intent == nil {
		return nil
	}
	for _, in := range res.Interpretations {
		if in.Intent.Name == res.SessionState.Intent.Name && in.NLUConfidence != nil {
			score := in.NLUConfidence.Score
			return &score
		}
	}
	return nil
}

package engine

import (
	"context"
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
func (e *Engine) observe(st *turnStats, key parley.SessionKey, start time.Time, res *parley.TurnResult, err error) {
	if st == nil {
		return
	}
	o := TurnObservation{
		Key: key, Code: parley.ErrorCodeOf(err), Total: time.Since(start),
		NLU: st.nlu, Hooks: st.hooks, LLM: st.llm, Store: st.store,
		HookErrors: st.hookErrors, LLMErrors: st.llmErrors,
	}
	if err == nil && res != nil {
		o.Confidence = chosenConfidence(res)
	}
	e.observer.ObserveTurn(o)
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

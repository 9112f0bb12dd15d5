package parley

import (
	"context"
	"time"
)

// Confirmation answers recognised for yes/no questions (AMAZON.Confirmation's
// values).
const (
	AnswerYes      = "Yes"
	AnswerNo       = "No"
	AnswerMaybe    = "Maybe"
	AnswerDontKnow = "Don't know"
)

// Trainer builds an Interpreter for one locale of a bot; it is called when a
// bot loads.
type Trainer interface {
	// Train returns an Interpreter for locale, or an *Error with
	// ErrValidation when the definition cannot be trained (the message names
	// the intent or slot type). Safe for concurrent use.
	Train(bot *Bot, locale *Locale) (Interpreter, error)
}

// Interpreter understands the utterances of one bot locale.
type Interpreter interface {
	// Interpret classifies q.Text and extracts slot values. It fails only
	// when ctx is done. Safe for concurrent use.
	Interpret(ctx context.Context, q Query) (*Understanding, error)
}

// Query is one utterance with the dialog context it was said in.
type Query struct {
	Text string
	// ActiveContexts names the session's active contexts; intents whose
	// input contexts are not all active are not candidates.
	ActiveContexts []string
	// Intent is the intent in progress, if any: Understanding.Slots holds
	// the values found for its slots.
	Intent string
	// ElicitSlot is the slot of Intent being asked for, if any: the whole
	// input is tried as its value first.
	ElicitSlot string
	// Now is the current time in the locale's time zone; relative dates and
	// times resolve against it.
	Now time.Time
}

// Understanding is what an Interpreter made of a Query.
type Understanding struct {
	// Intents is the ranked list of intent hypotheses, best first, at most
	// five, with the locale's FallbackIntent inserted before the first intent
	// scoring below the confidence threshold (first when none reaches it).
	Intents []IntentMatch
	// Slots are the values found for Query.Intent's slots, by slot name.
	Slots map[string]*SlotValue
	// Answer is the yes/no reading of the input (AnswerYes, AnswerNo, …),
	// or "" when it is not an answer.
	Answer string
}

// IntentMatch is one intent hypothesis.
type IntentMatch struct {
	Name     string
	Score    float64               // confidence in [0,1]; 0 for the fallback
	Fallback bool                  // the locale's FallbackIntent, which carries no score
	Slots    map[string]*SlotValue // values found in the input for this intent's slots
}

package parley

import "time"

// DialogActionType is what the bot expects next.
type DialogActionType string

const (
	ActionClose         DialogActionType = "Close"         // the intent is done; no reply expected
	ActionConfirmIntent DialogActionType = "ConfirmIntent" // a yes/no question is pending
	ActionDelegate      DialogActionType = "Delegate"      // the engine decides the next step
	ActionElicitIntent  DialogActionType = "ElicitIntent"  // waiting for the user to say what they want
	ActionElicitSlot    DialogActionType = "ElicitSlot"    // waiting for SlotToElicit
	ActionNone          DialogActionType = "None"          // nothing pending
)

// IntentState is the progress of an intent.
type IntentState string

const (
	IntentInProgress            IntentState = "InProgress"
	IntentReadyForFulfillment   IntentState = "ReadyForFulfillment"
	IntentFulfillmentInProgress IntentState = "FulfillmentInProgress"
	IntentFulfilled             IntentState = "Fulfilled"
	IntentFailed                IntentState = "Failed"
	IntentWaiting               IntentState = "Waiting"
)

// ConfirmationState is the answer to an intent's confirmation prompt.
type ConfirmationState string

const (
	ConfirmationNone      ConfirmationState = "None"
	ConfirmationConfirmed ConfirmationState = "Confirmed"
	ConfirmationDenied    ConfirmationState = "Denied"
)

// SessionKey identifies one conversation.
type SessionKey struct {
	BotID     string `json:"botId"`
	AliasID   string `json:"botAliasId"`
	LocaleID  string `json:"localeId"`
	SessionID string `json:"sessionId"`
}

// SessionState is Lex V2's SessionState: the part of a session that clients
// and code hooks read and write.
//
// Nil and empty differ on input: a nil SessionAttributes or ActiveContexts
// keeps what is stored, an empty one clears it.
type SessionState struct {
	DialogAction         *DialogAction     `json:"dialogAction,omitempty"`
	Intent               *SessionIntent    `json:"intent,omitempty"`
	ActiveContexts       []ActiveContext   `json:"activeContexts,omitempty"`
	SessionAttributes    map[string]string `json:"sessionAttributes,omitempty"`
	OriginatingRequestID string            `json:"originatingRequestId,omitempty"`
	RuntimeHints         *RuntimeHints     `json:"runtimeHints,omitempty"`
}

// DialogAction is Lex V2's DialogAction.
type DialogAction struct {
	Type                 DialogActionType `json:"type"`
	SlotToElicit         string           `json:"slotToElicit,omitempty"`
	SlotElicitationStyle string           `json:"slotElicitationStyle,omitempty"`
	SubSlotToElicit      *ElicitSubSlot   `json:"subSlotToElicit,omitempty"`
}

// ElicitSubSlot names a sub-slot of a composite slot.
type ElicitSubSlot struct {
	Name            string         `json:"name"`
	SubSlotToElicit *ElicitSubSlot `json:"subSlotToElicit,omitempty"`
}

// SessionIntent is the intent a session is working on (Lex V2's Intent).
// Every slot of the intent is present in Slots; an unfilled one is nil and
// is encoded as JSON null.
type SessionIntent struct {
	Name              string                `json:"name"`
	Slots             map[string]*SlotValue `json:"slots"`
	State             IntentState           `json:"state,omitempty"`
	ConfirmationState ConfirmationState     `json:"confirmationState,omitempty"`
}

// Filled reports whether the named slot has a value.
func (i *SessionIntent) Filled(slot string) bool {
	v := i.Slots[slot]
	return v != nil && (v.Value != nil || len(v.Values) > 0 || len(v.SubSlots) > 0)
}

// Slot shapes.
const (
	ShapeScalar    = "Scalar"
	ShapeList      = "List"
	ShapeComposite = "Composite"
)

// SlotValue is Lex V2's Slot: a filled slot's value.
type SlotValue struct {
	Shape    string                `json:"shape,omitempty"`
	Value    *Value                `json:"value,omitempty"`
	Values   []*SlotValue          `json:"values,omitempty"`
	SubSlots map[string]*SlotValue `json:"subSlots,omitempty"`
}

// Value is what the user said and what the engine made of it.
type Value struct {
	OriginalValue    string   `json:"originalValue,omitempty"`
	InterpretedValue string   `json:"interpretedValue"`
	ResolvedValues   []string `json:"resolvedValues"`
}

// ScalarSlot returns a filled scalar slot.
func ScalarSlot(original, interpreted string, resolved ...string) *SlotValue {
	if resolved == nil {
		resolved = []string{}
	}
	return &SlotValue{Shape: ShapeScalar, Value: &Value{OriginalValue: original, InterpretedValue: interpreted, ResolvedValues: resolved}}
}

// ActiveContext is Lex V2's ActiveContext.
type ActiveContext struct {
	Name              string            `json:"name"`
	TimeToLive        ContextTimeToLive `json:"timeToLive"`
	ContextAttributes map[string]string `json:"contextAttributes"`
}

// ContextTimeToLive bounds a context by seconds and by turns; it ends with
// whichever runs out first.
type ContextTimeToLive struct {
	TimeToLiveInSeconds int `json:"timeToLiveInSeconds"`
	TurnsToLive         int `json:"turnsToLive"`
}

// RuntimeHints is Lex V2's RuntimeHints: phrases that bias slot recognition.
type RuntimeHints struct {
	SlotHints map[string]map[string]RuntimeHintDetails `json:"slotHints,omitempty"`
}

// RuntimeHintDetails lists hint phrases for one slot.
type RuntimeHintDetails struct {
	RuntimeHintValues []RuntimeHintValue            `json:"runtimeHintValues,omitempty"`
	SubSlotHints      map[string]RuntimeHintDetails `json:"subSlotHints,omitempty"`
}

// RuntimeHintValue is one hint phrase.
type RuntimeHintValue struct {
	Phrase string `json:"phrase"`
}

// Session is everything stored for one conversation.
type Session struct {
	Key             SessionKey       `json:"key"`
	State           SessionState     `json:"state"`
	Messages        []Message        `json:"messages,omitempty"`        // what the bot said last
	Interpretations []Interpretation `json:"interpretations,omitempty"` // how the last input was understood
	Memory          DialogMemory     `json:"memory"`

	// Version increases by one on every successful Put; stores reject a Put
	// whose Version is not the stored one (optimistic concurrency).
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updatedAt"` // last turn; the session expires TTL after it
	ExpiresAt time.Time `json:"expiresAt"` // when the store may forget it

	// Claim, while set and not expired, says that one engine instance is
	// running a turn that calls a code hook on this session, so the others
	// wait instead of running a turn that would have to be run again after
	// the hook had its effect. It is engine bookkeeping: the engine removes
	// it when it loads a session and never shows it to clients or hooks.
	Claim *SessionClaim `json:"claim,omitempty"`
}

// SessionClaim is an engine instance's hold on a session (Session.Claim).
type SessionClaim struct {
	Owner string    `json:"owner"` // the claiming engine instance
	Until time.Time `json:"until"` // the claim ends by itself then
}

// DialogMemory is engine bookkeeping that is not part of Lex's SessionState
// but must survive between turns.
type DialogMemory struct {
	// Attempt counts the not-understood answers to the pending prompt
	// (0 = the initial prompt).
	Attempt int `json:"attempt,omitempty"`
	// ContextExpiry holds, per active context, when it ends by the clock.
	ContextExpiry map[string]time.Time `json:"contextExpiry,omitempty"`
	// PromptIndex remembers the last message group variation said, for the
	// Ordered selection strategy.
	PromptIndex int `json:"promptIndex,omitempty"`
	// Turns counts the turns of the session.
	Turns int `json:"turns,omitempty"`
	// History holds the last exchanges of a session whose locale uses a
	// language model, oldest first, bounded by the engine; it is what the
	// model is told of the conversation so far.
	History []Exchange `json:"history,omitempty"`
	// LLMTokens counts the prompt and completion tokens the session has
	// spent on the language model (TokenBudget.PerSession).
	LLMTokens int `json:"llmTokens,omitempty"`
}

// Exchange is one user input and the text the bot answered.
type Exchange struct {
	User string `json:"user"`
	Bot  string `json:"bot"`
}

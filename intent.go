package parley

import "time"

// Built-in intent signatures (Intent.ParentIntentSignature).
const (
	FallbackIntentSignature  = "AMAZON.FallbackIntent"
	CancelIntentSignature    = "AMAZON.CancelIntent"
	HelpIntentSignature      = "AMAZON.HelpIntent"
	StartOverIntentSignature = "AMAZON.StartOverIntent"
	StopIntentSignature      = "AMAZON.StopIntent"
	RepeatIntentSignature    = "AMAZON.RepeatIntent"
)

// FallbackIntentName is the name Lex gives the fallback intent of every
// console-created bot; loaders use it when they add a missing one.
const FallbackIntentName = "FallbackIntent"

// Intent is one thing a user can want. Its dialog runs in Lex V2's default
// order: initial response, slots by priority, confirmation, fulfillment,
// closing response.
type Intent struct {
	Name                  string // ASCII, ^([0-9a-zA-Z][_-]?){1,100}$
	Description           string
	ParentIntentSignature string   // "AMAZON.FallbackIntent" etc. for built-ins; "" for custom intents
	SampleUtterances      []string // may reference slots as {SlotName}

	Slots []*Slot // in priority order (the loader sorts by slotPriorities)

	InitialResponse *Response            // said when the intent is first recognised
	Confirmation    *ConfirmationSetting // asked after the required slots; nil = none
	Fulfillment     *FulfillmentSetting  // nil = fulfil without a code hook and without a message
	Closing         *Response            // said after fulfillment; nil = none
	InputContexts   []string             // names that must all be active for the intent to be recognised
	OutputContexts  []OutputContext      // activated when the intent is fulfilled
	DialogCodeHook  bool                 // invoke the dialog code hook on each turn of this intent
	// InitialCodeHook, when set, invokes the dialog code hook right after the
	// initial response (Lex's initialResponseSetting.codeHook).
	InitialCodeHook *CodeHookStep

	// Step graph (stepgraph.go); nil everywhere = the default order.

	// InitialNext is initialResponseSetting.nextStep: what follows the
	// initial response.
	InitialNext *DialogStep
	// InitialConditional is initialResponseSetting.conditional.
	InitialConditional *Conditional
	// ClosingNext is intentClosingSetting.nextStep: what follows the
	// closing response (default: end the conversation).
	ClosingNext *DialogStep
	// ClosingConditional is intentClosingSetting.conditional.
	ClosingConditional *Conditional
}

// CodeHookStep enables the dialog code hook at one step of an intent's
// dialog; the label tells one Lambda the steps apart.
type CodeHookStep struct {
	// InvocationLabel is sent as the event's invocationLabel; "" for none.
	// Lex's pattern is ^([0-9a-zA-Z][_-]?){1,100}$.
	InvocationLabel string
	// Success, Failure and Timeout are the hook's
	// postCodeHookSpecification: what follows when the hook answers, fails
	// (or answers intent state Failed) or does not answer in time. Zero
	// outcomes continue on the default path.
	Success StepOutcome
	Failure StepOutcome
	Timeout StepOutcome
}

// Slot returns the intent's slot with the given name, or nil.
func (in *Intent) Slot(name string) *Slot {
	for _, s := range in.Slots {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// IsFallback reports whether the intent is the locale's AMAZON.FallbackIntent.
func (in *Intent) IsFallback() bool { return in.ParentIntentSignature == FallbackIntentSignature }

// ConfirmationSetting is Lex's intentConfirmationSetting.
type ConfirmationSetting struct {
	Prompt              PromptSpecification // the yes/no question; {Slot} placeholders allowed
	DeclinationResponse *Response           // said when the user answers no

	// Step graph (stepgraph.go).

	// Confirmed is confirmationResponse/confirmationNextStep/
	// confirmationConditional: what follows a yes (default: fulfillment).
	Confirmed StepOutcome
	// DeclinationNext and DeclinationConditional follow the declination
	// response (default: end the conversation).
	DeclinationNext        *DialogStep
	DeclinationConditional *Conditional
	// Failure is what follows when the answer is not understood after the
	// prompt's retries (failureResponse/failureNextStep/failureConditional).
	Failure StepOutcome
	// CodeHook runs the dialog code hook after the answer (when a next step
	// is StepInvokeDialogCodeHook); ElicitationCodeHook runs it before each
	// retry of the prompt.
	CodeHook            *CodeHookStep
	ElicitationCodeHook *CodeHookStep
}

// FulfillmentSetting is Lex's fulfillmentCodeHook with its
// postFulfillmentStatusSpecification.
type FulfillmentSetting struct {
	CodeHook        bool      // invoke the fulfillment code hook
	SuccessResponse *Response // said when fulfillment succeeds
	FailureResponse *Response // said when the hook fails or answers Failed without messages
	TimeoutResponse *Response // said when the hook does not answer in time
	// Updates, when set, tells the user that a slow fulfillment is under way
	// (Lex's fulfillmentUpdatesSpecification); nil = no updates.
	Updates *FulfillmentUpdates

	// Step graph (stepgraph.go): what follows each outcome's response
	// (postFulfillmentStatusSpecification's successNextStep,
	// successConditional …). Default after success: the closing response;
	// after failure or timeout: end the conversation.
	SuccessNext        *DialogStep
	SuccessConditional *Conditional
	FailureNext        *DialogStep
	FailureConditional *Conditional
	TimeoutNext        *DialogStep
	TimeoutConditional *Conditional
}

// FulfillmentUpdates are the messages said while a fulfillment code hook
// runs. Only channels that can push messages say them; a request/response
// call such as RecognizeText cannot.
type FulfillmentUpdates struct {
	StartResponse  *Response     // said once the hook has run for StartDelay
	StartDelay     time.Duration // Lex's delayInSeconds, 1–900 s
	UpdateResponse *Response     // said every UpdateEvery after the start response
	UpdateEvery    time.Duration // Lex's frequencyInSeconds, 1–900 s
	// Timeout replaces the hook's time limit for the fulfillment call
	// (Lex's timeoutInSeconds, 1–900 s); zero keeps the hook's own.
	Timeout time.Duration
}

// OutputContext is a context an intent activates when it is fulfilled.
type OutputContext struct {
	Name                string // ^([A-Za-z0-9]_?)+$, ≤ 100
	TimeToLiveInSeconds int    // 5–86400
	TurnsToLive         int    // 1–20
}

// Response is a list of message groups: one message of each group is said.
type Response struct {
	MessageGroups  []MessageGroup
	AllowInterrupt bool
}

// PromptSpecification is a question with retries.
type PromptSpecification struct {
	MessageGroups            []MessageGroup
	MaxRetries               int    // 0–5: how often the prompt is repeated after a not-understood answer
	MessageSelectionStrategy string // "Random" (default) or "Ordered"
	AllowInterrupt           bool
}

// MessageGroup is one message with up to two variations; one of the three is
// chosen each time the group is said.
type MessageGroup struct {
	Message    Message
	Variations []Message
}

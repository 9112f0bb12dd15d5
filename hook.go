package parley

import (
	"context"
	"time"
)

// Invocation sources of a code hook.
const (
	DialogCodeHook      = "DialogCodeHook"
	FulfillmentCodeHook = "FulfillmentCodeHook"
)

// CodeHook runs bot logic outside the engine: a Lambda function, an HTTP
// endpoint, a local script or a Go function, all with Lex V2's Lambda
// contract.
type CodeHook interface {
	// Invoke sends ev and returns the hook's response. It returns an *Error
	// with ErrDependencyFailed when the hook fails or answers something that
	// is not a valid response (the message says what was wrong), and
	// context.DeadlineExceeded when ctx expires first. Safe for concurrent use.
	Invoke(ctx context.Context, ev *CodeHookEvent) (*CodeHookResponse, error)
}

// CodeHookFunc adapts a function to CodeHook.
type CodeHookFunc func(ctx context.Context, ev *CodeHookEvent) (*CodeHookResponse, error)

// Invoke calls f.
func (f CodeHookFunc) Invoke(ctx context.Context, ev *CodeHookEvent) (*CodeHookResponse, error) {
	return f(ctx, ev)
}

var _ CodeHook = CodeHookFunc(nil)

// NopCodeHook delegates every invocation back to the engine unchanged: the
// behaviour of a bot with no code hook configured.
var NopCodeHook CodeHook = CodeHookFunc(func(_ context.Context, ev *CodeHookEvent) (*CodeHookResponse, error) {
	state := ev.SessionState
	state.DialogAction = &DialogAction{Type: ActionDelegate}
	return &CodeHookResponse{SessionState: state}, nil
})

// CodeHookEvent is the Lex V2 Lambda input event.
type CodeHookEvent struct {
	MessageVersion      string               `json:"messageVersion"`
	InvocationSource    string               `json:"invocationSource"`
	InvocationLabel     string               `json:"invocationLabel,omitempty"`
	InputMode           string               `json:"inputMode"`
	ResponseContentType string               `json:"responseContentType"`
	SessionID           string               `json:"sessionId"`
	InputTranscript     string               `json:"inputTranscript"`
	RawInputTranscript  string               `json:"rawInputTranscript,omitempty"`
	Bot                 HookBot              `json:"bot"`
	Interpretations     []HookInterpretation `json:"interpretations"`
	ProposedNextState   *ProposedState       `json:"proposedNextState,omitempty"`
	RequestAttributes   map[string]string    `json:"requestAttributes,omitempty"`
	SessionState        SessionState         `json:"sessionState"`
	Transcriptions      []Transcription      `json:"transcriptions,omitempty"`
}

// HookInterpretation is an Interpretation as the Lambda event carries it:
// there nluConfidence is a bare number, where the runtime API has an object.
type HookInterpretation struct {
	Intent               SessionIntent `json:"intent"`
	NLUConfidence        *float64      `json:"nluConfidence,omitempty"` // nil for FallbackIntent
	InterpretationSource string        `json:"interpretationSource,omitempty"`
}

// HookInterpretations converts runtime interpretations to the event's form.
func HookInterpretations(in []Interpretation) []HookInterpretation {
	if in == nil {
		return nil
	}
	out := make([]HookInterpretation, len(in))
	for i, it := range in {
		out[i] = HookInterpretation{Intent: it.Intent, InterpretationSource: it.InterpretationSource}
		if it.NLUConfidence != nil {
			score := it.NLUConfidence.Score
			out[i].NLUConfidence = &score
		}
	}
	return out
}

// Transcription is one candidate reading of the input in a code hook event;
// for text input there is one, the text itself.
type Transcription struct {
	Transcription           string                `json:"transcription"`
	TranscriptionConfidence float64               `json:"transcriptionConfidence"`
	ResolvedContext         *ResolvedContext      `json:"resolvedContext,omitempty"`
	ResolvedSlots           map[string]*SlotValue `json:"resolvedSlots,omitempty"`
}

// ResolvedContext names the intent a transcription was resolved to.
type ResolvedContext struct {
	Intent string `json:"intent"`
}

// TimeLimited is implemented by code hooks that carry their own time limit;
// the engine uses it instead of its default for them.
type TimeLimited interface {
	// Timeout returns the hook's time limit; zero means the engine default.
	Timeout() time.Duration
}

// HookBot identifies the bot in a code hook event.
type HookBot struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	AliasID   string `json:"aliasId"`
	AliasName string `json:"aliasName"`
	LocaleID  string `json:"localeId"`
	Version   string `json:"version"`
}

// ProposedState is what the engine would do if the hook delegates.
type ProposedState struct {
	DialogAction *DialogAction  `json:"dialogAction,omitempty"`
	Intent       *SessionIntent `json:"intent,omitempty"`
	Prompt       *PromptAttempt `json:"prompt,omitempty"`
}

// PromptAttempt names the attempt of a prompt: "Initial", "Retry1" … "Retry5".
type PromptAttempt struct {
	Attempt string `json:"attempt"`
}

// CodeHookResponse is the Lex V2 Lambda response.
type CodeHookResponse struct {
	SessionState      SessionState      `json:"sessionState"`
	Messages          []Message         `json:"messages,omitempty"`
	RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
}

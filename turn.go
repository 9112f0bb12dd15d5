package parley

// Input modes.
const (
	InputText   = "Text"
	InputSpeech = "Speech"
	InputDTMF   = "DTMF"
)

// TurnRequest is one user input to a session: RecognizeText, or
// RecognizeUtterance with text.
type TurnRequest struct {
	Key  SessionKey
	Text string // 1–1024 UTF-16 code units
	// SessionState, when set, is merged over the stored state before the
	// text is interpreted (Lex's inline PutSession).
	SessionState      *SessionState
	RequestAttributes map[string]string
	InputMode         string // InputText when empty
	// RequestID identifies the request; it is stored as the state's
	// originatingRequestId so GetSession can tell which request produced it.
	RequestID string
	// Stream, when set, receives a generated answer (LLM fallback,
	// knowledge base) piece by piece while the model produces it, in order,
	// from the turn's goroutine; an error stops the answer. The result
	// still holds the whole message.
	Stream func(delta string) error
}

// PutSessionRequest replaces a session's state (Lex's PutSession).
type PutSessionRequest struct {
	Key               SessionKey
	SessionState      SessionState // DialogAction is required
	Messages          []Message    // said to the user; when empty, the engine says the prompt of the new state
	RequestAttributes map[string]string
	RequestID         string // see TurnRequest.RequestID
}

// TurnResult is what one turn produced, in RecognizeText's shape.
type TurnResult struct {
	SessionID         string            `json:"sessionId"`
	Messages          []Message         `json:"messages,omitempty"`
	SessionState      SessionState      `json:"sessionState"`
	Interpretations   []Interpretation  `json:"interpretations,omitempty"`
	RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
	InputTranscript   string            `json:"-"`
}

// Interpretation is one hypothesis about an input, in the runtime API's
// shape (the Lambda event carries nluConfidence as a bare number instead).
type Interpretation struct {
	Intent               SessionIntent `json:"intent"`
	NLUConfidence        *Confidence   `json:"nluConfidence,omitempty"` // nil for FallbackIntent
	InterpretationSource string        `json:"interpretationSource,omitempty"`
}

// Confidence is an NLU score in [0,1], comparable only within one response.
type Confidence struct {
	Score float64 `json:"score"`
}

package convlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley"
)

// Operation names of a Record, as the runtime API names them.
const (
	OpRecognizeText = "RecognizeText"
	OpPutSession    = "PutSession"
)

// Record is one turn as it is logged: one JSON object per line. Field
// names follow Lex V2's conversation logs where Lex has the field; the
// rest (intent, intentState, dialogAction, confidence, latency,
// hookErrors, llmErrors, error) are Parley's. A line, wrapped here:
//
//	{"timestamp":"2026-11-23T05:07:35.873471658Z","operationName":"RecognizeText",
//	 "requestId":"e8db4d29-1730-4f32-8a00-379b9e405fe8",
//	 "bot":{"id":"HELLOBOT01","aliasId":"TSTALIASID","localeId":"ko_KR","version":"DRAFT"},
//	 "sessionId":"s2","inputTranscript":"저는 {Name}입니다",
//	 "interpretations":[{"intent":"HelloIntent","score":1},{"intent":"FallbackIntent"}],
//	 "intent":"HelloIntent","intentState":"InProgress","dialogAction":"ConfirmIntent",
//	 "slots":{"Name":{"shape":"Scalar","value":{"originalValue":"{Name}","interpretedValue":"{Name}","resolvedValues":["{Name}"]}}},
//	 "messages":[{"contentType":"PlainText","content":"{Name}님이 맞으세요?"}],
//	 "missedUtterance":false,"confidence":1,
//	 "latency":{"totalMs":0.38,"nluMs":0.22,"hooksMs":0.03,"storeMs":0.06}}
type Record struct {
	// Timestamp is when the turn began (UTC).
	Timestamp time.Time `json:"timestamp"`
	// OperationName is OpRecognizeText or OpPutSession.
	OperationName string `json:"operationName"`
	// RequestID is the state's originatingRequestId, "" when unknown.
	RequestID string `json:"requestId,omitempty"`
	Bot       Bot    `json:"bot"`
	SessionID string `json:"sessionId"`
	// InputTranscript is what the user said, obfuscated slot values
	// replaced by {SlotName}; "" for PutSession.
	InputTranscript string `json:"inputTranscript,omitempty"`
	// Interpretations are the NLU's top hypotheses, best first.
	Interpretations []Interpretation `json:"interpretations,omitempty"`
	// Intent is the intent the turn settled on ("" when none or failed),
	// with its state and the dialog's next action.
	Intent       string `json:"intent,omitempty"`
	IntentState  string `json:"intentState,omitempty"`
	DialogAction string `json:"dialogAction,omitempty"`
	// Slots are the chosen intent's filled slots (masked like the input).
	Slots map[string]*parley.SlotValue `json:"slots,omitempty"`
	// Messages are what the bot said.
	Messages []parley.Message `json:"messages,omitempty"`
	// MissedUtterance is true for a RecognizeText turn that the NLU did
	// not understand: it went to FallbackIntent, or its intent scored
	// below the locale's confidence threshold.
	MissedUtterance bool `json:"missedUtterance"`
	// Confidence is the NLU score of the chosen intent, when it has one.
	Confidence *float64 `json:"confidence,omitempty"`
	Latency    Latency  `json:"latency"`
	// HookErrors and LLMErrors count the failed code hook and model calls.
	HookErrors int `json:"hookErrors,omitempty"`
	LLMErrors  int `json:"llmErrors,omitempty"`
	// Error is why the turn failed; nil when it answered.
	Error *Error `json:"error,omitempty"`
}

// Bot says which bot, alias, locale and version served the turn.
type Bot struct {
	ID       string `json:"id"`
	AliasID  string `json:"aliasId"`
	LocaleID string `json:"localeId"`
	// Version is "DRAFT" or a version number.
	Version string `json:"version,omitempty"`
}

// Interpretation is one NLU hypothesis: an intent and its score, nil for
// FallbackIntent, which Lex gives none.
type Interpretation struct {
	Intent string   `json:"intent"`
	Score  *float64 `json:"score,omitempty"`
}

// Latency is where the turn's time went, in milliseconds.
type Latency struct {
	TotalMs float64 `json:"totalMs"`
	NLUMs   float64 `json:"nluMs,omitempty"`
	HooksMs float64 `json:"hooksMs,omitempty"`
	LLMMs   float64 `json:"llmMs,omitempty"`
	StoreMs float64 `json:"storeMs,omitempty"`
}

// Error is a failed turn's error code and message.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Millis converts a duration to the milliseconds of Latency.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// errNotRecord is why a line that is valid JSON is still refused.
var errNotRecord = errors.New("not a turn record: no timestamp")

// DecodeLine parses one line of a log. It fails on anything that is not a
// JSON object with a timestamp, so that a torn or foreign line is told
// apart from a turn.
func DecodeLine(line []byte) (Record, error) {
	var r Record
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return Record{}, fmt.Errorf("convlog: decode: not a JSON object")
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return Record{}, fmt.Errorf("convlog: decode: %w", err)
	}
	if r.Timestamp.IsZero() {
		return Record{}, fmt.Errorf("convlog: decode: %w", errNotRecord)
	}
	return r, nil
}

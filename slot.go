package parley

// Slot constraints.
const (
	SlotRequired = "Required"
	SlotOptional = "Optional"
)

// Resolution strategies of a custom slot type (export spelling; loaders also
// accept the API's OriginalValue / TopResolution).
const (
	ResolutionOriginalValue = "ORIGINAL_VALUE" // accept any value; resolve to listed ones when similar
	ResolutionTopResolution = "TOP_RESOLUTION" // accept only listed values and synonyms; answer the canonical value
)

// Slot is one piece of information an intent needs.
type Slot struct {
	Name             string // ASCII, ^([0-9a-zA-Z][_-]?){1,100}$
	Description      string
	SlotTypeName     string              // "AMAZON.Number" etc. or a custom SlotType's name
	Required         bool                // elicited automatically when true (slotConstraint Required)
	Prompt           PromptSpecification // the elicitation prompt with its retries
	SampleUtterances []string            // answers to the prompt, e.g. "{Size} please"
	Obfuscate        bool                // hide the value in logs (obfuscationSetting DefaultObfuscation)
	DefaultValues    []string            // defaultValueSpecification: "#context.slot", "[attribute]" or a constant
	// ElicitationCodeHook, when set, invokes the dialog code hook before
	// each retry of the prompt (Lex's elicitationCodeHook).
	ElicitationCodeHook *CodeHookStep

	// Step graph (stepgraph.go): Lex's slotCaptureSetting.
	// CaptureSuccess is captureResponse/captureNextStep/captureConditional
	// (default: the next missing required slot, else confirmation);
	// CaptureFailure is failureResponse/failureNextStep/failureConditional,
	// taken when the prompt's retries are exhausted (default: the fallback
	// intent). CaptureCodeHook runs the dialog code hook after a capture
	// when a next step is StepInvokeDialogCodeHook.
	CaptureSuccess  StepOutcome
	CaptureFailure  StepOutcome
	CaptureCodeHook *CodeHookStep
}

// SlotType is a custom slot type: a list of values with synonyms, or a
// pattern over a built-in parent type.
type SlotType struct {
	Name                    string
	Description             string
	Values                  []SlotTypeValue
	ResolutionStrategy      string // ResolutionOriginalValue (default) or ResolutionTopResolution
	ParentSlotTypeSignature string // e.g. "AMAZON.AlphaNumeric" for a regex type
	RegexFilter             string // pattern a value must match (with AMAZON.AlphaNumeric)
}

// Restricted reports whether only listed values and synonyms are accepted.
func (t *SlotType) Restricted() bool { return t.ResolutionStrategy == ResolutionTopResolution }

// SlotTypeValue is a canonical value and the other ways to say it.
type SlotTypeValue struct {
	Value    string
	Synonyms []string
}

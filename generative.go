package parley

// GenerativeSettings is a locale's use of a language model and a knowledge
// base: answers for what no intent covers, grounded in the team's documents,
// and help for the NLU when it is unsure (Lex's generative features).
// Everything is off when the locale has none.
type GenerativeSettings struct {
	// Fallback answers with the LLM when FallbackIntent wins.
	Fallback *LLMFallback
	// KnowledgeBase answers from documents before the fallback: with the
	// LLM grounded in the best passages, or with the best passage itself
	// when no LLM is configured.
	KnowledgeBase *KnowledgeBaseSettings
	// Assist asks the LLM to pick the intent when the NLU's best
	// confidence is at least Low and below High.
	Assist *AssistSettings
	Budget TokenBudget
	Redact RedactSettings
}

// LLMFallback configures answers of the LLM for unrecognised input.
type LLMFallback struct {
	SystemPrompt string // the bot's instructions to the model
	HistoryTurns int    // earlier turns of the session sent along; DefaultHistoryTurns when zero
	MaxTokens    int    // answer length limit; the client's default when zero
}

// DefaultHistoryTurns is how many earlier turns go with a question when a
// bot names no number.
const DefaultHistoryTurns = 6

// KnowledgeBaseSettings points a locale at a folder of documents.
type KnowledgeBaseSettings struct {
	Folder   string  // Markdown, text and HTML files; the loader makes it absolute
	MinScore float64 // passages below this relevance fall through to the fallback
	Passages int     // passages given to the model; DefaultKnowledgePassages when zero
}

// DefaultKnowledgePassages is how many passages ground an answer when a bot
// names no number.
const DefaultKnowledgePassages = 3

// AssistSettings bounds the confidences at which the LLM helps the NLU.
type AssistSettings struct {
	Low, High float64
}

// TokenBudget limits what one session and one bot locale may spend on the
// LLM; zero means no limit.
type TokenBudget struct {
	PerSession int
	PerDay     int
}

// RedactSettings say what is masked before text leaves the process.
type RedactSettings struct {
	ObfuscatedSlots bool // values of slots with obfuscation on
	Emails          bool
	Phones          bool
}

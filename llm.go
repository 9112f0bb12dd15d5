package parley

import "context"

// Roles of a chat message, as OpenAI-compatible APIs name them.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// ChatMessage is one message of a conversation with a language model.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest asks a language model to continue Messages. Zero MaxTokens
// and a nil Temperature leave the client's configured defaults.
type ChatRequest struct {
	Messages    []ChatMessage
	MaxTokens   int
	Temperature *float64
}

// ChatResponse is a model's answer and what it cost.
type ChatResponse struct {
	Content          string
	Model            string
	PromptTokens     int
	CompletionTokens int
}

// LLM is a chat-completion model behind an OpenAI-compatible API.
type LLM interface {
	// Chat returns the whole answer. It returns ErrDependencyFailed when
	// the endpoint fails, answers garbage or ctx ends first, and
	// ErrThrottling when it still refuses with 429 after the client's
	// retries. Safe for concurrent use.
	Chat(ctx context.Context, req *ChatRequest) (*ChatResponse, error)
	// ChatStream is Chat with the answer delivered as it is produced:
	// onDelta receives each new piece in order (never concurrently); an
	// error from onDelta stops the stream and is returned. The response
	// holds the whole answer. Errors as for Chat.
	ChatStream(ctx context.Context, req *ChatRequest, onDelta func(delta string) error) (*ChatResponse, error)
}

// Embedder turns texts into vectors for semantic search.
type Embedder interface {
	// Embed returns one vector per text, in order, all of one length.
	// Errors as for LLM.Chat. Safe for concurrent use.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

package parley

import "context"

// Passage is a piece of a knowledge-base document that answers a question.
type Passage struct {
	Source string  `json:"source"` // the document's path relative to the knowledge base's folder
	Title  string  `json:"title"`  // the nearest heading above the passage, or the document's title
	Text   string  `json:"text"`
	Score  float64 `json:"score"` // relevance in [0,1]; comparable within one knowledge base
}

// Retriever finds the passages of a knowledge base that best answer a
// question (Lex's QnAIntent search).
type Retriever interface {
	// Retrieve returns at most k passages, best first; none when nothing is
	// relevant. It returns ErrDependencyFailed when an embeddings endpoint
	// it relies on fails. Safe for concurrent use.
	Retrieve(ctx context.Context, query string, k int) ([]Passage, error)
}

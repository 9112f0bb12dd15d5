package llmtest

// ParseChat exposes the chat request validator to the fuzz target.
func ParseChat(body []byte) (Request, error) {
	c, e := parseChat(body)
	if e != nil {
		return Request{}, e
	}
	return Request{Model: c.model, Messages: c.messages, Stream: c.stream, IncludeUsage: c.includeUsage, MaxTokens: c.maxTokens, Temperature: c.temperature}, nil
}

// ParseEmbeddings exposes the embeddings request validator to the fuzz
// target.
func ParseEmbeddings(body []byte) (Request, error) {
	e, ae := parseEmbeddings(body)
	if ae != nil {
		return Request{}, ae
	}
	return Request{Model: e.model, Input: e.input}, nil
}

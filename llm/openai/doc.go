// Package openai implements parley.LLM and parley.Embedder over any
// OpenAI-compatible API: OpenAI itself, Azure OpenAI, Ollama, vLLM and
// llama.cpp's server. It owns the HTTP side of talking to a model: the base
// URL, key and model from Config, whole and streamed chat completions,
// embeddings in batches, a deadline on every call, retries only where they
// cannot repeat an answer the caller has already seen (429, 5xx and refused
// connections, never after a streamed piece was delivered) with backoff
// that honours Retry-After, token usage, and errors mapped to
// *parley.Error that name the endpoint but never the API key. The wire
// work is done by github.com/sashabaranov/go-openai, kept behind the root
// interfaces so it can be replaced.
package openai

// Package llmtest is a loopback fake of the OpenAI Chat Completions and
// Embeddings APIs for tests of anything that talks to a language model: the
// LLM client, the engine's fallback, the web chat's streaming and the
// KakaoTalk callback path. It owns an httptest.Server that validates each
// request as the real API does (bearer key, model, message roles and
// content, the stream flag and its options), answers from a scripted
// function or a canned text, streams answers as Server-Sent Events chunk by
// chunk (optionally slowly, so tests can watch tokens arrive), returns
// deterministic embeddings whose cosine grows with shared character
// trigrams, and fails on demand (an HTTP status with Retry-After, a hang, a
// garbage body, a stream cut mid-way). It records every request so tests
// can assert what left the process.
package llmtest

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
//
// A test starts one, points a client at its URL, and asserts on what it
// received:
//
//	srv := llmtest.New(t, llmtest.Options{
//		APIKey:     "test-key",
//		Answer:     func(r llmtest.Request) string { return "echo: " + r.LastUser() },
//		ChunkDelay: 50 * time.Millisecond, // tokens visibly arrive
//	})
//	// base URL srv.URL (ends in /v1), key "test-key", model llmtest.DefaultModel
//	srv.FailNext(1, llmtest.Fault{Status: 429, RetryAfter: "1"})
//	...
//	reqs := srv.Requests() // roles, history, stream flag, headers
//
// Latency makes a slow model (a KakaoTalk callback test wants one slower
// than 5 seconds); Fault{Hang: true} one that never answers.
package llmtest

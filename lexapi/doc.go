// Package lexapi serves the Amazon Lex V2 runtime API (RecognizeText,
// RecognizeUtterance with text input, PutSession, GetSession, DeleteSession)
// over HTTP on Lex's exact paths, JSON shapes and header encodings, so that
// AWS SDKs and the AWS CLI talk to a parley.Runtime unchanged. It owns the
// wire: decoding and validating requests, encoding responses (JSON bodies,
// or gzip+base64 JSON headers where Lex answers in headers), and the one
// table that turns a parley.ErrorCode into an HTTP status and a Lex error
// body. It does not authenticate callers; it accepts SigV4 headers without
// checking them and leaves API keys to the server that mounts it.
package lexapi

// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests,
// so that the AWS SDKs and CLI authenticate against Parley's Lex API with
// an access key pair exactly as they do against Amazon Lex. It owns the
// parsing of the Authorization header, the canonical request as the SDKs
// build it for non-S3 services (path segments URI-encoded twice, sorted
// query, trimmed signed headers, payload hash), the clock-skew window and
// the errors AWS answers when any of that fails. It knows nothing about
// Lex or HTTP routing: callers pass the request, its body and the secret
// keys, and map the returned *Error to their wire format.
package sigv4

package sigv4

import "fmt"

// Code is the name of the AWS exception a failed verification is answered
// with; the AWS SDKs read it from X-Amzn-ErrorType or __type.
type Code string

// The exceptions AWS front ends answer for authentication failures. All go
// out with HTTP 403 on rest-json services such as Lex and Lambda.
const (
	// MissingAuthenticationToken: the request carries no Authorization
	// header (API Gateway and the AWS front ends say "Missing
	// Authentication Token").
	MissingAuthenticationToken Code = "MissingAuthenticationTokenException"
	// IncompleteSignature: the Authorization header is there but lacks a
	// part or is malformed.
	IncompleteSignature Code = "IncompleteSignatureException"
	// UnrecognizedClient: the access key id is not one of ours.
	UnrecognizedClient Code = "UnrecognizedClientException"
	// InvalidSignature: the signature does not match, or its date is out
	// of the allowed clock skew.
	InvalidSignature Code = "InvalidSignatureException"
)

// Messages AWS uses for the common cases, word for word so that people
// searching for them find the usual advice.
const (
	msgMissing      = "Missing Authentication Token"
	msgUnrecognized = "The security token included in the request is invalid."
	msgMismatch     = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Error is a failed verification: the exception to answer with and its
// message.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("sigv4: %s: %s", e.Code, e.Message) }

func fail(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

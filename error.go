package parley

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an Error. The codes mirror the Lex V2 runtime
// exceptions so that transports can map them without a second table.
type ErrorCode string

const (
	ErrValidation       ErrorCode = "ValidationException"           // bad input; the message names the field
	ErrNotFound         ErrorCode = "ResourceNotFoundException"     // unknown bot, alias, locale or session
	ErrConflict         ErrorCode = "ConflictException"             // concurrent update of one session
	ErrAccessDenied     ErrorCode = "AccessDeniedException"         // missing or wrong credentials
	ErrThrottling       ErrorCode = "ThrottlingException"           // too many requests
	ErrDependencyFailed ErrorCode = "DependencyFailedException"     // a code hook or other dependency failed
	ErrBadGateway       ErrorCode = "BadGatewayException"           // a dependency answered with an internal error
	ErrInternal         ErrorCode = "InternalServerException"       // anything not classified
	ErrUnsupported      ErrorCode = "UnsupportedMediaTypeException" // e.g. audio input
)

// Error is the one application error type. Message is safe to show to API
// callers; Err, when set, is the underlying cause and is only logged.
type Error struct {
	Code    ErrorCode
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or
// ErrInternal when there is none. It returns "" for a nil error.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ErrInternal
}

// ErrorMessageOf returns the user-safe message of err: the Message of an
// *Error, or a generic text for anything else so internals never leak.
func ErrorMessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal server error."
}

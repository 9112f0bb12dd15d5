package lexapi

import (
	"encoding/json"
	"net/http"

	"github.com/parleybot/parley"
)

// wireError returns the HTTP status and the Lex exception name for an error
// code. This is the only code → status table of the project.
func wireError(code parley.ErrorCode) (int, parley.ErrorCode) {
	switch code {
	case parley.ErrValidation:
		return http.StatusBadRequest, parley.ErrValidation
	case parley.ErrUnsupported:
		// Lex V2 models no UnsupportedMediaTypeException for these
		// operations, so SDKs would not recognise it; Lex reports an
		// unsupported Content-Type as a ValidationException.
		return http.StatusBadRequest, parley.ErrValidation
	case parley.ErrAccessDenied:
		return http.StatusForbidden, parley.ErrAccessDenied
	case parley.ErrNotFound:
		return http.StatusNotFound, parley.ErrNotFound
	case parley.ErrConflict:
		return http.StatusConflict, parley.ErrConflict
	case parley.ErrDependencyFailed:
		return http.StatusFailedDependency, parley.ErrDependencyFailed
	case parley.ErrThrottling:
		return http.StatusTooManyRequests, parley.ErrThrottling
	case parley.ErrBadGateway:
		return http.StatusBadGateway, parley.ErrBadGateway
	default:
		return http.StatusInternalServerError, parley.ErrInternal
	}
}

// errorBody is Lex's error body: the SDKs read the exception name from
// __type and the text from message.
type errorBody struct {
	Type    parley.ErrorCode `json:"__type"`
	Message string           `json:"message"`
}

// writeError answers err as Lex does: status from the table, the exception
// name in X-Amzn-ErrorType and in the JSON body.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, reqID string, err error) {
	status, name := wireError(parley.ErrorCodeOf(err))
	msg := parley.ErrorMessageOf(err)
	if r.Context().Err() != nil {
		// The client hung up or timed out, and the turn stopped with it:
		// nobody reads this answer, and the server did nothing wrong.
		h.log.InfoContext(r.Context(), "lexapi: client went away before the answer", "requestId", reqID, "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	if status >= http.StatusInternalServerError {
		h.log.ErrorContext(r.Context(), "lexapi: request failed", "requestId", reqID, "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	} else {
		h.log.DebugContext(r.Context(), "lexapi: request rejected", "requestId", reqID, "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	body, _ := json.Marshal(errorBody{Type: name, Message: msg})
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("X-Amzn-ErrorType", string(name))
	w.WriteHeader(status)
	w.Write(body)
}

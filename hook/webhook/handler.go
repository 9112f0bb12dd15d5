package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/parleybot/parley"
)

// maxEventBytes bounds the event a Handler reads: Lambda's 6 MB limit for a
// synchronous invocation payload.
const maxEventBytes = 6 << 20

// Handler serves h as a webhook code hook: it checks the request's signature
// against secret (with DefaultTolerance), decodes the event, calls h and
// writes its response as JSON. With an empty secret it accepts unsigned
// requests, which is only sensible behind something else that authenticates
// the caller. Errors are answered Lambda-style as {"errorType",
// "errorMessage"}: 401 for a bad signature, 400 for an unreadable event and
// 500 when h fails, so the calling Hook reports them as the hook's own
// words.
func Handler(secret []byte, h parley.CodeHook) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "code hooks are called with POST")
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
			return
		}
		if len(secret) > 0 {
			if err := Verify(r, body, secret, DefaultTolerance); err != nil {
				writeError(w, http.StatusUnauthorized, string(parley.ErrAccessDenied), parley.ErrorMessageOf(err))
				return
			}
		}
		var ev parley.CodeHookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			writeError(w, http.StatusBadRequest, "InvalidRequest", "the event is not valid JSON: "+err.Error())
			return
		}
		resp, err := h.Invoke(r.Context(), &ev)
		if err == nil && resp == nil {
			err = errors.New("the code hook returned no response")
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, errorType(err), errorMessage(err))
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			writeError(w, http.StatusInternalServerError, errorType(err), "encoding the response failed: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out) // the caller has gone if this fails; nobody to tell
	})
}

// readBody reads the event, refusing more than maxEventBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fmt.Errorf("the event is larger than %d bytes", tooBig.Limit)
	}
	return body, err
}

// errorType names err the way the Lambda Go runtime does: the code of a
// *parley.Error, else the name of its dynamic type.
func errorType(err error) string {
	var pe *parley.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return "Error"
	}
	return t.Name()
}

// errorMessage is the text of err for the caller: the user-safe message of
// a *parley.Error, else the error's text, as a Lambda would report it.
func errorMessage(err error) string {
	var pe *parley.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	body, _ := json.Marshal(struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}{typ, msg}) // two strings always encode
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

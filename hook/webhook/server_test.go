package webhook_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

// scenarioServer is a hook server written the way a user would write one in
// Go: it verifies the signature, then answers from hooktest.Respond.
func scenarioServer(t testing.TB, secret []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		if err := webhook.Verify(r, body, secret, 0); err != nil {
			lambdaError(w, http.StatusUnauthorized, "AccessDenied", err.Error())
			return
		}
		var ev parley.CodeHookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			lambdaError(w, http.StatusBadRequest, "InvalidEvent", err.Error())
			return
		}
		out, err := hooktest.Respond(r.Context(), &ev)
		switch {
		case errors.Is(err, hooktest.ErrCrash):
			// A dead function: the connection drops with no answer.
			conn, _, hjErr := http.NewResponseController(w).Hijack()
			if hjErr != nil {
				http.Error(w, "crashed", http.StatusBadGateway)
				return
			}
			conn.Close()
		case r.Context().Err() != nil:
			// The caller gave up (the timeout scenario); nobody is listening.
		case err != nil:
			lambdaError(w, http.StatusInternalServerError, "Error", err.Error())
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(out)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func lambdaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

package webhook_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

// slogt sends a test's log lines to t.Log, so a failing case shows them.
func slogt(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// TestHandler serves Go code hooks with Handler and calls them with Hook:
// both sides of the wire contract together.
func TestHandler(t *testing.T) {
	secret := []byte("handler secret")
	closeHook := parley.CodeHookFunc(func(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		state := ev.SessionState
		state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
		state.Intent.State = parley.IntentFulfilled
		return &parley.CodeHookResponse{SessionState: state, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: "주문 완료: " + ev.SessionID}}}, nil
	})
	tests := []struct {
		name       string
		hook       parley.CodeHook
		callSecret []byte
		want       string   // message of the first PlainText answer
		fail       []string // substrings of the failure message
	}{
		{name: "close", hook: closeHook, callSecret: secret, want: "주문 완료: hooktest-close"},
		{name: "plain error", hook: parley.CodeHookFunc(func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, errors.New("no such topping")
		}), callSecret: secret, fail: []string{"(HTTP 500 Internal Server Error): errorString: no such topping"}},
		{name: "coded error", hook: parley.CodeHookFunc(func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, parley.Errorf(parley.ErrNotFound, "order 42 not found")
		}), callSecret: secret, fail: []string{"(HTTP 500 Internal Server Error): ResourceNotFoundException: order 42 not found"}},
		{name: "no response", hook: parley.CodeHookFunc(func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, nil
		}), callSecret: secret, fail: []string{"HTTP 500", "returned no response"}},
		{name: "wrong secret", hook: closeHook, callSecret: []byte("guess"), fail: []string{"(HTTP 401 Unauthorized): AccessDeniedException: the X-Parley-Signature header does not match"}},
		{name: "unsigned", hook: closeHook, fail: []string{"(HTTP 401 Unauthorized): AccessDeniedException: the X-Parley-Signature header is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(webhook.Handler(secret, tt.hook))
			defer srv.Close()
			h, err := webhook.New(srv.URL, webhook.Options{Secret: tt.callSecret, Logger: slogt(t)})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := h.Invoke(context.Background(), hooktest.Event("close"))
			if tt.fail != nil {
				assertFailure(t, err, tt.fail)
				return
			}
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if len(resp.Messages) != 1 || resp.Messages[0].Content != tt.want {
				t.Errorf("messages %+v, want %q", resp.Messages, tt.want)
			}
			if err := resp.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestHandlerRequests(t *testing.T) {
	srv := httptest.NewServer(webhook.Handler(nil, parley.NopCodeHook))
	defer srv.Close()
	tests := []struct {
		name   string
		method string
		body   string
		status int
		want   string
	}{
		{name: "get", method: http.MethodGet, status: http.StatusMethodNotAllowed, want: `"errorType":"MethodNotAllowed"`},
		{name: "not json", method: http.MethodPost, body: "{", status: http.StatusBadRequest, want: "the event is not valid JSON"},
		{name: "too big", method: http.MethodPost, body: strings.Repeat(" ", 7<<20), status: http.StatusBadRequest, want: "larger than 6291456 bytes"},
		{name: "unsigned accepted without a secret", method: http.MethodPost, body: `{"sessionState":{}}`, status: http.StatusOK, want: `"type":"Delegate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("%d %s, want %d containing %q", resp.StatusCode, body, tt.status, tt.want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
		})
	}
}

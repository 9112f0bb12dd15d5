package cli_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parleybot/parley/cli"
)

func TestRequireAPIKey(t *testing.T) {
	const key = "s3cret-key"
	tests := []struct {
		name   string
		header map[string]string
		ok     bool
	}{
		{name: "no credentials"},
		{name: "X-Api-Key", header: map[string]string{"X-Api-Key": key}, ok: true},
		{name: "wrong X-Api-Key", header: map[string]string{"X-Api-Key": "s3cret-kez"}},
		{name: "key prefix", header: map[string]string{"X-Api-Key": "s3cret"}},
		{name: "bearer", header: map[string]string{"Authorization": "Bearer " + key}, ok: true},
		{name: "bearer any case", header: map[string]string{"Authorization": "bearer " + key}, ok: true},
		{name: "wrong bearer", header: map[string]string{"Authorization": "Bearer nope"}},
		{name: "empty bearer", header: map[string]string{"Authorization": "Bearer "}},
		{name: "basic is not accepted", header: map[string]string{"Authorization": "Basic " + key}},
		{
			name:   "SigV4 access key id",
			header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=" + key + "/20260513/us-east-1/lex/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123"},
			ok:     true,
		},
		{
			name:   "SigV4 wrong access key id",
			header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260513/us-east-1/lex/aws4_request, SignedHeaders=host, Signature=abc"},
		},
		{
			name:   "SigV4 without credential",
			header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"},
		},
		{
			name:   "wrong X-Api-Key wins over right bearer",
			header: map[string]string{"X-Api-Key": "nope", "Authorization": "Bearer " + key},
		},
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "through") })
	logger := slog.New(slog.DiscardHandler)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := cli.RequireAPIKey(key, logger, cli.DenyLex, next)
			req := httptest.NewRequest(http.MethodPost, "/bots/B/botAliases/A/botLocales/L/sessions/S/text", nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if tt.ok {
				if rec.Code != http.StatusOK || rec.Body.String() != "through" {
					t.Errorf("got %d %q, want the request let through", rec.Code, rec.Body)
				}
				return
			}
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403", rec.Code)
			}
			if got := rec.Header().Get("X-Amzn-ErrorType"); got != "AccessDeniedException" {
				t.Errorf("X-Amzn-ErrorType = %q", got)
			}
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if body.Type != "AccessDeniedException" || body.Message == "" {
				t.Errorf("body = %+v", body)
			}
		})
	}
}

func TestDenyChat(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { t.Error("request let through") })
	h := cli.RequireAPIKey("k", slog.New(slog.DiscardHandler), cli.DenyChat, next)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/chat", nil))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if body.Error.Code != "AccessDeniedException" || body.Error.Message == "" {
		t.Errorf("body = %+v", body)
	}
}

func TestRememberAPIKey(t *testing.T) {
	const key = "browser-key"
	page := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "page") })
	api := cli.RequireAPIKey(key, slog.New(slog.DiscardHandler), cli.DenyChat,
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "api") }))
	tests := []struct {
		name     string
		url      string
		location string // redirect target; "" = the page is served
		cookie   bool   // a cookie is set that passes RequireAPIKey
	}{
		{name: "right key", url: "/?bot=HELLOBOT01&key=" + key, location: "/?bot=HELLOBOT01", cookie: true},
		{name: "wrong key", url: "/chat.html?key=nope", location: "/chat.html"},
		{name: "no key", url: "/?bot=HELLOBOT01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			cli.RememberAPIKey(key, page).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.url, nil))
			if tt.location == "" {
				if rec.Code != http.StatusOK || rec.Body.String() != "page" {
					t.Errorf("got %d %q, want the page", rec.Code, rec.Body)
				}
			} else if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tt.location {
				t.Errorf("got %d to %q, want 303 to %q", rec.Code, rec.Header().Get("Location"), tt.location)
			}
			cookies := rec.Result().Cookies()
			if (len(cookies) > 0) != tt.cookie {
				t.Fatalf("cookies %v, want a cookie: %v", cookies, tt.cookie)
			}
			if !tt.cookie {
				return
			}
			if cookies[0].Value == key || !cookies[0].HttpOnly {
				t.Errorf("cookie %v must hold a hash, HttpOnly", cookies[0])
			}
			req := httptest.NewRequest(http.MethodGet, "/bots", nil)
			req.AddCookie(cookies[0])
			rec = httptest.NewRecorder()
			api.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("request with the cookie: %d %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestRequireAPIKeyForgedCookie(t *testing.T) {
	api := cli.RequireAPIKey("k", slog.New(slog.DiscardHandler), cli.DenyChat,
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { t.Error("request let through") }))
	for _, v := range []string{"k", "00", "zz", "0000000000000000000000000000000000000000000000000000000000000000"} {
		req := httptest.NewRequest(http.MethodGet, "/bots", nil)
		req.AddCookie(&http.Cookie{Name: "parley_key", Value: v})
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cookie %q: status %d, want 403", v, rec.Code)
		}
	}
}

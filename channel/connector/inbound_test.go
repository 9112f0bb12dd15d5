package connector_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleybot/parley/channel/connector"
)

func TestInboundReadBody(t *testing.T) {
	in := connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: 16}
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		chunked     bool // no Content-Length: only the MaxBytesReader sees the size
		wantStatus  int  // 0: accepted
	}{
		{name: "accepted", method: http.MethodPost, contentType: "application/json", body: `{"a":1}`},
		{name: "exactly the cap", method: http.MethodPost, contentType: "application/json", body: strings.Repeat("x", 16)},
		{name: "empty body", method: http.MethodPost, contentType: "application/json"},
		{name: "media type parameters ignored", method: http.MethodPost, contentType: "application/json; charset=utf-8", body: "{}"},
		{name: "media type case ignored", method: http.MethodPost, contentType: "Application/JSON", body: "{}"},
		{name: "chunked under the cap", method: http.MethodPost, contentType: "application/json", body: "{}", chunked: true},
		{name: "GET", method: http.MethodGet, contentType: "application/json", wantStatus: http.StatusMethodNotAllowed},
		{name: "PUT", method: http.MethodPut, contentType: "application/json", body: "{}", wantStatus: http.StatusMethodNotAllowed},
		{name: "wrong type", method: http.MethodPost, contentType: "text/plain", body: "{}", wantStatus: http.StatusUnsupportedMediaType},
		{name: "no type", method: http.MethodPost, body: "{}", wantStatus: http.StatusUnsupportedMediaType},
		{name: "unparsable type", method: http.MethodPost, contentType: "application/json; =", body: "{}", wantStatus: http.StatusUnsupportedMediaType},
		{name: "over the cap by Content-Length", method: http.MethodPost, contentType: "application/json", body: strings.Repeat("x", 17), wantStatus: http.StatusRequestEntityTooLarge},
		{name: "chunked over the cap", method: http.MethodPost, contentType: "application/json", body: strings.Repeat("가", 100), chunked: true, wantStatus: http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			if tt.chunked {
				r.ContentLength = -1
				r.Body = io.NopCloser(strings.NewReader(tt.body))
			}
			w := httptest.NewRecorder()
			var counters connector.Counters
			body, ok := in.ReadBody(w, r, &counters)
			if tt.wantStatus == 0 {
				if !ok || string(body) != tt.body {
					t.Fatalf("ReadBody = %q %v, want the body", body, ok)
				}
				if s := counters.Stats(); s != (connector.Stats{}) {
					t.Errorf("counters = %+v, want none", s)
				}
				return
			}
			if ok || body != nil {
				t.Fatalf("ReadBody accepted %q", body)
			}
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if w.Body.Len() != 0 {
				t.Errorf("body %q, want none", w.Body.String())
			}
			if tt.wantStatus == http.StatusMethodNotAllowed && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", w.Header().Get("Allow"))
			}
			if s := counters.Stats(); s != (connector.Stats{Rejected: 1}) {
				t.Errorf("counters = %+v, want one rejection", s)
			}
		})
	}
}

// TestInboundOverTheWire checks the chunked cap through a real server,
// where MaxBytesReader's overflow must still answer 413.
func TestInboundOverTheWire(t *testing.T) {
	in := connector.Inbound{Methods: []string{http.MethodPost, http.MethodGet}, MaxBytes: 1024}
	var counters connector.Counters
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, ok := in.ReadBody(w, r, &counters); ok {
			counters.Accept()
			w.Write(body)
		}
	}))
	defer srv.Close()
	pr, pw := io.Pipe()
	go func() {
		for range 100 {
			if _, err := pw.Write([]byte(strings.Repeat("a", 100))); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, pr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 10 KB = %s, want 413", resp.Status)
	}
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET = %s, want 200 (any content type when none is listed)", resp.Status)
	}
	if s := counters.Stats(); s != (connector.Stats{Accepted: 1, Rejected: 1}) {
		t.Errorf("counters = %+v", s)
	}
}

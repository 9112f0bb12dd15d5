package connector_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/connector"
)

// answer is one scripted reply of the fake platform API.
type answer struct {
	status     int
	retryAfter string
	body       string
}

// fakeAPI answers with a script, then 200 {"ok":true}, and records what it
// received.
type fakeAPI struct {
	mu     sync.Mutex
	script []answer
	bodies []string
	auth   []string
	types  []string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, string(b))
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.types = append(f.types, r.Header.Get("Content-Type"))
	a := answer{status: http.StatusOK, body: `{"ok":true,"id":"m1"}`}
	if len(f.script) > 0 {
		a, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func TestPost(t *testing.T) {
	tests := []struct {
		name      string
		script    []answer
		wantCalls int
		wantWaits []time.Duration
		wantErr   int // the APIError status; 0 for success
	}{
		{name: "success", wantCalls: 1},
		{
			name:      "429 with Retry-After",
			script:    []answer{{status: 429, retryAfter: "3"}},
			wantCalls: 2, wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name:      "Retry-After is capped",
			script:    []answer{{status: 429, retryAfter: "3600"}},
			wantCalls: 2, wantWaits: []time.Duration{30 * time.Second},
		},
		{
			name:      "429 with an HTTP-date Retry-After backs off",
			script:    []answer{{status: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"}},
			wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name:      "5xx backs off exponentially",
			script:    []answer{{status: 500}, {status: 502}, {status: 503}},
			wantCalls: 4, wantWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
		},
		{
			name:      "gives up after four tries",
			script:    []answer{{status: 503}, {status: 503}, {status: 503}, {status: 503, body: "down"}, {status: 200}},
			wantCalls: 4, wantWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
			wantErr: 503,
		},
		{name: "no retry on 400", script: []answer{{status: 400, body: `{"error":"bad"}`}}, wantCalls: 1, wantErr: 400},
		{name: "no retry on 401", script: []answer{{status: 401}}, wantCalls: 1, wantErr: 401},
		{name: "no retry on 404", script: []answer{{status: 404, retryAfter: "1"}}, wantCalls: 1, wantErr: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &fakeAPI{script: tt.script}
			srv := httptest.NewServer(api)
			defer srv.Close()
			var waits []time.Duration
			cfg := connector.Config{Name: "c", Type: "slack", Sleep: func(_ context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}}
			cfg.Defaults()
			var out struct {
				OK bool   `json:"ok"`
				ID string `json:"id"`
			}
			err := cfg.PostJSON(context.Background(), srv.URL, map[string]string{"text": "안녕"}, http.Header{"Authorization": {"Bearer xoxb-1"}}, &out)
			if len(api.bodies) != tt.wantCalls {
				t.Errorf("calls = %d, want %d", len(api.bodies), tt.wantCalls)
			}
			for i, b := range api.bodies {
				if b != `{"text":"안녕"}` || api.auth[i] != "Bearer xoxb-1" || api.types[i] != "application/json" {
					t.Errorf("call %d: body %q, auth %q, type %q", i, b, api.auth[i], api.types[i])
				}
			}
			if !equalDurations(waits, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			if tt.wantErr == 0 {
				if err != nil || !out.OK || out.ID != "m1" {
					t.Errorf("PostJSON = %v, out %+v", err, out)
				}
				return
			}
			var apiErr *connector.APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.wantErr {
				t.Fatalf("err = %v, want an APIError %d", err, tt.wantErr)
			}
			if last := tt.script[tt.wantCalls-1]; apiErr.Body != last.body {
				t.Errorf("APIError body = %q, want %q", apiErr.Body, last.body)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPostDecodeFailureIsFinal(t *testing.T) {
	api := &fakeAPI{script: []answer{{status: 200, body: "not json"}}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := connector.Config{Name: "c", Sleep: func(context.Context, time.Duration) error { return nil }}
	cfg.Defaults()
	var out map[string]any
	err := cfg.Post(context.Background(), srv.URL, "application/x-www-form-urlencoded", []byte("a=1"), nil, &out)
	if err == nil || len(api.bodies) != 1 || api.types[0] != "application/x-www-form-urlencoded" {
		t.Errorf("err = %v after %d calls (type %v), want a decode error after one", err, len(api.bodies), api.types)
	}
	// Without out, the answer is not decoded.
	api.script = []answer{{status: 200, body: "not json"}}
	if err := cfg.Post(context.Background(), srv.URL, "text/plain", []byte("x"), nil, nil); err != nil {
		t.Errorf("Post without out: %v", err)
	}
}

func TestPostTransportErrorsRetry(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	var waits int
	cfg := connector.Config{Name: "c", Sleep: func(context.Context, time.Duration) error { waits++; return nil }}
	cfg.Defaults()
	if err := cfg.Post(context.Background(), url, "application/json", []byte("{}"), nil, nil); err == nil {
		t.Fatal("Post to a closed server succeeded")
	}
	if waits != 3 {
		t.Errorf("waited %d times, want 3 (four tries)", waits)
	}
}

func TestPostStopsWhenContextEnds(t *testing.T) {
	api := &fakeAPI{script: []answer{{status: 503}, {status: 503}}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// Like the default Sleep, it returns the context's error when it ends.
	cfg := connector.Config{Name: "c", Sleep: func(c context.Context, _ time.Duration) error {
		cancel()
		<-c.Done()
		return c.Err()
	}}
	cfg.Defaults()
	err := cfg.Post(ctx, srv.URL, "application/json", []byte("{}"), nil, nil)
	if !errors.Is(err, context.Canceled) || len(api.bodies) != 1 {
		t.Errorf("err = %v after %d calls, want context.Canceled after one", err, len(api.bodies))
	}
	var apiErr *connector.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("err %v wraps the API error; want the context's", err)
	}
}

// TestDefaultSleepHonoursContext runs the default Sleep through Post: a
// cancelled context ends the wait at once instead of after the backoff.
func TestDefaultSleepHonoursContext(t *testing.T) {
	api := &fakeAPI{script: []answer{{status: 429, retryAfter: "30"}}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := connector.Config{Name: "c"}
	cfg.Defaults()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cfg.Post(ctx, srv.URL, "application/json", []byte("{}"), nil, nil) }()
	for {
		api.mu.Lock()
		n := len(api.bodies)
		api.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

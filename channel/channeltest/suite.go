package channeltest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Platform is a connector's test double of its messaging service: it
// builds requests as the platform would send them and reads what the
// connector answered or sent back through the platform's fake API.
type Platform interface {
	// Connect builds the connector under test around rt, starting the
	// platform's fake API (if it has one) and closing it with t.
	Connect(t *testing.T, rt parley.Runtime) connector.Channel
	// Message returns a genuine, authenticated request that delivers text
	// from user. Two requests with the same eventID are one event delivered
	// twice (a platform retry).
	Message(t *testing.T, user, text, eventID string) *http.Request
	// Signed returns a genuine, authenticated request carrying body as is.
	Signed(t *testing.T, body []byte) *http.Request
	// Forge spoils req's authentication: a wrong signature or secret.
	Forge(t *testing.T, req *http.Request)
	// UnknownEvent returns a well-formed body of an event type the
	// connector does not handle.
	UnknownEvent() []byte
	// Replies returns the texts user received for the request answered by
	// resp: from resp itself on platforms that reply in the HTTP response,
	// else from the fake API, waiting up to a few seconds for want of them.
	Replies(t *testing.T, user string, resp *httptest.ResponseRecorder, want int) []string
	// Traits says which checks apply.
	Traits() Traits
}

// Traits are the differences between platforms that the suite allows.
type Traits struct {
	MaxBytes int64 // the connector's body cap
	// Deduplicates is false where the platform sends no event id (Kakao).
	Deduplicates bool
	// OKStatus is the status of an accepted request (200 everywhere today).
	OKStatus int
}

// Run checks a connector against the behaviour every channel must have.
func Run(t *testing.T, p Platform) {
	tr := p.Traits()
	if tr.OKStatus == 0 {
		tr.OKStatus = http.StatusOK
	}
	t.Run("conversation", func(t *testing.T) {
		rt := &Runtime{}
		ch := p.Connect(t, rt)
		for i, text := range []string{"hello", "I want a pizza", "안녕하세요"} {
			rec := serve(ch, p.Message(t, "user-1", text, "evt-conv-"+string(rune('a'+i))))
			if rec.Code != tr.OKStatus {
				t.Fatalf("message %q: status %d, body %s", text, rec.Code, rec.Body)
			}
			got := p.Replies(t, "user-1", rec, 1)
			if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "you said: "+text) }) {
				t.Fatalf("message %q: user received %q, want the echo", text, got)
			}
		}
		turns := rt.Turns()
		if len(turns) != 3 {
			t.Fatalf("runtime got %d turns (%s), want 3", len(turns), joined(rt.Texts()))
		}
		key := turns[0].Key
		if key.SessionID == "" || turns[2].Key != key {
			t.Errorf("one user's turns used sessions %+v and %+v; want one session", key, turns[2].Key)
		}
		if turns[0].RequestAttributes["x-amz-lex:channels:platform"] == "" {
			t.Errorf("request attributes %v lack x-amz-lex:channels:platform", turns[0].RequestAttributes)
		}
		closeChannel(t, ch)
		if s := ch.Stats(); s.Accepted < 3 || s.Rejected != 0 {
			t.Errorf("stats %+v after three good messages", s)
		}
	})
	t.Run("users have their own sessions", func(t *testing.T) {
		rt := &Runtime{}
		ch := p.Connect(t, rt)
		serve(ch, p.Message(t, "user-a", "one", "evt-users-a"))
		serve(ch, p.Message(t, "user-b", "two", "evt-users-b"))
		turns := rt.WaitTurns(2, 5*time.Second)
		closeChannel(t, ch)
		if len(turns) != 2 || turns[0].Key.SessionID == turns[1].Key.SessionID {
			t.Fatalf("turns %+v: want two turns in two sessions", turns)
		}
	})
	if tr.Deduplicates {
		t.Run("a retried event runs once", func(t *testing.T) {
			rt := &Runtime{}
			ch := p.Connect(t, rt)
			for range 3 {
				if rec := serve(ch, p.Message(t, "user-1", "only once", "evt-dup-1")); rec.Code != tr.OKStatus {
					t.Fatalf("delivery: status %d, want %d", rec.Code, tr.OKStatus)
				}
			}
			serve(ch, p.Message(t, "user-1", "next", "evt-dup-2"))
			turns := rt.WaitTurns(2, 5*time.Second)
			closeChannel(t, ch)
			if got := rt.Texts(); len(turns) != 2 || !slices.Equal(got, []string{"only once", "next"}) {
				t.Fatalf("runtime got %q, want [only once next]", got)
			}
		})
	}
	t.Run("bad inputs never reach the dialog", func(t *testing.T) {
		rt := &Runtime{}
		ch := p.Connect(t, rt)
		cases := []struct {
			name   string
			req    func() *http.Request
			status int
		}{
			{"wrong method", func() *http.Request {
				r := p.Message(t, "u", "hi", "evt-bad-1")
				r.Method = http.MethodPut
				return r
			}, http.StatusMethodNotAllowed},
			{"wrong content type", func() *http.Request {
				r := p.Message(t, "u", "hi", "evt-bad-2")
				r.Header.Set("Content-Type", "application/x-unknown")
				return r
			}, http.StatusUnsupportedMediaType},
			{"declared body over the cap", func() *http.Request {
				return p.Signed(t, bytes.Repeat([]byte("a"), int(tr.MaxBytes)+1))
			}, http.StatusRequestEntityTooLarge},
			{"chunked body over the cap", func() *http.Request {
				r := p.Signed(t, bytes.Repeat([]byte("a"), int(tr.MaxBytes)+1))
				r.ContentLength = -1
				r.Body = io.NopCloser(bytes.NewReader(bytes.Repeat([]byte("a"), int(tr.MaxBytes)+1)))
				return r
			}, http.StatusRequestEntityTooLarge},
			{"bad signature", func() *http.Request {
				r := p.Message(t, "u", "hi", "evt-bad-3")
				p.Forge(t, r)
				return r
			}, http.StatusUnauthorized},
			{"garbage without a signature", func() *http.Request {
				r := p.Signed(t, []byte("{not json"))
				p.Forge(t, r)
				return r
			}, http.StatusUnauthorized},
			{"malformed body, signed", func() *http.Request { return p.Signed(t, []byte("{not json")) }, http.StatusBadRequest},
			{"empty body, signed", func() *http.Request { return p.Signed(t, nil) }, http.StatusBadRequest},
			{"unknown event", func() *http.Request { return p.Signed(t, p.UnknownEvent()) }, tr.OKStatus},
		}
		rejected := int64(0)
		for _, c := range cases {
			rec := serve(ch, c.req())
			if rec.Code != c.status {
				t.Errorf("%s: status %d, want %d (body %q)", c.name, rec.Code, c.status, rec.Body)
			}
			if c.status >= 400 {
				rejected++
			}
		}
		// A good message after the bad ones: once it has arrived, anything
		// the bad ones had set off would have arrived before it.
		serve(ch, p.Message(t, "u", "the good one", "evt-bad-good"))
		rt.WaitTurns(1, 5*time.Second)
		closeChannel(t, ch)
		if got := rt.Texts(); !slices.Equal(got, []string{"the good one"}) {
			t.Errorf("runtime got %q; only the good message may reach it", got)
		}
		if s := ch.Stats(); s.Rejected != rejected {
			t.Errorf("stats %+v: want %d rejected", s, rejected)
		}
	})
	t.Run("a failed turn gets a polite reply", func(t *testing.T) {
		rt := &failingRuntime{}
		ch := p.Connect(t, rt)
		rec := serve(ch, p.Message(t, "user-f", "break", "evt-fail-1"))
		if rec.Code != tr.OKStatus {
			t.Fatalf("status %d, want %d: a platform must not retry a failed turn", rec.Code, tr.OKStatus)
		}
		got := p.Replies(t, "user-f", rec, 1)
		closeChannel(t, ch)
		if len(got) == 0 || slices.ContainsFunc(got, func(s string) bool {
			return strings.Contains(s, "DependencyFailed") || strings.Contains(s, "lambda exploded")
		}) {
			t.Fatalf("user received %q; want a polite reply without error details", got)
		}
		if s := ch.Stats(); s.Failed != 1 {
			t.Errorf("stats %+v: want 1 failed", s)
		}
	})
}

// failingRuntime fails every turn the way a broken code hook does.
type failingRuntime struct{ Runtime }

func (f *failingRuntime) RecognizeText(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) {
	return nil, parley.Errorf(parley.ErrDependencyFailed, "lambda exploded")
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// closeChannel waits for the connector's turns in flight.
func closeChannel(t *testing.T, ch connector.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

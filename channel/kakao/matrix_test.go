package kakao_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/kakao"
)

// TestRejectionMatrix plays every bad input of channels.md §8.1 (and §8's
// common rows): each gets its status and none reaches the dialog.
func TestRejectionMatrix(t *testing.T) {
	good := skill{user: "u_1", utterance: "안녕"}.body()
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		allow  string
	}{
		{"GET on the skill URL", func() *http.Request {
			r := post(good)
			r.Method = http.MethodGet
			return r
		}, http.StatusMethodNotAllowed, "POST"},
		{"PUT on the skill URL", func() *http.Request {
			r := post(good)
			r.Method = http.MethodPut
			return r
		}, http.StatusMethodNotAllowed, "POST"},
		{"form content type", func() *http.Request {
			r := post(good)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, http.StatusUnsupportedMediaType, ""},
		{"no content type", func() *http.Request {
			r := post(good)
			r.Header.Del("Content-Type")
			return r
		}, http.StatusUnsupportedMediaType, ""},
		{"body over 256 KiB", func() *http.Request {
			return post(append([]byte(`{"x":"`), bytes.Repeat([]byte("가"), 90_000)...))
		}, http.StatusRequestEntityTooLarge, ""},
		{"missing secret header", func() *http.Request {
			r := post(good)
			r.Header.Del("X-Skill-Key")
			return r
		}, http.StatusUnauthorized, ""},
		{"wrong secret", func() *http.Request {
			r := post(good)
			r.Header.Set("X-Skill-Key", "sk-test-wrong")
			return r
		}, http.StatusUnauthorized, ""},
		{"secret as a prefix of the key", func() *http.Request {
			r := post(good)
			r.Header.Set("X-Skill-Key", skillKey[:10])
			return r
		}, http.StatusUnauthorized, ""},
		{"secret in another header", func() *http.Request {
			r := post(good)
			r.Header.Del("X-Skill-Key")
			r.Header.Set("Authorization", skillKey)
			return r
		}, http.StatusUnauthorized, ""},
		{"malformed JSON without the secret", func() *http.Request {
			r := post([]byte("{oops"))
			r.Header.Del("X-Skill-Key")
			return r
		}, http.StatusUnauthorized, ""},
		{"malformed JSON with the secret", func() *http.Request { return post([]byte(`{"userRequest":`)) }, http.StatusBadRequest, ""},
		{"a JSON array", func() *http.Request { return post([]byte(`[{"userRequest":{}}]`)) }, http.StatusBadRequest, ""},
		{"JSON null", func() *http.Request { return post([]byte(`null`)) }, http.StatusBadRequest, ""},
		{"no user id", func() *http.Request {
			return post([]byte(`{"userRequest":{"utterance":"안녕","user":{"type":"botUserKey"}}}`))
		}, http.StatusBadRequest, ""},
		{"no user", func() *http.Request { return post([]byte(`{"userRequest":{"utterance":"안녕"}}`)) }, http.StatusBadRequest, ""},
		{"no utterance", func() *http.Request { return post(skill{user: "u_1"}.body()) }, http.StatusBadRequest, ""},
		{"blank utterance", func() *http.Request { return post(skill{user: "u_1", utterance: "  \n"}.body()) }, http.StatusBadRequest, ""},
		{"callback URL that is not http", func() *http.Request {
			return post(skill{user: "u_1", utterance: "안녕", callbackURL: "file:///etc/passwd"}.body())
		}, http.StatusBadRequest, ""},
		{"utterance of the wrong type", func() *http.Request {
			return post([]byte(`{"userRequest":{"utterance":7,"user":{"id":"u_1"}}}`))
		}, http.StatusBadRequest, ""},
		{"another path", func() *http.Request {
			r := post(good)
			r.URL.Path = "/admin"
			return r
		}, http.StatusNotFound, ""},
	}
	rt := &channeltest.Runtime{}
	ch := newChannel(t, rt, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(ch, c.req())
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			if rec.Body.Len() != 0 {
				t.Errorf("body %q: a refusal says nothing", rec.Body)
			}
			if c.allow != "" && rec.Header().Get("Allow") != c.allow {
				t.Errorf("Allow %q, want %q", rec.Header().Get("Allow"), c.allow)
			}
		})
	}
	if err := ch.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rt.Texts(); len(got) != 0 {
		t.Errorf("runtime got %q; no bad input may reach it", got)
	}
	if s := ch.Stats(); s.Rejected != int64(len(cases)) || s.Accepted != 0 {
		t.Errorf("stats %+v, want %d rejected", s, len(cases))
	}
}

// TestAccepted covers the rows of §8.1 that are answered 200.
func TestAccepted(t *testing.T) {
	t.Run("not a skill request is acknowledged and dropped", func(t *testing.T) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, rt, nil)
		rec := serve(ch, post([]byte(`{"bot":{"id":"bot_1"},"contexts":[]}`)))
		if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"version":"2.0"}` {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
		ch.Close(context.Background())
		if len(rt.Turns()) != 0 {
			t.Errorf("runtime got %q", rt.Texts())
		}
	})
	t.Run("the same payload twice runs twice", func(t *testing.T) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, rt, nil)
		body := skill{user: "u_1", utterance: "두 번"}.body()
		for range 2 {
			if rec := serve(ch, post(body)); rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
		}
		ch.Close(context.Background())
		if got := rt.Texts(); len(got) != 2 {
			t.Errorf("runtime got %q: Kakao sends no event id, so a replay is a new message", got)
		}
	})
	t.Run("an unknown block still reaches the engine", func(t *testing.T) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, rt, nil)
		rec := serve(ch, post(skill{user: "u_1", utterance: "날씨 어때", intent: "날씨 블록", params: map[string]string{"artist": "IU"}}.body()))
		got := decode(t, rec.Body.Bytes()).texts()
		if rec.Code != http.StatusOK || len(got) != 1 || got[0] != "you said: 날씨 어때" {
			t.Errorf("got %d %q", rec.Code, got)
		}
		if turns := rt.Turns(); len(turns) != 1 || turns[0].SessionState != nil {
			t.Errorf("turns %+v: a block that is no Parley intent fills no slots", turns)
		}
	})
	t.Run("the skill key header can be renamed", func(t *testing.T) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, rt, map[string]string{"skillKeyHeader": "x-parley-key"})
		r := post(skill{user: "u_1", utterance: "hi"}.body())
		r.Header.Del("X-Skill-Key")
		r.Header.Set("X-Parley-Key", skillKey)
		if rec := serve(ch, r); rec.Code != http.StatusOK {
			t.Errorf("status %d", rec.Code)
		}
		r = post(skill{user: "u_1", utterance: "hi"}.body())
		if rec := serve(ch, r); rec.Code != http.StatusUnauthorized {
			t.Errorf("the default header after a rename: status %d, want 401", rec.Code)
		}
	})
	t.Run("after Close", func(t *testing.T) {
		rt := &channeltest.Runtime{}
		ch := newChannel(t, rt, nil)
		ch.Close(context.Background())
		if rec := serve(ch, post(skill{user: "u_1", utterance: "hi"}.body())); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", rec.Code)
		}
		if err := ch.Close(context.Background()); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

func TestNewSettings(t *testing.T) {
	cases := []struct {
		name     string
		settings map[string]string
		wantErr  string // a word of the message; "" for success
	}{
		{"defaults", map[string]string{"skillKey": "k"}, ""},
		{"all set", map[string]string{"skillKey": "k", "skillKeyHeader": "X-Bot-Key", "replyTimeout": "3500ms"}, ""},
		{"no skill key", map[string]string{}, "skillKey"},
		{"empty skill key", map[string]string{"skillKey": ""}, "skillKey"},
		{"unknown setting", map[string]string{"skillKey": "k", "skilKey": "k"}, "skilKey"},
		{"header with a colon", map[string]string{"skillKey": "k", "skillKeyHeader": "X-Key:"}, "skillKeyHeader"},
		{"timeout not a duration", map[string]string{"skillKey": "k", "replyTimeout": "4"}, "replyTimeout"},
		{"timeout at Kakao's own limit", map[string]string{"skillKey": "k", "replyTimeout": "5s"}, "replyTimeout"},
		{"negative timeout", map[string]string{"skillKey": "k", "replyTimeout": "-1s"}, "replyTimeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := kakao.New(connector.Config{Name: "kakao", Type: "kakao", Bot: testBot(), Settings: c.settings, Runtime: &channeltest.Runtime{}})
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				ch.Close(context.Background())
				return
			}
			var pe *parley.Error
			if !errors.As(err, &pe) || pe.Code != parley.ErrValidation || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("New: %v; want ErrValidation naming %s", err, c.wantErr)
			}
		})
	}
	t.Run("no runtime", func(t *testing.T) {
		_, err := kakao.New(connector.Config{Name: "kakao", Bot: testBot(), Settings: map[string]string{"skillKey": "k"}})
		if parley.ErrorCodeOf(err) != parley.ErrValidation {
			t.Fatalf("New: %v; want ErrValidation", err)
		}
	})
}

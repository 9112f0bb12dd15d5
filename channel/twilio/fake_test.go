package twilio_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// fakeTwilio plays the REST Messages API (channels.md §8.5): it checks Basic
// auth and every field as Twilio would and fails the test on anything
// Twilio would refuse.
type fakeTwilio struct {
	t          testing.TB
	accountSid string
	authToken  string
	srv        *httptest.Server

	mu   sync.Mutex
	cond *sync.Cond
	sent []url.Values
}

func newFakeTwilio(t testing.TB, sid, token string) *fakeTwilio {
	f := &fakeTwilio{t: t, accountSid: sid, authToken: token}
	f.cond = sync.NewCond(&f.mu)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", f.create)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fake Twilio: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

var phone = regexp.MustCompile(`^(whatsapp:)?\+[1-9][0-9]{6,14}$`)

func (f *fakeTwilio) fail(w http.ResponseWriter, status, code int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.t.Errorf("fake Twilio: Twilio would refuse (%d): %s", code, msg)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), "status": status})
}

func (f *fakeTwilio) create(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.accountSid || pass != f.authToken || r.PathValue("sid") != f.accountSid {
		f.fail(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		f.fail(w, http.StatusBadRequest, 20001, "content type %q", ct)
		return
	}
	data, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(data))
	if err != nil {
		f.fail(w, http.StatusBadRequest, 20001, "form %q: %v", data, err)
		return
	}
	to, from := form.Get("To"), form.Get("From")
	switch {
	case !phone.MatchString(to):
		f.fail(w, http.StatusBadRequest, 21211, "invalid 'To' phone number %q", to)
	case from == "" && form.Get("MessagingServiceSid") == "":
		f.fail(w, http.StatusBadRequest, 21603, "a 'From' phone number is required")
	case from != "" && !phone.MatchString(from):
		f.fail(w, http.StatusBadRequest, 21606, "invalid 'From' phone number %q", from)
	case strings.HasPrefix(to, "whatsapp:") != strings.HasPrefix(from, "whatsapp:"):
		f.fail(w, http.StatusBadRequest, 63007, "'From' %q and 'To' %q are on different channels", from, to)
	case form.Get("Body") == "" && len(form["MediaUrl"]) == 0 && form.Get("ContentSid") == "":
		f.fail(w, http.StatusBadRequest, 21619, "a text message body or media URL is required")
	case utf8.RuneCountInString(form.Get("Body")) > 1600:
		f.fail(w, http.StatusBadRequest, 21617, "the concatenated message body exceeds the 1600 character limit")
	case len(form["MediaUrl"]) > 10:
		f.fail(w, http.StatusBadRequest, 21623, "too many media URLs")
	default:
		for _, u := range form["MediaUrl"] {
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				f.fail(w, http.StatusBadRequest, 21620, "invalid media URL %q", u)
				return
			}
		}
		f.mu.Lock()
		f.sent = append(f.sent, form)
		n := len(f.sent)
		f.cond.Broadcast()
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"sid": fmt.Sprintf("SM%032x", n), "status": "queued",
			"to": to, "from": from, "body": form.Get("Body"), "num_segments": "1", "account_sid": f.accountSid})
	}
}

// waitSent waits until at least n messages were sent (or 5 s passed) and
// returns them all.
func (f *fakeTwilio) waitSent(n int) []url.Values {
	timer := time.AfterFunc(5*time.Second, func() {
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(5 * time.Second)
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.sent) < n && time.Now().Before(deadline) {
		f.cond.Wait()
	}
	return append([]url.Values(nil), f.sent...)
}

package messenger_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// graphVersion is the version segment the fake serves, as the real
// apiBase carries one.
const graphVersion = "v19.0"

// fakeGraph is a loopback Send API that checks every request the way the
// real one would refuse it (channels.md §8.2): token, appsecret_proof,
// JSON, recipient, messaging_type, exactly one of message and
// sender_action, and every limit of the message shapes. A request it
// would refuse fails the test and gets Meta's 400 error body.
type fakeGraph struct {
	t                 testing.TB
	srv               *httptest.Server
	token, appSecret  string
	mu                sync.Mutex
	calls             []sent            // accepted requests, in arrival order
	scripted          []scriptedFailure // answers given before the normal one
	attempts          int               // every request, refused or not
	cond              *sync.Cond
	consumed          map[string]int // per PSID: messages Replies has returned
	violations        []string
	reportViolationTo func(format string, args ...any)
	// delivered, when set, hears of each accepted message (benchmarks
	// wait on it instead of scanning the calls).
	delivered chan<- struct{}
}

// sent is one accepted Send API call.
type sent struct {
	PSID   string
	Action string         // sender_action, when it was one
	Msg    map[string]any // the message object, when it was one
}

// scriptedFailure is one canned answer, for retry tests.
type scriptedFailure struct {
	status     int
	retryAfter string
	body       string
}

func newFakeGraph(t testing.TB, token, appSecret string) *fakeGraph {
	f := &fakeGraph{t: t, token: token, appSecret: appSecret, consumed: map[string]int{}, reportViolationTo: t.Errorf}
	f.cond = sync.NewCond(&f.mu)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// base is the apiBase setting pointing at the fake.
func (f *fakeGraph) base() string { return f.srv.URL + "/" + graphVersion }

// failNext makes the next request get this answer instead of being
// served; status 0 lets it through, to aim at a later request.
func (f *fakeGraph) failNext(status int, retryAfter, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripted = append(f.scripted, scriptedFailure{status, retryAfter, body})
}

func graphError(code int, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": msg, "type": "OAuthException", "code": code, "error_subcode": 2018278, "fbtrace_id": "AbCdEf",
	}})
	return string(b)
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.attempts++
	if len(f.scripted) > 0 && f.scripted[0].status == 0 {
		f.scripted = f.scripted[1:] // a pass: served normally
	} else if len(f.scripted) > 0 {
		s := f.scripted[0]
		f.scripted = f.scripted[1:]
		f.mu.Unlock()
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		_, _ = w.Write([]byte(s.body))
		return
	}
	f.mu.Unlock()
	call, err := f.check(r)
	if err != nil {
		f.mu.Lock()
		f.violations = append(f.violations, err.Error())
		f.mu.Unlock()
		f.reportViolationTo("fake Send API refused a request: %v", err)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(graphError(100, "(#100) "+err.Error())))
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	n := len(f.calls)
	f.cond.Broadcast()
	delivered := f.delivered
	f.mu.Unlock()
	if delivered != nil && call.Msg != nil {
		delivered <- struct{}{}
	}
	w.Header().Set("Content-Type", "application/json")
	if call.Action != "" {
		fmt.Fprintf(w, `{"recipient_id":%q}`, call.PSID)
		return
	}
	fmt.Fprintf(w, `{"recipient_id":%q,"message_id":"m_sent_%d"}`, call.PSID, n)
}

// check validates one request and returns what it sent.
func (f *fakeGraph) check(r *http.Request) (sent, error) {
	var call sent
	if r.Method != http.MethodPost {
		return call, fmt.Errorf("method %s", r.Method)
	}
	if p := r.URL.Path; p != "/"+graphVersion+"/me/messages" {
		return call, fmt.Errorf("path %s, want /%s/me/messages", p, graphVersion)
	}
	q := r.URL.Query()
	token := q.Get("access_token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = bearer
	}
	if token != f.token {
		return call, fmt.Errorf("invalid OAuth access token")
	}
	if proof := q.Get("appsecret_proof"); proof != "" {
		mac := hmac.New(sha256.New, []byte(f.appSecret))
		mac.Write([]byte(token))
		if proof != hex.EncodeToString(mac.Sum(nil)) {
			return call, fmt.Errorf("invalid appsecret_proof")
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return call, fmt.Errorf("content type %q", r.Header.Get("Content-Type"))
	}
	var body map[string]any
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		return call, fmt.Errorf("body is not a JSON object: %v", err)
	}
	if err := onlyKeys(body, "recipient", "messaging_type", "message", "sender_action", "notification_type", "tag"); err != nil {
		return call, err
	}
	rcpt, _ := body["recipient"].(map[string]any)
	psid, _ := rcpt["id"].(string)
	if psid == "" {
		return call, fmt.Errorf("recipient.id missing")
	}
	call.PSID = psid
	msg, hasMsg := body["message"]
	action, hasAction := body["sender_action"]
	if hasMsg == hasAction {
		return call, fmt.Errorf("want exactly one of message and sender_action")
	}
	mt, hasType := body["messaging_type"]
	switch {
	case !hasType && hasMsg:
		return call, fmt.Errorf("messaging_type is required with a message")
	case !hasType, mt == "RESPONSE", mt == "UPDATE":
	case mt == "MESSAGE_TAG":
		if body["tag"] == nil {
			return call, fmt.Errorf("MESSAGE_TAG without tag")
		}
	default:
		return call, fmt.Errorf("messaging_type %v", mt)
	}
	if hasAction {
		switch action {
		case "typing_on", "typing_off", "mark_seen":
			call.Action = action.(string)
			return call, nil
		}
		return call, fmt.Errorf("sender_action %v", action)
	}
	m, ok := msg.(map[string]any)
	if !ok {
		return call, fmt.Errorf("message is not an object")
	}
	if err := checkMessage(m); err != nil {
		return call, fmt.Errorf("message: %w", err)
	}
	call.Msg = m
	return call, nil
}

func checkMessage(m map[string]any) error {
	if err := onlyKeys(m, "text", "attachment", "quick_replies", "metadata"); err != nil {
		return err
	}
	text, hasText := m["text"]
	att, hasAtt := m["attachment"]
	if hasText == hasAtt {
		return fmt.Errorf("want exactly one of text and attachment")
	}
	if hasText {
		if err := checkString("text", text, 1, 2000); err != nil {
			return err
		}
	} else if err := checkAttachment(att); err != nil {
		return fmt.Errorf("attachment: %w", err)
	}
	if qrs, ok := m["quick_replies"]; ok {
		list, ok := qrs.([]any)
		if !ok || len(list) == 0 || len(list) > 13 {
			return fmt.Errorf("quick_replies: want 1–13, got %v", qrs)
		}
		for i, q := range list {
			qr, ok := q.(map[string]any)
			if !ok {
				return fmt.Errorf("quick_replies[%d] is not an object", i)
			}
			if err := onlyKeys(qr, "content_type", "title", "payload", "image_url"); err != nil {
				return err
			}
			switch qr["content_type"] {
			case "text":
				if err := checkString("quick reply title", qr["title"], 1, 20); err != nil {
					return err
				}
				if err := checkString("quick reply payload", qr["payload"], 1, 1000); err != nil {
					return err
				}
			case "user_phone_number", "user_email":
			default:
				return fmt.Errorf("quick reply content_type %v", qr["content_type"])
			}
		}
	}
	return nil
}

func checkAttachment(v any) error {
	a, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object")
	}
	p, ok := a["payload"].(map[string]any)
	if !ok {
		return fmt.Errorf("payload missing")
	}
	switch a["type"] {
	case "image", "audio", "video", "file":
		return checkURL("payload.url", p["url"])
	case "template":
	default:
		return fmt.Errorf("type %v", a["type"])
	}
	switch p["template_type"] {
	case "button":
		if err := onlyKeys(p, "template_type", "text", "buttons", "sharable"); err != nil {
			return err
		}
		if err := checkString("button template text", p["text"], 1, 640); err != nil {
			return err
		}
		return checkButtons(p["buttons"], 1)
	case "generic":
		if err := onlyKeys(p, "template_type", "elements", "sharable", "image_aspect_ratio"); err != nil {
			return err
		}
		els, ok := p["elements"].([]any)
		if !ok || len(els) == 0 || len(els) > 10 {
			return fmt.Errorf("generic elements: want 1–10, got %v", p["elements"])
		}
		for i, e := range els {
			el, ok := e.(map[string]any)
			if !ok {
				return fmt.Errorf("element %d is not an object", i)
			}
			if err := onlyKeys(el, "title", "subtitle", "image_url", "default_action", "buttons"); err != nil {
				return err
			}
			if err := checkString("element title", el["title"], 1, 80); err != nil {
				return err
			}
			if sub, ok := el["subtitle"]; ok {
				if err := checkString("element subtitle", sub, 0, 80); err != nil {
					return err
				}
			}
			if img, ok := el["image_url"]; ok {
				if err := checkURL("image_url", img); err != nil {
					return err
				}
			}
			if bs, ok := el["buttons"]; ok {
				if err := checkButtons(bs, 1); err != nil {
					return fmt.Errorf("element %d: %w", i, err)
				}
			}
		}
		return nil
	}
	return fmt.Errorf("template_type %v", p["template_type"])
}

func checkButtons(v any, least int) error {
	list, ok := v.([]any)
	if !ok || len(list) < least || len(list) > 3 {
		return fmt.Errorf("buttons: want %d–3, got %v", least, v)
	}
	for i, b := range list {
		btn, ok := b.(map[string]any)
		if !ok {
			return fmt.Errorf("button %d is not an object", i)
		}
		if err := checkString("button title", btn["title"], 1, 20); err != nil {
			return err
		}
		switch btn["type"] {
		case "postback":
			if err := onlyKeys(btn, "type", "title", "payload"); err != nil {
				return err
			}
			if err := checkString("postback payload", btn["payload"], 1, 1000); err != nil {
				return err
			}
		case "web_url":
			if err := onlyKeys(btn, "type", "title", "url", "webview_height_ratio"); err != nil {
				return err
			}
			if err := checkURL("button url", btn["url"]); err != nil {
				return err
			}
		default:
			return fmt.Errorf("button type %v", btn["type"])
		}
	}
	return nil
}

func checkString(what string, v any, least, most int) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s: not a string (%v)", what, v)
	}
	if n := utf8.RuneCountInString(s); n < least || n > most {
		return fmt.Errorf("%s: %d characters, want %d–%d", what, n, least, most)
	}
	return nil
}

func checkURL(what string, v any) error {
	s, _ := v.(string)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%s: %q is not a URL", what, s)
	}
	return nil
}

func onlyKeys(m map[string]any, keys ...string) error {
	for k := range m {
		found := false
		for _, want := range keys {
			found = found || k == want
		}
		if !found {
			return fmt.Errorf("unknown parameter %q", k)
		}
	}
	return nil
}

// tries returns how many requests arrived, refused or not.
func (f *fakeGraph) tries() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// all returns the accepted calls so far.
func (f *fakeGraph) all() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.calls...)
}

// messagesTo returns the messages (not sender actions) sent to psid.
func (f *fakeGraph) messagesTo(psid string) []map[string]any {
	var out []map[string]any
	for _, c := range f.all() {
		if c.PSID == psid && c.Msg != nil {
			out = append(out, c.Msg)
		}
	}
	return out
}

// next waits up to d for n messages to psid past the ones it already
// returned, and returns those it has.
func (f *fakeGraph) next(psid string, n int, d time.Duration) []map[string]any {
	deadline := time.Now().Add(d)
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		var fresh []map[string]any
		seen := 0
		for _, c := range f.calls {
			if c.PSID != psid || c.Msg == nil {
				continue
			}
			if seen >= f.consumed[psid] {
				fresh = append(fresh, c.Msg)
			}
			seen++
		}
		if len(fresh) >= n || !time.Now().Before(deadline) {
			f.consumed[psid] = seen
			return fresh
		}
		timer := time.AfterFunc(time.Until(deadline), func() {
			f.mu.Lock()
			f.cond.Broadcast()
			f.mu.Unlock()
		})
		f.cond.Wait()
		timer.Stop()
	}
}

// visible is the text a user sees in a message: its text, a button
// template's text, or a generic template's element titles.
func visible(m map[string]any) string {
	if s, ok := m["text"].(string); ok {
		return s
	}
	att, _ := m["attachment"].(map[string]any)
	p, _ := att["payload"].(map[string]any)
	if s, ok := p["text"].(string); ok {
		return s
	}
	var titles []string
	els, _ := p["elements"].([]any)
	for _, e := range els {
		el, _ := e.(map[string]any)
		t, _ := el["title"].(string)
		titles = append(titles, t)
	}
	return strings.Join(titles, " | ")
}

// violationsSoFar returns the refusals so far.
func (f *fakeGraph) violationsSoFar() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

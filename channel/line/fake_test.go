package line_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// fakeLINE plays the Messaging API's reply and push endpoints (channels.md
// §8.6). It issues reply tokens (single use, expiring after ttl) and
// validates every request as LINE would, failing the test on anything LINE
// would reject; only reply-token refusals are part of the game.
type fakeLINE struct {
	t testing.TB
	// lenient answers a request LINE would refuse as LINE does but without
	// failing the test: for fuzzing, where the input is garbage on purpose.
	lenient bool
	token   string
	srv     *httptest.Server
	ttl     time.Duration

	mu        sync.Mutex
	cond      *sync.Cond
	nextToken int
	tokens    map[string]*replyToken
	refuse    int // reply calls to refuse with "Invalid reply token" first
	// loseAnswers makes the next pushes succeed but answer 500, as when
	// LINE's answer is lost on the way: a retry must not push twice.
	loseAnswers int
	retryKeys   map[string]bool
	delivered   map[string][]json.RawMessage // by recipient
	replies     int                          // accepted reply calls
	pushes      int                          // accepted push calls
	refusals    int                          // reply calls answered 400
	requestSeq  atomic.Int64
}

type replyToken struct {
	to     string
	issued time.Time
	used   bool
}

func newFakeLINE(t testing.TB, accessToken string) *fakeLINE {
	f := &fakeLINE{t: t, token: accessToken, ttl: time.Minute, tokens: map[string]*replyToken{},
		retryKeys: map[string]bool{}, delivered: map[string][]json.RawMessage{}}
	f.cond = sync.NewCond(&f.mu)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/bot/message/reply", f.reply)
	mux.HandleFunc("POST /v2/bot/message/push", f.push)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fake LINE: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// issue returns a fresh reply token for an event from the conversation to.
func (f *fakeLINE) issue(to string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextToken++
	tok := fmt.Sprintf("rt%030d", f.nextToken)
	f.tokens[tok] = &replyToken{to: to, issued: time.Now()}
	return tok
}

// refuseNextReply makes the next n reply calls fail as LINE fails them for
// redelivered or expired events.
func (f *fakeLINE) refuseNextReply(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse += n
}

func (f *fakeLINE) counts() (replies, pushes, refusals int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replies, f.pushes, f.refusals
}

// waitMessages waits until to received at least n messages (or 5 s
// passed) and returns them.
func (f *fakeLINE) waitMessages(to string, n int) []json.RawMessage {
	deadline := time.Now().Add(5 * time.Second)
	timer := time.AfterFunc(5*time.Second, func() {
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	})
	defer timer.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.delivered[to]) < n && time.Now().Before(deadline) {
		f.cond.Wait()
	}
	return append([]json.RawMessage(nil), f.delivered[to]...)
}

func (f *fakeLINE) fail(format string, args ...any) {
	if !f.lenient {
		f.t.Errorf(format, args...)
	}
}

func (f *fakeLINE) answer(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Line-Request-Id", fmt.Sprintf("req-%d", f.requestSeq.Add(1)))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// readJSON checks the credentials and content type and decodes the body; it
// has answered when it returns false.
func (f *fakeLINE) readJSON(w http.ResponseWriter, r *http.Request, into any) bool {
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.fail("fake LINE: %s with Authorization %q", r.URL.Path, r.Header.Get("Authorization"))
		f.answer(w, http.StatusUnauthorized, map[string]string{"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
		return false
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.fail("fake LINE: %s with Content-Type %q", r.URL.Path, ct)
		f.answer(w, http.StatusUnsupportedMediaType, map[string]string{"message": "unsupported media type"})
		return false
	}
	data, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(data, into); err != nil {
		f.fail("fake LINE: %s: body %s: %v", r.URL.Path, data, err)
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "The request body has 1 error(s)"})
		return false
	}
	return true
}

func (f *fakeLINE) reply(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ReplyToken string            `json:"replyToken"`
		Messages   []json.RawMessage `json:"messages"`
	}
	if !f.readJSON(w, r, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.validMessages(w, r.URL.Path, req.Messages) {
		return
	}
	tok := f.tokens[req.ReplyToken]
	if f.refuse > 0 || tok == nil || tok.used || time.Since(tok.issued) > f.ttl {
		if f.refuse > 0 {
			f.refuse--
		}
		if tok != nil {
			tok.used = true
		}
		f.refusals++
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "Invalid reply token"})
		return
	}
	tok.used = true
	f.replies++
	f.deliver(w, tok.to, req.Messages)
}

var (
	recipientID = regexp.MustCompile(`^[UCR][0-9a-f]{32}$`)
	uuidV4      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

func (f *fakeLINE) push(w http.ResponseWriter, r *http.Request) {
	var req struct {
		To       string            `json:"to"`
		Messages []json.RawMessage `json:"messages"`
	}
	if !f.readJSON(w, r, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !recipientID.MatchString(req.To) {
		f.fail("fake LINE: push to %q", req.To)
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "The property, 'to', in the request body is invalid"})
		return
	}
	if key := r.Header.Get("X-Line-Retry-Key"); key != "" {
		if !uuidV4.MatchString(key) {
			f.fail("fake LINE: X-Line-Retry-Key %q is not a UUID", key)
			f.answer(w, http.StatusBadRequest, map[string]string{"message": "The retry key is invalid"})
			return
		}
		if f.retryKeys[key] {
			f.answer(w, http.StatusConflict, map[string]string{"message": "The retry key is already accepted"})
			return
		}
		f.retryKeys[key] = true
	}
	if !f.validMessages(w, r.URL.Path, req.Messages) {
		return
	}
	f.pushes++
	if f.loseAnswers > 0 {
		f.loseAnswers--
		f.delivered[req.To] = append(f.delivered[req.To], req.Messages...)
		f.cond.Broadcast()
		f.answer(w, http.StatusInternalServerError, map[string]string{"message": "An error occurred in the server"})
		return
	}
	f.deliver(w, req.To, req.Messages)
}

func (f *fakeLINE) deliver(w http.ResponseWriter, to string, msgs []json.RawMessage) {
	f.delivered[to] = append(f.delivered[to], msgs...)
	f.cond.Broadcast()
	sent := make([]map[string]string, len(msgs))
	for i := range sent {
		sent[i] = map[string]string{"id": fmt.Sprint(461230966842064897 + f.requestSeq.Load()*10 + int64(i)), "quoteToken": "q"}
	}
	f.answer(w, http.StatusOK, map[string]any{"sentMessages": sent})
}

func (f *fakeLINE) validMessages(w http.ResponseWriter, path string, msgs []json.RawMessage) bool {
	var problems []string
	if len(msgs) < 1 || len(msgs) > 5 {
		problems = append(problems, fmt.Sprintf("%d messages (want 1–5)", len(msgs)))
	}
	for i, m := range msgs {
		for _, p := range validateMessage(m) {
			problems = append(problems, fmt.Sprintf("messages[%d]: %s", i, p))
		}
	}
	if len(problems) == 0 {
		return true
	}
	f.fail("fake LINE: %s: LINE would refuse: %s", path, strings.Join(problems, "; "))
	f.answer(w, http.StatusBadRequest, map[string]any{"message": "The request body has errors", "details": problems})
	return false
}

// The limits below are restated from channels.md §6.3 on purpose instead
// of reusing the connector's constants: the fake must catch a wrong one.

type msgObject struct {
	Type               string          `json:"type"`
	Text               *string         `json:"text"`
	AltText            *string         `json:"altText"`
	Template           *tplObject      `json:"template"`
	OriginalContentURL string          `json:"originalContentUrl"`
	PreviewImageURL    string          `json:"previewImageUrl"`
	PackageID          string          `json:"packageId"`
	StickerID          string          `json:"stickerId"`
	Contents           json.RawMessage `json:"contents"`
	QuickReply         *struct {
		Items []struct {
			Type   string    `json:"type"`
			Action actObject `json:"action"`
		} `json:"items"`
	} `json:"quickReply"`
}

type tplObject struct {
	Type              string      `json:"type"`
	ThumbnailImageURL string      `json:"thumbnailImageUrl"`
	Title             string      `json:"title"`
	Text              string      `json:"text"`
	Actions           []actObject `json:"actions"`
	Columns           []struct {
		ThumbnailImageURL string      `json:"thumbnailImageUrl"`
		Title             string      `json:"title"`
		Text              string      `json:"text"`
		Actions           []actObject `json:"actions"`
	} `json:"columns"`
}

type actObject struct {
	Type        string  `json:"type"`
	Label       string  `json:"label"`
	Data        string  `json:"data"`
	DisplayText *string `json:"displayText"`
	Text        string  `json:"text"`
	URI         string  `json:"uri"`
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func validateMessage(raw json.RawMessage) []string {
	var m msgObject
	if err := json.Unmarshal(raw, &m); err != nil {
		return []string{err.Error()}
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	switch m.Type {
	case "text":
		if m.Text == nil || runes(*m.Text) < 1 || runes(*m.Text) > 5000 {
			bad("text must have 1–5000 characters")
		}
	case "image":
		if !httpsURL(m.OriginalContentURL, 2000) || !httpsURL(m.PreviewImageURL, 2000) {
			bad("image URLs must be HTTPS and ≤2000 characters")
		}
	case "sticker":
		if m.PackageID == "" || m.StickerID == "" {
			bad("sticker needs packageId and stickerId")
		}
	case "flex":
		if m.AltText == nil || runes(*m.AltText) < 1 || runes(*m.AltText) > 400 || len(m.Contents) == 0 {
			bad("flex needs altText (1–400) and contents")
		}
	case "template":
		if m.AltText == nil || runes(*m.AltText) < 1 || runes(*m.AltText) > 400 {
			bad("altText must have 1–400 characters")
		}
		if m.Template == nil {
			bad("template missing")
			break
		}
		p = append(p, validateTemplate(m.Template)...)
	default:
		bad("unknown message type %q", m.Type)
	}
	if q := m.QuickReply; q != nil {
		if len(q.Items) < 1 || len(q.Items) > 13 {
			bad("quickReply has %d items (1–13)", len(q.Items))
		}
		for _, it := range q.Items {
			if it.Type != "action" {
				bad("quick reply item type %q", it.Type)
			}
			p = append(p, validateAction(it.Action, true)...)
		}
	}
	return p
}

func validateTemplate(t *tplObject) []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	switch t.Type {
	case "buttons":
		if t.ThumbnailImageURL != "" && !httpsURL(t.ThumbnailImageURL, 2000) {
			bad("thumbnailImageUrl %q", t.ThumbnailImageURL)
		}
		if runes(t.Title) > 40 {
			bad("buttons title over 40")
		}
		limit := 160
		if t.ThumbnailImageURL != "" || t.Title != "" {
			limit = 60
		}
		if runes(t.Text) < 1 || runes(t.Text) > limit {
			bad("buttons text has %d characters (1–%d)", runes(t.Text), limit)
		}
		if len(t.Actions) < 1 || len(t.Actions) > 4 {
			bad("buttons template has %d actions (1–4)", len(t.Actions))
		}
		for _, a := range t.Actions {
			p = append(p, validateAction(a, false)...)
		}
	case "carousel":
		if len(t.Columns) < 1 || len(t.Columns) > 10 {
			bad("carousel has %d columns (1–10)", len(t.Columns))
		}
		for i, c := range t.Columns {
			first := t.Columns[0]
			if len(c.Actions) != len(first.Actions) || (c.ThumbnailImageURL == "") != (first.ThumbnailImageURL == "") || (c.Title == "") != (first.Title == "") {
				bad("column %d differs from column 0 in actions, image or title", i)
			}
			if c.ThumbnailImageURL != "" && !httpsURL(c.ThumbnailImageURL, 2000) {
				bad("column thumbnailImageUrl %q", c.ThumbnailImageURL)
			}
			if runes(c.Title) > 40 {
				bad("column title over 40")
			}
			limit := 120
			if c.ThumbnailImageURL != "" || c.Title != "" {
				limit = 60
			}
			if runes(c.Text) < 1 || runes(c.Text) > limit {
				bad("column text has %d characters (1–%d)", runes(c.Text), limit)
			}
			if len(c.Actions) < 1 || len(c.Actions) > 3 {
				bad("column has %d actions (1–3)", len(c.Actions))
			}
			for _, a := range c.Actions {
				p = append(p, validateAction(a, false)...)
			}
		}
	default:
		bad("unknown template type %q", t.Type)
	}
	return p
}

func validateAction(a actObject, quick bool) []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if runes(a.Label) < 1 || runes(a.Label) > 20 {
		bad("action label %q (1–20)", a.Label)
	}
	switch a.Type {
	case "postback":
		if runes(a.Data) < 1 || runes(a.Data) > 300 {
			bad("postback data has %d characters (1–300)", runes(a.Data))
		}
		if a.DisplayText != nil && runes(*a.DisplayText) > 300 {
			bad("displayText over 300")
		}
		if quick && (a.DisplayText == nil || *a.DisplayText == "") {
			bad("a quick reply postback needs displayText")
		}
	case "message":
		if runes(a.Text) < 1 || runes(a.Text) > 300 {
			bad("message action text has %d characters (1–300)", runes(a.Text))
		}
	case "uri":
		ok := false
		for _, scheme := range []string{"http://", "https://", "line://", "tel:"} {
			ok = ok || strings.HasPrefix(a.URI, scheme)
		}
		if !ok || runes(a.URI) > 1000 {
			bad("uri %q", a.URI)
		}
	default:
		bad("action type %q", a.Type)
	}
	return p
}

func httpsURL(u string, max int) bool {
	return strings.HasPrefix(u, "https://") && runes(u) <= max
}

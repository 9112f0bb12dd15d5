package slack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// fakeSlack is a loopback Slack Web API: chat.postMessage and response_url
// endpoints that check what they receive the way Slack does (token,
// channel, Block Kit schema and limits) and fail the test on anything
// Slack would refuse.
type fakeSlack struct {
	t        testing.TB
	srv      *httptest.Server
	token    string
	channels map[string]bool // channels the bot is a member of
	// discard keeps no posts, only the notification (benchmarks).
	discard bool
	// anyChannel accepts every channel id (fuzzing invents them).
	anyChannel bool

	mu sync.Mutex
	// rateLimitNext answers that many chat.postMessage calls with HTTP 429
	// ratelimited; okFalseNext answers that many with 200 ok:false and the
	// given error.
	rateLimitNext int
	okFalseNext   int
	okFalseError  string
	rateLimited   int
	posts         []post
	responseUses  map[string]int
	nextTS        int
	notify        chan struct{}
}

// post is one message the fake accepted.
type post struct {
	Endpoint     string // "chat.postMessage" or "response_url"
	URLID        string // the response_url's id
	Channel      string
	ThreadTS     string
	TS           string
	Text         string
	ResponseType string
	Replace      *bool
	Blocks       []map[string]any
}

func newFakeSlack(t testing.TB, token string, channels ...string) *fakeSlack {
	f := &fakeSlack{t: t, token: token, channels: map[string]bool{}, responseUses: map[string]int{}, notify: make(chan struct{}, 1<<16)}
	for _, c := range channels {
		f.channels[c] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/chat.postMessage", f.postMessage)
	mux.HandleFunc("/respond/{id}", f.respond)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiBase() string              { return f.srv.URL + "/api" }
func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/respond/" + id }

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) fail(w http.ResponseWriter, code, format string, args ...any) {
	f.t.Errorf("fake Slack refused a call (%s): %s", code, fmt.Sprintf(format, args...))
	answer(w, http.StatusOK, map[string]any{"ok": false, "error": code})
}

// readMessage checks method and content type and decodes the JSON body.
func (f *fakeSlack) readMessage(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	if r.Method != http.MethodPost {
		f.fail(w, "method_not_supported", "%s", r.Method)
		return nil, false
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		f.fail(w, "invalid_form_data", "content type %q", r.Header.Get("Content-Type"))
		return nil, false
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		f.fail(w, "invalid_json", "%v", err)
		return nil, false
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		f.fail(w, "invalid_json", "%v: %s", err, data)
		return nil, false
	}
	if problems := validateMessage(m); len(problems) > 0 {
		f.fail(w, "invalid_blocks", "%s in %s", strings.Join(problems, "; "), data)
		return nil, false
	}
	return m, true
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.fail(w, "invalid_auth", "Authorization %q", r.Header.Get("Authorization"))
		return
	}
	m, ok := f.readMessage(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rateLimitNext > 0 {
		f.rateLimitNext--
		f.rateLimited++
		w.Header().Set("Retry-After", "1")
		answer(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if f.okFalseNext > 0 {
		f.okFalseNext--
		answer(w, http.StatusOK, map[string]any{"ok": false, "error": f.okFalseError})
		return
	}
	p := toPost("chat.postMessage", m)
	if !f.channels[p.Channel] && !f.anyChannel {
		f.fail(w, "channel_not_found", "channel %q", p.Channel)
		return
	}
	if p.ThreadTS != "" && !isTS(p.ThreadTS) {
		f.fail(w, "invalid_thread_ts", "thread_ts %q", p.ThreadTS)
		return
	}
	f.nextTS++
	p.TS = fmt.Sprintf("1700000100.%06d", f.nextTS)
	f.record(p)
	answer(w, http.StatusOK, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS, "message": m})
}

// respond is a response_url: usable five times (channels.md §3.3).
func (f *fakeSlack) respond(w http.ResponseWriter, r *http.Request) {
	m, ok := f.readMessage(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := r.PathValue("id")
	if f.responseUses[id] == 5 {
		f.t.Errorf("response_url %s used more than five times", id)
		answer(w, http.StatusNotFound, map[string]any{"ok": false, "error": "used_url"})
		return
	}
	f.responseUses[id]++
	p := toPost("response_url", m)
	p.URLID = id
	switch p.ResponseType {
	case "", "ephemeral", "in_channel":
	default:
		f.fail(w, "invalid_response_type", "%q", p.ResponseType)
		return
	}
	f.record(p)
	w.Write([]byte("ok"))
}

func (f *fakeSlack) record(p post) {
	if !f.discard {
		f.posts = append(f.posts, p)
	}
	f.notify <- struct{}{}
}

func toPost(endpoint string, m map[string]any) post {
	p := post{Endpoint: endpoint}
	p.Channel, _ = m["channel"].(string)
	p.ThreadTS, _ = m["thread_ts"].(string)
	p.Text, _ = m["text"].(string)
	p.ResponseType, _ = m["response_type"].(string)
	if b, ok := m["replace_original"].(bool); ok {
		p.Replace = &b
	}
	blocks, _ := m["blocks"].([]any)
	for _, b := range blocks {
		p.Blocks = append(p.Blocks, b.(map[string]any))
	}
	return p
}

// Posts returns the accepted messages so far.
func (f *fakeSlack) Posts() []post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]post(nil), f.posts...)
}

// waitPosts waits up to d for keep to select want posts and returns them.
func (f *fakeSlack) waitPosts(want int, d time.Duration, keep func(post) bool) []post {
	deadline := time.Now().Add(d)
	for {
		var got []post
		for _, p := range f.Posts() {
			if keep(p) {
				got = append(got, p)
			}
		}
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func isTS(s string) bool {
	sec, frac, ok := strings.Cut(s, ".")
	return ok && sec != "" && frac != "" && strings.Trim(sec+frac, "0123456789") == ""
}

// validateMessage lists what Slack would refuse in a message (channels.md
// §3.5, §3.6).
func validateMessage(m map[string]any) []string {
	var v validator
	text, _ := m["text"].(string)
	blocks, hasBlocks := m["blocks"].([]any)
	if _, ok := m["blocks"]; ok && !hasBlocks {
		v.add("blocks is not an array")
	}
	if strings.TrimSpace(text) == "" && len(blocks) == 0 {
		v.add("no_text: neither text nor blocks")
	}
	if n := utf8.RuneCountInString(text); n > 40000 {
		v.add("msg_too_long: text has %d characters", n)
	}
	if len(blocks) > 50 {
		v.add("%d blocks, at most 50", len(blocks))
	}
	v.actionIDs, v.blockIDs = map[string]bool{}, map[string]bool{}
	for i, b := range blocks {
		block, ok := b.(map[string]any)
		if !ok {
			v.add("block %d is not an object", i)
			continue
		}
		v.block(i, block)
	}
	return v.problems
}

type validator struct {
	problems            []string
	actionIDs, blockIDs map[string]bool
}

func (v *validator) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validator) block(i int, b map[string]any) {
	if id, ok := b["block_id"]; ok {
		s, _ := id.(string)
		if s == "" || len(s) > 255 || v.blockIDs[s] {
			v.add("block %d: bad or repeated block_id %q", i, s)
		}
		v.blockIDs[s] = true
	}
	switch b["type"] {
	case "section":
		t, ok := b["text"].(map[string]any)
		if !ok {
			v.add("block %d: section without text", i)
			break
		}
		v.text(fmt.Sprintf("block %d section", i), t, "", 3000)
		if acc, ok := b["accessory"].(map[string]any); ok {
			switch acc["type"] {
			case "image":
				v.image(fmt.Sprintf("block %d accessory", i), acc)
			case "button":
				v.button(fmt.Sprintf("block %d accessory", i), acc)
			default:
				v.add("block %d: accessory type %v", i, acc["type"])
			}
		}
	case "header":
		t, _ := b["text"].(map[string]any)
		v.text(fmt.Sprintf("block %d header", i), t, "plain_text", 150)
	case "image":
		v.image(fmt.Sprintf("block %d image", i), b)
	case "divider":
	case "context":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > 10 {
			v.add("block %d: context with %d elements", i, len(els))
		}
	case "actions":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > 25 {
			v.add("block %d: actions with %d elements (1 to 25)", i, len(els))
		}
		for j, e := range els {
			el, _ := e.(map[string]any)
			if el["type"] != "button" {
				v.add("block %d element %d: type %v", i, j, el["type"])
				continue
			}
			v.button(fmt.Sprintf("block %d button %d", i, j), el)
		}
	default:
		v.add("block %d: unknown type %v", i, b["type"])
	}
}

func (v *validator) text(where string, t map[string]any, wantType string, max int) {
	if t == nil {
		v.add("%s: no text object", where)
		return
	}
	typ, _ := t["type"].(string)
	if (wantType != "" && typ != wantType) || (typ != "plain_text" && typ != "mrkdwn") {
		v.add("%s: text type %q", where, typ)
	}
	s, _ := t["text"].(string)
	if n := utf8.RuneCountInString(s); n == 0 || n > max {
		v.add("%s: text of %d characters (1 to %d)", where, n, max)
	}
	if _, ok := t["emoji"]; ok && typ != "plain_text" {
		v.add("%s: emoji on %s", where, typ)
	}
}

func (v *validator) image(where string, b map[string]any) {
	u, _ := b["image_url"].(string)
	alt, _ := b["alt_text"].(string)
	if !strings.HasPrefix(u, "http") || len(u) > 3000 {
		v.add("%s: image_url %q", where, u)
	}
	if n := utf8.RuneCountInString(alt); n == 0 || n > 2000 {
		v.add("%s: alt_text of %d characters", where, n)
	}
}

func (v *validator) button(where string, b map[string]any) {
	t, _ := b["text"].(map[string]any)
	v.text(where, t, "plain_text", 75)
	if id, ok := b["action_id"]; ok {
		s, _ := id.(string)
		if s == "" || len(s) > 255 || v.actionIDs[s] {
			v.add("%s: bad or repeated action_id %q", where, s)
		}
		v.actionIDs[s] = true
	}
	if val, ok := b["value"].(string); ok && utf8.RuneCountInString(val) > 2000 {
		v.add("%s: value of %d characters", where, utf8.RuneCountInString(val))
	}
	if u, ok := b["url"].(string); ok && (len(u) > 3000 || !strings.HasPrefix(u, "http")) {
		v.add("%s: url %q", where, u)
	}
	if s, ok := b["style"]; ok && s != "primary" && s != "danger" {
		v.add("%s: style %v", where, s)
	}
}

package kakao_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// checkResponse validates a SkillResponse the way Open Builder would
// (channels.md §1.3, §1.5, §8.1) and returns every problem found.
func checkResponse(body []byte) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var resp map[string]any
	if err := json.Unmarshal(body, &resp); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	if resp["version"] != "2.0" {
		bad("version %v, want \"2.0\"", resp["version"])
	}
	if cb, ok := resp["useCallback"]; ok {
		if cb != true {
			bad("useCallback %v", cb)
		}
		if _, ok := resp["template"]; ok {
			bad("template sent together with useCallback")
		}
		if data, ok := resp["data"]; ok {
			if _, ok := data.(map[string]any); !ok {
				bad("data is not an object")
			}
		}
		return problems
	}
	tpl, ok := resp["template"].(map[string]any)
	if !ok {
		bad("template missing")
		return problems
	}
	outs, _ := tpl["outputs"].([]any)
	if len(outs) < 1 || len(outs) > 3 {
		bad("%d outputs, want 1 to 3", len(outs))
	}
	for i, o := range outs {
		checkOutput(fmt.Sprintf("outputs[%d]", i), o, bad)
	}
	if q, ok := tpl["quickReplies"]; ok {
		qs, ok := q.([]any)
		if !ok || len(qs) > 10 {
			bad("quickReplies %v: want a list of at most 10", q)
		}
		for i, q := range qs {
			checkQuickReply(fmt.Sprintf("quickReplies[%d]", i), q, bad)
		}
	}
	return problems
}

type complain func(format string, args ...any)

func checkOutput(at string, o any, bad complain) {
	obj, ok := o.(map[string]any)
	if !ok || len(obj) != 1 {
		bad("%s: want an object with one component, got %v", at, o)
		return
	}
	for kind, v := range obj {
		c, ok := v.(map[string]any)
		if !ok {
			bad("%s.%s is not an object", at, kind)
			continue
		}
		at := at + "." + kind
		switch kind {
		case "simpleText":
			text, _ := c["text"].(string)
			if text == "" || utf8.RuneCountInString(text) > 1000 {
				bad("%s.text has %d characters, want 1 to 1000", at, utf8.RuneCountInString(text))
			}
		case "simpleImage":
			if s, _ := c["imageUrl"].(string); s == "" {
				bad("%s.imageUrl missing", at)
			}
			maxLen(at+".altText", c["altText"], 50, bad)
		case "textCard":
			checkTextCard(at, c, 400, bad)
		case "basicCard":
			checkBasicCard(at, c, bad)
		case "carousel":
			typ, _ := c["type"].(string)
			items, _ := c["items"].([]any)
			if len(items) < 1 || len(items) > 10 {
				bad("%s has %d items, want 1 to 10", at, len(items))
			}
			for i, it := range items {
				item, ok := it.(map[string]any)
				if !ok {
					bad("%s.items[%d] is not an object", at, i)
					continue
				}
				iat := fmt.Sprintf("%s.items[%d]", at, i)
				switch typ {
				case "basicCard":
					checkBasicCard(iat, item, bad)
				case "textCard":
					checkTextCard(iat, item, 128, bad)
				case "commerceCard", "listCard", "itemCard":
				default:
					bad("%s.type %q", at, typ)
				}
			}
		case "commerceCard", "listCard", "itemCard":
			// Only passed through from native payloads; not rendered here.
		default:
			bad("%s: unknown component", at)
		}
	}
}

func checkBasicCard(at string, c map[string]any, bad complain) {
	th, ok := c["thumbnail"].(map[string]any)
	if !ok {
		bad("%s.thumbnail is required", at)
	} else if s, _ := th["imageUrl"].(string); s == "" {
		bad("%s.thumbnail.imageUrl is required", at)
	} else {
		maxLen(at+".thumbnail.altText", th["altText"], 50, bad)
	}
	maxLen(at+".title", c["title"], 50, bad)
	maxLen(at+".description", c["description"], 230, bad)
	checkButtons(at, c, th["fixedRatio"] == true, bad)
}

func checkTextCard(at string, c map[string]any, max int, bad complain) {
	title, _ := c["title"].(string)
	desc, _ := c["description"].(string)
	if title == "" && desc == "" {
		bad("%s needs a title or a description", at)
	}
	maxLen(at+".title", title, 50, bad)
	if n := utf8.RuneCountInString(title) + utf8.RuneCountInString(desc); n > max {
		bad("%s: title and description have %d characters, want at most %d", at, n, max)
	}
	checkButtons(at, c, false, bad)
}

func checkButtons(at string, c map[string]any, fixedRatio bool, bad complain) {
	v, ok := c["buttons"]
	if !ok {
		return
	}
	bs, ok := v.([]any)
	if !ok {
		bad("%s.buttons is not a list", at)
		return
	}
	limit := 3
	if layout, _ := c["buttonLayout"].(string); layout == "horizontal" || (layout == "" && fixedRatio) {
		limit = 2
	}
	if len(bs) > limit {
		bad("%s has %d buttons, want at most %d", at, len(bs), limit)
	}
	for i, b := range bs {
		btn, ok := b.(map[string]any)
		bat := fmt.Sprintf("%s.buttons[%d]", at, i)
		if !ok {
			bad("%s is not an object", bat)
			continue
		}
		label, _ := btn["label"].(string)
		if label == "" || utf8.RuneCountInString(label) > 14 {
			bad("%s.label %q: want 1 to 14 characters", bat, label)
		}
		need := map[string]string{"webLink": "webLinkUrl", "message": "messageText", "phone": "phoneNumber", "block": "blockId", "share": "", "operator": ""}
		action, _ := btn["action"].(string)
		field, known := need[action]
		if !known {
			bad("%s.action %q", bat, action)
		} else if s, _ := btn[field].(string); field != "" && s == "" {
			bad("%s: action %s needs %s", bat, action, field)
		}
		checkExtra(bat, btn, bad)
	}
}

func checkQuickReply(at string, q any, bad complain) {
	qr, ok := q.(map[string]any)
	if !ok {
		bad("%s is not an object", at)
		return
	}
	label, _ := qr["label"].(string)
	if label == "" || utf8.RuneCountInString(label) > 14 {
		bad("%s.label %q: want 1 to 14 characters", at, label)
	}
	switch action, _ := qr["action"].(string); action {
	case "message":
		if s, _ := qr["messageText"].(string); s == "" {
			bad("%s: action message needs messageText", at)
		}
	case "block":
		if s, _ := qr["blockId"].(string); s == "" {
			bad("%s: action block needs blockId", at)
		}
	default:
		bad("%s.action %q", at, action)
	}
	checkExtra(at, qr, bad)
}

func checkExtra(at string, obj map[string]any, bad complain) {
	if e, ok := obj["extra"]; ok {
		if _, ok := e.(map[string]any); !ok {
			bad("%s.extra is not an object", at)
		}
	}
}

func maxLen(at string, v any, max int, bad complain) {
	if s, _ := v.(string); utf8.RuneCountInString(s) > max {
		bad("%s has %d characters, want at most %d", at, utf8.RuneCountInString(s), max)
	}
}

// callbackFake plays Kakao's callback endpoint (channels.md §1.5, §8.1):
// each token accepts one POST within its time to live, the body must be a
// valid SkillResponse, and a reused, expired or refused token is answered
// FAIL with failStatus.
type callbackFake struct {
	t          *testing.T
	srv        *httptest.Server
	ttl        time.Duration
	failStatus int

	mu     sync.Mutex
	tokens map[string]*callbackToken
	cond   *sync.Cond
}

type callbackToken struct {
	issued time.Time
	refuse bool     // answer FAIL even to the first post
	posts  [][]byte // every body posted, accepted or not
}

func newCallbackFake(t *testing.T) *callbackFake {
	f := &callbackFake{t: t, ttl: time.Minute, failStatus: http.StatusOK, tokens: map[string]*callbackToken{}}
	f.cond = sync.NewCond(&f.mu)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL issues a callback URL; refuse makes its first use FAIL as well.
func (f *callbackFake) URL(token string, refuse bool) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens[token] = &callbackToken{issued: time.Now(), refuse: refuse}
	return f.srv.URL + "/callback/" + token
}

func (f *callbackFake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	token := strings.TrimPrefix(r.URL.Path, "/callback/")
	f.mu.Lock()
	tok := f.tokens[token]
	var first bool
	if tok != nil {
		first = len(tok.posts) == 0
		tok.posts = append(tok.posts, body)
		f.cond.Broadcast()
	}
	f.mu.Unlock()
	answer := func(status int, outcome, message string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"taskId": "5f8c0a3e-0000-4000-8000-000000000001", "status": outcome, "message": message, "timestamp": time.Now().Unix()})
	}
	switch {
	case r.Method != http.MethodPost:
		w.WriteHeader(http.StatusMethodNotAllowed)
	case r.Header.Get("Content-Type") != "application/json":
		f.t.Errorf("callback: Content-Type %q", r.Header.Get("Content-Type"))
		answer(f.failStatus, "FAIL", "Invalid json response from bot-skill.")
	case tok == nil || !first || tok.refuse || time.Since(tok.issued) > f.ttl:
		answer(f.failStatus, "FAIL", "Invalid callback token. Check your callback token.")
	default:
		var resp map[string]any
		if problems := checkResponse(body); len(problems) > 0 {
			f.t.Errorf("callback body %s: %s", body, strings.Join(problems, "; "))
			answer(f.failStatus, "FAIL", "Invalid json response from bot-skill.")
		} else if json.Unmarshal(body, &resp); resp["useCallback"] == true {
			f.t.Errorf("callback body %s: a callback carries the final response, not useCallback", body)
			answer(f.failStatus, "FAIL", "Invalid json response from bot-skill.")
		} else {
			answer(http.StatusOK, "SUCCESS", "")
		}
	}
}

// Posts returns the bodies posted to token so far.
func (f *callbackFake) Posts(token string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tok := f.tokens[token]; tok != nil {
		return append([][]byte(nil), tok.posts...)
	}
	return nil
}

// WaitPosts waits until token got at least n posts or d passed.
func (f *callbackFake) WaitPosts(token string, n int, d time.Duration) [][]byte {
	stop := time.AfterFunc(d, func() {
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	})
	defer stop.Stop()
	deadline := time.Now().Add(d)
	f.mu.Lock()
	for len(f.tokens[token].posts) < n && time.Now().Before(deadline) {
		f.cond.Wait()
	}
	f.mu.Unlock()
	return f.Posts(token)
}

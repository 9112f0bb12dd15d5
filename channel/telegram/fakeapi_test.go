package telegram_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// botAPI is a faithful loopback fake of the Telegram Bot API under
// /bot<TOKEN>/<method>. It checks every call as Telegram would (method
// names, token, chat ids, text and caption limits, HTML validity,
// keyboards, callback query ids) and fails the test on anything the real
// API would refuse, answering it with Telegram's own error shape.
type botAPI struct {
	t     testing.TB
	token string
	srv   *httptest.Server
	// lenient turns refusals into expected answers rather than test
	// failures, for tests that make the connector err on purpose.
	lenient bool
	// open makes every chat and callback query id known, for inputs a
	// test does not choose (fuzzing).
	open bool

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	chats      map[int64]bool
	callbacks  map[string]bool // query id → answered
	sent       []sentCall
	cursor     map[int64]int // per chat, replies already read
	methods    map[string]int
	webhook    string
	updates    []json.RawMessage // queued for getUpdates, with their ids
	updateIDs  []int64
	polling    bool
	offsets    []int64
	throttle   int // the next sends answered 429
	retryAfter int
	throttled  int
	conflicts  int // the next getUpdates answered 409
	refusals   []string
}

// sentCall is one accepted send.
type sentCall struct {
	Method string
	ChatID int64
	Text   string // text, or a photo's caption, as the user sees it
	Raw    string // the request body
	Params map[string]json.RawMessage
}

func newBotAPI(t testing.TB, token string) *botAPI {
	f := &botAPI{t: t, token: token, changed: make(chan struct{}), chats: map[int64]bool{}, callbacks: map[string]bool{},
		cursor: map[int64]int{}, methods: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiError is Telegram's error envelope.
type apiError struct {
	status int
	desc   string
	retry  int
}

func (f *botAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	result, e := f.handle(r)
	if e != nil {
		body := map[string]any{"ok": false, "error_code": e.status, "description": e.desc}
		if e.retry > 0 {
			body["parameters"] = map[string]int{"retry_after": e.retry}
		}
		w.WriteHeader(e.status)
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

var pathRE = regexp.MustCompile(`^/bot([^/]+)/([A-Za-z]+)$`)

func (f *botAPI) handle(r *http.Request) (any, *apiError) {
	m := pathRE.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return nil, f.refuse(&apiError{404, "Not Found", 0}, "path %q", r.URL.Path)
	}
	if m[1] != f.token {
		return nil, f.refuse(&apiError{401, "Unauthorized", 0}, "wrong token")
	}
	method := m[2]
	params, body, err := readParams(r)
	if err != nil {
		return nil, f.refuse(&apiError{400, "Bad Request: " + err.Error(), 0}, "%s: %v", method, err)
	}
	f.mu.Lock()
	f.methods[method]++
	f.mu.Unlock()
	switch method {
	case "getMe":
		return map[string]any{"id": 7000001, "is_bot": true, "first_name": "Parley", "username": "parley_test_bot"}, nil
	case "sendMessage", "sendPhoto", "sendLocation":
		return f.send(method, params, body)
	case "answerCallbackQuery":
		return f.answer(params)
	case "setWebhook":
		var u, secret string
		_ = json.Unmarshal(params["url"], &u)
		_ = json.Unmarshal(params["secret_token"], &secret)
		if !strings.HasPrefix(u, "https://") {
			return nil, f.refuse(&apiError{400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook", 0}, "setWebhook url %q", u)
		}
		if secret != "" && !regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`).MatchString(secret) {
			return nil, f.refuse(&apiError{400, "Bad Request: secret token contains unallowed characters", 0}, "setWebhook secret")
		}
		f.mu.Lock()
		f.webhook = u
		f.mu.Unlock()
		return true, nil
	case "deleteWebhook":
		f.mu.Lock()
		f.webhook = ""
		f.mu.Unlock()
		return true, nil
	case "getWebhookInfo":
		f.mu.Lock()
		defer f.mu.Unlock()
		return map[string]any{"url": f.webhook, "has_custom_certificate": false, "pending_update_count": len(f.updates)}, nil
	case "getUpdates":
		return f.getUpdates(r, params)
	}
	return nil, f.refuse(&apiError{404, "Not Found: method not found", 0}, "unknown method %q", method)
}

// readParams reads a call's parameters from a JSON body, a form or the
// query string, as the Bot API accepts them.
func readParams(r *http.Request) (map[string]json.RawMessage, []byte, error) {
	params := map[string]json.RawMessage{}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case mt == "application/json":
		if err := json.Unmarshal(body, &params); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON: %v", err)
		}
	case len(body) > 0 || r.URL.RawQuery != "":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, err
		}
		for k, v := range r.URL.Query() {
			vals[k] = v
		}
		for k, v := range vals {
			if json.Valid([]byte(v[0])) {
				params[k] = json.RawMessage(v[0])
			} else {
				params[k], _ = json.Marshal(v[0])
			}
		}
	}
	return params, body, nil
}

// refuse records a refusal; unless lenient, it fails the test, since the
// connector sent something the real API would refuse.
func (f *botAPI) refuse(e *apiError, format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	f.mu.Lock()
	f.refusals = append(f.refusals, msg+": "+e.desc)
	f.notifyLocked()
	lenient := f.lenient
	f.mu.Unlock()
	if !lenient {
		f.t.Errorf("fake Bot API refused a call: %s (%d %s)", msg, e.status, e.desc)
	}
	return e
}

func (f *botAPI) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// addChat makes a chat known, as a user who wrote to the bot is.
func (f *botAPI) addChat(id int64) {
	f.mu.Lock()
	f.chats[id] = true
	f.mu.Unlock()
}

// addCallback makes a callback query id known and unanswered.
func (f *botAPI) addCallback(id string) {
	f.mu.Lock()
	f.callbacks[id] = false
	f.mu.Unlock()
}

func (f *botAPI) chatID(params map[string]json.RawMessage) (int64, *apiError) {
	raw, ok := params["chat_id"]
	if !ok {
		return 0, f.refuse(&apiError{400, "Bad Request: chat_id is empty", 0}, "no chat_id")
	}
	var id int64
	if err := json.Unmarshal(raw, &id); err != nil {
		var name string
		if json.Unmarshal(raw, &name) == nil {
			if id, err = strconv.ParseInt(name, 10, 64); err != nil && !strings.HasPrefix(name, "@") {
				return 0, f.refuse(&apiError{400, "Bad Request: chat not found", 0}, "chat_id %s", raw)
			}
		}
	}
	f.mu.Lock()
	known := f.chats[id] || f.open && id != 0
	f.mu.Unlock()
	if !known {
		return 0, f.refuse(&apiError{400, "Bad Request: chat not found", 0}, "chat_id %s", raw)
	}
	return id, nil
}

func (f *botAPI) send(method string, params map[string]json.RawMessage, raw []byte) (any, *apiError) {
	f.mu.Lock()
	if f.throttle > 0 {
		f.throttle--
		f.throttled++
		n := f.retryAfter
		f.mu.Unlock()
		return nil, &apiError{429, fmt.Sprintf("Too Many Requests: retry after %d", n), n}
	}
	f.mu.Unlock()
	chat, e := f.chatID(params)
	if e != nil {
		return nil, e
	}
	var text string
	switch method {
	case "sendMessage":
		visible, e := f.formatted(params, "text", maxText)
		if e != nil {
			return nil, e
		}
		if strings.TrimSpace(visible) == "" {
			return nil, f.refuse(&apiError{400, "Bad Request: message text is empty", 0}, "empty text")
		}
		text = visible
	case "sendPhoto":
		var photo string
		if json.Unmarshal(params["photo"], &photo) != nil || photo == "" {
			return nil, f.refuse(&apiError{400, "Bad Request: there is no photo in the request", 0}, "no photo")
		}
		if strings.Contains(photo, "://") && !strings.HasPrefix(photo, "https://") && !strings.HasPrefix(photo, "http://") {
			return nil, f.refuse(&apiError{400, "Bad Request: wrong remote file identifier specified", 0}, "photo %q", photo)
		}
		visible, e := f.formatted(params, "caption", maxCaption)
		if e != nil {
			return nil, e
		}
		text = visible
	case "sendLocation":
		var lat, lon float64
		if json.Unmarshal(params["latitude"], &lat) != nil || json.Unmarshal(params["longitude"], &lon) != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return nil, f.refuse(&apiError{400, "Bad Request: wrong latitude or longitude", 0}, "location")
		}
	}
	if raw, ok := params["reply_markup"]; ok {
		if err := checkMarkup(raw); err != nil {
			return nil, f.refuse(&apiError{400, "Bad Request: " + err.Error(), 0}, "%s reply_markup %s", method, raw)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentCall{Method: method, ChatID: chat, Text: text, Raw: string(raw), Params: params})
	f.notifyLocked()
	return map[string]any{"message_id": len(f.sent), "date": 1700000000, "chat": map[string]any{"id": chat, "type": "private"}}, nil
}

const (
	maxText        = 4096
	maxCaption     = 1024
	maxCallback    = 64
	maxAnswerText  = 200
	maxButtonsRows = 100
)

// formatted checks a text field: its parse_mode, its HTML when that is the
// mode, and its length after entity parsing in UTF-16 units. It returns
// the visible text.
func (f *botAPI) formatted(params map[string]json.RawMessage, field string, limit int) (string, *apiError) {
	var text, mode string
	if raw, ok := params[field]; ok && json.Unmarshal(raw, &text) != nil {
		return "", f.refuse(&apiError{400, "Bad Request: " + field + " must be a string", 0}, "%s %s", field, raw)
	}
	if raw, ok := params["parse_mode"]; ok && json.Unmarshal(raw, &mode) != nil {
		return "", f.refuse(&apiError{400, "Bad Request: unsupported parse_mode", 0}, "parse_mode %s", raw)
	}
	visible := text
	switch mode {
	case "":
	case "HTML":
		v, err := visibleHTML(text)
		if err != nil {
			return "", f.refuse(&apiError{400, "Bad Request: can't parse entities: " + err.Error(), 0}, "%s %q", field, text)
		}
		visible = v
	case "MarkdownV2", "Markdown":
		// Not produced by the connector; the fake does not parse them.
	default:
		return "", f.refuse(&apiError{400, "Bad Request: unsupported parse_mode", 0}, "parse_mode %q", mode)
	}
	if n := len(utf16.Encode([]rune(visible))); n > limit {
		desc := "Bad Request: message is too long"
		if field == "caption" {
			desc = "Bad Request: message caption is too long"
		}
		return "", f.refuse(&apiError{400, desc, 0}, "%s of %d units", field, n)
	}
	return visible, nil
}

var htmlTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "a": true, "code": true, "pre": true, "span": true, "tg-spoiler": true, "tg-emoji": true,
	"blockquote": true}

var htmlEntities = map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": `"`}

// visibleHTML parses Telegram's HTML subset strictly: only its tags,
// properly nested, and < > & only as tags or entities.
func visibleHTML(s string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unexpected end tag at byte offset %d", i)
				}
				open = open[:len(open)-1]
			} else {
				name, attrs, _ := strings.Cut(tag, " ")
				if !htmlTags[name] {
					return "", fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
				}
				if name == "a" && !strings.HasPrefix(attrs, "href=") {
					return "", fmt.Errorf("a tag without href at byte offset %d", i)
				}
				open = append(open, name)
			}
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("unsupported entity at byte offset %d", i)
			}
			ent := s[i : i+j+1]
			if v, ok := htmlEntities[ent]; ok {
				out.WriteString(v)
			} else if n, err := strconv.ParseInt(strings.TrimPrefix(ent[1:len(ent)-1], "#"), 10, 32); err == nil && strings.HasPrefix(ent, "&#") {
				out.WriteRune(rune(n))
			} else {
				return "", fmt.Errorf("unsupported HTML entity %q at byte offset %d", ent, i)
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("unexpected > at byte offset %d", i)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return out.String(), nil
}

// checkMarkup validates a reply_markup as Telegram does.
func checkMarkup(raw json.RawMessage) error {
	var m struct {
		InlineKeyboard *[][]map[string]json.RawMessage `json:"inline_keyboard"`
		Keyboard       *[][]json.RawMessage            `json:"keyboard"`
		RemoveKeyboard bool                            `json:"remove_keyboard"`
		ForceReply     bool                            `json:"force_reply"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("can't parse reply keyboard markup JSON object")
	}
	switch {
	case m.InlineKeyboard != nil:
		if len(*m.InlineKeyboard) > maxButtonsRows {
			return fmt.Errorf("too many inline keyboard rows")
		}
		for _, row := range *m.InlineKeyboard {
			for _, b := range row {
				var text, data, link string
				if json.Unmarshal(b["text"], &text) != nil || text == "" {
					return fmt.Errorf("text buttons are unallowed in the inline keyboard")
				}
				_, hasData := b["callback_data"]
				_, hasURL := b["url"]
				_ = json.Unmarshal(b["callback_data"], &data)
				_ = json.Unmarshal(b["url"], &link)
				switch {
				case hasData == hasURL:
					return fmt.Errorf("inline keyboard button must have exactly one of callback_data and url")
				case hasData && (len(data) < 1 || len(data) > maxCallback):
					return fmt.Errorf("BUTTON_DATA_INVALID")
				case hasURL && !strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "tg://"):
					return fmt.Errorf("inline keyboard button URL %q is invalid", link)
				}
			}
		}
	case m.Keyboard != nil:
		for _, row := range *m.Keyboard {
			for _, b := range row {
				var kb struct {
					Text string `json:"text"`
				}
				var plain string
				if json.Unmarshal(b, &plain) != nil && (json.Unmarshal(b, &kb) != nil || kb.Text == "") {
					return fmt.Errorf("keyboard button text is empty")
				}
			}
		}
	case m.RemoveKeyboard, m.ForceReply:
	default:
		return fmt.Errorf("can't find field \"inline_keyboard\"")
	}
	return nil
}

func (f *botAPI) answer(params map[string]json.RawMessage) (any, *apiError) {
	var id, text string
	_ = json.Unmarshal(params["callback_query_id"], &id)
	_ = json.Unmarshal(params["text"], &text)
	f.mu.Lock()
	answered, known := f.callbacks[id]
	known = known || f.open && id != ""
	if known && !answered {
		f.callbacks[id] = true
		f.notifyLocked()
	}
	f.mu.Unlock()
	if !known || answered {
		return nil, f.refuse(&apiError{400, "Bad Request: query is too old and response timeout expired or query ID is invalid", 0}, "callback query %q", id)
	}
	if len(utf16.Encode([]rune(text))) > maxAnswerText {
		return nil, f.refuse(&apiError{400, "Bad Request: MESSAGE_TOO_LONG", 0}, "answer text")
	}
	return true, nil
}

// queue adds an update for getUpdates.
func (f *botAPI) queue(id int64, update []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, update)
	f.updateIDs = append(f.updateIDs, id)
	f.notifyLocked()
}

func (f *botAPI) getUpdates(r *http.Request, params map[string]json.RawMessage) (any, *apiError) {
	var offset int64
	limit, timeout := 100, 0
	_ = json.Unmarshal(params["offset"], &offset)
	_ = json.Unmarshal(params["limit"], &limit)
	_ = json.Unmarshal(params["timeout"], &timeout)
	if limit < 1 || limit > 100 {
		limit = 100
	}
	f.mu.Lock()
	f.offsets = append(f.offsets, offset)
	f.notifyLocked()
	switch {
	case f.conflicts > 0:
		f.conflicts--
		f.mu.Unlock()
		return nil, &apiError{409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0}
	case f.webhook != "":
		f.mu.Unlock()
		return nil, f.refuse(&apiError{409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0}, "getUpdates with a webhook set")
	case f.polling:
		f.mu.Unlock()
		return nil, f.refuse(&apiError{409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", 0}, "two pollers")
	}
	f.polling = true
	defer func() {
		f.mu.Lock()
		f.polling = false
		f.notifyLocked()
		f.mu.Unlock()
	}()
	// Confirm what the offset says was processed.
	for len(f.updateIDs) > 0 && offset > 0 && f.updateIDs[0] < offset {
		f.updates, f.updateIDs = f.updates[1:], f.updateIDs[1:]
	}
	deadline := time.After(time.Duration(timeout) * time.Second)
	for len(f.updates) == 0 && timeout > 0 {
		changed := f.changed
		f.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			f.mu.Lock()
			timeout = 0
			continue
		case <-r.Context().Done():
			f.mu.Lock()
			f.mu.Unlock()
			return nil, &apiError{499, "client closed the request", 0}
		}
		f.mu.Lock()
	}
	out := append([]json.RawMessage(nil), f.updates[:min(limit, len(f.updates))]...)
	f.mu.Unlock()
	return out, nil
}

// waitSent waits until the chat has want sends not read before (or a few
// seconds pass) and returns their texts, marking them read.
func (f *botAPI) waitSent(chat int64, want int) []sentCall {
	deadline := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		var mine []sentCall
		for _, s := range f.sent {
			if s.ChatID == chat {
				mine = append(mine, s)
			}
		}
		fresh := mine[min(f.cursor[chat], len(mine)):]
		changed := f.changed
		if len(fresh) >= want {
			f.cursor[chat] = len(mine)
			f.mu.Unlock()
			return fresh
		}
		f.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			f.mu.Lock()
			f.cursor[chat] = len(mine)
			f.mu.Unlock()
			return fresh
		}
	}
}

// waitFor waits until cond holds under the fake's lock, or a few seconds
// pass; it reports whether cond held.
func (f *botAPI) waitFor(cond func(f *botAPI) bool) bool {
	deadline := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		ok := cond(f)
		changed := f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-deadline:
			return false
		}
	}
}

// count returns how often method was called.
func (f *botAPI) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.methods[method]
}

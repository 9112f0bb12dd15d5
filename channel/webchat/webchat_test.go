package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/webchat"
)

// fakeRuntime answers RecognizeText with its function and records requests.
type fakeRuntime struct {
	mu        sync.Mutex
	recognize func(req *parley.TurnRequest) (*parley.TurnResult, error)
	got       []*parley.TurnRequest
}

var _ parley.Runtime = (*fakeRuntime)(nil)

func (f *fakeRuntime) RecognizeText(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	f.mu.Lock()
	f.got = append(f.got, req)
	f.mu.Unlock()
	if f.recognize == nil {
		return &parley.TurnResult{SessionID: req.Key.SessionID}, nil
	}
	return f.recognize(req)
}

func (f *fakeRuntime) PutSession(context.Context, *parley.PutSessionRequest) (*parley.TurnResult, error) {
	return nil, errors.New("fake: PutSession is not used by the web chat")
}

func (f *fakeRuntime) GetSession(context.Context, parley.SessionKey) (*parley.Session, error) {
	return nil, errors.New("fake: GetSession is not used by the web chat")
}

func (f *fakeRuntime) DeleteSession(context.Context, parley.SessionKey) error {
	return errors.New("fake: DeleteSession is not used by the web chat")
}

func (f *fakeRuntime) last(t *testing.T) *parley.TurnRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) == 0 {
		t.Fatal("the runtime was not called")
	}
	return f.got[len(f.got)-1]
}

// catalog is a fixed BotCatalog.
type catalog []*parley.Bot

var _ parley.BotCatalog = catalog(nil)

func (c catalog) Bots() []*parley.Bot { return c }

var (
	helloBot = &parley.Bot{ID: "HELLOBOT01", Name: "HelloWorld", Description: "인사 봇",
		Locales: []*parley.Locale{{ID: "ko_KR"}, {ID: "en_US"}}}
	pizzaBot = &parley.Bot{ID: "PIZZABOT01", Name: "PizzaShop", Description: "Orders pizza",
		Locales: []*parley.Locale{{ID: "en_US"}}}
)

func do(t *testing.T, h http.Handler, method, target, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func postChat(t *testing.T, h http.Handler, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodPost, "/chat", "application/json", body)
}

func TestPage(t *testing.T) {
	h := webchat.NewHandler(&fakeRuntime{}, catalog{helloBot}, webchat.Options{})
	for _, path := range []string{"/", "/chat.html"} {
		t.Run(path, func(t *testing.T) {
			rec := do(t, h, http.MethodGet, path, "", "")
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") {
				t.Errorf("Content-Security-Policy %q allows unsafe sources", csp)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			body := rec.Body.String()
			for _, want := range []string{`<meta name="viewport"`, `id="input"`, `id="picker"`, `src="assets/chat.js?v=`} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
				t.Errorf("page has inline script or style, which the CSP forbids")
			}
		})
	}
}

func TestAssets(t *testing.T) {
	h := webchat.NewHandler(&fakeRuntime{}, catalog{helloBot}, webchat.Options{})
	page := do(t, h, http.MethodGet, "/", "", "").Body.String()
	refs := regexp.MustCompile(`(?:src|href)="(assets/[^"?]+)\?v=([0-9a-f]+)"`).FindAllStringSubmatch(page, -1)
	wantTypes := map[string]string{
		"assets/chat.js":  "text/javascript; charset=utf-8",
		"assets/chat.css": "text/css; charset=utf-8",
		"assets/icon.svg": "image/svg+xml",
	}
	if len(refs) != len(wantTypes) {
		t.Fatalf("page references %d versioned assets, want %d: %q", len(refs), len(wantTypes), refs)
	}
	for _, ref := range refs {
		name, version := ref[1], ref[2]
		t.Run(name, func(t *testing.T) {
			rec := do(t, h, http.MethodGet, "/"+name+"?v="+version, "", "")
			if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
				t.Fatalf("status = %d, %d bytes", rec.Code, rec.Body.Len())
			}
			if ct := rec.Header().Get("Content-Type"); ct != wantTypes[name] {
				t.Errorf("Content-Type = %q, want %q", ct, wantTypes[name])
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("versioned Cache-Control = %q, want a year, immutable", cc)
			}
			etag := rec.Header().Get("ETag")
			if etag != `"`+version+`"` {
				t.Errorf("ETag = %q, want the page's version %q", etag, version)
			}

			plain := do(t, h, http.MethodGet, "/"+name, "", "")
			if cc := plain.Header().Get("Cache-Control"); !strings.Contains(cc, "must-revalidate") {
				t.Errorf("unversioned Cache-Control = %q, want revalidation", cc)
			}
			req := httptest.NewRequest(http.MethodGet, "/"+name, nil)
			req.Header.Set("If-None-Match", etag)
			cached := httptest.NewRecorder()
			h.ServeHTTP(cached, req)
			if cached.Code != http.StatusNotModified {
				t.Errorf("If-None-Match with the ETag: status = %d, want 304", cached.Code)
			}
		})
	}
}

// TestScriptNeverParsesHTML guards the page's escaping rule: user and bot
// text reach the DOM only as text, so the script must not use the APIs that
// parse strings as HTML.
func TestScriptNeverParsesHTML(t *testing.T) {
	h := webchat.NewHandler(&fakeRuntime{}, catalog{helloBot}, webchat.Options{})
	script := do(t, h, http.MethodGet, "/assets/chat.js", "", "").Body.String()
	if !strings.Contains(script, "textContent") {
		t.Fatalf("chat.js was not served or never sets textContent")
	}
	for _, api := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(script, api) {
			t.Errorf("chat.js uses %s", api)
		}
	}
}

func TestRoutes(t *testing.T) {
	h := webchat.NewHandler(&fakeRuntime{}, catalog{helloBot}, webchat.Options{})
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"unknown page", http.MethodGet, "/nope", http.StatusNotFound},
		{"unknown asset", http.MethodGet, "/assets/nope.js", http.StatusNotFound},
		{"asset folder", http.MethodGet, "/assets/", http.StatusNotFound},
		{"GET /chat", http.MethodGet, "/chat", http.StatusMethodNotAllowed},
		{"POST /", http.MethodPost, "/", http.StatusMethodNotAllowed},
		{"POST /bots", http.MethodPost, "/bots", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := do(t, h, tt.method, tt.path, "", ""); rec.Code != tt.want {
				t.Errorf("%s %s: status = %d, want %d", tt.method, tt.path, rec.Code, tt.want)
			}
		})
	}
}

func TestBots(t *testing.T) {
	tests := []struct {
		name string
		bots catalog
		want string
	}{
		{"none", catalog{}, `[]`},
		{"two", catalog{helloBot, pizzaBot}, `[
			{"id":"HELLOBOT01","name":"HelloWorld","description":"인사 봇","locales":["ko_KR","en_US"]},
			{"id":"PIZZABOT01","name":"PizzaShop","description":"Orders pizza","locales":["en_US"]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := webchat.NewHandler(&fakeRuntime{}, tt.bots, webchat.Options{})
			rec := do(t, h, http.MethodGet, "/bots", "", "")
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			assertJSON(t, rec.Body.Bytes(), tt.want)
		})
	}
}

// assertJSON compares two JSON documents by value.
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON =\n%s\nwant\n%s", got, want)
	}
}

func TestChat(t *testing.T) {
	messages := []parley.Message{
		{ContentType: parley.ContentPlainText, Content: "홍길동님이 맞으세요?"},
		{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
			Title: "확인해 주세요", Buttons: []parley.Button{{Text: "네", Value: "네"}, {Text: "아니요", Value: "아니요"}}}},
		{ContentType: parley.ContentSSML, Content: "<speak>hi</speak>"},
		{ContentType: parley.ContentCustomPayload, Content: `{"k":1}`},
	}
	rt := &fakeRuntime{recognize: func(req *parley.TurnRequest) (*parley.TurnResult, error) {
		return &parley.TurnResult{
			SessionID: req.Key.SessionID,
			Messages:  messages,
			SessionState: parley.SessionState{Intent: &parley.SessionIntent{
				Name:  "HelloIntent",
				State: parley.IntentInProgress,
				Slots: map[string]*parley.SlotValue{
					"Name": parley.ScalarSlot("홍길동이에요", "홍길동"),
					"Age":  nil,
					"Tags": {Shape: parley.ShapeList, Values: []*parley.SlotValue{parley.ScalarSlot("a", "A"), parley.ScalarSlot("b", "B")}},
				},
			}},
		}, nil
	}}
	h := webchat.NewHandler(rt, catalog{helloBot, pizzaBot}, webchat.Options{})
	rec := postChat(t, h, `{"text":"홍길동이에요","sessionId":"s-1","botId":"HELLOBOT01","localeId":"ko_KR"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	assertJSON(t, rec.Body.Bytes(), `{
		"sessionId": "s-1",
		"messages": [
			{"contentType":"PlainText","content":"홍길동님이 맞으세요?"},
			{"contentType":"ImageResponseCard","imageResponseCard":{"title":"확인해 주세요",
				"buttons":[{"text":"네","value":"네"},{"text":"아니요","value":"아니요"}]}},
			{"contentType":"SSML","content":"<speak>hi</speak>"},
			{"contentType":"CustomPayload","content":"{\"k\":1}"}
		],
		"intent": "HelloIntent",
		"state": "InProgress",
		"slots": {"Name":"홍길동","Age":null,"Tags":"A, B"}
	}`)
	want := parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "s-1"}
	got := rt.last(t)
	if got.Key != want || got.Text != "홍길동이에요" || got.InputMode != parley.InputText {
		t.Errorf("runtime got key %+v text %q mode %q, want %+v, 홍길동이에요, Text", got.Key, got.Text, got.InputMode, want)
	}
}

func TestChatNoIntent(t *testing.T) {
	rt := &fakeRuntime{recognize: func(req *parley.TurnRequest) (*parley.TurnResult, error) {
		// A runtime that leaves the session id out still gets the request's.
		return &parley.TurnResult{}, nil
	}}
	h := webchat.NewHandler(rt, catalog{helloBot}, webchat.Options{})
	rec := postChat(t, h, `{"text":"hi","sessionId":"abc"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	assertJSON(t, rec.Body.Bytes(), `{"sessionId":"abc","messages":[],"intent":null,"state":null,"slots":{}}`)
}

var generatedSession = regexp.MustCompile(`^[0-9A-Za-z._:-]{2,100}$`)

func TestChatDefaults(t *testing.T) {
	tests := []struct {
		name       string
		bots       catalog
		body       string
		wantKey    parley.SessionKey // SessionID "" means: generated
		wantStatus int
	}{
		{"only bot, first locale, new session", catalog{helloBot}, `{"text":"안녕"}`,
			parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR"}, http.StatusOK},
		{"only bot, chosen locale", catalog{helloBot}, `{"text":"hi","localeId":"en_US"}`,
			parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "en_US"}, http.StatusOK},
		{"chosen bot of several, its first locale", catalog{helloBot, pizzaBot}, `{"text":"pizza","botId":"PIZZABOT01"}`,
			parley.SessionKey{BotID: "PIZZABOT01", AliasID: "TSTALIASID", LocaleID: "en_US"}, http.StatusOK},
		{"session kept", catalog{helloBot}, `{"text":"안녕","sessionId":"user-42"}`,
			parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "user-42"}, http.StatusOK},
		{"empty strings are absent", catalog{helloBot}, `{"text":"안녕","sessionId":"","botId":"","localeId":""}`,
			parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &fakeRuntime{}
			h := webchat.NewHandler(rt, tt.bots, webchat.Options{})
			rec := postChat(t, h, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d: %s", rec.Code, rec.Body)
			}
			got := rt.last(t).Key
			if tt.wantKey.SessionID == "" {
				if !generatedSession.MatchString(got.SessionID) {
					t.Errorf("generated session id %q does not match Lex's pattern", got.SessionID)
				}
				tt.wantKey.SessionID = got.SessionID
			}
			if got != tt.wantKey {
				t.Errorf("key = %+v, want %+v", got, tt.wantKey)
			}
			var resp struct{ SessionID string }
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.SessionID != got.SessionID {
				t.Errorf("response sessionId = %q (%v), want %q", resp.SessionID, err, got.SessionID)
			}
		})
	}

	t.Run("generated sessions differ", func(t *testing.T) {
		rt := &fakeRuntime{}
		h := webchat.NewHandler(rt, catalog{helloBot}, webchat.Options{})
		postChat(t, h, `{"text":"a"}`)
		first := rt.last(t).Key.SessionID
		postChat(t, h, `{"text":"a"}`)
		if second := rt.last(t).Key.SessionID; first == second {
			t.Errorf("two new conversations got the same session id %q", first)
		}
	})
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name        string
		bots        catalog
		contentType string
		body        string
		runtimeErr  error
		wantStatus  int
		wantCode    parley.ErrorCode
		wantMessage string // a substring
	}{
		{name: "several bots, no botId", bots: catalog{helloBot, pizzaBot}, body: `{"text":"hi"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "botId: required when several bots are served (HELLOBOT01, PIZZABOT01)"},
		{name: "no bots", bots: catalog{}, body: `{"text":"hi"}`,
			wantStatus: 404, wantCode: parley.ErrNotFound, wantMessage: "botId"},
		{name: "unknown bot", body: `{"text":"hi","botId":"NOSUCHBOT1"}`,
			wantStatus: 404, wantCode: parley.ErrNotFound, wantMessage: `botId: no bot "NOSUCHBOT1"`},
		{name: "malformed bot id", body: `{"text":"hi","botId":"x"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "botId: must be exactly 10"},
		{name: "unknown locale", body: `{"text":"hi","localeId":"fr_FR"}`,
			wantStatus: 404, wantCode: parley.ErrNotFound, wantMessage: `localeId: bot HELLOBOT01 has no locale "fr_FR" (it has ko_KR, en_US)`},
		{name: "missing text", body: `{}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "text: length must be 1–1024"},
		{name: "text too long", body: `{"text":"` + strings.Repeat("가", 1025) + `"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "text: length must be 1–1024 characters, got 1025"},
		{name: "bad session id", body: `{"text":"hi","sessionId":"a b"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "sessionId"},
		{name: "runtime: not found", body: `{"text":"hi"}`, runtimeErr: parley.Errorf(parley.ErrNotFound, "no such session"),
			wantStatus: 404, wantCode: parley.ErrNotFound, wantMessage: "no such session"},
		{name: "runtime: conflict", body: `{"text":"hi"}`, runtimeErr: parley.Errorf(parley.ErrConflict, "another turn won"),
			wantStatus: 409, wantCode: parley.ErrConflict, wantMessage: "another turn won"},
		{name: "runtime: code hook failed", body: `{"text":"hi"}`, runtimeErr: parley.Errorf(parley.ErrDependencyFailed, "hook timed out"),
			wantStatus: 424, wantCode: parley.ErrDependencyFailed, wantMessage: "hook timed out"},
		{name: "runtime: uncoded error stays private", body: `{"text":"hi"}`, runtimeErr: errors.New("disk on fire"),
			wantStatus: 500, wantCode: parley.ErrInternal, wantMessage: "Internal server error."},
		{name: "empty body", body: ``,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "request body: empty"},
		{name: "truncated JSON", body: `{"text":`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "request body: truncated JSON"},
		{name: "invalid JSON", body: `{"text" "hi"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "request body: invalid JSON at byte"},
		{name: "wrong type", body: `{"text":5}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "text: must be a string, got JSON number"},
		{name: "not an object", body: `["hi"]`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "request body: must be a JSON object, got JSON array"},
		{name: "unknown field", body: `{"txt":"hi"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: `unknown field "txt"`},
		{name: "two objects", body: `{"text":"a"}{"text":"b"}`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "unexpected data after the JSON object"},
		{name: "garbage after the object", body: `{"text":"a"} x`,
			wantStatus: 400, wantCode: parley.ErrValidation, wantMessage: "invalid JSON"},
		{name: "too large", body: `{"text":"` + strings.Repeat("a", webchat.MaxRequestBytes) + `"}`,
			wantStatus: 413, wantCode: parley.ErrValidation, wantMessage: "request body: larger than 65536 bytes"},
		{name: "not JSON content type", contentType: "text/plain", body: `{"text":"hi"}`,
			wantStatus: 415, wantCode: parley.ErrUnsupported, wantMessage: "Content-Type must be application/json"},
		{name: "no content type", contentType: "-", body: `{"text":"hi"}`,
			wantStatus: 415, wantCode: parley.ErrUnsupported, wantMessage: "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bots := tt.bots
			if bots == nil {
				bots = catalog{helloBot}
			}
			rt := &fakeRuntime{}
			if tt.runtimeErr != nil {
				rt.recognize = func(*parley.TurnRequest) (*parley.TurnResult, error) { return nil, tt.runtimeErr }
			}
			var logs bytes.Buffer
			h := webchat.NewHandler(rt, bots, webchat.Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			ct := tt.contentType
			switch ct {
			case "":
				ct = "application/json; charset=utf-8"
			case "-":
				ct = ""
			}
			rec := do(t, h, http.MethodPost, "/chat", ct, tt.body)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			var body struct {
				Error struct {
					Code    parley.ErrorCode `json:"code"`
					Message string           `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
			}
			if body.Error.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", body.Error.Code, tt.wantCode)
			}
			if !strings.Contains(body.Error.Message, tt.wantMessage) {
				t.Errorf("message = %q, want it to contain %q", body.Error.Message, tt.wantMessage)
			}
			if tt.wantStatus == 500 {
				if strings.Contains(rec.Body.String(), "disk on fire") {
					t.Errorf("internal error leaked to the client: %s", rec.Body)
				}
				if !strings.Contains(logs.String(), "disk on fire") {
					t.Errorf("internal error not logged; log:\n%s", logs.String())
				}
			}
		})
	}
}

func FuzzChatRequest(f *testing.F) {
	for _, seed := range []string{
		`{"text":"안녕"}`,
		`{"text":"hi","sessionId":"s-1","botId":"HELLOBOT01","localeId":"ko_KR"}`,
		`{"text":"hi","botId":"PIZZABOT01"}`,
		`{"text":"","sessionId":"a b"}`,
		`{"text":"\ud800"}`,
		`{"TEXT":"case","SessionId":"x"}`,
		`{"text":null}`,
		`[1,2]`,
		`{"text":"a"} {}`,
		`{"text":`,
		``,
		`null`,
		`{"unknown":true}`,
	} {
		f.Add(seed)
	}
	rt := &fakeRuntime{recognize: func(req *parley.TurnRequest) (*parley.TurnResult, error) {
		return &parley.TurnResult{SessionID: req.Key.SessionID, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: req.Text}}}, nil
	}}
	h := webchat.NewHandler(rt, catalog{helloBot}, webchat.Options{})
	f.Fuzz(func(t *testing.T, body string) {
		rec := postChat(t, h, body)
		raw, _ := io.ReadAll(rec.Body)
		switch {
		case rec.Code == http.StatusOK:
			var resp struct {
				SessionID string           `json:"sessionId"`
				Messages  []parley.Message `json:"messages"`
			}
			if err := json.Unmarshal(raw, &resp); err != nil {
				t.Fatalf("200 with a body that is not JSON: %v: %q", err, raw)
			}
			req := rt.last(t)
			if err := req.Validate(); err != nil {
				t.Fatalf("the runtime got an invalid request %+v: %v", req, err)
			}
			if resp.SessionID != req.Key.SessionID || len(resp.Messages) != 1 || resp.Messages[0].Content != req.Text {
				t.Fatalf("response %q does not carry the turn of %+v", raw, req)
			}
		case rec.Code >= 400 && rec.Code < 500:
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("status %d with a bad error body (%v): %q", rec.Code, err, raw)
			}
		default:
			t.Fatalf("status %d for body %q: %q", rec.Code, body, raw)
		}
	})
}

// TestChatClientGone: a turn that stopped because its client hung up is
// logged as that, not as a failed turn at error level.
func TestChatClientGone(t *testing.T) {
	rt := &fakeRuntime{recognize: func(*parley.TurnRequest) (*parley.TurnResult, error) {
		return nil, context.Canceled
	}}
	var logs bytes.Buffer
	h := webchat.NewHandler(rt, catalog{helloBot}, webchat.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, "/chat", strings.NewReader(`{"text":"안녕","sessionId":"s-1","botId":"HELLOBOT01","localeId":"ko_KR"}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "client went away") {
		t.Errorf("log:\n%s\nwant an info line saying the client went away and no error", logs.String())
	}
}

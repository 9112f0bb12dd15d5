package lexapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/lexapi"
)

// fakeRuntime is a parley.Runtime whose methods are function fields, so each
// test stubs only what it calls; an unstubbed call is a test failure that
// the handler reports as a 500.
type fakeRuntime struct {
	recognizeText func(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error)
	putSession    func(ctx context.Context, req *parley.PutSessionRequest) (*parley.TurnResult, error)
	getSession    func(ctx context.Context, key parley.SessionKey) (*parley.Session, error)
	deleteSession func(ctx context.Context, key parley.SessionKey) error
}

var _ parley.Runtime = (*fakeRuntime)(nil)

var errUnexpected = errors.New("fake runtime: unexpected call")

func (f *fakeRuntime) RecognizeText(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	if f.recognizeText == nil {
		return nil, errUnexpected
	}
	return f.recognizeText(ctx, req)
}

func (f *fakeRuntime) PutSession(ctx context.Context, req *parley.PutSessionRequest) (*parley.TurnResult, error) {
	if f.putSession == nil {
		return nil, errUnexpected
	}
	return f.putSession(ctx, req)
}

func (f *fakeRuntime) GetSession(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	if f.getSession == nil {
		return nil, errUnexpected
	}
	return f.getSession(ctx, key)
}

func (f *fakeRuntime) DeleteSession(ctx context.Context, key parley.SessionKey) error {
	if f.deleteSession == nil {
		return errUnexpected
	}
	return f.deleteSession(ctx, key)
}

const (
	sessionURL = "/bots/PIZZABOT01/botAliases/TSTALIASID/botLocales/en_US/sessions/user-42"
	textURL    = sessionURL + "/text"
	uttURL     = sessionURL + "/utterance"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// pizzaResult is a mid-dialog turn: Size filled, Crust and Topping not.
func pizzaResult() *parley.TurnResult {
	return &parley.TurnResult{
		SessionID: "user-42",
		Messages:  []parley.Message{{ContentType: parley.ContentPlainText, Content: "Which crust: thin, thick or stuffed?"}},
		SessionState: parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"},
			Intent: &parley.SessionIntent{
				Name:              "OrderPizza",
				State:             parley.IntentInProgress,
				ConfirmationState: parley.ConfirmationNone,
				Slots: map[string]*parley.SlotValue{
					"Size":    parley.ScalarSlot("large", "large", "large"),
					"Crust":   nil,
					"Topping": nil,
				},
			},
		},
		Interpretations: []parley.Interpretation{
			{Intent: parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": {Shape: parley.ShapeScalar, Value: &parley.Value{OriginalValue: "large", InterpretedValue: "large"}}, "Crust": nil, "Topping": nil}, State: parley.IntentInProgress, ConfirmationState: parley.ConfirmationNone}, NLUConfidence: &parley.Confidence{Score: 0.91}},
			{Intent: parley.SessionIntent{Name: "FallbackIntent"}},
			{Intent: parley.SessionIntent{Name: "CheckOrderStatus", Slots: map[string]*parley.SlotValue{}}, NLUConfidence: &parley.Confidence{Score: 0.12}},
		},
	}
}

func do(t *testing.T, h http.Handler, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkCommon asserts the headers every answer carries.
func checkCommon(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if id := rec.Header().Get("x-amzn-RequestId"); !uuidPattern.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q, want a v4 UUID", id)
	}
	if d := rec.Header().Get("Date"); d == "" {
		t.Error("no Date header")
	} else if _, err := http.ParseTime(d); err != nil {
		t.Errorf("Date %q: %v", d, err)
	}
}

// lexError is a decoded Lex error answer.
type lexError struct {
	Status  int
	Header  string // X-Amzn-ErrorType
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func decodeError(t *testing.T, rec *httptest.ResponseRecorder) lexError {
	t.Helper()
	checkCommon(t, rec)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type = %q, want application/json", ct)
	}
	var e lexError
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	e.Status = rec.Code
	e.Header = rec.Header().Get("X-Amzn-ErrorType")
	return e
}

// unheader decodes a base64 gzip header value.
func unheader(t *testing.T, v string) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatalf("header %q is not base64: %v", v, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("header %q is not gzip: %v", v, err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return plain
}

func gzipB64(s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// jsonEqual asserts that got and want are the same JSON value.
func jsonEqual(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %q is not JSON: %v", what, got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: want %q is not JSON: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

func TestRecognizeText(t *testing.T) {
	var got *parley.TurnRequest
	rt := &fakeRuntime{recognizeText: func(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
		got = req
		res := pizzaResult()
		res.RequestAttributes = req.RequestAttributes
		return res, nil
	}}
	h := lexapi.NewHandler(rt, lexapi.Options{})
	rec := do(t, h, http.MethodPost, textURL, `{"text":"a large pizza","requestAttributes":{"channel":"web"},"unknownKey":[1,2]}`,
		map[string]string{"Content-Type": "application/json", "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lex/aws4_request, SignedHeaders=host, Signature=00", "X-Amz-Date": "20260101T000000Z"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	checkCommon(t, rec)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	wantKey := parley.SessionKey{BotID: "PIZZABOT01", AliasID: "TSTALIASID", LocaleID: "en_US", SessionID: "user-42"}
	if got == nil || got.Key != wantKey || got.Text != "a large pizza" || got.InputMode != parley.InputText || got.RequestAttributes["channel"] != "web" {
		t.Fatalf("runtime got %+v", got)
	}
	reqID := rec.Header().Get("x-amzn-RequestId")
	jsonEqual(t, "body", rec.Body.Bytes(), `{
		"sessionId": "user-42",
		"messages": [{"contentType": "PlainText", "content": "Which crust: thin, thick or stuffed?"}],
		"sessionState": {
			"dialogAction": {"type": "ElicitSlot", "slotToElicit": "Crust"},
			"intent": {"name": "OrderPizza", "state": "InProgress", "confirmationState": "None",
				"slots": {"Size": {"shape": "Scalar", "value": {"originalValue": "large", "interpretedValue": "large", "resolvedValues": ["large"]}},
					"Crust": null, "Topping": null}},
			"sessionAttributes": {},
			"originatingRequestId": "`+reqID+`"
		},
		"interpretations": [
			{"intent": {"name": "OrderPizza", "state": "InProgress", "confirmationState": "None",
				"slots": {"Size": {"shape": "Scalar", "value": {"originalValue": "large", "interpretedValue": "large", "resolvedValues": []}}, "Crust": null, "Topping": null}},
			 "nluConfidence": {"score": 0.91}, "interpretationSource": "Lex"},
			{"intent": {"name": "FallbackIntent", "slots": {}}, "interpretationSource": "Lex"},
			{"intent": {"name": "CheckOrderStatus", "slots": {}}, "nluConfidence": {"score": 0.12}, "interpretationSource": "Lex"}
		],
		"requestAttributes": {"channel": "web"}
	}`)
}

// TestResponseDoesNotModifyResult guards the engine's values: shaping the
// wire copy must not write into the result the runtime returned.
func TestResponseDoesNotModifyResult(t *testing.T) {
	res := pizzaResult()
	res.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "order_placed", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 600, TurnsToLive: 5}}}
	rt := &fakeRuntime{recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return res, nil }}
	rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, textURL, `{"text":"hi"}`, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"activeContexts":[{"name":"order_placed","timeToLive":{"timeToLiveInSeconds":600,"turnsToLive":5},"contextAttributes":{}}]`) {
		t.Errorf("body lacks the context with contextAttributes {}: %s", rec.Body)
	}
	if res.SessionState.SessionAttributes != nil || res.SessionState.ActiveContexts[0].ContextAttributes != nil || res.SessionState.OriginatingRequestID != "" {
		t.Errorf("handler modified the runtime's result: %+v", res.SessionState)
	}
	if res.Interpretations[0].Intent.Slots["Size"].Value.ResolvedValues != nil || res.Interpretations[0].InterpretationSource != "" {
		t.Errorf("handler modified the runtime's interpretations: %+v", res.Interpretations[0])
	}
}

// TestRequestStateSemantics checks that omitted, null, {} and [] reach the
// runtime distinguishably: omitted keeps the stored value, empty clears it.
func TestRequestStateSemantics(t *testing.T) {
	cases := []struct {
		name         string
		state        string // the sessionState member, "" = omitted
		wantState    bool
		wantAttrs    map[string]string
		wantContexts []parley.ActiveContext
	}{
		{name: "state omitted"},
		{name: "state null", state: `null`},
		{name: "attributes omitted", state: `{}`, wantState: true},
		{name: "attributes null", state: `{"sessionAttributes":null}`, wantState: true},
		{name: "attributes empty", state: `{"sessionAttributes":{}}`, wantState: true, wantAttrs: map[string]string{}},
		{name: "attributes set", state: `{"sessionAttributes":{"a":"b"}}`, wantState: true, wantAttrs: map[string]string{"a": "b"}},
		{name: "contexts empty", state: `{"activeContexts":[]}`, wantState: true, wantContexts: []parley.ActiveContext{}},
		{name: "contexts set", state: `{"activeContexts":[{"name":"order_placed","timeToLive":{"timeToLiveInSeconds":60,"turnsToLive":2},"contextAttributes":{"Size":"large"}}]}`, wantState: true,
			wantContexts: []parley.ActiveContext{{Name: "order_placed", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 2}, ContextAttributes: map[string]string{"Size": "large"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *parley.TurnRequest
			rt := &fakeRuntime{recognizeText: func(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
				got = req
				return pizzaResult(), nil
			}}
			h := lexapi.NewHandler(rt, lexapi.Options{})
			body := `{"text":"hi"}`
			if tc.state != "" {
				body = `{"text":"hi","sessionState":` + tc.state + `}`
			}
			check := func(via string, rec *httptest.ResponseRecorder) {
				t.Helper()
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d: %s", via, rec.Code, rec.Body)
				}
				if (got.SessionState != nil) != tc.wantState {
					t.Fatalf("%s: sessionState = %+v, want present %v", via, got.SessionState, tc.wantState)
				}
				if got.SessionState == nil {
					return
				}
				if !reflect.DeepEqual(got.SessionState.SessionAttributes, tc.wantAttrs) {
					t.Errorf("%s: sessionAttributes = %#v, want %#v", via, got.SessionState.SessionAttributes, tc.wantAttrs)
				}
				if !reflect.DeepEqual(got.SessionState.ActiveContexts, tc.wantContexts) {
					t.Errorf("%s: activeContexts = %#v, want %#v", via, got.SessionState.ActiveContexts, tc.wantContexts)
				}
			}
			check("RecognizeText", do(t, h, http.MethodPost, textURL, body, nil))
			if tc.state != "" && tc.state != "null" {
				check("RecognizeUtterance", do(t, h, http.MethodPost, uttURL, "hi", map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": gzipB64(tc.state)}))
			}
		})
	}
}

func TestRequestAttributesSemantics(t *testing.T) {
	cases := []struct {
		name string
		body string
		want map[string]string
	}{
		{name: "omitted", body: `{"text":"hi"}`},
		{name: "empty", body: `{"text":"hi","requestAttributes":{}}`, want: map[string]string{}},
		{name: "set", body: `{"text":"hi","requestAttributes":{"k":"v"}}`, want: map[string]string{"k": "v"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got map[string]string
			rt := &fakeRuntime{recognizeText: func(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
				got = req.RequestAttributes
				return pizzaResult(), nil
			}}
			rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, textURL, tc.body, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("requestAttributes = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestPutSession(t *testing.T) {
	cases := []struct {
		name            string
		headers         map[string]string
		wantContentType string
	}{
		{name: "default content type", wantContentType: "text/plain; charset=utf-8"},
		{name: "Go SDK header spelling", headers: map[string]string{"Responsecontenttype": "text/plain;charset=utf-8"}, wantContentType: "text/plain;charset=utf-8"},
		{name: "lower case header", headers: map[string]string{"responsecontenttype": "text/plain"}, wantContentType: "text/plain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *parley.PutSessionRequest
			rt := &fakeRuntime{putSession: func(_ context.Context, req *parley.PutSessionRequest) (*parley.TurnResult, error) {
				got = req
				return &parley.TurnResult{
					SessionID:         req.Key.SessionID,
					Messages:          []parley.Message{{ContentType: parley.ContentPlainText, Content: "What size would you like: small, medium or large?"}},
					SessionState:      req.SessionState,
					RequestAttributes: req.RequestAttributes,
				}, nil
			}}
			body := `{"sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Size"},"intent":{"name":"OrderPizza","slots":{"Size":null,"Crust":null,"Topping":null}},"sessionAttributes":{"customer":"kim"}},"requestAttributes":{"channel":"sdk"}}`
			rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, sessionURL, body, tc.headers)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			checkCommon(t, rec)
			if rec.Body.Len() != 0 {
				t.Errorf("body = %q, want empty", rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tc.wantContentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.wantContentType)
			}
			if got == nil || got.SessionState.SessionAttributes["customer"] != "kim" || got.SessionState.DialogAction.SlotToElicit != "Size" || got.RequestAttributes["channel"] != "sdk" {
				t.Fatalf("runtime got %+v", got)
			}
			if id := rec.Header().Get("x-amz-lex-session-id"); id != "user-42" {
				t.Errorf("x-amz-lex-session-id = %q", id)
			}
			reqID := rec.Header().Get("x-amzn-RequestId")
			jsonEqual(t, "x-amz-lex-messages", unheader(t, rec.Header().Get("x-amz-lex-messages")), `[{"contentType":"PlainText","content":"What size would you like: small, medium or large?"}]`)
			jsonEqual(t, "x-amz-lex-session-state", unheader(t, rec.Header().Get("x-amz-lex-session-state")), `{
				"dialogAction": {"type": "ElicitSlot", "slotToElicit": "Size"},
				"intent": {"name": "OrderPizza", "slots": {"Size": null, "Crust": null, "Topping": null}},
				"sessionAttributes": {"customer": "kim"},
				"originatingRequestId": "`+reqID+`"}`)
			jsonEqual(t, "x-amz-lex-request-attributes", unheader(t, rec.Header().Get("x-amz-lex-request-attributes")), `{"channel":"sdk"}`)
		})
	}
}

func TestGetSession(t *testing.T) {
	res := pizzaResult()
	rt := &fakeRuntime{getSession: func(_ context.Context, key parley.SessionKey) (*parley.Session, error) {
		if key.SessionID != "user-42" {
			return nil, parley.Errorf(parley.ErrNotFound, "no session %s", key.SessionID)
		}
		state := res.SessionState
		state.SessionAttributes = map[string]string{"customer": "kim"}
		state.OriginatingRequestID = "earlier-request"
		return &parley.Session{Key: key, State: state, Messages: res.Messages, Interpretations: res.Interpretations[:1], Version: 3}, nil
	}}
	h := lexapi.NewHandler(rt, lexapi.Options{})
	rec := do(t, h, http.MethodGet, sessionURL, "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	checkCommon(t, rec)
	jsonEqual(t, "body", rec.Body.Bytes(), `{
		"sessionId": "user-42",
		"messages": [{"contentType": "PlainText", "content": "Which crust: thin, thick or stuffed?"}],
		"interpretations": [{"intent": {"name": "OrderPizza", "state": "InProgress", "confirmationState": "None",
			"slots": {"Size": {"shape": "Scalar", "value": {"originalValue": "large", "interpretedValue": "large", "resolvedValues": []}}, "Crust": null, "Topping": null}},
			"nluConfidence": {"score": 0.91}, "interpretationSource": "Lex"}],
		"sessionState": {"dialogAction": {"type": "ElicitSlot", "slotToElicit": "Crust"},
			"intent": {"name": "OrderPizza", "state": "InProgress", "confirmationState": "None",
				"slots": {"Size": {"shape": "Scalar", "value": {"originalValue": "large", "interpretedValue": "large", "resolvedValues": ["large"]}}, "Crust": null, "Topping": null}},
			"sessionAttributes": {"customer": "kim"},
			"originatingRequestId": "earlier-request"}
	}`)

	e := decodeError(t, do(t, h, http.MethodGet, strings.Replace(sessionURL, "user-42", "nobody", 1), "", nil))
	if e.Status != http.StatusNotFound || e.Type != "ResourceNotFoundException" || e.Header != "ResourceNotFoundException" {
		t.Errorf("unknown session: %+v", e)
	}
}

func TestDeleteSession(t *testing.T) {
	var got parley.SessionKey
	rt := &fakeRuntime{deleteSession: func(_ context.Context, key parley.SessionKey) error {
		got = key
		return nil
	}}
	rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodDelete, "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/s.1:2-3_4", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	checkCommon(t, rec)
	want := parley.SessionKey{BotID: "HELLOBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "s.1:2-3_4"}
	if got != want {
		t.Errorf("runtime got %+v, want %+v", got, want)
	}
	jsonEqual(t, "body", rec.Body.Bytes(), `{"botId":"HELLOBOT01","botAliasId":"TSTALIASID","localeId":"ko_KR","sessionId":"s.1:2-3_4"}`)
}

func TestRecognizeUtterance(t *testing.T) {
	const stateJSON = `{"sessionAttributes":{"customer":"kim"},"dialogAction":{"type":"ElicitSlot","slotToElicit":"Crust"},"intent":{"name":"OrderPizza","slots":{"Size":null}}}`
	const attrsJSON = `{"channel":"phone"}`
	encodings := []struct {
		name   string
		encode func(string) string
	}{
		{name: "gzip base64", encode: gzipB64},
		{name: "base64 json", encode: func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
		{name: "unpadded base64 json", encode: func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
		{name: "raw json", encode: func(s string) string { return s }},
	}
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			var got *parley.TurnRequest
			rt := &fakeRuntime{recognizeText: func(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
				got = req
				res := pizzaResult()
				res.SessionState.SessionAttributes = req.SessionState.SessionAttributes
				res.RequestAttributes = req.RequestAttributes
				return res, nil
			}}
			rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, uttURL, "a large 피자", map[string]string{
				"Content-Type":                 "text/plain; charset=utf-8",
				"x-amz-lex-session-state":      enc.encode(stateJSON),
				"x-amz-lex-request-attributes": enc.encode(attrsJSON),
				"x-amz-content-sha256":         "UNSIGNED-PAYLOAD",
			})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			checkCommon(t, rec)
			if got.Text != "a large 피자" || got.InputMode != parley.InputText || got.SessionState.SessionAttributes["customer"] != "kim" ||
				got.SessionState.Intent.Name != "OrderPizza" || got.RequestAttributes["channel"] != "phone" {
				t.Fatalf("runtime got %+v (state %+v)", got, got.SessionState)
			}
			hd := rec.Header()
			if rec.Body.Len() != 0 {
				t.Errorf("body = %q, want empty", rec.Body)
			}
			for name, want := range map[string]string{"x-amz-lex-input-mode": "Text", "x-amz-lex-session-id": "user-42", "Content-Type": "text/plain; charset=utf-8"} {
				if v := hd.Get(name); v != want {
					t.Errorf("%s = %q, want %q", name, v, want)
				}
			}
			if tr := string(unheader(t, hd.Get("x-amz-lex-input-transcript"))); tr != "a large 피자" {
				t.Errorf("input transcript = %q", tr)
			}
			jsonEqual(t, "x-amz-lex-messages", unheader(t, hd.Get("x-amz-lex-messages")), `[{"contentType":"PlainText","content":"Which crust: thin, thick or stuffed?"}]`)
			jsonEqual(t, "x-amz-lex-request-attributes", unheader(t, hd.Get("x-amz-lex-request-attributes")), attrsJSON)
			var state map[string]any
			if err := json.Unmarshal(unheader(t, hd.Get("x-amz-lex-session-state")), &state); err != nil {
				t.Fatal(err)
			}
			if state["originatingRequestId"] != hd.Get("x-amzn-RequestId") || !reflect.DeepEqual(state["sessionAttributes"], map[string]any{"customer": "kim"}) {
				t.Errorf("session state header = %v", state)
			}
			var its []map[string]any
			if err := json.Unmarshal(unheader(t, hd.Get("x-amz-lex-interpretations")), &its); err != nil {
				t.Fatal(err)
			}
			if len(its) != 3 || !reflect.DeepEqual(its[0]["nluConfidence"], map[string]any{"score": 0.91}) || its[1]["nluConfidence"] != nil {
				t.Errorf("interpretations header = %v", its)
			}
		})
	}
}

func TestValidation(t *testing.T) {
	long := strings.Repeat("a", 1025)
	cases := []struct {
		name    string
		method  string
		path    string
		body    string
		headers map[string]string
		want    string // the message must contain it (the field)
	}{
		{name: "text missing", path: textURL, body: `{}`, want: "text: length must be 1–1024"},
		{name: "text empty body", path: textURL, body: ``, want: "text:"},
		{name: "text too long", path: textURL, body: `{"text":"` + long + `"}`, want: "text: length must be 1–1024 characters, got 1025"},
		{name: "text too long in UTF-16", path: textURL, body: `{"text":"` + strings.Repeat("😀", 513) + `"}`, want: "text: length must be 1–1024 characters, got 1026"},
		{name: "text wrong type", path: textURL, body: `{"text":5}`, want: "text: must be a string, got JSON number"},
		{name: "attribute wrong type", path: textURL, body: `{"text":"hi","sessionState":{"sessionAttributes":{"a":5}}}`, want: "sessionState.sessionAttributes"},
		{name: "slots wrong type", path: textURL, body: `{"text":"hi","sessionState":{"intent":{"name":"OrderPizza","slots":[]}}}`, want: "sessionState.intent.slots: must be an object, got JSON array"},
		{name: "body not an object", path: textURL, body: `[1]`, want: "must be an object, got JSON array"},
		{name: "malformed JSON", path: textURL, body: `{"text":"hi",}`, want: "malformed JSON at offset 14"},
		{name: "truncated JSON", path: textURL, body: `{"text":"hi"`, want: "unexpected end of input"},
		{name: "trailing data", path: textURL, body: `{"text":"hi"} {}`, want: "unexpected data after the JSON value"},
		{name: "body too large", path: textURL, body: `{"text":"hi","requestAttributes":{"k":"` + strings.Repeat("x", 70000) + `"}}`, want: "request body exceeds 65536 bytes"},
		{name: "bad bot id", path: "/bots/PIZZA/botAliases/TSTALIASID/botLocales/en_US/sessions/user-42/text", body: `{"text":"hi"}`, want: "botId"},
		{name: "bad alias id", path: "/bots/PIZZABOT01/botAliases/TST-ALIAS/botLocales/en_US/sessions/user-42/text", body: `{"text":"hi"}`, want: "botAliasId"},
		{name: "short session id", path: "/bots/PIZZABOT01/botAliases/TSTALIASID/botLocales/en_US/sessions/x/text", body: `{"text":"hi"}`, want: "sessionId"},
		{name: "session id character", path: "/bots/PIZZABOT01/botAliases/TSTALIASID/botLocales/en_US/sessions/a%20b/text", body: `{"text":"hi"}`, want: "sessionId"},
		{name: "dialog action type", path: textURL, body: `{"text":"hi","sessionState":{"dialogAction":{"type":"Bogus"}}}`, want: "sessionState.dialogAction.type"},
		{name: "elicit slot without slot", path: textURL, body: `{"text":"hi","sessionState":{"dialogAction":{"type":"ElicitSlot"},"intent":{"name":"OrderPizza"}}}`, want: "sessionState.dialogAction.slotToElicit"},
		{name: "intent name pattern", path: textURL, body: `{"text":"hi","sessionState":{"intent":{"name":"Order Pizza"}}}`, want: "sessionState.intent.name"},
		{name: "slot name pattern", path: textURL, body: `{"text":"hi","sessionState":{"intent":{"name":"OrderPizza","slots":{"_Size":null}}}}`, want: "sessionState.intent.slots"},
		{name: "slot value without interpreted value", path: textURL, body: `{"text":"hi","sessionState":{"intent":{"name":"OrderPizza","slots":{"Size":{"value":{"originalValue":"big"}}}}}}`, want: "sessionState.intent.slots.Size.value.interpretedValue"},
		{name: "context turns", path: textURL, body: `{"text":"hi","sessionState":{"activeContexts":[{"name":"c1","timeToLive":{"timeToLiveInSeconds":60,"turnsToLive":0},"contextAttributes":{}}]}}`, want: "sessionState.activeContexts[0].timeToLive.turnsToLive"},
		{name: "context name", path: textURL, body: `{"text":"hi","sessionState":{"activeContexts":[{"name":"bad-name","timeToLive":{"timeToLiveInSeconds":60,"turnsToLive":1},"contextAttributes":{}}]}}`, want: "sessionState.activeContexts[0].name"},
		{name: "hint phrase", path: textURL, body: `{"text":"hi","sessionState":{"runtimeHints":{"slotHints":{"OrderPizza":{"Size":{"runtimeHintValues":[{"phrase":"` + strings.Repeat("p", 141) + `"}]}}}}}}`, want: "sessionState.runtimeHints.slotHints.OrderPizza.Size.runtimeHintValues[0].phrase"},
		{name: "context TTL wrong type", path: textURL, body: `{"text":"hi","sessionState":{"activeContexts":[{"name":"c1","timeToLive":{"timeToLiveInSeconds":"60","turnsToLive":1}}]}}`, want: "sessionState.activeContexts.timeToLive.timeToLiveInSeconds: must be an integer, got JSON string"},
		{name: "hint slot name", path: textURL, body: `{"text":"hi","sessionState":{"runtimeHints":{"slotHints":{"OrderPizza":{"Si ze":{"runtimeHintValues":[{"phrase":"big"}]}}}}}}`, want: "sessionState.runtimeHints.slotHints.OrderPizza"},
		{name: "hint without phrases", path: textURL, body: `{"text":"hi","sessionState":{"runtimeHints":{"slotHints":{"OrderPizza":{"Size":{"runtimeHintValues":[]}}}}}}`, want: "sessionState.runtimeHints.slotHints.OrderPizza.Size.runtimeHintValues: must hold 1–100 phrases, got 0"},
		{name: "hint too many intents", path: textURL, body: `{"text":"hi","sessionState":{"runtimeHints":{"slotHints":{` + manyHintIntents(101) + `}}}}`, want: "sessionState.runtimeHints.slotHints: at most 100 intents, got 101"},
		{name: "empty request attribute key", path: textURL, body: `{"text":"hi","requestAttributes":{"":"v"}}`, want: "requestAttributes"},
		{name: "put session without state", path: sessionURL, body: `{"messages":[]}`, want: "sessionState: is required"},
		{name: "put session without dialog action", path: sessionURL, body: `{"sessionState":{}}`, want: "sessionState.dialogAction: is required"},
		{name: "put session too many messages", path: sessionURL, body: `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}},"messages":[` + strings.TrimSuffix(strings.Repeat(`{"contentType":"PlainText","content":"x"},`, 11), ",") + `]}`, want: "messages: at most 10"},
		{name: "put session card title", path: sessionURL, body: `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}},"messages":[{"contentType":"ImageResponseCard","imageResponseCard":{"title":""}}]}`, want: "messages[0].imageResponseCard.title"},
		{name: "put session card subtitle", path: sessionURL, body: `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}},"messages":[{"contentType":"ImageResponseCard","imageResponseCard":{"title":"t","subtitle":"` + strings.Repeat("s", 251) + `"}}]}`, want: "messages[0].imageResponseCard.subtitle"},
		{name: "put session message type", path: sessionURL, body: `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}},"messages":[{"contentType":"Html","content":"x"}]}`, want: "messages[0].contentType"},
		{name: "put session audio response", path: sessionURL, body: `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}}}`, headers: map[string]string{"ResponseContentType": "audio/mpeg"}, want: "ResponseContentType: audio output is not supported"},
		{name: "put session malformed", path: sessionURL, body: `{"sessionState":`, want: "malformed JSON"},
		{name: "utterance audio", path: uttURL, body: "\x00\x01", headers: map[string]string{"Content-Type": "audio/l16; rate=16000; channels=1"}, want: "Content-Type: audio input is not supported"},
		{name: "utterance opus", path: uttURL, body: "\x00\x01", headers: map[string]string{"Content-Type": "audio/x-cbr-opus-with-preamble;preamble-size=0;bit-rate=256000;frame-size-milliseconds=4"}, want: "Content-Type: audio input is not supported"},
		{name: "utterance no content type", path: uttURL, body: "hi", want: "Content-Type: is required"},
		{name: "utterance json content type", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "application/json"}, want: "Content-Type: must be text/plain"},
		{name: "utterance charset", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=latin1"}, want: "Content-Type: charset must be utf-8"},
		{name: "utterance audio response", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "Response-Content-Type": "audio/mpeg"}, want: "Response-Content-Type: audio output is not supported"},
		{name: "utterance empty", path: uttURL, body: "", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, want: "inputStream: length must be 1–1024"},
		{name: "utterance too long", path: uttURL, body: long, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, want: "inputStream: length must be 1–1024 characters, got 1025"},
		{name: "utterance not UTF-8", path: uttURL, body: "\xff\xfe", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, want: "inputStream: text input must be UTF-8"},
		{name: "utterance state not base64", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": "!!!"}, want: "x-amz-lex-session-state: must be base64"},
		{name: "utterance state bad gzip", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": base64.StdEncoding.EncodeToString([]byte{0x1f, 0x8b, 1, 2, 3})}, want: "x-amz-lex-session-state: not valid gzip data"},
		{name: "utterance state malformed", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": gzipB64(`{"intent":`)}, want: "x-amz-lex-session-state: malformed JSON"},
		{name: "utterance state wrong type", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": gzipB64(`{"intent":{"name":7}}`)}, want: "sessionState.intent.name: must be a string, got JSON number"},
		{name: "utterance attributes wrong type", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-request-attributes": gzipB64(`{"k":true}`)}, want: "requestAttributes: must be a string, got JSON bool"},
		{name: "utterance state invalid", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-session-state": gzipB64(`{"dialogAction":{"type":"Nope"}}`)}, want: "sessionState.dialogAction.type"},
		{name: "utterance headers too large", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-amz-lex-request-attributes": strings.Repeat("A", 13000)}, want: "together at most 12288 bytes"},
		{name: "get session bad id", method: http.MethodGet, path: "/bots/PIZZABOT01/botAliases/TSTALIASID/botLocales/en_US/sessions/x", want: "sessionId"},
		{name: "delete session bad bot", method: http.MethodDelete, path: "/bots/PIZZA_BOT1/botAliases/TSTALIASID/botLocales/en_US/sessions/user-42", want: "botId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			// The runtime must never see an invalid request.
			h := lexapi.NewHandler(&fakeRuntime{}, lexapi.Options{})
			e := decodeError(t, do(t, h, method, tc.path, tc.body, tc.headers))
			if e.Status != http.StatusBadRequest || e.Type != "ValidationException" || e.Header != "ValidationException" {
				t.Fatalf("got %+v, want a 400 ValidationException", e)
			}
			if !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q does not contain %q", e.Message, tc.want)
			}
		})
	}
}

func manyHintIntents(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"Intent%d":{"Slot":{"runtimeHintValues":[{"phrase":"p"}]}}`, i)
	}
	return strings.Join(parts, ",")
}

// TestSlotShapes checks that list and composite slots keep their shape and
// get resolvedValues lists at every level.
func TestSlotShapes(t *testing.T) {
	res := pizzaResult()
	res.SessionState.Intent.Slots["Topping"] = &parley.SlotValue{
		Shape: parley.ShapeList,
		Value: &parley.Value{OriginalValue: "mushroom and cheese", InterpretedValue: "mushroom and cheese"},
		Values: []*parley.SlotValue{
			{Shape: parley.ShapeScalar, Value: &parley.Value{OriginalValue: "mushroom", InterpretedValue: "mushroom"}},
			parley.ScalarSlot("cheese", "cheese", "cheese"),
		},
	}
	res.SessionState.Intent.Slots["Crust"] = &parley.SlotValue{
		Shape:    parley.ShapeComposite,
		SubSlots: map[string]*parley.SlotValue{"Edge": {Shape: parley.ShapeScalar, Value: &parley.Value{InterpretedValue: "stuffed"}}, "Base": nil},
	}
	rt := &fakeRuntime{recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return res, nil }}
	rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, textURL, `{"text":"hi"}`, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var body struct {
		SessionState struct {
			Intent struct {
				Slots map[string]json.RawMessage `json:"slots"`
			} `json:"intent"`
		} `json:"sessionState"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	slots := body.SessionState.Intent.Slots
	jsonEqual(t, "Topping", slots["Topping"], `{"shape":"List","value":{"originalValue":"mushroom and cheese","interpretedValue":"mushroom and cheese","resolvedValues":[]},
		"values":[{"shape":"Scalar","value":{"originalValue":"mushroom","interpretedValue":"mushroom","resolvedValues":[]}},
			{"shape":"Scalar","value":{"originalValue":"cheese","interpretedValue":"cheese","resolvedValues":["cheese"]}}]}`)
	jsonEqual(t, "Crust", slots["Crust"], `{"shape":"Composite","subSlots":{"Edge":{"shape":"Scalar","value":{"interpretedValue":"stuffed","resolvedValues":[]}},"Base":null}}`)
}

// TestAcceptedInputs checks inputs at the limits and the leniencies Lex
// clients rely on.
func TestAcceptedInputs(t *testing.T) {
	cases := []struct {
		name    string
		path    string
		body    string
		headers map[string]string
	}{
		{name: "text of 1024 characters", path: textURL, body: `{"text":"` + strings.Repeat("가", 1024) + `"}`},
		{name: "unknown keys", path: textURL, body: `{"text":"hi","botMember":{"x":1},"sessionState":{"kendra":true,"intent":{"name":"OrderPizza","extra":[null]}}}`},
		{name: "null members", path: textURL, body: `{"text":"hi","sessionState":null,"requestAttributes":null}`},
		{name: "utterance without charset", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain"}},
		{name: "utterance text response type", path: uttURL, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=UTF-8", "Response-Content-Type": "text/plain;charset=utf-8"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := &fakeRuntime{recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return pizzaResult(), nil }}
			rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodPost, tc.path, tc.body, tc.headers)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestErrorEncoding(t *testing.T) {
	cases := []struct {
		name        string
		err         error
		wantStatus  int
		wantType    string
		wantMessage string
	}{
		{name: "validation", err: parley.Errorf(parley.ErrValidation, "sessionState.intent.name: unknown intent %q", "Nope"), wantStatus: 400, wantType: "ValidationException", wantMessage: `sessionState.intent.name: unknown intent "Nope"`},
		{name: "unsupported", err: parley.Errorf(parley.ErrUnsupported, "audio"), wantStatus: 400, wantType: "ValidationException", wantMessage: "audio"},
		{name: "access denied", err: parley.Errorf(parley.ErrAccessDenied, "bad key"), wantStatus: 403, wantType: "AccessDeniedException", wantMessage: "bad key"},
		{name: "not found", err: parley.Errorf(parley.ErrNotFound, "bot NOSUCHBOT1 not found"), wantStatus: 404, wantType: "ResourceNotFoundException", wantMessage: "bot NOSUCHBOT1 not found"},
		{name: "conflict", err: parley.Errorf(parley.ErrConflict, "concurrent turn"), wantStatus: 409, wantType: "ConflictException", wantMessage: "concurrent turn"},
		{name: "dependency failed", err: parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response"), wantStatus: 424, wantType: "DependencyFailedException", wantMessage: "Invalid Lambda Response"},
		{name: "throttling", err: parley.Errorf(parley.ErrThrottling, "slow down"), wantStatus: 429, wantType: "ThrottlingException", wantMessage: "slow down"},
		{name: "internal", err: parley.Errorf(parley.ErrInternal, "oops"), wantStatus: 500, wantType: "InternalServerException", wantMessage: "oops"},
		{name: "bad gateway", err: parley.Errorf(parley.ErrBadGateway, "upstream"), wantStatus: 502, wantType: "BadGatewayException", wantMessage: "upstream"},
		{name: "wrapped coded", err: fmt.Errorf("engine: turn: %w", parley.Errorf(parley.ErrConflict, "again")), wantStatus: 409, wantType: "ConflictException", wantMessage: "again"},
		{name: "uncoded does not leak", err: errors.New("sqlite: disk I/O error at /var/secret"), wantStatus: 500, wantType: "InternalServerException", wantMessage: "Internal server error."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := &fakeRuntime{
				recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return nil, tc.err },
				putSession:    func(context.Context, *parley.PutSessionRequest) (*parley.TurnResult, error) { return nil, tc.err },
				getSession:    func(context.Context, parley.SessionKey) (*parley.Session, error) { return nil, tc.err },
				deleteSession: func(context.Context, parley.SessionKey) error { return tc.err },
			}
			h := lexapi.NewHandler(rt, lexapi.Options{})
			ops := []struct{ method, path, body string }{
				{http.MethodPost, textURL, `{"text":"hi"}`},
				{http.MethodPost, sessionURL, `{"sessionState":{"dialogAction":{"type":"ElicitIntent"}}}`},
				{http.MethodGet, sessionURL, ""},
				{http.MethodDelete, sessionURL, ""},
				{http.MethodPost, uttURL, "hi"},
			}
			for _, o := range ops {
				rec := do(t, h, o.method, o.path, o.body, map[string]string{"Content-Type": "text/plain; charset=utf-8"})
				e := decodeError(t, rec)
				want := lexError{Status: tc.wantStatus, Header: tc.wantType, Type: tc.wantType, Message: tc.wantMessage}
				if e != want {
					t.Errorf("%s %s: got %+v, want %+v", o.method, o.path, e, want)
				}
			}
		})
	}
}

func TestUnknownOperation(t *testing.T) {
	cases := []struct{ name, method, path string }{
		{name: "root", method: http.MethodGet, path: "/"},
		{name: "wrong method", method: http.MethodPut, path: sessionURL},
		{name: "text by GET", method: http.MethodGet, path: textURL},
		{name: "conversation", method: http.MethodPost, path: sessionURL + "/conversation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := decodeError(t, do(t, lexapi.NewHandler(&fakeRuntime{}, lexapi.Options{}), tc.method, tc.path, "", nil))
			if e.Status != http.StatusNotFound || e.Type != "ResourceNotFoundException" || !strings.Contains(e.Message, tc.path) {
				t.Errorf("got %+v", e)
			}
		})
	}
}

// TestRequestIDsDiffer checks that every answer gets its own request id.
func TestRequestIDsDiffer(t *testing.T) {
	h := lexapi.NewHandler(&fakeRuntime{}, lexapi.Options{})
	a := do(t, h, http.MethodGet, "/", "", nil).Header().Get("x-amzn-RequestId")
	b := do(t, h, http.MethodGet, "/", "", nil).Header().Get("x-amzn-RequestId")
	if a == b {
		t.Errorf("two requests share request id %q", a)
	}
}

// TestEscapedPath checks that percent-encoded path labels reach the runtime
// decoded, as SDKs escape ':' in session ids.
func TestEscapedPath(t *testing.T) {
	var got parley.SessionKey
	rt := &fakeRuntime{getSession: func(_ context.Context, key parley.SessionKey) (*parley.Session, error) {
		got = key
		return &parley.Session{Key: key}, nil
	}}
	rec := do(t, lexapi.NewHandler(rt, lexapi.Options{}), http.MethodGet, "/bots/PIZZABOT01/botAliases/TSTALIASID/botLocales/en_US/sessions/user%3A42", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got.SessionID != "user:42" {
		t.Errorf("session id = %q, want user:42", got.SessionID)
	}
	jsonEqual(t, "body", rec.Body.Bytes(), `{"sessionId":"user:42","sessionState":{"sessionAttributes":{}}}`)
}

// BenchmarkRecognizeText measures the handler's own cost per turn (decode,
// validate, encode) with a runtime that answers at once.
func BenchmarkRecognizeText(b *testing.B) {
	rt := &fakeRuntime{recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return pizzaResult(), nil }}
	h := lexapi.NewHandler(rt, lexapi.Options{})
	body := `{"text":"I want a large thin crust pizza","sessionState":{"sessionAttributes":{"customer":"kim"}}}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, textURL, strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkRecognizeUtterance adds the gzip+base64 header encodings.
func BenchmarkRecognizeUtterance(b *testing.B) {
	rt := &fakeRuntime{recognizeText: func(context.Context, *parley.TurnRequest) (*parley.TurnResult, error) { return pizzaResult(), nil }}
	h := lexapi.NewHandler(rt, lexapi.Options{})
	state := gzipB64(`{"sessionAttributes":{"customer":"kim"}}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, uttURL, strings.NewReader("I want a large thin crust pizza"))
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		req.Header.Set("x-amz-lex-session-state", state)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// TestClientGoneIsNotAServerError: a turn that stopped because its client
// hung up is logged as that, not as a failed request at error level.
func TestClientGoneIsNotAServerError(t *testing.T) {
	rt := &fakeRuntime{recognizeText: func(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
		<-ctx.Done()
		return nil, fmt.Errorf("engine: store put: %w", ctx.Err())
	}}
	var logs bytes.Buffer
	h := lexapi.NewHandler(rt, lexapi.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, textURL, strings.NewReader(`{"text":"hi"}`)).WithContext(ctx)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "client went away") {
		t.Errorf("log:\n%s\nwant an info line saying the client went away and no error", logs.String())
	}
}

package lexapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/lexapi"
)

// echoRuntime answers every valid request with the state it was given, so
// that fuzzing also runs the response encoders over decoded input.
func echoRuntime() *fakeRuntime {
	return &fakeRuntime{
		recognizeText: func(_ context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
			res := &parley.TurnResult{SessionID: req.Key.SessionID, RequestAttributes: req.RequestAttributes, InputTranscript: req.Text}
			if req.SessionState != nil {
				res.SessionState = *req.SessionState
			}
			return res, nil
		},
		putSession: func(_ context.Context, req *parley.PutSessionRequest) (*parley.TurnResult, error) {
			return &parley.TurnResult{SessionID: req.Key.SessionID, Messages: req.Messages, SessionState: req.SessionState, RequestAttributes: req.RequestAttributes}, nil
		},
	}
}

// checkFuzzAnswer fails unless rec is a success or a well-formed
// ValidationException: decoding outside input may reject it, never crash
// or answer anything else.
func checkFuzzAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	switch rec.Code {
	case http.StatusOK:
	case http.StatusBadRequest:
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Type != "ValidationException" || e.Message == "" || rec.Header().Get("X-Amzn-ErrorType") != "ValidationException" {
			t.Fatalf("bad 400 answer %q (%v)", rec.Body, err)
		}
	default:
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

func FuzzDecodeRecognizeText(f *testing.F) {
	for _, seed := range []string{
		`{"text":"hi"}`,
		`{"text":"a large pizza","sessionState":{"dialogAction":{"type":"ElicitSlot","slotToElicit":"Crust"},"intent":{"name":"OrderPizza","slots":{"Size":{"shape":"Scalar","value":{"originalValue":"big","interpretedValue":"large","resolvedValues":["large"]}},"Crust":null}},"activeContexts":[{"name":"order_placed","timeToLive":{"timeToLiveInSeconds":60,"turnsToLive":2},"contextAttributes":{}}],"sessionAttributes":{}},"requestAttributes":{"k":"v"}}`,
		`{"text":5}`,
		`{"text":"hi",}`,
		`{"text":"hi","sessionState":{"runtimeHints":{"slotHints":{"OrderPizza":{"Size":{"runtimeHintValues":[{"phrase":"big"}],"subSlotHints":{"a":{}}}}}}}}`,
		``,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	h := lexapi.NewHandler(echoRuntime(), lexapi.Options{})
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, textURL, strings.NewReader(string(body)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkFuzzAnswer(t, rec)
	})
}

func FuzzDecodeSessionStateHeader(f *testing.F) {
	for _, seed := range []string{
		gzipB64(`{"sessionAttributes":{"a":"b"},"intent":{"name":"OrderPizza","slots":{"Size":null}},"dialogAction":{"type":"ElicitSlot","slotToElicit":"Size"}}`),
		gzipB64(`{"intent":{"name":7}}`),
		gzipB64(`null`),
		`{"sessionAttributes":{}}`,
		`eyJzZXNzaW9uQXR0cmlidXRlcyI6e319`,
		`H4sI`,
		`!!!`,
	} {
		f.Add(seed, gzipB64(`{"k":"v"}`))
	}
	h := lexapi.NewHandler(echoRuntime(), lexapi.Options{})
	f.Fuzz(func(t *testing.T, state, attrs string) {
		req := httptest.NewRequest(http.MethodPost, uttURL, strings.NewReader("hi"))
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		req.Header["X-Amz-Lex-Session-State"] = []string{state}
		req.Header["X-Amz-Lex-Request-Attributes"] = []string{attrs}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkFuzzAnswer(t, rec)
	})
}

func FuzzPutSession(f *testing.F) {
	for _, seed := range []struct{ body, contentType string }{
		{`{"sessionState":{"dialogAction":{"type":"ElicitIntent"}}}`, ""},
		{`{"sessionState":{"dialogAction":{"type":"ConfirmIntent"},"intent":{"name":"OrderPizza","confirmationState":"None","slots":{"Size":null}},"sessionAttributes":{"a":"b"}},"messages":[{"contentType":"ImageResponseCard","imageResponseCard":{"title":"Pick","buttons":[{"text":"Small","value":"small"}]}}],"requestAttributes":{}}`, "text/plain; charset=utf-8"},
		{`{"sessionState":{"dialogAction":{"type":"Delegate"}}}`, "audio/mpeg"},
		{`{"sessionState":null}`, "text/plain"},
		{`{"messages":{}}`, "bogus/"},
	} {
		f.Add([]byte(seed.body), seed.contentType)
	}
	h := lexapi.NewHandler(echoRuntime(), lexapi.Options{})
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, sessionURL, strings.NewReader(string(body)))
		req.Header["Responsecontenttype"] = []string{contentType}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkFuzzAnswer(t, rec)
	})
}

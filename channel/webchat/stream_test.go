package webchat_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/webchat"
)

// event is one Server-Sent Event.
type event struct {
	name, data string
}

// readEvents parses a whole event stream.
func readEvents(t *testing.T, body string) []event {
	t.Helper()
	var out []event
	var cur event
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || cur.data != "" {
				out = append(out, cur)
			}
			cur = event{}
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
	return out
}

func postStream(t *testing.T, h http.Handler, accept, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/chat", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestChatStream(t *testing.T) {
	answer := func(req *parley.TurnRequest) (*parley.TurnResult, error) {
		for _, piece := range []string{"Lex는 ", "Amazon의 ", "챗봇 서비스예요."} {
			if req.Stream != nil {
				if err := req.Stream(piece); err != nil {
					return nil, err
				}
			}
		}
		return &parley.TurnResult{SessionID: req.Key.SessionID,
			Messages:     []parley.Message{{ContentType: parley.ContentPlainText, Content: "Lex는 Amazon의 챗봇 서비스예요."}},
			SessionState: parley.SessionState{Intent: &parley.SessionIntent{Name: "FallbackIntent", State: parley.IntentFulfilled, Slots: map[string]*parley.SlotValue{}}}}, nil
	}
	tests := []struct {
		name       string
		accept     string
		recognize  func(req *parley.TurnRequest) (*parley.TurnResult, error)
		wantType   string
		wantEvents []string // name=data
	}{
		{"deltas then done", "text/event-stream, application/json", answer, "text/event-stream; charset=utf-8", []string{
			`delta={"text":"Lex는 "}`, `delta={"text":"Amazon의 "}`, `delta={"text":"챗봇 서비스예요."}`,
			`done={"sessionId":"s1","messages":[{"contentType":"PlainText","content":"Lex는 Amazon의 챗봇 서비스예요."}],"intent":"FallbackIntent","state":"Fulfilled","slots":{}}`,
		}},
		{"a turn without a generated answer is just done", "text/event-stream", func(req *parley.TurnRequest) (*parley.TurnResult, error) {
			return &parley.TurnResult{SessionID: req.Key.SessionID, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: "안녕하세요"}}}, nil
		}, "text/event-stream; charset=utf-8", []string{
			`done={"sessionId":"s1","messages":[{"contentType":"PlainText","content":"안녕하세요"}],"intent":null,"state":null,"slots":{}}`,
		}},
		{"a failed turn is an error event", "text/event-stream", func(req *parley.TurnRequest) (*parley.TurnResult, error) {
			return nil, parley.Errorf(parley.ErrConflict, "session s1 changed")
		}, "text/event-stream; charset=utf-8", []string{
			`error={"error":{"code":"ConflictException","message":"session s1 changed"}}`,
		}},
		{"JSON when not asked for a stream", "application/json", answer, "application/json; charset=utf-8", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := &fakeRuntime{recognize: tc.recognize}
			h := webchat.NewHandler(rt, catalog{helloBot}, webchat.Options{})
			w := postStream(t, h, tc.accept, `{"text":"Lex에 대해 설명해줘","sessionId":"s1","localeId":"ko_KR"}`)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if got := w.Header().Get("Content-Type"); got != tc.wantType {
				t.Fatalf("Content-Type %q, want %q", got, tc.wantType)
			}
			if tc.wantEvents == nil {
				if rt.last(t).Stream != nil {
					t.Fatal("a JSON request streams")
				}
				var body map[string]any
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
					t.Fatalf("not JSON: %v", err)
				}
				return
			}
			if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("headers %v", w.Header())
			}
			var got []string
			for _, ev := range readEvents(t, w.Body.String()) {
				got = append(got, ev.name+"="+ev.data)
			}
			if strings.Join(got, "\n") != strings.Join(tc.wantEvents, "\n") {
				t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.wantEvents, "\n"))
			}
		})
	}
}

func TestChatStreamRejectsBadRequestsAsJSON(t *testing.T) {
	h := webchat.NewHandler(&fakeRuntime{}, catalog{helloBot}, webchat.Options{})
	w := postStream(t, h, "text/event-stream", `{"text":""}`)
	if w.Code != http.StatusBadRequest || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
}

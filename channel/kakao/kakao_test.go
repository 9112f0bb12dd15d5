package kakao_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/kakao"
)

const skillKey = "sk-test-6f1d2a9c0b7e4f3a8d5c"

// testBot has one intent whose slots Open Builder entities can fill.
func testBot() *parley.Bot {
	return &parley.Bot{ID: "KAKAOBOT01", Name: "music", Locales: []*parley.Locale{{
		ID: "ko_KR",
		Intents: []*parley.Intent{{
			Name: "RecommendMusic",
			Slots: []*parley.Slot{
				{Name: "artist", SlotTypeName: "Artist"},
				{Name: "count", SlotTypeName: "AMAZON.Number"},
				{Name: "mood", SlotTypeName: "Mood"},
			},
		}},
	}}}
}

// newChannel builds a connector around rt; settings override the defaults.
func newChannel(t testing.TB, rt parley.Runtime, settings map[string]string) *kakao.Channel {
	t.Helper()
	s := map[string]string{"skillKey": skillKey}
	for k, v := range settings {
		s[k] = v
	}
	ch, err := kakao.New(connector.Config{
		Name: "kakao", Type: "kakao", Bot: testBot(), LocaleID: "ko_KR", Settings: s, Runtime: rt,
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { ch.Close(context.Background()) })
	return ch
}

// skill describes one SkillPayload as Open Builder sends it.
type skill struct {
	user, utterance, intent, callbackURL string
	trigger                              string
	params                               map[string]string
	detailParams                         map[string]map[string]string
	clientExtra                          map[string]any
}

func (s skill) body() []byte {
	intent := s.intent
	if intent == "" {
		intent = "폴백 블록"
	}
	trigger := s.trigger
	if trigger == "" {
		trigger = "TEXT_INPUT"
	}
	params := map[string]any{}
	for k, v := range s.params {
		params[k] = v
	}
	detail := map[string]any{}
	for k, v := range s.detailParams {
		detail[k] = v
	}
	ur := map[string]any{
		"timezone": "Asia/Seoul", "utterance": s.utterance, "lang": "ko",
		"user": map[string]any{"id": s.user, "type": "botUserKey",
			"properties": map[string]any{"botUserKey": s.user, "plusfriendUserKey": "pf_" + s.user}},
		"params": map[string]any{"surface": "Kakaotalk.plusfriend"},
		"block":  map[string]any{"id": "blk_1", "name": intent},
	}
	if s.callbackURL != "" {
		ur["callbackUrl"] = s.callbackURL
	}
	var extra any
	if s.clientExtra != nil {
		extra = s.clientExtra
	}
	b, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "blk_1", "name": intent},
		"userRequest": ur,
		"bot":         map[string]any{"id": "bot_1", "name": "engine"},
		"action":      map[string]any{"id": "sk_1", "name": "engine-skill", "params": params, "detailParams": detail, "clientExtra": extra},
		"contexts":    []any{},
		"flow": map[string]any{"trigger": map[string]any{"type": trigger, "referrerBlock": map[string]any{"id": "blk_1", "name": intent}},
			"lastBlock": map[string]any{"id": "blk_welcome", "name": "웰컴 블록"}},
	})
	return b
}

// post builds a request from Open Builder with the skill key header.
func post(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json;charset=UTF-8")
	r.Header.Set("Accept", "application/json")
	r.Header.Set("X-Skill-Key", skillKey)
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// response is the decoded SkillResponse of a reply, validated first.
type response struct {
	Version     string            `json:"version"`
	UseCallback bool              `json:"useCallback"`
	Data        map[string]string `json:"data"`
	Template    *struct {
		Outputs      []map[string]json.RawMessage `json:"outputs"`
		QuickReplies []struct {
			Label       string            `json:"label"`
			Action      string            `json:"action"`
			MessageText string            `json:"messageText"`
			Extra       map[string]string `json:"extra"`
		} `json:"quickReplies"`
	} `json:"template"`
}

type cardJSON struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Thumbnail   *struct {
		ImageURL string `json:"imageUrl"`
	} `json:"thumbnail"`
	Buttons []struct {
		Label       string            `json:"label"`
		Action      string            `json:"action"`
		MessageText string            `json:"messageText"`
		WebLinkURL  string            `json:"webLinkUrl"`
		Extra       map[string]string `json:"extra"`
	} `json:"buttons"`
}

func decode(t testing.TB, body []byte) response {
	t.Helper()
	if problems := checkResponse(body); len(problems) > 0 {
		t.Errorf("Kakao would reject %s:\n%s", body, strings.Join(problems, "\n"))
	}
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return r
}

// texts are the simpleText texts of a response, in order.
func (r response) texts() []string {
	var out []string
	if r.Template == nil {
		return nil
	}
	for _, o := range r.Template.Outputs {
		var st struct{ Text string }
		if raw, ok := o["simpleText"]; ok && json.Unmarshal(raw, &st) == nil {
			out = append(out, st.Text)
		}
	}
	return out
}

// platform plays Open Builder for the conformance suite.
type platform struct{}

var _ channeltest.Platform = platform{}

func (platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	return newChannel(t, rt, nil)
}

func (platform) Message(t *testing.T, user, text, _ string) *http.Request {
	return post(skill{user: user, utterance: text}.body())
}

func (platform) Signed(t *testing.T, body []byte) *http.Request { return post(body) }

func (platform) Forge(t *testing.T, r *http.Request) { r.Header.Set("X-Skill-Key", skillKey+"x") }

// UnknownEvent is JSON that is not a skill request: no userRequest.
func (platform) UnknownEvent() []byte { return []byte(`{"bot":{"id":"bot_1","name":"engine"}}`) }

func (platform) Replies(t *testing.T, _ string, rec *httptest.ResponseRecorder, _ int) []string {
	return decode(t, rec.Body.Bytes()).texts()
}

func (platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 256 << 10, Deduplicates: false}
}

func TestConformance(t *testing.T) { channeltest.Run(t, platform{}) }

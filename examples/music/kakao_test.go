package music_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/kakao"
)

const testSkillKey = "music-test-skill-key"

// skillServer serves the bot's KakaoTalk skill on loopback: the engine
// with the bot's Python hook behind the kakao connector, built from the
// bot file's kakao channel (its skillKey read from the environment).
func skillServer(t *testing.T) (*httptest.Server, *kakao.Channel) {
	t.Helper()
	eng, bot := newEngine(t)
	// Start the hook's worker before Kakao's clock runs: the first turn
	// would otherwise pay for Python's start-up inside the reply timeout.
	key := parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: locale, SessionID: "warm-up"}
	if _, err := eng.RecognizeText(context.Background(), &parley.TurnRequest{Key: key, Text: "아이유 노래 추천해줘"}); err != nil {
		t.Fatal(err)
	}
	var binding *parley.ChannelBinding
	for i, b := range bot.Channels {
		if b.Type == kakao.Type {
			binding = &bot.Channels[i]
		}
	}
	if binding == nil {
		t.Fatal("bot.yaml has no kakao channel")
	}
	ch, err := kakao.New(connector.Config{
		Name:     binding.Name,
		Type:     binding.Type,
		Bot:      bot,
		AliasID:  binding.AliasID,
		LocaleID: binding.LocaleID,
		Settings: binding.Settings,
		Runtime:  eng,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ch)
	t.Cleanup(func() {
		srv.Close()
		if err := ch.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return srv, ch
}

// skillRequest is what Open Builder sends for one user message.
type skillRequest struct {
	user, utterance string
	extra           string            // a tapped button's clientExtra.v
	block           string            // the block (intent) that matched
	params          map[string]string // the block's entities
}

func (r skillRequest) payload() []byte {
	action := map[string]any{"id": "sk_music", "name": "parley", "params": map[string]string{}, "detailParams": map[string]any{}, "clientExtra": nil}
	trigger := "TEXT_INPUT"
	if r.extra != "" {
		action["clientExtra"] = map[string]string{"v": r.extra}
		trigger = "CARD_BUTTON_MESSAGE"
	}
	for name, v := range r.params {
		action["params"].(map[string]string)[name] = v
		action["detailParams"].(map[string]any)[name] = map[string]string{"origin": v, "value": v, "groupName": ""}
	}
	block := r.block
	if block == "" {
		block = "폴백 블록"
	}
	b, _ := json.Marshal(map[string]any{
		"intent": map[string]any{"id": "blk_1", "name": block},
		"userRequest": map[string]any{
			"timezone": "Asia/Seoul", "utterance": r.utterance, "lang": "ko",
			"user":   map[string]any{"id": r.user, "type": "botUserKey", "properties": map[string]string{"botUserKey": r.user, "plusfriendUserKey": "pf_" + r.user}},
			"params": map[string]string{"surface": "Kakaotalk.plusfriend"},
			"block":  map[string]string{"id": "blk_1", "name": block},
		},
		"bot":      map[string]string{"id": "bot_music", "name": "음악 추천"},
		"action":   action,
		"contexts": []any{},
		"flow":     map[string]any{"trigger": map[string]any{"type": trigger}},
	})
	return b
}

// SkillResponse 2.0, the parts this bot uses.
type skillResponse struct {
	Version     string `json:"version"`
	UseCallback bool   `json:"useCallback"`
	Template    struct {
		Outputs []struct {
			SimpleText *struct {
				Text string `json:"text"`
			} `json:"simpleText"`
			Carousel *struct {
				Type  string      `json:"type"`
				Items []basicCard `json:"items"`
			} `json:"carousel"`
			BasicCard *basicCard `json:"basicCard"`
		} `json:"outputs"`
		QuickReplies []kakaoButton `json:"quickReplies"`
	} `json:"template"`
}

type basicCard struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Thumbnail   struct {
		ImageURL string `json:"imageUrl"`
	} `json:"thumbnail"`
	Buttons []kakaoButton `json:"buttons"`
}

type kakaoButton struct {
	Label       string            `json:"label"`
	Action      string            `json:"action"`
	MessageText string            `json:"messageText"`
	Extra       map[string]string `json:"extra"`
}

// post sends a skill request with a skill key header and returns the
// status and the decoded SkillResponse (checked against Kakao's limits).
func post(t *testing.T, srv *httptest.Server, key string, r skillRequest) (int, *skillResponse) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(r.payload()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("X-Skill-Key", key)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	var sr skillResponse
	if err := json.NewDecoder(resp.Body).Decode(&sr); err != nil {
		t.Fatalf("%q: response is not a SkillResponse: %v", r.utterance, err)
	}
	if problems := kakaoLimits(&sr); len(problems) > 0 {
		t.Fatalf("%q: Kakao would refuse the response: %s", r.utterance, strings.Join(problems, "; "))
	}
	return resp.StatusCode, &sr
}

// kakaoLimits lists what in a SkillResponse Open Builder would refuse
// (channels.md §1.3): the parts this bot's replies use.
func kakaoLimits(sr *skillResponse) []string {
	var p []string
	long := func(what, s string, max int) {
		if n := utf8.RuneCountInString(s); n > max {
			p = append(p, fmt.Sprintf("%s %q has %d characters, over %d", what, s, n, max))
		}
	}
	buttons := func(bs []kakaoButton, max int) {
		if len(bs) > max {
			p = append(p, fmt.Sprintf("%d buttons, over %d", len(bs), max))
		}
		for _, b := range bs {
			long("label", b.Label, 14)
			if b.Action != "message" || b.MessageText == "" {
				p = append(p, fmt.Sprintf("button %q: action %q with messageText %q", b.Label, b.Action, b.MessageText))
			}
		}
	}
	card := func(c basicCard) {
		long("title", c.Title, 50)
		long("description", c.Description, 230)
		if c.Thumbnail.ImageURL == "" {
			p = append(p, "basicCard "+c.Title+" has no thumbnail")
		}
		buttons(c.Buttons, 3)
	}
	if sr.Version != "2.0" {
		p = append(p, "version "+sr.Version)
	}
	if n := len(sr.Template.Outputs); n < 1 || n > 3 {
		p = append(p, fmt.Sprintf("%d outputs", n))
	}
	for _, o := range sr.Template.Outputs {
		switch {
		case o.SimpleText != nil:
			long("simpleText", o.SimpleText.Text, 1000)
		case o.BasicCard != nil:
			card(*o.BasicCard)
		case o.Carousel != nil:
			if o.Carousel.Type != "basicCard" || len(o.Carousel.Items) == 0 || len(o.Carousel.Items) > 10 {
				p = append(p, fmt.Sprintf("carousel of %d %s", len(o.Carousel.Items), o.Carousel.Type))
			}
			for _, c := range o.Carousel.Items {
				card(c)
			}
		default:
			p = append(p, "an output this bot does not send")
		}
	}
	buttons(sr.Template.QuickReplies, 10)
	return p
}

// TestKakaoConversation is the tutorial's conversation on KakaoTalk: a
// greeting with quick replies, a tap that asks for an artist, the
// carousel of that artist's tracks and related artists, and a tap on a
// related artist's button.
func TestKakaoConversation(t *testing.T) {
	srv, ch := skillServer(t)
	byName := map[string]bool{}
	for _, a := range artists(t) {
		byName[a.Name] = true
	}

	_, greeting := post(t, srv, testSkillKey, skillRequest{user: "u_music_1", utterance: "안녕"})
	outs := greeting.Template.Outputs
	if len(outs) != 2 || outs[0].SimpleText == nil || !strings.Contains(outs[0].SimpleText.Text, "추천해 드릴게요") {
		t.Fatalf("greeting %+v, want a text and the prompt with quick replies", outs)
	}
	quick := greeting.Template.QuickReplies
	if len(quick) != 5 || quick[0].Label != "아이유" || quick[0].Extra["v"] != "아이유 노래 추천해줘" {
		t.Fatalf("greeting quick replies %+v, want five artists, 아이유 first", quick)
	}

	// The user taps 아이유: Kakao sends the label as the utterance and the
	// value in clientExtra.
	_, iu := post(t, srv, testSkillKey, skillRequest{user: "u_music_1", utterance: quick[0].MessageText, extra: quick[0].Extra["v"]})
	related := wantRecommendation(t, iu, "아이유", "발라드 / K-팝", "좋은 날 · 밤편지 · Blueming · Celebrity · 라일락", []string{"태연", "악뮤", "볼빨간사춘기"})
	for _, c := range related {
		if !byName[c.Title] {
			t.Errorf("related artist %q is not in the dataset", c.Title)
		}
	}

	// Then taps the button under 태연.
	b := related[0].Buttons[0]
	if b.Label != "태연 추천" {
		t.Errorf("button label %q, want 태연 추천", b.Label)
	}
	_, taeyeon := post(t, srv, testSkillKey, skillRequest{user: "u_music_1", utterance: b.MessageText, extra: b.Extra["v"]})
	wantRecommendation(t, taeyeon, "태연", "발라드 / 팝", "I · Rain · 11:11 · Fine · 사계 (Four Seasons)", []string{"아이유", "소녀시대", "백예린"})

	if got := ch.Stats(); got.Accepted != 3 || got.Rejected != 0 || got.Failed != 0 {
		t.Errorf("stats %+v, want 3 accepted", got)
	}
}

// wantRecommendation checks a reply to an artist: the genre in a text,
// then one carousel of basicCards (the top tracks, then a card per
// related artist with a button asking for them). It returns the related
// artists' cards.
func wantRecommendation(t *testing.T, sr *skillResponse, artist, genre, tracks string, related []string) []basicCard {
	t.Helper()
	outs := sr.Template.Outputs
	if len(outs) != 2 || outs[0].SimpleText == nil || outs[1].Carousel == nil {
		t.Fatalf("reply about %s: %+v, want a text and a carousel", artist, outs)
	}
	if text := outs[0].SimpleText.Text; !strings.Contains(text, artist) || !strings.Contains(text, genre) {
		t.Errorf("text %q, want %s and its genre %s", text, artist, genre)
	}
	items := outs[1].Carousel.Items
	if len(items) != 1+len(related) {
		t.Fatalf("carousel of %d cards, want %d", len(items), 1+len(related))
	}
	if items[0].Title != artist+" 대표곡" || items[0].Description != tracks {
		t.Errorf("first card %q / %q, want %s 대표곡 / %s", items[0].Title, items[0].Description, artist, tracks)
	}
	for i, name := range related {
		c := items[1+i]
		if c.Title != name || len(c.Buttons) != 1 || c.Buttons[0].Extra["v"] != name+" 노래 추천해줘" {
			t.Errorf("card %d: %+v, want %s with a button asking for them", 1+i, c, name)
		}
	}
	return items[1:]
}

// TestKakaoEntity: an Open Builder block with an @artist entity named
// Artist sends what it recognised in action.params; the block's name is
// the intent, so the entity fills the slot even when the words alone
// would not name anyone. An entity value the dataset lacks (Open Builder's
// entity may list more artists) is caught by the dialog hook, which asks
// for another artist.
func TestKakaoEntity(t *testing.T) {
	srv, _ := skillServer(t)
	_, sr := post(t, srv, testSkillKey, skillRequest{
		user: "u_music_2", utterance: "이 가수 노래 추천해줘",
		block: "RecommendMusic", params: map[string]string{"Artist": "뉴진스"},
	})
	wantRecommendation(t, sr, "뉴진스", "K-팝 / R&B", "Attention · Hype Boy · Ditto · OMG · Super Shy", []string{"르세라핌", "아이브", "에스파"})

	_, sr = post(t, srv, testSkillKey, skillRequest{
		user: "u_music_4", utterance: "홍길동 노래 추천해줘",
		block: "RecommendMusic", params: map[string]string{"Artist": "홍길동"},
	})
	outs := sr.Template.Outputs
	if len(outs) != 1 || outs[0].SimpleText == nil || outs[0].SimpleText.Text != "'홍길동'은(는) 아직 제가 모르는 가수예요. 다른 가수를 알려 주세요." {
		t.Fatalf("unknown artist: %+v, want the hook's question", outs)
	}
	_, sr = post(t, srv, testSkillKey, skillRequest{user: "u_music_4", utterance: "잔나비"})
	wantRecommendation(t, sr, "잔나비", "인디 록", "주저하는 연인들을 위해 · 뜨거운 여름밤은 가고 남은 건 볼품없지만 · 가을밤에 든 생각 · 꿈과 책과 힘과 벽 · 사랑하긴 했었나요 스쳐가는 인연이었나요", []string{"10cm", "혁오", "데이식스"})
}

// TestKakaoSkillKey: without the skill's header secret nothing reaches
// the bot.
func TestKakaoSkillKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{"no header", ""},
		{"wrong key", "not-the-key"},
		{"key with a suffix", testSkillKey + "x"},
	}
	srv, ch := skillServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _ := post(t, srv, tt.key, skillRequest{user: "u_music_3", utterance: "아이유 노래 추천해줘"}); status != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", status)
			}
		})
	}
	if got := ch.Stats(); got.Accepted != 0 || got.Rejected != int64(len(tests)) {
		t.Errorf("stats %+v, want %d rejected and none accepted", got, len(tests))
	}
}

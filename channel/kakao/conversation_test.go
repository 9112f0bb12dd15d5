package kakao_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

func text(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func cardMsg(title, subtitle, image string, buttons ...string) parley.Message {
	c := &parley.ImageResponseCard{Title: title, Subtitle: subtitle, ImageURL: image}
	for i := 0; i+1 < len(buttons); i += 2 {
		c.Buttons = append(c.Buttons, parley.Button{Text: buttons[i], Value: buttons[i+1]})
	}
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: c}
}

func custom(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentCustomPayload, Content: s}
}

// musicScript plays a music bot: a carousel of artists, buttons and
// quick replies, and answers to the values that come back.
func musicScript(req *parley.TurnRequest) []parley.Message {
	switch req.Text {
	case "추천해 줘":
		return []parley.Message{
			text("이런 아티스트는 어때요?"),
			cardMsg("아이유", "발라드 · 팝", "https://img.example/iu.png", "노래 듣기", "play:iu", "프로필", "https://music.example/iu", "비슷한 가수", "similar:iu", "앨범", "albums:iu"),
			cardMsg("악뮤", "포크 · 팝", "https://img.example/akmu.png", "노래 듣기", "play:akmu"),
			cardMsg("잔나비", "록 · 레트로", "https://img.example/jannabi.png", "노래 듣기", "play:jannabi"),
			cardMsg("다른 장르도 볼까요?", "", "", "발라드", "genre:ballad", "힙합", "genre:hiphop", "록", "genre:rock", "재즈와 블루스 그리고 소울 음악", "genre:jazz", "클래식", "genre:classic"),
		}
	case "genre:jazz":
		return []parley.Message{
			text(strings.Repeat("재즈는 즉흥 연주의 음악입니다. ", 100)),
			cardMsg("몇 곡을 들려 드릴까요?", "한 번에 고를 수 있어요", "", "한 곡", "1", "세 곡", "3", "다섯 곡", "5", "열 곡", "10", "모두", "all"),
		}
	case "play:iu":
		return []parley.Message{
			custom(`{"kakao":{"simpleImage":{"imageUrl":"https://img.example/iu-cover.png","altText":"아이유 앨범"}}}`),
			custom(`{"kakao":{"template":{"outputs":[{"simpleText":{"text":"재생 목록에 담았어요."}}],"quickReplies":[{"label":"처음으로","action":"block","blockId":"blk_welcome"}]}}}`),
		}
	}
	return []parley.Message{text("무슨 말인지 모르겠어요.")}
}

// TestConversation is a whole conversation with rich messages: every
// response passes Kakao's validator, and each selection comes back to the
// engine as its value.
func TestConversation(t *testing.T) {
	rt := &channeltest.Runtime{Script: musicScript}
	ch := newChannel(t, rt, nil)

	// 1. Typed text: a text, a carousel of three artists, quick replies.
	r := decode(t, serve(ch, post(skill{user: "u_42", utterance: "추천해 줘"}.body())).Body.Bytes())
	outs := r.Template.Outputs
	if len(outs) != 3 {
		t.Fatalf("outputs %v: want text, carousel, text", outs)
	}
	var car struct {
		Type  string     `json:"type"`
		Items []cardJSON `json:"items"`
	}
	if err := json.Unmarshal(outs[1]["carousel"], &car); err != nil || car.Type != "basicCard" || len(car.Items) != 3 {
		t.Fatalf("second output %s: want a carousel of three basicCards (%v)", outs[1]["carousel"], err)
	}
	iu := car.Items[0]
	if iu.Title != "아이유" || iu.Description != "발라드 · 팝" || iu.Thumbnail == nil || iu.Thumbnail.ImageURL != "https://img.example/iu.png" || len(iu.Buttons) != 3 {
		t.Fatalf("first card %+v", iu)
	}
	if b := iu.Buttons[0]; b.Action != "message" || b.MessageText != "노래 듣기" || b.Extra["v"] != "play:iu" {
		t.Errorf("value button %+v", b)
	}
	if b := iu.Buttons[1]; b.Action != "webLink" || b.WebLinkURL != "https://music.example/iu" {
		t.Errorf("link button %+v", b)
	}
	if got := r.texts(); !slices.Equal(got, []string{"이런 아티스트는 어때요?", "다른 장르도 볼까요?"}) {
		t.Errorf("texts %q", got)
	}
	// The fourth button of the first card, then the final card's five
	// choices, become quick replies.
	var labels, values []string
	for _, q := range r.Template.QuickReplies {
		labels = append(labels, q.Label)
		values = append(values, q.Extra["v"])
		if q.Action != "message" || q.MessageText == "" {
			t.Errorf("quick reply %+v", q)
		}
	}
	if !slices.Equal(values, []string{"albums:iu", "genre:ballad", "genre:hiphop", "genre:rock", "genre:jazz", "genre:classic"}) {
		t.Errorf("quick reply values %q", values)
	}
	if labels[4] != "재즈와 블루스 그리고 소…" || r.Template.QuickReplies[4].MessageText != "재즈와 블루스 그리고 소울 음악" {
		t.Errorf("a long label is cut to 14 characters, the said text is whole: %q / %q", labels[4], r.Template.QuickReplies[4].MessageText)
	}

	// 2. The user taps a quick reply: Kakao sends its messageText as the
	// utterance and its extra as clientExtra; the engine gets the value.
	q := r.Template.QuickReplies[4]
	r = decode(t, serve(ch, post(skill{user: "u_42", utterance: q.MessageText, trigger: "QUICKREPLY_BUTTON_MESSAGE", clientExtra: map[string]any{"v": q.Extra["v"]}}.body())).Body.Bytes())
	if got := rt.Texts(); got[len(got)-1] != "genre:jazz" {
		t.Fatalf("engine got %q, want the quick reply's value", got[len(got)-1])
	}
	// A 3,100-character text is split under 1,000 characters and the card
	// without an image is a textCard with three buttons; the other two are
	// quick replies. Split text and card make at most three outputs.
	if n := len(r.Template.Outputs); n != 3 {
		t.Errorf("%d outputs, want 3", n)
	}
	for _, s := range r.texts() {
		if utf8.RuneCountInString(s) >= 1000 {
			t.Errorf("simpleText of %d characters", utf8.RuneCountInString(s))
		}
	}
	last := r.Template.Outputs[len(r.Template.Outputs)-1]
	var tc cardJSON
	if err := json.Unmarshal(last["textCard"], &tc); err != nil || tc.Title != "몇 곡을 들려 드릴까요?" || tc.Description != "한 번에 고를 수 있어요" || len(tc.Buttons) != 3 {
		t.Fatalf("last output %v: want the textCard (%v)", last, err)
	}
	if len(r.Template.QuickReplies) != 2 || r.Template.QuickReplies[1].Extra["v"] != "all" {
		t.Errorf("quick replies %+v: want buttons 4 and 5", r.Template.QuickReplies)
	}

	// 3. A card button tapped on the carousel comes back as its value; the
	// native payloads are passed through.
	b := iu.Buttons[0]
	r = decode(t, serve(ch, post(skill{user: "u_42", utterance: b.MessageText, trigger: "CARD_BUTTON_MESSAGE", clientExtra: map[string]any{"v": b.Extra["v"]}}.body())).Body.Bytes())
	if got := rt.Texts(); got[len(got)-1] != "play:iu" {
		t.Fatalf("engine got %q, want the button's value", got[len(got)-1])
	}
	if len(r.Template.Outputs) != 2 || r.Template.Outputs[0]["simpleImage"] == nil || r.texts()[0] != "재생 목록에 담았어요." {
		t.Errorf("outputs %v: want the native simpleImage and text", r.Template.Outputs)
	}
	if len(r.Template.QuickReplies) != 1 || r.Template.QuickReplies[0].Action != "block" {
		t.Errorf("quick replies %+v: want the native block quick reply", r.Template.QuickReplies)
	}

	ch.Close(context.Background())
	turns := rt.Turns()
	for _, tr := range turns {
		if tr.Key != turns[0].Key || tr.Key.SessionID != "kakao:u_42" || tr.RequestAttributes["x-amz-lex:channels:platform"] != "Kakao" {
			t.Errorf("turn key %+v attrs %v: want one Kakao session", tr.Key, tr.RequestAttributes)
		}
	}
	if s := ch.Stats(); s.Accepted != 3 || s.Failed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestRenderLimits checks each of Kakao's limits against turns that
// exceed it.
func TestRenderLimits(t *testing.T) {
	many := func(n int, f func(i int) parley.Message) []parley.Message {
		var out []parley.Message
		for i := range n {
			out = append(out, f(i))
		}
		return out
	}
	cases := []struct {
		name  string
		msgs  []parley.Message
		check func(t *testing.T, r response)
	}{
		{"five short texts join into one output", many(5, func(i int) parley.Message { return text(fmt.Sprint("줄 ", i)) }), func(t *testing.T, r response) {
			if got := r.texts(); len(got) != 1 || got[0] != "줄 0\n\n줄 1\n\n줄 2\n\n줄 3\n\n줄 4" {
				t.Errorf("texts %q", got)
			}
		}},
		{"a 5,000-character text is cut after three outputs", []parley.Message{text(strings.Repeat("가", 5000))}, func(t *testing.T, r response) {
			got := r.texts()
			if len(got) != 3 || !strings.HasSuffix(got[2], "…") {
				t.Errorf("%d texts, last ends %q", len(got), got[len(got)-1][len(got[len(got)-1])-6:])
			}
		}},
		{"twelve image cards make two carousels", many(12, func(i int) parley.Message {
			return cardMsg(fmt.Sprint("카드 ", i), "", fmt.Sprintf("https://img.example/%d.png", i), "고르기", fmt.Sprint(i))
		}), func(t *testing.T, r response) {
			if len(r.Template.Outputs) != 2 || r.Template.Outputs[1]["carousel"] == nil {
				t.Errorf("outputs %v", r.Template.Outputs)
			}
		}},
		{"cards beyond three outputs are dropped", many(5, func(i int) parley.Message {
			return cardMsg(fmt.Sprint("카드 ", i), fmt.Sprint("설명 ", i), "", "고르기", fmt.Sprint(i))
		}), func(t *testing.T, r response) {
			if len(r.Template.Outputs) != 3 {
				t.Errorf("%d outputs", len(r.Template.Outputs))
			}
		}},
		{"long card fields are cut", []parley.Message{
			cardMsg(strings.Repeat("제", 250), strings.Repeat("설", 250), "https://img.example/x.png", strings.Repeat("버", 50), "v"),
			cardMsg(strings.Repeat("제", 250), strings.Repeat("설", 500), "", "b", "v"),
		}, func(t *testing.T, r response) {}},
		{"eleven quick replies keep ten", []parley.Message{
			cardMsg("다섯 버튼", "", "", "1", "1", "2", "2", "3", "3", "4", "4", "5", "5"),
			cardMsg("또 다섯 버튼", "", "", "6", "6", "7", "7", "8", "8", "9", "9", "10", "10"),
			cardMsg("고르세요", "", "", "a", "a", "b", "b", "c", "c", "d", "d", "e", "e"),
			cardMsg("더 고르세요", "", "", "f", "f", "g", "g", "h", "h", "i", "i", "j", "j")},
			func(t *testing.T, r response) {
				if len(r.Template.QuickReplies) != 10 {
					t.Errorf("%d quick replies", len(r.Template.QuickReplies))
				}
			}},
		{"a turn without messages still answers", nil, func(t *testing.T, r response) {
			if len(r.Template.Outputs) != 1 {
				t.Errorf("outputs %v", r.Template.Outputs)
			}
		}},
		{"SSML loses its tags", []parley.Message{{ContentType: parley.ContentSSML, Content: "<speak>안녕 <break time=\"1s\"/>하세요</speak>"}}, func(t *testing.T, r response) {
			if got := r.texts(); len(got) != 1 || got[0] != "안녕 하세요" {
				t.Errorf("texts %q", got)
			}
		}},
		{"a custom payload for another platform is text", []parley.Message{custom(`{"slack":{"blocks":[]}}`)}, func(t *testing.T, r response) {
			if got := r.texts(); len(got) != 1 || got[0] != `{"slack":{"blocks":[]}}` {
				t.Errorf("texts %q", got)
			}
		}},
		{"a native string is text, a native non-object is dropped", []parley.Message{custom(`{"kakao":"그냥 글"}`), custom(`{"kakao":[1]}`), custom(`{"kakao":{"outputs":[null,{"simpleText":{"text":"ok"}}]}}`)}, func(t *testing.T, r response) {
			if got := r.texts(); !slices.Equal(got, []string{"그냥 글", "ok"}) {
				t.Errorf("texts %q", got)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msgs := c.msgs
			ch := newChannel(t, &channeltest.Runtime{Script: func(*parley.TurnRequest) []parley.Message { return msgs }}, nil)
			rec := serve(ch, post(skill{user: "u_1", utterance: "보여 줘"}.body()))
			c.check(t, decode(t, rec.Body.Bytes()))
		})
	}
}

// sessionRuntime is a channeltest.Runtime with a stored session.
type sessionRuntime struct {
	*channeltest.Runtime
	session *parley.Session
}

func (s sessionRuntime) GetSession(context.Context, parley.SessionKey) (*parley.Session, error) {
	if s.session == nil {
		return nil, parley.Errorf(parley.ErrNotFound, "no session")
	}
	return s.session, nil
}

// TestEntitiesFillSlots: an Open Builder entity in a block named after a
// Parley intent fills the slot of the same name.
func TestEntitiesFillSlots(t *testing.T) {
	stored := &parley.Session{State: parley.SessionState{
		Intent: &parley.SessionIntent{Name: "RecommendMusic", State: parley.IntentInProgress,
			Slots: map[string]*parley.SlotValue{"mood": parley.ScalarSlot("신나는", "upbeat", "upbeat"), "artist": nil, "count": nil}},
		DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "artist"},
	}}
	cases := []struct {
		name    string
		skill   skill
		session *parley.Session
		want    map[string]string // slot → interpreted/original, "" for no session state
		action  parley.DialogActionType
	}{
		{"detail params give value and words said", skill{intent: "RecommendMusic",
			params:       map[string]string{"artist": "IU", "sys_text": "x"},
			detailParams: map[string]map[string]string{"artist": {"origin": "아이유", "value": "IU", "groupName": ""}}},
			nil, map[string]string{"artist": "IU/아이유"}, ""},
		{"params alone", skill{intent: "RecommendMusic", params: map[string]string{"artist": "IU"}},
			nil, map[string]string{"artist": "IU/IU"}, ""},
		{"a system number as a JSON string", skill{intent: "RecommendMusic",
			params: map[string]string{"count": `{"amount": 3, "unit": null}`}},
			nil, map[string]string{"count": "3/3"}, ""},
		{"slots the session holds are kept", skill{intent: "RecommendMusic", params: map[string]string{"artist": "IU"}},
			stored, map[string]string{"artist": "IU/IU", "mood": "upbeat/신나는"}, parley.ActionElicitSlot},
		{"a block that is no intent", skill{intent: "폴백 블록", params: map[string]string{"artist": "IU"}}, nil, nil, ""},
		{"no entity names a slot", skill{intent: "RecommendMusic", params: map[string]string{"sys_text": "IU"}}, nil, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := sessionRuntime{Runtime: &channeltest.Runtime{}, session: c.session}
			ch := newChannel(t, rt, nil)
			sk := c.skill
			sk.user, sk.utterance = "u_7", "아이유 노래 추천해 줘"
			serve(ch, post(sk.body()))
			ch.Close(context.Background())
			turns := rt.Turns()
			if len(turns) != 1 {
				t.Fatalf("%d turns", len(turns))
			}
			st := turns[0].SessionState
			if c.want == nil {
				if st != nil {
					t.Fatalf("session state %+v, want none", st)
				}
				return
			}
			if st == nil || st.Intent == nil || st.Intent.Name != "RecommendMusic" {
				t.Fatalf("session state %+v", st)
			}
			got := map[string]string{}
			for name, v := range st.Intent.Slots {
				if v != nil && v.Value != nil {
					got[name] = v.Value.InterpretedValue + "/" + v.Value.OriginalValue
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("slots %v, want %v", got, c.want)
			}
			if (c.action == "") != (st.DialogAction == nil) || (st.DialogAction != nil && st.DialogAction.Type != c.action) {
				t.Errorf("dialog action %+v, want %q", st.DialogAction, c.action)
			}
		})
	}
}

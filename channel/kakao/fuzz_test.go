package kakao_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// FuzzSkillPayload sends arbitrary bodies with the right secret: each is
// refused with 400 or answered 200 with a SkillResponse Kakao accepts.
func FuzzSkillPayload(f *testing.F) {
	f.Add(skill{user: "u_1", utterance: "안녕하세요"}.body())
	f.Add(skill{user: "u_1", utterance: "노래 듣기", trigger: "CARD_BUTTON_MESSAGE", clientExtra: map[string]any{"v": "play:iu"}}.body())
	f.Add(skill{user: "u_1", utterance: "추천", intent: "RecommendMusic", params: map[string]string{"count": `{"amount": 3}`},
		detailParams: map[string]map[string]string{"artist": {"origin": "아이유", "value": "IU"}}}.body())
	f.Add([]byte(`{"userRequest":{"utterance":"hi","user":{"id":"u"}},"action":{"params":{"n":1},"clientExtra":{"v":7}}}`))
	f.Add([]byte(`{"userRequest":{"utterance":"hi","user":{"id":"u"},"callbackUrl":"ftp://x"}}`))
	f.Add([]byte(`{"bot":{}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"userRequest":`))
	ch := newChannel(f, &channeltest.Runtime{}, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serve(ch, post(body))
		switch rec.Code {
		case http.StatusBadRequest:
		case http.StatusOK:
			if problems := checkResponse(rec.Body.Bytes()); len(problems) > 0 && rec.Body.String() != `{"version":"2.0"}` {
				t.Fatalf("body %q answered %s: %v", body, rec.Body, problems)
			}
		default:
			t.Fatalf("body %q: status %d", body, rec.Code)
		}
	})
	ch.Close(context.Background())
}

// BenchmarkInbound measures the connector's own work per message: header
// check, payload parsing, the turn's hand-off and the SkillResponse, around
// an echo runtime.
func BenchmarkInbound(b *testing.B) {
	ch := newChannel(b, &channeltest.Runtime{}, nil)
	body := skill{user: "u_bench", utterance: "아이유 노래 추천해 줘"}.body()
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(ch, post(body)); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

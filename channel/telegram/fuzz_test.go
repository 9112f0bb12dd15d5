package telegram_test

import (
	"testing"

	"github.com/parleybot/parley/channel/channeltest"
)

// FuzzUpdate sends any body with the right secret: the connector answers
// 200 or 400, runs at most one turn (none for a 400), and everything it
// sends back passes the fake Bot API's checks.
func FuzzUpdate(f *testing.F) {
	f.Add(messageUpdate(1, 42, "hello"))
	f.Add(callbackUpdate(2, 42, "cbq", "order margherita"))
	f.Add(callbackUpdate(3, -100, "cbq", "\x1ek1"))
	f.Add([]byte(`{"update_id":4,"edited_message":{"message_id":1,"chat":{"id":1},"text":"x"}}`))
	f.Add([]byte(`{"update_id":5,"message":{"chat":{"id":1},"from":{"id":1},"text":"<b>&amp;</b>"}}`))
	f.Add([]byte(`{"update_id":6,"callback_query":{"id":"q","from":{"id":7}}}`))
	f.Add([]byte(`{"update_id":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rt := &channeltest.Runtime{}
		ch, api, _ := connect(t, rt, nil)
		api.open = true
		rec := serve(ch, webhook(body))
		closeWithin(t, ch)
		switch turns := len(rt.Turns()); {
		case rec.Code == 400 && turns != 0:
			t.Fatalf("a rejected body ran %d turns", turns)
		case rec.Code != 200 && rec.Code != 400 && rec.Code != 413:
			t.Fatalf("status %d", rec.Code)
		case turns > 1:
			t.Fatalf("one update ran %d turns", turns)
		}
	})
}

package twilio_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/twilio"
)

// TestRejectionMatrix plays channels.md §8.5 row by row.
func TestRejectionMatrix(t *testing.T) {
	from := "+15551230000"
	sms := func(body, messageSid string) url.Values { return smsForm(from, body, messageSid) }
	whatsapp := func() url.Values {
		f := sms("Jazz", "SM00000000000000000000000000000W01")
		f.Set("From", "whatsapp:"+from)
		f.Set("To", "whatsapp:"+botNumber)
		f.Set("ProfileName", "Kim")
		f.Set("WaId", strings.TrimPrefix(from, "+"))
		f.Set("ButtonText", "Jazz")
		f.Set("ButtonPayload", "genre=jazz")
		f.Set("MessageType", "button")
		return f
	}
	cases := []struct {
		name     string
		reqs     func() []*http.Request
		status   int
		turns    []string // texts that reached the runtime
		messages int      // <Message>s in the last answer
	}{
		{"valid SMS", func() []*http.Request {
			return []*http.Request{signedForm(sms("hello", "SM00000000000000000000000000000001"))}
		}, http.StatusOK, []string{"hello"}, 1},
		{"missing X-Twilio-Signature", func() []*http.Request {
			return []*http.Request{post("/", sms("hello", "SM00000000000000000000000000000002").Encode(), "")}
		}, http.StatusUnauthorized, nil, 0},
		{"signed for another host", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000003")
			return []*http.Request{post("/", f.Encode(), twilio.Sign(testToken, strings.Replace(webhookURL, "bot.example.com", "evil.example.com", 1), f))}
		}, http.StatusUnauthorized, nil, 0},
		{"signed for http", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000004")
			return []*http.Request{post("/", f.Encode(), twilio.Sign(testToken, strings.Replace(webhookURL, "https:", "http:", 1), f))}
		}, http.StatusUnauthorized, nil, 0},
		{"signed for another path", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000005")
			return []*http.Request{post("/", f.Encode(), twilio.Sign(testToken, webhookURL+"other", f))}
		}, http.StatusUnauthorized, nil, 0},
		{"signed with explicit :443", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000006")
			return []*http.Request{post("/", f.Encode(), twilio.Sign(testToken, strings.Replace(webhookURL, "bot.example.com", "bot.example.com:443", 1), f))}
		}, http.StatusOK, []string{"hello"}, 1},
		{"parameter added after signing", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000007")
			sig := twilio.Sign(testToken, webhookURL, f)
			f.Set("Extra", "1")
			return []*http.Request{post("/", f.Encode(), sig)}
		}, http.StatusUnauthorized, nil, 0},
		{"Body changed after signing", func() []*http.Request {
			f := sms("hello", "SM00000000000000000000000000000008")
			sig := twilio.Sign(testToken, webhookURL, f)
			f.Set("Body", "transfer all my money")
			return []*http.Request{post("/", f.Encode(), sig)}
		}, http.StatusUnauthorized, nil, 0},
		{"unparseable form encoding", func() []*http.Request {
			body := sms("hello", "SM00000000000000000000000000000009").Encode() + "&Bad=%zz"
			f, _ := url.ParseQuery(body)
			return []*http.Request{post("/", body, twilio.Sign(testToken, webhookURL, f))}
		}, http.StatusBadRequest, nil, 0},
		{"signed, no MessageSid", func() []*http.Request {
			f := sms("hello", "")
			return []*http.Request{signedForm(f)}
		}, http.StatusBadRequest, nil, 0},
		{"same MessageSid twice", func() []*http.Request {
			f := sms("once", "SM00000000000000000000000000000010")
			return []*http.Request{signedForm(f), signedForm(f)}
		}, http.StatusOK, []string{"once"}, 0},
		{"same idempotency token twice", func() []*http.Request {
			a, b := signedForm(sms("once", "SM00000000000000000000000000000011")), signedForm(sms("once", "SM00000000000000000000000000000012"))
			a.Header.Set("I-Twilio-Idempotency-Token", "4bb2a4b7-2b31-4a59-bd18-5a9c00ef7d01")
			b.Header.Set("I-Twilio-Idempotency-Token", "4bb2a4b7-2b31-4a59-bd18-5a9c00ef7d01")
			return []*http.Request{a, b}
		}, http.StatusOK, []string{"once"}, 0},
		{"status callback on the inbound URL", func() []*http.Request {
			return []*http.Request{(&platform{}).Signed(t, (&platform{}).UnknownEvent())}
		}, http.StatusOK, nil, 0},
		{"NumMedia=1 and no Body", func() []*http.Request {
			f := sms("", "SM00000000000000000000000000000013")
			f.Set("NumMedia", "1")
			f.Set("MediaContentType0", "image/jpeg")
			f.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1")
			return []*http.Request{signedForm(f)}
		}, http.StatusOK, []string{"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"}, 1},
		{"WhatsApp button", func() []*http.Request {
			return []*http.Request{signedForm(whatsapp())}
		}, http.StatusOK, []string{"genre=jazz"}, 1},
		{"JSON body", func() []*http.Request {
			req := post("/", `{"Body":"hello"}`, "x")
			req.Header.Set("Content-Type", "application/json")
			return []*http.Request{req}
		}, http.StatusUnsupportedMediaType, nil, 0},
		{"GET", func() []*http.Request {
			req := signedForm(sms("hello", "SM00000000000000000000000000000014"))
			req.Method = http.MethodGet
			return []*http.Request{req}
		}, http.StatusMethodNotAllowed, nil, 0},
		{"body over 64 KiB", func() []*http.Request {
			return []*http.Request{post("/", "Body="+string(bytes.Repeat([]byte("a"), 64<<10)), "x")}
		}, http.StatusRequestEntityTooLarge, nil, 0},
		{"empty body, signed", func() []*http.Request {
			return []*http.Request{signedForm(url.Values{})}
		}, http.StatusBadRequest, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			var last []twimlMessage
			for _, req := range c.reqs() {
				rec := serve(ch, req)
				if rec.Code != c.status {
					t.Fatalf("status %d, want %d", rec.Code, c.status)
				}
				if rec.Code == http.StatusOK {
					last = parseTwiML(t, rec)
				}
			}
			closeChannel(t, ch)
			if got := rt.Texts(); strings.Join(got, "|") != strings.Join(c.turns, "|") {
				t.Errorf("turns %q, want %q", got, c.turns)
			}
			if len(last) != c.messages {
				t.Errorf("last answer has %d messages, want %d", len(last), c.messages)
			}
			if turns := rt.Turns(); len(turns) > 0 && c.name == "WhatsApp button" {
				if turns[0].Key.SessionID == "" || !strings.HasPrefix(turns[0].Key.SessionID, "twilio:") {
					t.Errorf("session id %q", turns[0].Key.SessionID)
				}
			}
		})
	}
}

// blockingRuntime answers only once released: a turn slower than Twilio
// waits, without timing the test.
type blockingRuntime struct {
	channeltest.Runtime
	release chan struct{}
	once    sync.Once
}

func (b *blockingRuntime) RecognizeText(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	<-b.release
	return b.Runtime.RecognizeText(ctx, req)
}

func (b *blockingRuntime) unblock() { b.once.Do(func() { close(b.release) }) }

// TestLateAnswer: a turn that misses the reply timeout is answered with an
// empty <Response/> and then through the REST API, exactly once, from the
// number the user wrote to.
func TestLateAnswer(t *testing.T) {
	cases := []struct {
		name      string
		from, to  string
		noAccount bool
	}{
		{"SMS", "+15551230000", botNumber, false},
		{"WhatsApp", "whatsapp:+821012345678", "whatsapp:" + botNumber, false},
		{"no accountSid", "+15551230000", botNumber, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{settings: map[string]string{"replyTimeout": "1ms"}}
			if c.noAccount {
				p.settings["accountSid"] = ""
			}
			rt := &blockingRuntime{release: make(chan struct{})}
			defer rt.unblock()
			ch := p.connect(t, rt)
			f := smsForm(c.from, "slow one", "SM00000000000000000000000000000L01")
			f.Set("To", c.to)
			rec := serve(ch, signedForm(f))
			if got := parseTwiML(t, rec); len(got) != 0 || !strings.HasSuffix(rec.Body.String(), "<Response/>") {
				t.Fatalf("answer %q, want an empty <Response/>", rec.Body)
			}
			rt.unblock()
			closeChannel(t, ch)
			sent := p.fake.waitSent(0)
			if c.noAccount {
				if len(sent) != 0 || ch.Stats().Failed != 1 {
					t.Fatalf("without accountSid: %d sent, stats %+v; want none sent and one failure", len(sent), ch.Stats())
				}
				return
			}
			if len(sent) != 1 {
				t.Fatalf("%d REST sends, want 1", len(sent))
			}
			if s := sent[0]; s.Get("To") != c.from || s.Get("From") != c.to || s.Get("Body") != "you said: slow one" {
				t.Errorf("sent %v", s)
			}
			if s := ch.Stats(); s.Failed != 0 || s.Accepted != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

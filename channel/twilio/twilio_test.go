package twilio_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/twilio"
)

const (
	testToken  = "test_auth_token"
	testSid    = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	publicURL  = "https://bot.example.com/channels/TWILIOBOT1/sms"
	botNumber  = "+15559870000"
	webhookURL = publicURL + "/"
)

// platform plays Twilio for the conformance suite and the tests below.
type platform struct {
	fake     *fakeTwilio
	settings map[string]string // extra settings for the next connect
	public   string            // the channel's public URL; publicURL when empty
}

var _ channeltest.Platform = (*platform)(nil)

func testBot() *parley.Bot {
	return &parley.Bot{ID: "TWILIOBOT1", Locales: []*parley.Locale{{ID: "en_US"}}}
}

func (p *platform) Connect(t *testing.T, rt parley.Runtime) connector.Channel {
	return p.connect(t, rt)
}

func (p *platform) connect(t testing.TB, rt parley.Runtime) *twilio.Channel {
	t.Helper()
	p.fake = newFakeTwilio(t, testSid, testToken)
	settings := map[string]string{"authToken": testToken, "accountSid": testSid, "apiBase": p.fake.srv.URL}
	for k, v := range p.settings {
		settings[k] = v
	}
	public := p.public
	if public == "" {
		public = publicURL
	}
	ch, err := twilio.New(connector.Config{
		Name: "sms", Type: "twilio", Bot: testBot(), Runtime: rt, Settings: settings, PublicURL: public,
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close(context.Background()) })
	return ch
}

// phoneOf maps a test user name onto a phone number.
func phoneOf(user string) string {
	sum := md5.Sum([]byte(user))
	n := 0
	for _, b := range sum[:4] {
		n = n*256 + int(b)
	}
	return fmt.Sprintf("+1555%07d", n%10_000_000)
}

func sid(prefix, id string) string {
	sum := md5.Sum([]byte(id))
	return prefix + hex.EncodeToString(sum[:])
}

// smsForm is an incoming SMS as Twilio posts it.
func smsForm(from, body, messageSid string) url.Values {
	return url.Values{
		"ToCountry": {"US"}, "ToState": {"CA"}, "SmsMessageSid": {messageSid}, "NumMedia": {"0"},
		"ToCity": {"SAN FRANCISCO"}, "FromZip": {"94105"}, "SmsSid": {messageSid}, "FromState": {"CA"},
		"SmsStatus": {"received"}, "FromCity": {"SAN FRANCISCO"}, "Body": {body}, "FromCountry": {"US"},
		"To": {botNumber}, "ToZip": {"94105"}, "NumSegments": {"1"}, "MessageSid": {messageSid},
		"AccountSid": {testSid}, "From": {from}, "ApiVersion": {"2010-04-01"},
	}
}

// post builds a webhook request to target (path and query below the
// mount point) carrying body, signed over signedURL and params.
func post(target, body, signature string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	if signature != "" {
		req.Header.Set("X-Twilio-Signature", signature)
	}
	return req
}

func signedForm(form url.Values) *http.Request {
	return post("/", form.Encode(), twilio.Sign(testToken, webhookURL, form))
}

func (p *platform) Message(t *testing.T, user, text, eventID string) *http.Request {
	req := signedForm(smsForm(phoneOf(user), text, sid("SM", eventID)))
	req.Header.Set("I-Twilio-Idempotency-Token", sid("", eventID+"/token"))
	return req
}

func (p *platform) Signed(t *testing.T, body []byte) *http.Request {
	form, _ := url.ParseQuery(string(body))
	return post("/", string(body), twilio.Sign(testToken, webhookURL, form))
}

func (p *platform) Forge(t *testing.T, req *http.Request) {
	req.Header.Set("X-Twilio-Signature", twilio.Sign("another_token", webhookURL, url.Values{}))
}

func (p *platform) UnknownEvent() []byte {
	return []byte(url.Values{"MessageSid": {sid("SM", "status")}, "MessageStatus": {"delivered"}, "SmsStatus": {"delivered"},
		"AccountSid": {testSid}, "From": {botNumber}, "To": {"+15551230000"}, "ApiVersion": {"2010-04-01"}}.Encode())
}

func (p *platform) Replies(t *testing.T, user string, rec *httptest.ResponseRecorder, want int) []string {
	var texts []string
	for _, m := range parseTwiML(t, rec) {
		texts = append(texts, m.text())
	}
	return texts
}

func (p *platform) Traits() channeltest.Traits {
	return channeltest.Traits{MaxBytes: 64 << 10, Deduplicates: true}
}

// twimlMessage is one <Message> of a TwiML answer as Twilio reads it.
type twimlMessage struct {
	Text  string   `xml:",chardata"`
	Body  string   `xml:"Body"`
	Media []string `xml:"Media"`
}

func (m twimlMessage) text() string { return strings.TrimSpace(m.Text + m.Body) }

// parseTwiML checks that rec is a TwiML answer and returns its messages.
func parseTwiML(t *testing.T, rec *httptest.ResponseRecorder) []twimlMessage {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	if mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type")); mt != "text/xml" && mt != "application/xml" {
		t.Fatalf("Content-Type %q, want text/xml", rec.Header().Get("Content-Type"))
	}
	var resp struct {
		XMLName  xml.Name
		Messages []twimlMessage `xml:"Message"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.XMLName.Local != "Response" {
		t.Fatalf("answer %q is not TwiML: %v", rec.Body, err)
	}
	for _, m := range resp.Messages {
		if n := len([]rune(m.text())); n > 1600 || (n == 0 && len(m.Media) == 0) {
			t.Errorf("a <Message> with %d characters and %d media", n, len(m.Media))
		}
	}
	return resp.Messages
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func closeChannel(t *testing.T, ch connector.Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestConformance(t *testing.T) {
	channeltest.Run(t, &platform{})
}

// The vectors of channels.md §0.5, from twilio-go's request_validator_test.go
// and the SMS-shaped one computed for the spec.
var (
	vectorParams = url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"}, "Reason": {"Participant"}, "ReasonConferenceEnded": {"test"}}
	smsVector = url.Values{"AccountSid": {"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}, "Body": {"hello"}, "From": {"+15551230000"},
		"MessageSid": {"SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}, "NumMedia": {"0"}, "To": {"+15559870000"}}
)

func TestSignVectors(t *testing.T) {
	cases := []struct {
		name, token, url string
		params           url.Values
		want             string
	}{
		{"twilio-go, https", "12345", "https://mycompany.com/myapp.php?foo=1&bar=2", vectorParams, "vOEb5UThFn24KEfnOFLQY2AE5FY="},
		{"twilio-go, http", "12345", "http://mycompany.com/myapp.php?foo=1&bar=2", vectorParams, "n2xBNyzSW7rfYStDtOFiFMv7qNo="},
		{"SMS-shaped", "test_auth_token", "https://bot.example.com/twilio/sms", smsVector, "P+ihaq8s0bAij+IAs7zWmVjbMWo="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := twilio.Sign(c.token, c.url, c.params); got != c.want {
				t.Errorf("Sign = %s, want %s", got, c.want)
			}
		})
	}
}

// TestSignatureVectorsThroughWebhook runs the same vectors through the
// handler: the twilio-go request is no message (400 once authentic, 401
// when not), the SMS-shaped one is answered.
func TestSignatureVectorsThroughWebhook(t *testing.T) {
	cases := []struct {
		name, public, target string
		params               url.Values
		signature            string
		status               int
	}{
		{"twilio-go vector", "https://mycompany.com", "/myapp.php?foo=1&bar=2", vectorParams, "vOEb5UThFn24KEfnOFLQY2AE5FY=", http.StatusBadRequest},
		{"twilio-go wrong-order signature", "https://mycompany.com", "/myapp.php?foo=1&bar=2", vectorParams, "95+Bu0JVPi0r/SsESZCVf0dWAjw=", http.StatusUnauthorized},
		{"http signature on an https URL", "https://mycompany.com", "/myapp.php?foo=1&bar=2", vectorParams, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", http.StatusUnauthorized},
		{"http signature on an http URL", "http://mycompany.com", "/myapp.php?foo=1&bar=2", vectorParams, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", http.StatusBadRequest},
		{"query reordered", "https://mycompany.com", "/myapp.php?bar=2&foo=1", vectorParams, "vOEb5UThFn24KEfnOFLQY2AE5FY=", http.StatusUnauthorized},
		{"SMS vector", "https://bot.example.com/twilio", "/sms", smsVector, "P+ihaq8s0bAij+IAs7zWmVjbMWo=", http.StatusOK},
		{"SMS vector, public URL with :443", "https://bot.example.com:443/twilio", "/sms", smsVector, "P+ihaq8s0bAij+IAs7zWmVjbMWo=", http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &platform{public: c.public, settings: map[string]string{"authToken": "12345"}}
			if c.params.Get("Body") != "" {
				p.settings["authToken"] = "test_auth_token"
			}
			rt := &channeltest.Runtime{}
			ch := p.connect(t, rt)
			rec := serve(ch, post(c.target, c.params.Encode(), c.signature))
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			if c.status == http.StatusOK {
				if got := parseTwiML(t, rec); len(got) != 1 || got[0].text() != "you said: hello" {
					t.Errorf("answer %+v", got)
				}
			}
		})
	}
}

package webhook_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/webhook"
)

func TestVerify(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"messageVersion":"1.0","inputTranscript":"안녕"}`)
	now := time.Now()
	good := webhook.Sign(secret, now, body)
	v1 := strings.SplitN(good, ",", 2)[1]
	ts := strconv.FormatInt(now.Unix(), 10)
	tests := []struct {
		name   string
		header string // "" leaves the header out
		body   []byte
		want   error // nil: accepted
		detail string
	}{
		{name: "good", header: good, body: body},
		{name: "spaces and unknown entries", header: " v0=zz , " + strings.ReplaceAll(good, ",", " , ") + ",v2=future", body: body},
		{name: "rotated keys", header: webhook.Sign([]byte("old key"), now, body) + "," + v1, body: body},
		{name: "missing", header: "", body: body, want: webhook.ErrNoSignature, detail: "missing"},
		{name: "tampered body", header: good, body: []byte(`{"messageVersion":"1.0","inputTranscript":"안녕!"}`), want: webhook.ErrSignatureMismatch, detail: "does not match"},
		{name: "wrong secret", header: webhook.Sign([]byte("other"), now, body), body: body, want: webhook.ErrSignatureMismatch, detail: "does not match"},
		{name: "timestamp changed", header: "t=" + strconv.FormatInt(now.Unix()+1, 10) + "," + v1, body: body, want: webhook.ErrSignatureMismatch},
		{name: "stale", header: webhook.Sign(secret, now.Add(-time.Hour), body), body: body, want: webhook.ErrSignatureExpired, detail: "1h0m0s old"},
		{name: "future", header: webhook.Sign(secret, now.Add(10*time.Minute), body), body: body, want: webhook.ErrSignatureExpired, detail: "in the future"},
		{name: "far future", header: "t=999999999999999999," + v1, body: body, want: webhook.ErrSignatureExpired, detail: "in the future"},
		{name: "no equals", header: "t" + ts + "," + v1, body: body, want: webhook.ErrMalformedSignature, detail: "entry 1 has no '='"},
		{name: "no timestamp", header: v1, body: body, want: webhook.ErrMalformedSignature, detail: "no t= timestamp"},
		{name: "two timestamps", header: "t=" + ts + ",t=" + ts + "," + v1, body: body, want: webhook.ErrMalformedSignature, detail: "more than one timestamp"},
		{name: "timestamp not a number", header: "t=soon," + v1, body: body, want: webhook.ErrMalformedSignature, detail: `"soon" is not a number`},
		{name: "negative timestamp", header: "t=-5," + v1, body: body, want: webhook.ErrMalformedSignature},
		{name: "no signature", header: "t=" + ts, body: body, want: webhook.ErrMalformedSignature, detail: "no v1= signature"},
		{name: "signature not hex", header: "t=" + ts + ",v1=xyz", body: body, want: webhook.ErrMalformedSignature, detail: "not 64 hex digits"},
		{name: "signature too short", header: "t=" + ts + ",v1=abcd", body: body, want: webhook.ErrMalformedSignature, detail: "not 64 hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/hook", nil)
			if tt.header != "" {
				r.Header.Set(webhook.SignatureHeader, tt.header)
			}
			err := webhook.Verify(r, tt.body, secret, 0)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
			if code := parley.ErrorCodeOf(err); code != parley.ErrAccessDenied {
				t.Errorf("code %s, want %s", code, parley.ErrAccessDenied)
			}
			if !strings.Contains(parley.ErrorMessageOf(err), tt.detail) {
				t.Errorf("message %q does not contain %q", parley.ErrorMessageOf(err), tt.detail)
			}
		})
	}
}

func TestVerifyTolerance(t *testing.T) {
	secret := []byte("k")
	body := []byte("{}")
	sent := time.Now().Add(-2 * time.Hour)
	r := httptest.NewRequest(http.MethodPost, "/hook", nil)
	r.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, sent, body))
	if err := webhook.Verify(r, body, secret, 3*time.Hour); err != nil {
		t.Errorf("2 h old with a 3 h tolerance: %v", err)
	}
	if err := webhook.Verify(r, body, secret, time.Hour); !errors.Is(err, webhook.ErrSignatureExpired) {
		t.Errorf("2 h old with a 1 h tolerance: %v, want ErrSignatureExpired", err)
	}
}

func FuzzVerify(f *testing.F) {
	secret := []byte("fuzz key")
	now := time.Now()
	f.Add(webhook.Sign(secret, now, []byte("{}")), []byte("{}"))
	f.Add("t=1,v1=00", []byte(""))
	f.Add("t=,v1=,=,,", []byte("x"))
	f.Add("v1="+strings.Repeat("ab", 32)+",t=0", []byte("{}"))
	f.Add("t=99999999999999999999999", []byte{})
	f.Add("t=1700000000,v1=zz,v1="+strings.Repeat("0", 64), []byte("{\"a\":1}"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Header.Set(webhook.SignatureHeader, header)
		err := webhook.Verify(r, body, secret, 0)
		if err == nil {
			// Only a header carrying the true MAC for a current timestamp
			// can pass.
			ok := false
			for _, part := range strings.Split(header, ",") {
				if ts, found := strings.CutPrefix(strings.TrimSpace(part), "t="); found {
					sec, perr := strconv.ParseInt(ts, 10, 64)
					if perr != nil {
						t.Fatalf("accepted unparsable timestamp %q", ts)
					}
					want := webhook.Sign(secret, time.Unix(sec, 0), body)
					ok = strings.Contains(header, strings.SplitN(want, ",", 2)[1])
				}
			}
			if !ok {
				t.Fatalf("accepted %q for body %q", header, body)
			}
			return
		}
		if parley.ErrorCodeOf(err) != parley.ErrAccessDenied {
			t.Fatalf("error %v is not AccessDenied", err)
		}
		for _, reason := range []error{webhook.ErrNoSignature, webhook.ErrMalformedSignature, webhook.ErrSignatureExpired, webhook.ErrSignatureMismatch} {
			if errors.Is(err, reason) {
				return
			}
		}
		t.Fatalf("error %v matches no reason", err)
	})
}

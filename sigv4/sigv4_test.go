package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/parleybot/parley/sigv4"
)

const (
	exampleKeyID  = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// asServed turns raw request text into the request a server handler sees
// (RequestURI as sent, Host split out of the header), and its body.
func asServed(t *testing.T, raw string) (*http.Request, []byte) {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(r.Body)
	return r, body.Bytes()
}

// TestPublishedVectors checks requests from AWS's SigV4 documentation and
// test suite (example.amazonaws.com, 2015-08-30T12:36:00Z) against their
// published signatures.
func TestPublishedVectors(t *testing.T) {
	now := func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) }
	tests := []struct {
		name, service, raw string
	}{
		{
			name:    "get-vanilla",
			service: "service",
			raw: "GET / HTTP/1.1\r\nHost: example.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\r\n\r\n",
		},
		{
			name:    "IAM ListUsers",
			service: "iam",
			raw: "GET /?Action=ListUsers&Version=2010-05-08 HTTP/1.1\r\nHost: iam.amazonaws.com\r\n" +
				"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\nX-Amz-Date: 20150830T123600Z\r\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := sigv4.NewVerifier(sigv4.Keys{exampleKeyID: exampleSecret}, tt.service, now)
			r, body := asServed(t, tt.raw)
			a, err := v.Verify(r, body)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if a.AccessKeyID != exampleKeyID || a.Region != "us-east-1" {
				t.Errorf("Authorization = %+v", a)
			}
			// One changed character of the signature must fail.
			r, body = asServed(t, strings.Replace(tt.raw, "Signature=5", "Signature=6", 1))
			if _, err := v.Verify(r, body); code(err) != sigv4.InvalidSignature {
				t.Errorf("altered signature: %v, want InvalidSignatureException", err)
			}
		})
	}
}

func code(err error) sigv4.Code {
	var e *sigv4.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// signed is a Lex request signed by the AWS SDK for Go's own signer, as a
// server receives it.
type signed struct {
	method, path, query, body string
	header                    map[string]string
	payloadHash               string // "" for the body's SHA-256
	keyID, secret, service    string
	at                        time.Time
}

var signedAt = time.Date(2026, 5, 13, 9, 30, 0, 0, time.UTC)

func (s signed) raw(t *testing.T) string {
	t.Helper()
	u := "http://127.0.0.1:8080" + s.path
	if s.query != "" {
		u += "?" + s.query
	}
	r, err := http.NewRequest(s.method, u, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	for k, v := range s.header {
		r.Header.Set(k, v)
	}
	hash := s.payloadHash
	if hash == "" {
		sum := sha256.Sum256([]byte(s.body))
		hash = hex.EncodeToString(sum[:])
	}
	keyID, secret, service, at := exampleKeyID, exampleSecret, "lex", signedAt
	if s.keyID != "" {
		keyID = s.keyID
	}
	if s.secret != "" {
		secret = s.secret
	}
	if s.service != "" {
		service = s.service
	}
	if !s.at.IsZero() {
		at = s.at
	}
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: s.header["X-Amz-Security-Token"]}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, service, "eu-west-2", at); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const lexPath = "/bots/BOT0000001/botAliases/TSTALIASID/botLocales/en_US/sessions/"

func TestVerifyAWSSignerRequests(t *testing.T) {
	v := sigv4.NewVerifier(sigv4.Keys{exampleKeyID: exampleSecret, "AKIDOTHER": "other-secret"}, "lex", func() time.Time { return signedAt.Add(time.Minute) })
	body := `{"text":"I want a pizza"}`
	tests := []struct {
		name   string
		req    signed
		tamper func(raw string) string
		want   sigv4.Code
	}{
		{name: "RecognizeText", req: signed{method: "POST", path: lexPath + "s-1/text", body: body}},
		{name: "second key", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, keyID: "AKIDOTHER", secret: "other-secret"}},
		{name: "session id with colon", req: signed{method: "POST", path: lexPath + "us-east-1%3Aabc/text", body: body}},
		{name: "session id with percent", req: signed{method: "POST", path: lexPath + "a%25b/text", body: body}},
		{name: "session id with space and unicode", req: signed{method: "GET", path: lexPath + "a%20b%ED%95%9C"}},
		{name: "DeleteSession", req: signed{method: "DELETE", path: lexPath + "s-1"}},
		{name: "query in any order", req: signed{method: "GET", path: "/", query: "b=2&a=1&a=0&c=x%2By"}},
		{name: "unsigned payload", req: signed{method: "POST", path: lexPath + "s-1/utterance", body: "hello", payloadHash: sigv4.UnsignedPayload,
			header: map[string]string{"X-Amz-Content-Sha256": sigv4.UnsignedPayload, "Content-Type": "text/plain; charset=utf-8"}}},
		{name: "session token", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, header: map[string]string{"X-Amz-Security-Token": "tok"}}},
		{name: "header with spaces", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, header: map[string]string{"X-Amz-Lex-Session-State": "  a   b  "}}},
		{
			name: "tampered body", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return strings.Replace(raw, "pizza", "pasta", 1) },
			want:   sigv4.InvalidSignature,
		},
		{
			name: "tampered path", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return strings.Replace(raw, "s-1", "s-2", 1) },
			want:   sigv4.InvalidSignature,
		},
		{
			name: "path encoding changed", req: signed{method: "POST", path: lexPath + "a%3Ab/text", body: body},
			tamper: func(raw string) string { return strings.Replace(raw, "a%3Ab", "a:b", 1) },
			want:   sigv4.InvalidSignature,
		},
		{
			name: "tampered signed header", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return strings.Replace(raw, "application/json", "text/plain", 1) },
			want:   sigv4.InvalidSignature,
		},
		{
			name: "tampered date", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return strings.Replace(raw, "20260513T093000Z", "20260513T093001Z", 1) },
			want:   sigv4.InvalidSignature,
		},
		{
			name: "content hash does not match the body", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string {
				return strings.Replace(raw, "\r\n\r\n", "\r\nX-Amz-Content-Sha256: "+strings.Repeat("0", 64)+"\r\n\r\n", 1)
			},
			want: sigv4.InvalidSignature,
		},
		{name: "wrong secret", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, secret: "not-the-secret"}, want: sigv4.InvalidSignature},
		{name: "unknown key id", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, keyID: "AKIDUNKNOWN"}, want: sigv4.UnrecognizedClient},
		{name: "other service", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, service: "execute-api"}, want: sigv4.InvalidSignature},
		{name: "expired", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, at: signedAt.Add(-5 * time.Minute)}, want: sigv4.InvalidSignature},
		{name: "in the future", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, at: signedAt.Add(7 * time.Minute)}, want: sigv4.InvalidSignature},
		{name: "just inside the skew", req: signed{method: "POST", path: lexPath + "s-1/text", body: body, at: signedAt.Add(-4 * time.Minute)}},
		{
			name: "no Authorization", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return dropHeader(raw, "Authorization") },
			want:   sigv4.MissingAuthenticationToken,
		},
		{
			name: "no date", req: signed{method: "POST", path: lexPath + "s-1/text", body: body},
			tamper: func(raw string) string { return dropHeader(raw, "X-Amz-Date") },
			want:   sigv4.IncompleteSignature,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.req.raw(t)
			if tt.tamper != nil {
				raw = tt.tamper(raw)
			}
			r, b := asServed(t, raw)
			a, err := v.Verify(r, b)
			if got := code(err); got != tt.want {
				t.Fatalf("Verify = %v, want code %q\n%s", err, tt.want, raw)
			}
			if tt.want == "" && a.Service != "lex" {
				t.Errorf("service %q, want lex", a.Service)
			}
		})
	}
}

func dropHeader(raw, name string) string {
	var out []string
	for _, line := range strings.Split(raw, "\r\n") {
		if !strings.HasPrefix(line, name+":") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\r\n")
}

func TestSkewMessages(t *testing.T) {
	now := time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)
	v := sigv4.NewVerifier(sigv4.Keys{exampleKeyID: exampleSecret}, "lex", func() time.Time { return now })
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"expired", now.Add(-6 * time.Minute), "Signature expired: 20260513T095400Z is now earlier than 20260513T095500Z (20260513T100000Z - 5 min.)"},
		{"future", now.Add(6 * time.Minute), "Signature not yet current: 20260513T100600Z is still later than 20260513T100500Z (20260513T100000Z + 5 min.)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, b := asServed(t, signed{method: "GET", path: "/", at: tt.at}.raw(t))
			_, err := v.Verify(r, b)
			var e *sigv4.Error
			if !errors.As(err, &e) || e.Code != sigv4.InvalidSignature || e.Message != tt.want {
				t.Errorf("Verify = %v, want InvalidSignatureException %q", err, tt.want)
			}
		})
	}
}

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name, header string
		want         sigv4.Authorization
		code         sigv4.Code
		mention      string
	}{
		{
			name:   "SDK form",
			header: "AWS4-HMAC-SHA256 Credential=AKID/20260513/us-east-1/lex/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd",
			want:   sigv4.Authorization{AccessKeyID: "AKID", Date: "20260513", Region: "us-east-1", Service: "lex", SignedHeaders: "host;x-amz-date", Signature: "abcd"},
		},
		{
			name:   "no spaces",
			header: "AWS4-HMAC-SHA256 Credential=AKID/20260513/us-east-1/lex/aws4_request,SignedHeaders=host,Signature=ab",
			want:   sigv4.Authorization{AccessKeyID: "AKID", Date: "20260513", Region: "us-east-1", Service: "lex", SignedHeaders: "host", Signature: "ab"},
		},
		{name: "bearer", header: "Bearer xyz", code: sigv4.IncompleteSignature, mention: "Unsupported"},
		{name: "no parts", header: "AWS4-HMAC-SHA256", code: sigv4.IncompleteSignature, mention: "requires 'Credential' parameter. Authorization header requires 'Signature'"},
		{name: "no equal sign", header: "AWS4-HMAC-SHA256 Credential=AKID /20260513/us-east-1/lex/aws4_request, SignedHeaders=host, Signature=ab", code: sigv4.IncompleteSignature, mention: "missing equal-sign"},
		{name: "short credential", header: "AWS4-HMAC-SHA256 Credential=AKID/20260513/lex, SignedHeaders=host, Signature=ab", code: sigv4.IncompleteSignature, mention: "malformed"},
		{name: "bad terminator", header: "AWS4-HMAC-SHA256 Credential=AKID/20260513/us-east-1/lex/aws5_request, SignedHeaders=host, Signature=ab", code: sigv4.InvalidSignature, mention: "terminator"},
		{name: "empty signature", header: "AWS4-HMAC-SHA256 Credential=AKID/20260513/us-east-1/lex/aws4_request, SignedHeaders=host, Signature=", code: sigv4.IncompleteSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sigv4.ParseAuthorization(tt.header)
			if code(err) != tt.code {
				t.Fatalf("ParseAuthorization = %v, want code %q", err, tt.code)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.mention) {
					t.Errorf("error %q does not mention %q", err, tt.mention)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260513/us-east-1/lex/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd")
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;, Signature==")
	f.Add("AWS4-HMAC-SHA256 ,,,=,")
	f.Fuzz(func(t *testing.T, h string) {
		a, err := sigv4.ParseAuthorization(h)
		if err != nil {
			if code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if a.AccessKeyID == "" || len(a.Date) != 8 || a.Region == "" || a.Service == "" || a.SignedHeaders == "" || a.Signature == "" {
			t.Fatalf("accepted %q as %+v", h, a)
		}
		// A parsed header must also go through a verification without
		// panicking, whatever its signed header list holds.
		r, err := http.NewRequest("GET", "http://h/", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", h)
		r.Header.Set("X-Amz-Date", a.Date+"T000000Z")
		now := func() time.Time { return time.Date(2026, 5, 13, 0, 0, 0, 0, time.UTC) }
		sigv4.NewVerifier(sigv4.Keys{a.AccessKeyID: "s"}, "lex", now).Verify(r, nil)
	})
}

func BenchmarkVerify(b *testing.B) {
	t := &testing.T{}
	raw := signed{method: "POST", path: lexPath + "bench-1/text", body: `{"text":"I want a large pepperoni pizza","sessionState":{"sessionAttributes":{"customer":"kim"}}}`,
		header: map[string]string{"Amz-Sdk-Invocation-Id": "7e0b3c1e-0000-4000-8000-000000000000", "Amz-Sdk-Request": "attempt=1; max=3", "User-Agent": "aws-sdk-go-v2/1.0"}}.raw(t)
	v := sigv4.NewVerifier(sigv4.Keys{exampleKeyID: exampleSecret}, "lex", func() time.Time { return signedAt })
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		b.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(r.Body)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

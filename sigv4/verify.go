package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxSkew is how far the signing time may be from the server's
// clock, as AWS allows.
const DefaultMaxSkew = 5 * time.Minute

// UnsignedPayload is the x-amz-content-sha256 value of a request whose body
// is not signed (the SDKs send it for RecognizeUtterance's audio stream).
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// amzDate is the ISO 8601 basic format of X-Amz-Date.
const amzDate = "20060102T150405Z"

// Keys maps access key ids to their secret access keys.
type Keys map[string]string

// Verifier checks requests signed for one service (Lex's signing name is
// "lex") with one of its keys. Any region is accepted: a server answers
// for whatever region its clients are configured with. It is safe for
// concurrent use once built.
type Verifier struct {
	keys    Keys
	service string
	now     func() time.Time
	maxSkew time.Duration
}

// NewVerifier returns a verifier of service's signatures made with keys,
// judging clock skew against now (time.Now when nil) with DefaultMaxSkew.
func NewVerifier(keys Keys, service string, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	return &Verifier{keys: keys, service: service, now: now, maxSkew: DefaultMaxSkew}
}

// Verify checks the signature of r, whose body the caller has read into
// body (r.Body is not touched). It returns the parsed Authorization of a
// valid request, or an *Error naming the exception AWS would answer.
// X-Amz-Security-Token, when present, is checked only as a signed header:
// the keys are long-term ones, with no session tokens to validate.
func (v *Verifier) Verify(r *http.Request, body []byte) (Authorization, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return Authorization{}, &Error{Code: MissingAuthenticationToken, Message: msgMissing}
	}
	a, err := ParseAuthorization(h)
	if err != nil {
		return a, err
	}
	secret, ok := v.keys[a.AccessKeyID]
	if !ok {
		return a, &Error{Code: UnrecognizedClient, Message: msgUnrecognized}
	}
	stamp, signed, err := v.signingTime(r)
	if err != nil {
		return a, err
	}
	// Over HTTP/2 the JavaScript SDK signs the host as :authority.
	names := a.headerNames()
	if !slices.Contains(names, "host") && !slices.Contains(names, ":authority") {
		return a, fail(IncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if d := signed.Format("20060102"); a.Date != d {
		return a, fail(InvalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, d, stamp)
	}
	if a.Service != v.service {
		return a, fail(InvalidSignature, "Credential should be scoped to correct service: '%s'.", v.service)
	}
	payload, err := payloadHash(r, body)
	if err != nil {
		return a, err
	}
	creq := canonicalRequest(r, a, names, payload)
	sum := sha256.Sum256([]byte(creq))
	toSign := Algorithm + "\n" + stamp + "\n" + a.scope() + "\n" + hex.EncodeToString(sum[:])
	want := hex.EncodeToString(hmacSHA256(signingKey(secret, a), toSign))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(a.Signature))) != 1 {
		return a, &Error{Code: InvalidSignature, Message: msgMismatch}
	}
	return a, nil
}

// signingTime reads X-Amz-Date (or, failing that, Date) and checks it
// against the clock. stamp is the ISO 8601 basic form the string to sign
// carries.
func (v *Verifier) signingTime(r *http.Request) (stamp string, t time.Time, err error) {
	if s := r.Header.Get("X-Amz-Date"); s != "" {
		if t, err = time.Parse(amzDate, s); err != nil {
			return "", t, fail(IncompleteSignature, "X-Amz-Date '%s' is not in ISO 8601 basic format, e.g. 20060102T150405Z.", s)
		}
		stamp = s
	} else if s := r.Header.Get("Date"); s != "" {
		if t, err = http.ParseTime(s); err != nil {
			return "", t, fail(IncompleteSignature, "Date '%s' is not an HTTP date.", s)
		}
		stamp = t.UTC().Format(amzDate)
	} else {
		return "", t, fail(IncompleteSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	now := v.now().UTC()
	switch {
	case t.Before(now.Add(-v.maxSkew)):
		return "", t, fail(InvalidSignature, "Signature expired: %s is now earlier than %s (%s - %s.)",
			stamp, now.Add(-v.maxSkew).Format(amzDate), now.Format(amzDate), minutes(v.maxSkew))
	case t.After(now.Add(v.maxSkew)):
		return "", t, fail(InvalidSignature, "Signature not yet current: %s is still later than %s (%s + %s.)",
			stamp, now.Add(v.maxSkew).Format(amzDate), now.Format(amzDate), minutes(v.maxSkew))
	}
	return stamp, t, nil
}

// minutes writes a skew as AWS does: "5 min".
func minutes(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64) + " min"
}

// payloadHash is the last line of the canonical request: the client's
// x-amz-content-sha256 when it sent one (checked against the body unless
// it is UNSIGNED-PAYLOAD), the body's SHA-256 otherwise.
func payloadHash(r *http.Request, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	actual := hex.EncodeToString(sum[:])
	claimed := r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case claimed == "":
		return actual, nil
	case claimed == UnsignedPayload:
		return claimed, nil
	case !strings.EqualFold(claimed, actual):
		return "", fail(InvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return claimed, nil
}

// canonicalRequest builds the request's canonical form as the AWS SDKs do
// for every service but S3.
func canonicalRequest(r *http.Request, a Authorization, names []string, payload string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(a.SignedHeaders)
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// canonicalURI encodes the path exactly as it came over the wire once
// more: the SDKs sign the already-escaped path escaped again, so a session
// id "a:b" sent as /a%3Ab is signed as /a%253Ab. Only the request line
// keeps the client's escaping, so it is preferred over r.URL.
func canonicalURI(r *http.Request) string {
	path := r.URL.EscapedPath()
	if strings.HasPrefix(r.RequestURI, "/") {
		path, _, _ = strings.Cut(r.RequestURI, "?")
	}
	if path == "" {
		return "/"
	}
	return escape(path, true)
}

// canonicalQuery sorts the query's pairs by encoded name, then value, each
// encoded as AWS does.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var pairs []string
	for p := range strings.SplitSeq(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		pairs = append(pairs, escape(unescape(k), false)+"="+escape(unescape(v), false))
	}
	slices.Sort(pairs)
	return strings.Join(pairs, "&")
}

// unescape decodes a query part as the SDKs encoded it (%XX; a '+' is a
// plus), keeping it as sent when it is not valid escaping.
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escape is AWS's URI encoding: every byte but the unreserved
// A-Z a-z 0-9 - . _ ~ (and '/' when keepSlash) as %XX in upper case.
func escape(s string, keepSlash bool) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

// headerValue is a signed header's canonical value: its values joined by
// commas, each trimmed with inner runs of spaces squeezed to one.
func headerValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host", ":authority":
		values = []string{r.Host}
	case "content-length":
		// The server takes Content-Length out of the header map for
		// HTTP/2 requests; the parsed length is the same number.
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		values = r.Header.Values(name)
	}
	// A new slice: Header.Values shares the request's own.
	trimmed := make([]string, len(values))
	for i, v := range values {
		trimmed[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(trimmed, ",")
}

// signingKey derives the key of a's scope from the secret.
func signingKey(secret string, a Authorization) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), a.Date)
	k = hmacSHA256(k, a.Region)
	k = hmacSHA256(k, a.Service)
	return hmacSHA256(k, terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

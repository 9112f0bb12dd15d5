package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// DefaultTolerance is how far a signature's timestamp may be from the
// receiver's clock when Verify is given no tolerance: long enough for clock
// drift and a slow network, short enough that a captured request soon stops
// working.
const DefaultTolerance = 5 * time.Minute

// Reasons Verify rejects a request; match them with errors.Is. The returned
// error is a *parley.Error with ErrAccessDenied whose message has the detail.
var (
	ErrNoSignature        = errors.New("missing signature")
	ErrMalformedSignature = errors.New("malformed signature")
	ErrSignatureExpired   = errors.New("signature timestamp outside tolerance")
	ErrSignatureMismatch  = errors.New("signature mismatch")
)

// Sign returns the X-Parley-Signature header value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// mac is HMAC-SHA256(secret, "<ts>.<body>").
func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks the X-Parley-Signature header of r against body (the raw
// request body, read by the caller) and secret. The timestamp may be at most
// tolerance away from now in either direction; zero or less means
// DefaultTolerance. Several v1 entries are allowed, so a sender can sign with
// an old and a new key while the key is rotated; any one matching is enough.
// Entries with other names are ignored so the scheme can grow.
func Verify(r *http.Request, body []byte, secret []byte, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	header := r.Header.Get(SignatureHeader)
	if header == "" {
		return denied(ErrNoSignature, "the %s header is missing", SignatureHeader)
	}
	ts, sigs, err := parseSignature(header)
	if err != nil {
		return err
	}
	sec, _ := strconv.ParseInt(ts, 10, 64) // parseSignature checked it
	now := time.Now().Unix()
	tol := int64(tolerance / time.Second)
	switch {
	case sec < now-tol:
		return denied(ErrSignatureExpired, "the %s timestamp is %s old, more than the %v tolerance", SignatureHeader, seconds(now-sec), tolerance)
	case sec > now+tol:
		return denied(ErrSignatureExpired, "the %s timestamp is %s in the future, more than the %v tolerance", SignatureHeader, seconds(sec-now), tolerance)
	}
	want := mac(secret, ts, body)
	ok := false
	for _, sig := range sigs {
		// Every entry is compared, so the time taken says nothing about
		// which one matched.
		ok = hmac.Equal(sig, want) || ok
	}
	if !ok {
		return denied(ErrSignatureMismatch, "the %s header does not match the body and key", SignatureHeader)
	}
	return nil
}

// parseSignature splits "t=<digits>,v1=<hex>[,v1=<hex>…]" into the
// timestamp text and the decoded signatures.
func parseSignature(header string) (ts string, sigs [][]byte, err error) {
	seenT := false
	for i, part := range strings.Split(header, ",") {
		key, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return "", nil, denied(ErrMalformedSignature, "the %s header's entry %d has no '='", SignatureHeader, i+1)
		}
		switch key {
		case "t":
			if seenT {
				return "", nil, denied(ErrMalformedSignature, "the %s header has more than one timestamp", SignatureHeader)
			}
			seenT = true
			if !allDigits(value) || len(value) > 18 {
				return "", nil, denied(ErrMalformedSignature, "the %s timestamp %q is not a number of seconds", SignatureHeader, clip(value))
			}
			ts = value
		case "v1":
			sig, err := hex.DecodeString(value)
			if err != nil || len(sig) != sha256.Size {
				return "", nil, denied(ErrMalformedSignature, "the %s v1 value %q is not %d hex digits", SignatureHeader, clip(value), 2*sha256.Size)
			}
			sigs = append(sigs, sig)
		}
	}
	if !seenT {
		return "", nil, denied(ErrMalformedSignature, "the %s header has no t= timestamp", SignatureHeader)
	}
	if len(sigs) == 0 {
		return "", nil, denied(ErrMalformedSignature, "the %s header has no v1= signature", SignatureHeader)
	}
	return ts, sigs, nil
}

// seconds renders a clock difference; a Duration overflows past 292 years,
// which a forged timestamp can easily be.
func seconds(n int64) string {
	if n > int64(24*365*time.Hour/time.Second) {
		return strconv.FormatInt(n, 10) + "s"
	}
	return (time.Duration(n) * time.Second).String()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip keeps a quoted header fragment short in a message.
func clip(s string) string {
	if len(s) > 80 {
		return string(truncate([]byte(s), 80))
	}
	return s
}

// denied returns an ErrAccessDenied error that matches reason with errors.Is.
func denied(reason error, format string, args ...any) error {
	return &parley.Error{Code: parley.ErrAccessDenied, Message: fmt.Sprintf(format, args...), Err: reason}
}

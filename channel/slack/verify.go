package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verify checks Slack's v0 signature (channels.md §3.1): HMAC-SHA256 with
// the signing secret over "v0:" + timestamp + ":" + the raw body, compared
// in constant time, and a timestamp within signatureWindow of now either
// way. It returns the reason for a refusal, for the debug log, or "".
func verify(secret []byte, h http.Header, body []byte, now time.Time) string {
	ts := h.Get("X-Slack-Request-Timestamp")
	sig := h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return "missing signature or timestamp header"
	}
	if strings.Trim(ts, "0123456789") != "" || len(ts) > 12 {
		return "timestamp is not a number of seconds"
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return "unknown signature version"
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return "signature is not hex"
	}
	if !hmac.Equal(got, sign(secret, ts, body)) {
		return "signature mismatch"
	}
	secs, _ := strconv.ParseInt(ts, 10, 64) // digits only, at most 12
	if d := now.Sub(time.Unix(secs, 0)); d > signatureWindow || d < -signatureWindow {
		return "timestamp outside the five-minute window"
	}
	return ""
}

// sign returns the v0 MAC of body sent at timestamp ts.
func sign(secret []byte, ts string, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("v0:"))
	mac.Write([]byte(ts))
	mac.Write([]byte(":"))
	mac.Write(body)
	return mac.Sum(nil)
}

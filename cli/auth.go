package cli

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/parleybot/parley"
)

// DenyFunc answers a request that lacks a valid API key, in the error shape
// of the API it was sent to.
type DenyFunc func(w http.ResponseWriter, message string)

// keyCookie holds the SHA-256 of the API key in a browser that opened the
// web chat with ?key=KEY, so the page's own requests carry the key.
const keyCookie = "parley_key"

// RequireAPIKey lets a request through to next only when it carries key as
// `X-Api-Key: KEY`, `Authorization: Bearer KEY`, as the access key id of a
// SigV4 Authorization header (so the AWS SDKs and CLI work with the key
// configured as their access key id), or in the cookie RememberAPIKey
// sets. The SigV4 signature itself is not checked: the server does not
// know the secret key.
func RequireAPIKey(key string, logger *slog.Logger, deny DenyFunc, next http.Handler) http.Handler {
	// Comparing hashes keeps the comparison constant-time in the key's
	// length too.
	want := sha256.Sum256([]byte(key))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var got [sha256.Size]byte
		if k, ok := presentedKey(r.Header); ok {
			got = sha256.Sum256([]byte(k))
		} else if c, err := r.Cookie(keyCookie); err == nil && hex.DecodedLen(len(c.Value)) == len(got) {
			hex.Decode(got[:], []byte(c.Value))
		} else {
			logger.InfoContext(r.Context(), "auth: request without API key", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
			deny(w, "Missing API key: send it as X-Api-Key, as Authorization: Bearer, or as the access key id of a SigV4 signature.")
			return
		}
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			logger.InfoContext(r.Context(), "auth: wrong API key", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
			deny(w, "The API key is not valid.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RememberAPIKey lets a browser in: a page request with ?key=KEY gets the
// key's hash as a cookie and is redirected to the same URL without the
// key, so the key leaves the address bar and the page's requests to /bots
// and /chat pass RequireAPIKey. Other requests go straight to next.
func RememberAPIKey(key string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(key))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		given := q.Get("key")
		if given == "" || r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		got := sha256.Sum256([]byte(given))
		if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			http.SetCookie(w, &http.Cookie{
				Name:     keyCookie,
				Value:    hex.EncodeToString(got[:]),
				Path:     "/",
				HttpOnly: true,
				SameSite: http.SameSiteStrictMode,
			})
		}
		q.Del("key")
		u := *r.URL
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
	})
}

// presentedKey returns the API key a request carries, if any.
func presentedKey(h http.Header) (string, bool) {
	if k := h.Get("X-Api-Key"); k != "" {
		return k, true
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h.Get("Authorization")), " ")
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		k := strings.TrimSpace(rest)
		return k, k != ""
	case scheme == "AWS4-HMAC-SHA256":
		// Credential=AKID/20260513/us-east-1/lex/aws4_request, SignedHeaders=…, Signature=…
		for part := range strings.SplitSeq(rest, ",") {
			if cred, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential="); ok {
				id, _, _ := strings.Cut(cred, "/")
				return id, id != ""
			}
		}
	}
	return "", false
}

// DenyLex answers as the Lex V2 runtime does, so the AWS SDKs raise
// AccessDeniedException.
func DenyLex(w http.ResponseWriter, message string) {
	writeLexError(w, http.StatusForbidden, string(parley.ErrAccessDenied), message)
}

// DenyChat answers in the web chat's error shape.
func DenyChat(w http.ResponseWriter, message string) {
	writeChatError(w, http.StatusForbidden, parley.ErrAccessDenied, message)
}

// writeLexError writes a Lex error: the exception name in X-Amzn-ErrorType
// and __type, the text in message, and a request id as every Lex answer
// has.
func writeLexError(w http.ResponseWriter, status int, name, message string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", name)
	h.Set("X-Amzn-RequestId", rand.Text())
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{name, message})
}

// writeChatError writes the web chat's error shape.
func writeChatError(w http.ResponseWriter, status int, code parley.ErrorCode, message string) {
	type detail struct {
		Code    parley.ErrorCode `json:"code"`
		Message string           `json:"message"`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error detail `json:"error"`
	}{detail{code, message}})
}

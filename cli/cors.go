package cli

import (
	"net/http"
	"slices"
	"strings"
)

// corsAllowedHeaders are the request headers a browser may send: those the
// AWS JavaScript SDK sets on Lex calls, and the web chat's X-Api-Key. Any
// x-amz-lex-* header is allowed too.
var corsAllowedHeaders = []string{
	"authorization", "content-type", "x-amz-date", "x-amz-security-token",
	"x-amz-user-agent", "x-amz-content-sha256", "amz-sdk-invocation-id",
	"amz-sdk-request", "x-amz-lex-session-state", "x-amz-lex-request-attributes",
	"response-content-type", "x-api-key",
}

// corsExposedHeaders are the response headers a page's script may read:
// the ones RecognizeUtterance and PutSession return their results in,
// the request id, the error type and Retry-After.
const corsExposedHeaders = "x-amzn-RequestId, x-amzn-ErrorType, Retry-After, x-amz-lex-session-id, x-amz-lex-messages, " +
	"x-amz-lex-session-state, x-amz-lex-request-attributes, x-amz-lex-interpretations, x-amz-lex-input-mode, " +
	"x-amz-lex-input-transcript, x-amz-lex-recognized-bot-member"

// withCORS answers CORS for origins ("*" for any): preflight OPTIONS
// requests get 204 with the methods and headers allowed, other requests
// from an allowed origin get Access-Control-Allow-Origin and the exposed
// headers. A request from any other origin gets no CORS header (a
// preflight gets 403), so the browser keeps the answer from the page.
// With no origins, next is returned as is.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	anyOrigin := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		allowed := anyOrigin || slices.ContainsFunc(origins, func(o string) bool { return strings.EqualFold(strings.TrimSuffix(o, "/"), origin) })
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		switch {
		case preflight && !allowed:
			http.Error(w, "origin not allowed", http.StatusForbidden)
		case preflight:
			h.Set("Access-Control-Allow-Origin", allowOrigin(anyOrigin, origin))
			h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", allowHeaders(r.Header.Get("Access-Control-Request-Headers")))
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
		case allowed:
			h.Set("Access-Control-Allow-Origin", allowOrigin(anyOrigin, origin))
			h.Set("Access-Control-Expose-Headers", corsExposedHeaders)
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func allowOrigin(anyOrigin bool, origin string) string {
	if anyOrigin {
		return "*"
	}
	return origin
}

// allowHeaders answers Access-Control-Request-Headers with those of them
// that are allowed, or the whole list when the browser asked for none.
func allowHeaders(requested string) string {
	if strings.TrimSpace(requested) == "" {
		return strings.Join(corsAllowedHeaders, ", ")
	}
	var ok []string
	for h := range strings.SplitSeq(requested, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if slices.Contains(corsAllowedHeaders, h) || strings.HasPrefix(h, "x-amz-lex-") {
			ok = append(ok, h)
		}
	}
	return strings.Join(ok, ", ")
}

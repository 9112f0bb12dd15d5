package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/sigv4"
)

// maxSignedBodyBytes is how much of a body is read to check its signature:
// the Lex API's own request limit (lexapi), above which Lex answers a
// ValidationException anyway.
const maxSignedBodyBytes = 64 << 10

// lexSigningName is the service name in Lex's SigV4 credential scope.
const lexSigningName = "lex"

// clientKey is the context key of the authenticated client's identity.
type clientKey struct{}

// clientOf identifies the sender of r for the per-client rate limit: the
// access key id of a verified signature, else the remote address. API key
// callers are told apart by address, since one API key is usually shared
// by every browser of a web chat.
func clientOf(r *http.Request) string {
	if id, ok := r.Context().Value(clientKey{}).(string); ok {
		return id
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

// RequireSigV4 lets a request through to next only when v verifies its
// SigV4 signature, and answers the others as AWS does: 403 with
// MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException or InvalidSignatureException. The body is
// read (up to the Lex API's size limit) to check its hash and handed on
// unchanged; rejected counts each refusal when not nil.
func RequireSigV4(v *sigv4.Verifier, logger *slog.Logger, rejected func(), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := verifySigV4(v, r)
		if err != nil {
			if rejected != nil {
				rejected()
			}
			var e *sigv4.Error
			if errors.As(err, &e) {
				logger.InfoContext(r.Context(), "auth: SigV4 rejected", "code", e.Code, "reason", e.Message, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
				writeLexError(w, http.StatusForbidden, string(e.Code), e.Message)
				return
			}
			var tooBig *parley.Error
			if errors.As(err, &tooBig) {
				writeLexError(w, http.StatusBadRequest, string(parley.ErrValidation), tooBig.Message)
				return
			}
			writeLexError(w, http.StatusBadRequest, string(parley.ErrValidation), "the request body could not be read")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, "key:"+id)))
	})
}

// verifySigV4 reads r's body, verifies the signature and puts the body
// back; it returns the access key id that signed r.
func verifySigV4(v *sigv4.Verifier, r *http.Request) (string, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		data, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBodyBytes+1))
		if err != nil {
			return "", err
		}
		if len(data) > maxSignedBodyBytes {
			return "", parley.Errorf(parley.ErrValidation, "request body exceeds %d bytes", maxSignedBodyBytes)
		}
		body = data
		r.Body = readCloser{bytes.NewReader(data), r.Body}
	}
	a, err := v.Verify(r, body)
	if err != nil {
		return "", err
	}
	return a.AccessKeyID, nil
}

// requireKeyOrSignature lets a request in with the API key (when one is
// set) or a valid SigV4 signature (when access keys are set); the others
// get deny. It guards the Parley routes both kinds of client use: the
// admin API, /chat, the counters and /metrics.
func requireKeyOrSignature(apiKey string, v *sigv4.Verifier, logger *slog.Logger, deny DenyFunc, rejected func(), next http.Handler) http.Handler {
	var byKey http.Handler
	if apiKey != "" {
		byKey = RequireAPIKey(apiKey, logger, func(w http.ResponseWriter, msg string) {
			if rejected != nil {
				rejected()
			}
			deny(w, msg)
		}, next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signed := strings.HasPrefix(strings.TrimSpace(r.Header.Get("Authorization")), sigv4.Algorithm)
		switch {
		case v != nil && (signed || byKey == nil):
			id, err := verifySigV4(v, r)
			if err != nil {
				if rejected != nil {
					rejected()
				}
				logger.InfoContext(r.Context(), "auth: SigV4 rejected", "err", err, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
				msg := "The request could not be read."
				var e *sigv4.Error
				if errors.As(err, &e) {
					msg = string(e.Code) + ": " + e.Message
				}
				deny(w, msg)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, "key:"+id)))
		default:
			byKey.ServeHTTP(w, r)
		}
	})
}

// edge is what guards the server's routes: credentials, rate limits and
// CORS, with their Prometheus counters.
type edge struct {
	verifier *sigv4.Verifier
	limits   *RateLimits
	cors     []string
	rejected *prometheus.CounterVec
}

// newEdge builds the guards cfg asks for and registers their metrics:
// parley_http_rejected_total{api,reason} and parley_rate_limit_buckets.
// An invalid rate limit is returned as the error beside an edge without
// rate limits, so that Handler works even before Open reports it.
func newEdge(cfg Config, reg *prometheus.Registry) (*edge, error) {
	e := &edge{cors: cfg.CORS.AllowedOrigins}
	if len(cfg.AccessKeys) > 0 {
		keys := make(sigv4.Keys, len(cfg.AccessKeys))
		for _, k := range cfg.AccessKeys {
			keys[k.AccessKeyID] = k.SecretAccessKey
		}
		e.verifier = sigv4.NewVerifier(keys, lexSigningName, time.Now)
	}
	limits, err := NewRateLimits(cfg.RateLimit, time.Now)
	e.limits = limits
	e.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parley_http_rejected_total",
		Help: "Requests refused at the HTTP edge, by API (lex, admin, chat, stats, metrics) and reason (auth, client_rate, session_rate).",
	}, []string{"api", "reason"})
	reg.MustRegister(e.rejected)
	if e.limits != nil {
		limits := e.limits
		limits.rejected = func(api, limit string) { e.rejected.WithLabelValues(api, limit+"_rate").Inc() }
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "parley_rate_limit_buckets",
			Help: "Token buckets the rate limits hold (sessions and clients seen recently).",
		}, func() float64 { return float64(limits.Buckets()) }))
	}
	return e, err
}

// routes are the handlers Server.Handler mounts that the edge guards.
type routes struct {
	lex, admin, chat, stats, metrics, page http.Handler
}

// protect wraps the routes. The Lex API needs a SigV4 signature when
// access keys are set (else the API key, if set); the admin API, /chat,
// the counters and /metrics need the API key or a signature; the page
// stays open. The Lex API and /chat are rate limited and answer CORS.
func (e *edge) protect(rt routes, apiKey string, logger *slog.Logger) routes {
	count := func(api string) func() {
		return func() { e.rejected.WithLabelValues(api, "auth").Inc() }
	}
	if e.limits != nil {
		rt.lex = e.limits.Lex(rt.lex)
		rt.chat = e.limits.Chat(rt.chat)
	}
	switch {
	case e.verifier != nil:
		rt.lex = RequireSigV4(e.verifier, logger, count("lex"), rt.lex)
	case apiKey != "":
		rt.lex = requireKeyOrSignature(apiKey, nil, logger, DenyLex, count("lex"), rt.lex)
	}
	if e.verifier != nil || apiKey != "" {
		rt.admin = requireKeyOrSignature(apiKey, e.verifier, logger, DenyLex, count("admin"), rt.admin)
		rt.chat = requireKeyOrSignature(apiKey, e.verifier, logger, DenyChat, count("chat"), rt.chat)
		rt.stats = requireKeyOrSignature(apiKey, e.verifier, logger, DenyChat, count("stats"), rt.stats)
		rt.metrics = requireKeyOrSignature(apiKey, e.verifier, logger, DenyChat, count("metrics"), rt.metrics)
	}
	if apiKey != "" {
		rt.page = RememberAPIKey(apiKey, rt.page)
	}
	rt.lex = withCORS(e.cors, rt.lex)
	rt.chat = withCORS(e.cors, rt.chat)
	return rt
}

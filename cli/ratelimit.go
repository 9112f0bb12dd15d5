package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/webchat"
)

// maxBuckets bounds a limiter's memory: about 100 bytes a bucket, so some
// 10 MB at most however many sessions or clients come.
const maxBuckets = 100_000

// limiter is a set of token buckets, one per key (a session or a client),
// each refilled at rate tokens a second up to burst. A bucket that has
// filled up again is the same as no bucket, so idle ones are dropped.
type limiter struct {
	rate, burst float64
	now         func() time.Time
	max         int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns a limiter of rate requests a second (nil when rate is
// 0: no limit). burst 0 is the rate rounded up, at least 1.
func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	b := float64(burst)
	if burst <= 0 {
		b = max(1, math.Ceil(rate))
	}
	return &limiter{rate: rate, burst: b, now: now, max: maxBuckets, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it returns
// false and how long until there is one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// refund gives back the token allow took from key.
func (l *limiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(l.burst, b.tokens+1)
	}
}

// sweep drops the buckets that have filled up again, at most once per
// refill time (so its cost is spread over many requests), or at once when
// the map is full. If the map is still full, arbitrary buckets go: memory
// stays bounded, at the price of a fresh burst for their keys.
func (l *limiter) sweep(now time.Time) {
	refill := time.Duration(l.burst / l.rate * float64(time.Second))
	if len(l.buckets) < l.max && now.Sub(l.lastSweep) < max(refill, time.Second) {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.max {
			break
		}
		delete(l.buckets, k)
	}
}

// size is how many buckets the limiter holds.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// RateLimits answers requests beyond the per-session or per-client rate
// with 429 and Retry-After: on the Lex API as Lex's ThrottlingException, on
// /chat in the web chat's error shape. The buckets live in this process.
type RateLimits struct {
	session, client *limiter
	perSession      string
	perClient       string
	// rejected counts a throttled request by API and limit; nil counts
	// nothing.
	rejected func(api, limit string)
}

// NewRateLimits returns the limits cfg sets, judged by the clock now; nil
// when cfg sets none. cfg must have passed Config.Validate.
func NewRateLimits(cfg RateLimitConfig, now func() time.Time) (*RateLimits, error) {
	session, err := parseRate(cfg.PerSession)
	if err != nil {
		return nil, fmt.Errorf("rateLimit.perSession: %w", err)
	}
	client, err := parseRate(cfg.PerClient)
	if err != nil {
		return nil, fmt.Errorf("rateLimit.perClient: %w", err)
	}
	if session == 0 && client == 0 {
		return nil, nil
	}
	return &RateLimits{
		session:    newLimiter(session, cfg.SessionBurst, now),
		client:     newLimiter(client, cfg.ClientBurst, now),
		perSession: cfg.PerSession,
		perClient:  cfg.PerClient,
	}, nil
}

// Buckets is how many session and client buckets are held now (exported
// as a gauge, so an operator sees the memory they take).
func (rl *RateLimits) Buckets() int {
	n := 0
	for _, l := range []*limiter{rl.session, rl.client} {
		if l != nil {
			n += l.size()
		}
	}
	return n
}

// Lex limits the Lex API: the session is the path's bot, alias, locale
// and session id.
func (rl *RateLimits) Lex(next http.Handler) http.Handler {
	return rl.wrap("lex", next, func(r *http.Request) string { return lexSessionOf(r.URL.EscapedPath()) }, denyLexThrottled)
}

// Chat limits POST /chat: the session is the body's botId and sessionId
// (a request without a sessionId starts a new session and only counts for
// its client).
func (rl *RateLimits) Chat(next http.Handler) http.Handler {
	return rl.wrap("chat", next, chatSessionOf, denyChatThrottled)
}

// wrap checks the client's bucket, then the session's.
func (rl *RateLimits) wrap(api string, next http.Handler, sessionOf func(*http.Request) string, deny func(http.ResponseWriter, time.Duration, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || r.Method == http.MethodGet && api == "chat" {
			next.ServeHTTP(w, r)
			return
		}
		if rl.client != nil {
			if ok, wait := rl.client.allow(clientOf(r)); !ok {
				rl.reject(w, api, "client", wait, fmt.Sprintf("Rate exceeded: this client may send %s requests.", rl.perClient), deny)
				return
			}
		}
		if rl.session != nil {
			if s := sessionOf(r); s != "" {
				if ok, wait := rl.session.allow(s); !ok {
					// A request the session's limit refuses does not use
					// up its client's allowance.
					if rl.client != nil {
						rl.client.refund(clientOf(r))
					}
					rl.reject(w, api, "session", wait, fmt.Sprintf("Rate exceeded: this session may send %s requests.", rl.perSession), deny)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (rl *RateLimits) reject(w http.ResponseWriter, api, limit string, wait time.Duration, msg string, deny func(http.ResponseWriter, time.Duration, string)) {
	if rl.rejected != nil {
		rl.rejected(api, limit)
	}
	deny(w, wait, msg)
}

// retryAfter is Retry-After in whole seconds, rounded up, at least 1.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// denyLexThrottled answers as Lex does when throttled, so that botocore
// and the other SDKs raise ThrottlingException (and their retryers back
// off).
func denyLexThrottled(w http.ResponseWriter, wait time.Duration, msg string) {
	w.Header().Set("Retry-After", retryAfter(wait))
	writeLexError(w, http.StatusTooManyRequests, string(parley.ErrThrottling), msg)
}

func denyChatThrottled(w http.ResponseWriter, wait time.Duration, msg string) {
	w.Header().Set("Retry-After", retryAfter(wait))
	writeChatError(w, http.StatusTooManyRequests, parley.ErrThrottling, msg)
}

// lexSessionOf returns "bot/alias/locale/session" of a Lex runtime path
// (/bots/B/botAliases/A/botLocales/L/sessions/S[/text|/utterance], escaped as
// sent, so that an encoded "/" stays inside its segment), or ""
// for any other path.
func lexSessionOf(path string) string {
	p := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(p) < 8 || p[0] != "bots" || p[2] != "botAliases" || p[4] != "botLocales" || p[6] != "sessions" {
		return ""
	}
	return p[1] + "/" + p[3] + "/" + p[5] + "/" + p[7]
}

// chatSessionOf reads the botId and sessionId of a /chat request and puts
// the body back for the handler. A body too large or not JSON has no
// session here; the handler answers it.
func chatSessionOf(r *http.Request) string {
	data, err := io.ReadAll(io.LimitReader(r.Body, webchat.MaxRequestBytes+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	if err != nil || len(data) > webchat.MaxRequestBytes {
		return ""
	}
	var in struct {
		BotID     string `json:"botId"`
		SessionID string `json:"sessionId"`
	}
	if json.Unmarshal(data, &in) != nil || in.SessionID == "" {
		return ""
	}
	return "chat/" + in.BotID + "/" + in.SessionID
}

// readCloser reads from a replacement reader and closes the original body.
type readCloser struct {
	io.Reader
	io.Closer
}

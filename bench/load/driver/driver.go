package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Mode chooses the endpoint turns go to.
type Mode string

const (
	// ModeLex sends every turn to Lex RecognizeText.
	ModeLex Mode = "lex"
	// ModeChat sends every turn to the web chat's POST /chat.
	ModeChat Mode = "chat"
	// ModeMixed sends the even sessions' turns to RecognizeText and the odd
	// sessions' to /chat, so both share the server and the store.
	ModeMixed Mode = "mixed"
)

// OutcomeOK is the outcome of an answered turn (HTTP 200).
const OutcomeOK = "ok"

// OutcomeInFlightCap is the outcome of a turn that was due while
// Config.MaxInFlight turns were still unanswered: it is not sent and counts
// as an error, because the server has fallen behind the rate.
const OutcomeInFlightCap = "inflight-cap"

// Config describes one run. URL, Rate, Duration, Bot, Locale and Turns are
// required; the zero value of every other field picks the default its
// comment gives.
type Config struct {
	URL      string        // server base URL, e.g. http://127.0.0.1:8080
	Mode     Mode          // default ModeLex
	Rate     float64       // turns started per second
	Duration time.Duration // how long turns are started for
	// Sessions is how many conversations the turns rotate over; the default,
	// max(100, 2×Rate), gives each session a turn every 2 s or more, a fast
	// typist rather than a client hammering one session.
	Sessions int
	Bot      string
	Alias    string // default TSTALIASID (the draft), which /chat also uses
	Locale   string
	// Turns is one conversation; each session plays it in order, then goes
	// on under a fresh session id, as a new visitor would.
	Turns       []string
	MaxInFlight int           // default 512
	Timeout     time.Duration // per turn; default 10s
	Interval    time.Duration // reporting interval; default 10s
	// PID is the server's process id, for VmRSS from /proc; 0 skips it.
	PID int
	// NoMetrics skips scraping the server's /metrics at each interval.
	NoMetrics bool
	// Client sends the turns; nil means one that keeps MaxInFlight
	// connections alive.
	Client *http.Client
	// OnInterval, when set, hears each interval as it closes, from one
	// goroutine, so a command can print progress.
	OnInterval func(Interval)
	// OnResult, when set, hears every turn's outcome, from many goroutines at
	// once; a caller can watch the run turn by turn with it.
	OnResult func(Result)
}

// Result is the outcome of one scheduled turn.
type Result struct {
	Seq       int
	Mode      Mode // ModeLex or ModeChat
	Session   string
	Text      string
	Scheduled time.Time
	// Latency runs from Scheduled, not from when the request left, so time
	// a turn waited for the generator counts too.
	Latency time.Duration
	// Outcome is OutcomeOK, OutcomeInFlightCap, "status CODE [ErrorType]",
	// "timeout" or a transport failure class.
	Outcome string
}

// Run drives the server as cfg says until cfg.Duration has passed and every
// started turn is answered or timed out, or ctx ends. It fails only on an
// invalid cfg; failed turns are counted in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, runID: "load" + strconv.FormatInt(time.Now().UnixNano(), 36), acc: newAccumulator()}
	r.base = r.cfg.URL
	start := time.Now()
	r.start = start

	stopTicks := make(chan struct{})
	ticksDone := make(chan struct{})
	go r.tick(stopTicks, ticksDone)

	total := int(cfg.Rate * cfg.Duration.Seconds())
	timer := time.NewTimer(0)
	<-timer.C
	var wg sync.WaitGroup
schedule:
	for i := range total {
		at := start.Add(time.Duration(float64(i) * float64(time.Second) / cfg.Rate))
		if wait := time.Until(at); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				break schedule
			case <-timer.C:
			}
		} else if ctx.Err() != nil {
			break
		}
		r.acc.sent()
		res := r.plan(i, at)
		if r.inflight.Load() >= int64(cfg.MaxInFlight) {
			res.Outcome = OutcomeInFlightCap
			r.finish(res)
			continue
		}
		r.inflight.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.send(ctx, &res)
			r.inflight.Add(-1)
			r.finish(res)
		}()
	}
	wg.Wait()
	close(stopTicks)
	<-ticksDone
	// The turns answered after the last full interval make a short one.
	if iv, any := r.acc.take(time.Since(start)); any {
		r.closeInterval(iv)
	}
	return r.acc.report(cfg, start, time.Since(start), r.intervals, r.memory), nil
}

func (c *Config) fill() error {
	u, err := url.Parse(c.URL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return fmt.Errorf("driver: url %q: want http://HOST:PORT", c.URL)
	case c.Rate <= 0:
		return fmt.Errorf("driver: rate %v: want > 0 turns/s", c.Rate)
	case c.Duration <= 0:
		return fmt.Errorf("driver: duration %v: want > 0", c.Duration)
	case c.Bot == "" || c.Locale == "":
		return errors.New("driver: bot and locale are required")
	case len(c.Turns) == 0:
		return errors.New("driver: no conversation turns")
	case c.Sessions < 0 || c.MaxInFlight < 0 || c.Timeout < 0 || c.Interval < 0:
		return errors.New("driver: sessions, max in-flight, timeout and interval cannot be negative")
	}
	c.URL = u.Scheme + "://" + u.Host
	switch c.Mode {
	case "":
		c.Mode = ModeLex
	case ModeLex, ModeChat, ModeMixed:
	default:
		return fmt.Errorf("driver: mode %q: want lex, chat or mixed", c.Mode)
	}
	if c.Sessions == 0 {
		c.Sessions = max(100, int(math.Ceil(2*c.Rate)))
	}
	if c.Alias == "" {
		c.Alias = "TSTALIASID"
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = 512
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Interval == 0 {
		c.Interval = 10 * time.Second
	}
	if c.Client == nil {
		c.Client = &http.Client{Transport: &http.Transport{
			MaxIdleConns:        c.MaxInFlight,
			MaxIdleConnsPerHost: c.MaxInFlight,
			IdleConnTimeout:     90 * time.Second,
		}}
	}
	return nil
}

type runner struct {
	cfg       Config
	runID     string
	base      string
	start     time.Time
	inflight  atomic.Int64
	acc       *accumulator
	intervals []Interval // written by tick, then by Run after tick ended
	memory    []Memory
}

// plan picks the session, turn and endpoint of the i-th scheduled turn.
// Turns go round-robin over the sessions, so one session's turns are
// Sessions/Rate seconds apart and arrive in conversation order unless the
// server is that far behind.
func (r *runner) plan(i int, at time.Time) Result {
	s := i % r.cfg.Sessions
	round := i / r.cfg.Sessions
	mode := r.cfg.Mode
	if mode == ModeMixed {
		mode = ModeLex
		if s%2 == 1 {
			mode = ModeChat
		}
	}
	return Result{
		Seq:       i,
		Mode:      mode,
		Session:   fmt.Sprintf("%s-%d-%d", r.runID, s, round/len(r.cfg.Turns)),
		Text:      r.cfg.Turns[round%len(r.cfg.Turns)],
		Scheduled: at,
	}
}

// send makes one turn's request and fills in its latency and outcome.
func (r *runner) send(ctx context.Context, res *Result) {
	var (
		target string
		body   any
	)
	if res.Mode == ModeChat {
		target = r.base + "/chat"
		body = map[string]string{"text": res.Text, "sessionId": res.Session, "botId": r.cfg.Bot, "localeId": r.cfg.Locale}
	} else {
		target = r.base + "/bots/" + url.PathEscape(r.cfg.Bot) + "/botAliases/" + url.PathEscape(r.cfg.Alias) +
			"/botLocales/" + url.PathEscape(r.cfg.Locale) + "/sessions/" + url.PathEscape(res.Session) + "/text"
		body = map[string]string{"text": res.Text}
	}
	payload, err := json.Marshal(body)
	if err != nil {
		res.Outcome = "encode: " + err.Error()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		res.Outcome = "request: " + err.Error()
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.cfg.Client.Do(req)
	if err == nil {
		res.Outcome = statusOutcome(resp)
		resp.Body.Close()
	} else {
		res.Outcome = transportOutcome(err)
	}
	res.Latency = time.Since(res.Scheduled)
}

// statusOutcome reads the whole answer (a turn is not done until its body
// is in) and names a failure by status and the error type both APIs send:
// Lex in X-Amzn-ErrorType and __type, /chat in error.code.
func statusOutcome(resp *http.Response) string {
	if resp.StatusCode == http.StatusOK {
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return transportOutcome(err)
		}
		return OutcomeOK
	}
	kind := resp.Header.Get("X-Amzn-ErrorType")
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if kind == "" {
		var shape struct {
			Type  string `json:"__type"`
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if json.Unmarshal(raw, &shape) == nil {
			kind = shape.Type
			if kind == "" {
				kind = shape.Error.Code
			}
		}
	}
	if kind == "" {
		return "status " + strconv.Itoa(resp.StatusCode)
	}
	return "status " + strconv.Itoa(resp.StatusCode) + " " + kind
}

// transportOutcome names a failure without addresses or ports, so the same
// failure counts under one key.
func transportOutcome(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no local port"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	default:
		return "transport"
	}
}

func (r *runner) finish(res Result) {
	r.acc.done(res)
	if r.cfg.OnResult != nil {
		r.cfg.OnResult(res)
	}
}

// tick closes an interval every cfg.Interval after the start until stop.
func (r *runner) tick(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			iv, _ := r.acc.take(time.Since(r.start))
			r.closeInterval(iv)
		}
	}
}

func (r *runner) closeInterval(iv Interval) {
	iv.InFlight = int(r.inflight.Load())
	iv.Memory = sampleMemory(r.cfg, iv.End)
	r.memory = append(r.memory, iv.Memory)
	r.intervals = append(r.intervals, iv)
	if r.cfg.OnInterval != nil {
		r.cfg.OnInterval(iv)
	}
}

package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Channel is the Slack connector: POST /events, /commands and
// /interactions below its mount point.
type Channel struct {
	cfg           connector.Config
	secret        []byte
	auth          http.Header // Authorization: Bearer botToken; never logged
	apiBase       string
	allowChannels map[string]bool // empty: every channel
	allowUsers    map[string]bool // empty: every user
	botUserID     string

	counters   connector.Counters
	eventsIn   connector.Inbound
	formsIn    connector.Inbound
	turnCtx    context.Context // parent of every background turn
	cancelTurn context.CancelFunc
	wg         sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	sessions map[string]*sessionQueue
}

var _ connector.Channel = (*Channel)(nil)

// sessionQueue holds a session's turns waiting for the one in flight.
type sessionQueue struct {
	jobs []func(ctx context.Context)
}

// Settings keys (README.md).
const (
	settingSigningSecret = "signingSecret"
	settingBotToken      = "botToken"
	settingAPIBase       = "apiBase"
	settingAllowChannels = "allowChannels"
	settingAllowUsers    = "allowUsers"
	settingBotUserID     = "botUserId"
	defaultAPIBase       = "https://slack.com/api"
)

// New builds a Slack channel from its configuration.
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if cfg.Type == "" {
		cfg.Type = "slack"
	}
	if err := cfg.CheckSettings(settingSigningSecret, settingBotToken, settingAPIBase, settingAllowChannels, settingAllowUsers, settingBotUserID); err != nil {
		return nil, err
	}
	if cfg.Bot == nil || cfg.Runtime == nil {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (slack): a bot and a runtime are required", cfg.Name)
	}
	secret, err := cfg.Setting(settingSigningSecret, true)
	if err != nil {
		return nil, err
	}
	token, err := cfg.Setting(settingBotToken, true)
	if err != nil {
		return nil, err
	}
	base, _ := cfg.Setting(settingAPIBase, false)
	if base == "" {
		base = defaultAPIBase
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (slack): setting %q must be an http(s) URL", cfg.Name, settingAPIBase)
	}
	botUser, _ := cfg.Setting(settingBotUserID, false)
	ctx, cancel := context.WithCancel(context.Background())
	return &Channel{
		cfg:           cfg,
		secret:        []byte(secret),
		auth:          http.Header{"Authorization": {"Bearer " + token}},
		apiBase:       strings.TrimRight(base, "/"),
		allowChannels: idSet(cfg.Settings[settingAllowChannels]),
		allowUsers:    idSet(cfg.Settings[settingAllowUsers]),
		botUserID:     strings.TrimSpace(botUser),
		eventsIn:      connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: maxBody},
		formsIn:       connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/x-www-form-urlencoded"}, MaxBytes: maxBody},
		turnCtx:       ctx,
		cancelTurn:    cancel,
		sessions:      map[string]*sessionQueue{},
	}, nil
}

// idSet parses a comma-separated list of ids; empty entries are dropped.
func idSet(list string) map[string]bool {
	set := map[string]bool{}
	for id := range strings.SplitSeq(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			set[id] = true
		}
	}
	return set
}

// ServeHTTP routes Slack's three request URLs.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		// Before any dedupe record, so Slack's retry to a running
		// instance is taken.
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	switch strings.Trim(r.URL.Path, "/") {
	case "events":
		c.serveEvents(w, r)
	case "commands":
		c.serveCommand(w, r)
	case "interactions":
		c.serveInteraction(w, r)
	default:
		c.reject(w, http.StatusNotFound, "no such endpoint")
	}
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close implements connector.Channel: no new turns start, and the turns in
// flight are waited for until ctx ends, then cancelled.
func (c *Channel) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	if err := connector.Drain(ctx, &c.wg, c.cancelTurn); err != nil {
		return fmt.Errorf("slack: close %s: %w", c.cfg.Name, err)
	}
	return nil
}

// reject answers a refused request and logs why at debug.
func (c *Channel) reject(w http.ResponseWriter, status int, reason string) {
	c.cfg.Logger.Debug("slack: request rejected", "channel", c.cfg.Name, "status", status, "reason", reason)
	connector.Reject(w, &c.counters, status)
}

// ack answers 200 with an empty body.
func (c *Channel) ack(w http.ResponseWriter) {
	c.counters.Accept()
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// ackJSON answers 200 with a JSON body.
func (c *Channel) ackJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		c.cfg.Logger.Error("slack: encode answer", "channel", c.cfg.Name, "err", err)
		c.ack(w)
		return
	}
	c.counters.Accept()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// ignore acknowledges an event the connector drops on purpose.
func (c *Channel) ignore(w http.ResponseWriter, why string) {
	c.cfg.Logger.Debug("slack: event ignored", "channel", c.cfg.Name, "reason", why)
	c.ack(w)
}

// authentic reads the raw body and checks its signature; on failure it has
// answered.
func (c *Channel) authentic(w http.ResponseWriter, r *http.Request, in connector.Inbound) ([]byte, bool) {
	body, ok := in.ReadBody(w, r, &c.counters)
	if !ok {
		return nil, false
	}
	if reason := verify(c.secret, r.Header, body, c.cfg.Now()); reason != "" {
		c.reject(w, http.StatusUnauthorized, reason)
		return nil, false
	}
	return body, true
}

// firstSeen reports whether the dedupe key is new; an unknown answer
// counts as new (a duplicate reply beats a lost one).
func (c *Channel) firstSeen(ctx context.Context, parts ...string) bool {
	key := "slack/" + c.cfg.Bot.ID + "/" + c.cfg.Name + "/" + strings.Join(parts, "/")
	first, err := c.cfg.Dedup.FirstSeen(ctx, key)
	if err != nil {
		c.cfg.Logger.Warn("slack: dedupe failed; processing the event", "channel", c.cfg.Name, "err", err)
		return true
	}
	return first
}

// refusal is the text for a channel or user outside the allow-lists, or ""
// when both are allowed.
func (c *Channel) refusal(channel, user string) string {
	ko := strings.HasPrefix(c.cfg.LocaleID, "ko")
	switch {
	case len(c.allowChannels) > 0 && !c.allowChannels[channel]:
		if ko {
			return "이 봇은 허가된 채널에서만 사용할 수 있어요."
		}
		return "This bot only works in authorised channels."
	case len(c.allowUsers) > 0 && !c.allowUsers[user]:
		if ko {
			return "이 봇을 사용할 권한이 없어요."
		}
		return "Sorry, you are not authorised to use this bot."
	}
	return ""
}

// start runs fn in the background with a context that Close cancels; it
// reports false once the channel is closed.
func (c *Channel) start(fn func(ctx context.Context)) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.turnCtx, turnTimeout)
		defer cancel()
		fn(ctx)
	}()
	return true
}

// startInSession is start for a turn of a session: the session's turns
// run one after the other in the order they arrived, so a user who types
// quickly gets answers in order and the runtime never sees two turns of one
// session at once.
func (c *Channel) startInSession(key string, fn func(ctx context.Context)) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	if q := c.sessions[key]; q != nil {
		q.jobs = append(q.jobs, fn) // its worker is running and will take it
		return true
	}
	q := &sessionQueue{jobs: []func(context.Context){fn}}
	c.sessions[key] = q
	c.wg.Add(1)
	go c.drain(key, q)
	return true
}

// drain runs a session's queued turns until none is left.
func (c *Channel) drain(key string, q *sessionQueue) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if len(q.jobs) == 0 {
			delete(c.sessions, key)
			c.mu.Unlock()
			return
		}
		fn := q.jobs[0]
		q.jobs = q.jobs[1:]
		c.mu.Unlock()
		ctx, cancel := context.WithTimeout(c.turnCtx, turnTimeout)
		fn(ctx)
		cancel()
	}
}

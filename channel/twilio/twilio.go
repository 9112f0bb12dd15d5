package twilio

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Channel is a Twilio Messaging channel (SMS, MMS, WhatsApp). Create it
// with New.
type Channel struct {
	cfg          connector.Config
	authToken    string
	accountSid   string
	apiBase      string
	replyTimeout time.Duration
	inbound      connector.Inbound
	counters     connector.Counters
	choices      choices
	senders      keyedLock

	// turns run on base, which Close cancels when its wait times out: a
	// turn that outlives Twilio's patience still answers through REST.
	base   context.Context
	cancel context.CancelFunc

	mu     sync.Mutex // guards closed against wg.Add racing Close's wg.Wait
	closed bool
	wg     sync.WaitGroup
}

var _ connector.Channel = (*Channel)(nil)

// New builds a Twilio channel from cfg, whose PublicURL must be the URL
// Twilio calls (it is part of every signature). Settings: authToken
// (required), accountSid (for answers sent after the reply timeout),
// apiBase (default https://api.twilio.com), replyTimeout (Go duration,
// default 10s, at most 14s).
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if err := cfg.CheckSettings("authToken", "accountSid", "apiBase", "replyTimeout"); err != nil {
		return nil, err
	}
	token, err := cfg.Setting("authToken", true)
	if err != nil {
		return nil, err
	}
	if cfg.PublicURL == "" {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (twilio): the public URL is required: Twilio signs the URL it calls (set publicURL)", cfg.Name)
	}
	sid, _ := cfg.Setting("accountSid", false)
	apiBase, _ := cfg.Setting("apiBase", false)
	if apiBase == "" {
		apiBase = defaultAPIBase
	}
	timeout := defaultTimeout
	if s, _ := cfg.Setting("replyTimeout", false); s != "" {
		timeout, err = time.ParseDuration(s)
		if err != nil || timeout <= 0 || timeout > maxReplyTimeout {
			return nil, parley.Errorf(parley.ErrValidation, "channel %s (twilio): setting \"replyTimeout\" must be a Go duration above 0 and at most %v, not %q", cfg.Name, maxReplyTimeout, s)
		}
	}
	base, cancel := context.WithCancel(context.Background())
	return &Channel{
		cfg:          cfg,
		authToken:    token,
		accountSid:   sid,
		apiBase:      strings.TrimRight(apiBase, "/"),
		replyTimeout: timeout,
		inbound: connector.Inbound{Methods: []string{http.MethodPost},
			ContentTypes: []string{"application/x-www-form-urlencoded"}, MaxBytes: maxBody},
		choices: choices{max: maxChoiceSenders},
		base:    base,
		cancel:  cancel,
	}, nil
}

// ServeHTTP handles Twilio's incoming-message webhook (any path below the
// mount point: the signature binds the path). It answers with TwiML.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := c.cfg.Logger.With("channel", c.cfg.Name)
	body, ok := c.inbound.ReadBody(w, r, &c.counters)
	if !ok {
		log.Debug("twilio: rejected request", "reason", "method, content type or size")
		return
	}
	// The signature covers the parsed parameters, so the form is parsed
	// first; an unparseable one is refused only once its signature holds
	// over what could be read, so unsigned garbage still gets 401.
	form, formErr := url.ParseQuery(string(body))
	if !verify(c.authToken, c.requestURL(r), form, r.Header.Get("X-Twilio-Signature")) {
		log.Debug("twilio: rejected request", "reason", "missing or wrong X-Twilio-Signature")
		connector.Reject(w, &c.counters, http.StatusUnauthorized)
		return
	}
	if formErr != nil {
		log.Debug("twilio: rejected request", "reason", "malformed form", "err", formErr)
		connector.Reject(w, &c.counters, http.StatusBadRequest)
		return
	}
	in, err := parseInbound(form)
	if err != nil {
		log.Debug("twilio: rejected request", "reason", "malformed webhook", "err", err)
		connector.Reject(w, &c.counters, http.StatusBadRequest)
		return
	}
	log = log.With("messageSid", in.MessageSid)
	text, attrs := c.input(in)
	switch {
	case in.Status != "":
		log.Debug("twilio: request ignored", "reason", "status callback", "status", in.Status)
		c.ack(w, nil)
		return
	case text == "":
		log.Debug("twilio: request ignored", "reason", "nothing to answer")
		c.ack(w, nil)
		return
	case !c.firstSeen(r.Context(), in.MessageSid, r.Header.Get("I-Twilio-Idempotency-Token")):
		log.Debug("twilio: request ignored", "reason", "duplicate")
		c.ack(w, nil)
		return
	}
	c.ack(w, c.turn(r.Context(), in, text, attrs))
}

// requestURL is the URL Twilio called, rebuilt from the configured public
// URL (never from Host or TLS, which a proxy changes) and the path and
// query below the mount point.
func (c *Channel) requestURL(r *http.Request) string {
	u := c.cfg.PublicURL + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// input is the turn's text: a WhatsApp button's payload, the value of an
// offered button the user named by number or text, the body, or for a
// media message without text its first URL. The media come as request
// attributes.
func (c *Channel) input(in *inbound) (string, map[string]string) {
	attrs := map[string]string{}
	if in.whatsApp() {
		attrs["x-twilio-channel"] = "whatsapp"
	}
	for i, u := range in.Media {
		attrs["x-twilio-media-url-"+strconv.Itoa(i)] = u
	}
	switch {
	case in.ButtonPayload != "":
		return in.ButtonPayload, attrs
	case strings.TrimSpace(in.Body) != "":
		if v, ok := c.choices.lookup(in.From, in.Body); ok {
			return v, attrs
		}
		return in.Body, attrs
	case len(in.Media) > 0:
		return in.Media[0], attrs
	}
	return "", attrs
}

// firstSeen reports whether neither the message nor the idempotency token
// of Twilio's retry was seen before. Both are recorded.
func (c *Channel) firstSeen(ctx context.Context, sid, token string) bool {
	fresh := true
	for _, key := range []string{"twilio:sid:" + sid, "twilio:token:" + token} {
		if key == "twilio:token:" {
			continue
		}
		first, err := c.cfg.Dedup.FirstSeen(ctx, key)
		if err != nil {
			c.cfg.Logger.Warn("twilio: deduplication failed; processing the message", "channel", c.cfg.Name, "err", err)
			continue
		}
		fresh = fresh && first
	}
	return fresh
}

// ack answers 200 with TwiML and counts the request accepted.
func (c *Channel) ack(w http.ResponseWriter, msgs []outMessage) {
	c.counters.Accept()
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(twiml(msgs))
}

// turn runs the message's turn and returns the messages for the TwiML
// answer; when the turn does not finish within the reply timeout (or
// Twilio hangs up) it returns none and the turn's answer goes out through
// the REST API once ready.
func (c *Channel) turn(ctx context.Context, in *inbound, text string, attrs map[string]string) []outMessage {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		c.cfg.Logger.Warn("twilio: message dropped", "channel", c.cfg.Name, "reason", "channel closed", "messageSid", in.MessageSid)
		return nil
	}
	c.wg.Add(1)
	c.mu.Unlock()
	p := &pending{ready: make(chan []outMessage, 1)}
	go func() {
		defer c.wg.Done()
		msgs, failed := c.run(in, text, attrs)
		if p.hand(msgs) {
			return
		}
		if err := c.sendREST(c.base, in, msgs); err != nil {
			if !failed {
				c.counters.Fail()
			}
			c.cfg.Logger.Warn("twilio: sending the late answer failed", "channel", c.cfg.Name, "messageSid", in.MessageSid, "err", err)
		}
	}()
	timer := time.NewTimer(c.replyTimeout)
	defer timer.Stop()
	select {
	case msgs := <-p.ready:
		return msgs
	case <-timer.C:
	case <-ctx.Done():
	}
	return p.abandon()
}

// run runs one turn in the sender's session, one turn per sender at a
// time, and renders its answer (a polite one when the turn failed).
func (c *Channel) run(in *inbound, text string, attrs map[string]string) (msgs []outMessage, failed bool) {
	unlock := c.senders.lock(in.From)
	defer unlock()
	res, err := c.cfg.Turn(c.base, in.From, clip(text), attrs)
	if err != nil {
		c.counters.Fail()
		c.cfg.Logger.Warn("twilio: turn failed", "channel", c.cfg.Name, "messageSid", in.MessageSid, "err", err)
		msgs, _ = render(connector.Reply{Parts: []connector.Part{{Text: connector.UserReply(c.cfg.LocaleID, err)}}})
		return msgs, true
	}
	msgs, offered := render(connector.Plan(c.cfg.Type, res.Messages))
	c.choices.offer(in.From, offered)
	return msgs, false
}

// pending hands a turn's answer to the webhook request still waiting for
// it, or, once that gave up, back to the turn to send through REST.
type pending struct {
	mu        sync.Mutex
	abandoned bool
	ready     chan []outMessage
}

// hand gives msgs to the waiting request; false when nobody waits.
func (p *pending) hand(msgs []outMessage) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.abandoned {
		return false
	}
	p.ready <- msgs
	return true
}

// abandon stops waiting; it returns the answer if it arrived meanwhile.
func (p *pending) abandon() []outMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.abandoned = true
	select {
	case msgs := <-p.ready:
		return msgs
	default:
		return nil
	}
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close implements connector.Channel: it stops taking messages and waits
// for turns in flight (and their late REST sends); when ctx ends first it
// cancels them.
func (c *Channel) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	return connector.Drain(ctx, &c.wg, c.cancel)
}

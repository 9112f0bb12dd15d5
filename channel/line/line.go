package line

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/parleybot/parley/channel/connector"
)

// Channel is a LINE Messaging API channel. Create it with New.
type Channel struct {
	cfg      connector.Config
	secret   []byte
	token    string
	apiBase  string
	inbound  connector.Inbound
	counters connector.Counters

	// turns run on base, which Close cancels when its wait times out: a
	// turn outlives the webhook request that started it.
	base   context.Context
	cancel context.CancelFunc

	mu     sync.Mutex // guards closed, queues and wg.Add against Close's wg.Wait
	closed bool
	queues map[string]*queue // by conversation, while its worker runs
	wg     sync.WaitGroup
}

// queue holds a conversation's events in arrival order: one worker answers
// them one after the other, so a user's turns reach the dialog in the
// order they were sent.
type queue struct {
	events []job
}

type job struct {
	e    event
	text string
}

var _ connector.Channel = (*Channel)(nil)

// New builds a LINE channel from cfg. Settings: channelSecret and
// channelAccessToken (required), apiBase (default https://api.line.me).
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if err := cfg.CheckSettings("channelSecret", "channelAccessToken", "apiBase"); err != nil {
		return nil, err
	}
	secret, err := cfg.Setting("channelSecret", true)
	if err != nil {
		return nil, err
	}
	token, err := cfg.Setting("channelAccessToken", true)
	if err != nil {
		return nil, err
	}
	apiBase, _ := cfg.Setting("apiBase", false)
	if apiBase == "" {
		apiBase = defaultAPIBase
	}
	base, cancel := context.WithCancel(context.Background())
	return &Channel{
		cfg:     cfg,
		secret:  []byte(secret),
		token:   token,
		apiBase: strings.TrimRight(apiBase, "/"),
		inbound: connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: maxBody},
		base:    base,
		cancel:  cancel,
		queues:  map[string]*queue{},
	}, nil
}

// ServeHTTP handles LINE's webhook calls on /: it checks the request and
// its signature, acknowledges with 200 and answers the events in the
// background.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := c.cfg.Logger.With("channel", c.cfg.Name)
	if r.URL.Path != "/" && r.URL.Path != "" {
		log.Debug("line: rejected request", "reason", "unknown path", "path", r.URL.Path)
		connector.Reject(w, &c.counters, http.StatusNotFound)
		return
	}
	body, ok := c.inbound.ReadBody(w, r, &c.counters)
	if !ok {
		log.Debug("line: rejected request", "reason", "method, content type or size")
		return
	}
	if !c.verify(body, r.Header.Get("X-Line-Signature")) {
		log.Debug("line: rejected request", "reason", "missing or wrong x-line-signature")
		connector.Reject(w, &c.counters, http.StatusUnauthorized)
		return
	}
	hook, err := parseWebhook(body)
	if err != nil {
		log.Debug("line: rejected request", "reason", "malformed body", "err", err)
		connector.Reject(w, &c.counters, http.StatusBadRequest)
		return
	}
	for i := range hook.Events {
		c.dispatch(r.Context(), &hook.Events[i])
	}
	c.counters.Accept()
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// verify checks the base64 HMAC-SHA256 of the raw body under the channel
// secret, in constant time.
func (c *Channel) verify(body []byte, signature string) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) == 0 {
		return false
	}
	mac := hmac.New(sha256.New, c.secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// dispatch starts the turn of one event unless the event is not one the
// bot answers, comes from a standby channel, or was seen before.
func (c *Channel) dispatch(ctx context.Context, e *event) {
	log := c.cfg.Logger.With("channel", c.cfg.Name, "event", e.Type, "webhookEventId", e.WebhookEventID)
	text, ok := e.input()
	conv := e.Source.conversation()
	switch {
	case !ok:
		log.Debug("line: event ignored", "reason", "not a text message or postback")
		return
	case e.Mode == "standby":
		log.Debug("line: event ignored", "reason", "channel is in standby mode")
		return
	case conv == "":
		log.Debug("line: event ignored", "reason", "no source id")
		return
	}
	if e.WebhookEventID != "" {
		first, err := c.cfg.Dedup.FirstSeen(ctx, "line:"+e.WebhookEventID)
		if err != nil {
			log.Warn("line: deduplication failed; processing the event", "err", err)
		} else if !first {
			log.Debug("line: event ignored", "reason", "duplicate", "redelivery", e.DeliveryContext.IsRedelivery)
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		log.Warn("line: event dropped", "reason", "channel closed")
		return
	}
	if q := c.queues[conv]; q != nil {
		q.events = append(q.events, job{*e, text})
		return
	}
	q := &queue{events: []job{{*e, text}}}
	c.queues[conv] = q
	c.wg.Add(1)
	go c.work(conv, q)
}

// work answers a conversation's queued events until none is left.
func (c *Channel) work(conv string, q *queue) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if len(q.events) == 0 {
			delete(c.queues, conv)
			c.mu.Unlock()
			return
		}
		j := q.events[0]
		q.events = q.events[1:]
		c.mu.Unlock()
		c.answer(c.base, j.e, conv, j.text)
	}
}

// answer runs one turn and sends its messages.
func (c *Channel) answer(ctx context.Context, e event, conv, text string) {
	log := c.cfg.Logger.With("channel", c.cfg.Name, "webhookEventId", e.WebhookEventID)
	var msgs []json.RawMessage
	res, turnErr := c.cfg.Turn(ctx, conv, clip(text), nil)
	if turnErr != nil {
		c.counters.Fail()
		log.Warn("line: turn failed", "err", turnErr)
		msgs = render(connector.Reply{Parts: []connector.Part{{Text: connector.UserReply(c.cfg.LocaleID, turnErr)}}})
	} else {
		msgs = render(connector.Plan(c.cfg.Type, res.Messages))
	}
	if len(msgs) == 0 {
		return
	}
	if err := c.send(ctx, e.ReplyToken, conv, msgs); err != nil {
		if turnErr == nil { // one failure per event in the counters
			c.counters.Fail()
		}
		log.Warn("line: sending the answer failed", "err", err)
	}
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close implements connector.Channel: it stops accepting events and waits
// for the turns in flight; when ctx ends first it cancels them.
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

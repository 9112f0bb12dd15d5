package messenger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Setting keys, documented in README.md.
const (
	settingAppSecret       = "appSecret"
	settingVerifyToken     = "verifyToken"
	settingPageAccessToken = "pageAccessToken"
	settingAPIBase         = "apiBase"
)

// Channel is a Messenger connector for one Page of one bot.
type Channel struct {
	cfg         connector.Config
	appSecret   []byte
	verifyToken []byte
	sendURL     string
	auth        http.Header // the page token; never logged
	inbound     connector.Inbound
	counters    connector.Counters

	// base is the context of every turn: a request's ends when the
	// handler has acknowledged, long before the turn is done. Close
	// cancels it when its own deadline passes.
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	queues map[string]*queue // per PSID, while it has work
}

var _ connector.Channel = (*Channel)(nil)

// queue holds one user's events not yet run; one goroutine drains it, so
// a user's turns and their replies stay in order.
type queue struct {
	events []turnEvent
}

// New builds the connector from cfg; missing or unknown settings and a bad
// apiBase are ErrValidation errors naming the setting.
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if err := cfg.CheckSettings(settingAppSecret, settingVerifyToken, settingPageAccessToken, settingAPIBase); err != nil {
		return nil, err
	}
	if cfg.Bot == nil || cfg.Runtime == nil {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (%s): a bot and a runtime are required", cfg.Name, cfg.Type)
	}
	secret, err := cfg.Setting(settingAppSecret, true)
	if err != nil {
		return nil, err
	}
	verify, err := cfg.Setting(settingVerifyToken, true)
	if err != nil {
		return nil, err
	}
	token, err := cfg.Setting(settingPageAccessToken, true)
	if err != nil {
		return nil, err
	}
	base, _ := cfg.Setting(settingAPIBase, false)
	if base == "" {
		base = defaultAPIBase
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (%s): setting %q must be an http(s) URL without a query, like %s", cfg.Name, cfg.Type, settingAPIBase, defaultAPIBase)
	}
	// The token goes in the Authorization header rather than the
	// access_token query parameter: transport errors quote the URL, and
	// the kit logs them. appsecret_proof lets the app require it.
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(token))
	sendURL := strings.TrimRight(base, "/") + "/me/messages?appsecret_proof=" + hex.EncodeToString(mac.Sum(nil))

	ctx, cancel := context.WithCancel(context.Background())
	return &Channel{
		cfg:         cfg,
		appSecret:   []byte(secret),
		verifyToken: []byte(verify),
		sendURL:     sendURL,
		auth:        http.Header{"Authorization": {"Bearer " + token}},
		inbound:     connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: maxBodyBytes},
		base:        ctx,
		cancel:      cancel,
		queues:      map[string]*queue{},
	}, nil
}

// ServeHTTP answers Meta's subscription handshake (GET /) and event
// notifications (POST /).
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" && r.URL.Path != "" {
		c.reject(w, http.StatusNotFound, "unknown path")
		return
	}
	switch r.Method {
	case http.MethodGet:
		c.handshake(w, r)
	case http.MethodPost:
		c.notification(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		c.reject(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// handshake echoes hub.challenge when the mode is subscribe and the verify
// token matches (channels.md §2.1); anything else is 403.
func (c *Channel) handshake(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	challenge := q.Get("hub.challenge")
	token := []byte(q.Get("hub.verify_token"))
	if q.Get("hub.mode") != "subscribe" || challenge == "" || subtle.ConstantTimeCompare(token, c.verifyToken) != 1 {
		c.reject(w, http.StatusForbidden, "subscription handshake refused")
		return
	}
	c.counters.Accept()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(challenge))
}

// notification runs the inbound pipeline of channels.md §0.1 on a POST:
// size, signature over the raw bytes, parse, dedupe, then queue the turns
// and acknowledge at once.
func (c *Channel) notification(w http.ResponseWriter, r *http.Request) {
	body, ok := c.inbound.ReadBody(w, r, &c.counters)
	if !ok {
		c.cfg.Logger.Debug("messenger: request refused before authentication", "channel", c.cfg.Name)
		return
	}
	if !c.signed(r.Header.Get("X-Hub-Signature-256"), body) {
		c.reject(w, http.StatusUnauthorized, "missing or wrong X-Hub-Signature-256")
		return
	}
	events, err := parse(body)
	if err != nil {
		c.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	if c.isClosed() {
		// Meta retries a non-200; the next process takes the event.
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	fresh := events[:0]
	for _, ev := range events {
		if ev.mid != "" {
			first, err := c.cfg.Dedup.FirstSeen(r.Context(), "messenger/"+c.cfg.Name+"/"+ev.mid)
			if err != nil {
				c.cfg.Logger.Warn("messenger: dedupe unavailable; processing the event", "channel", c.cfg.Name, "err", err)
			} else if !first {
				c.cfg.Logger.Debug("messenger: duplicate event dropped", "channel", c.cfg.Name, "mid", ev.mid)
				continue
			}
		}
		fresh = append(fresh, ev)
	}
	if !c.enqueue(fresh) {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	c.counters.Accept()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("EVENT_RECEIVED"))
}

func (c *Channel) reject(w http.ResponseWriter, status int, reason string) {
	c.cfg.Logger.Debug("messenger: request rejected", "channel", c.cfg.Name, "status", status, "reason", reason)
	connector.Reject(w, &c.counters, status)
}

// signed reports whether header is "sha256=" and the hex HMAC-SHA256 of
// body under the app secret, compared in constant time.
func (c *Channel) signed(header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, c.appSecret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// turnEvent is a parsed event that runs a turn.
type turnEvent struct {
	psid, text, mid string
}

// parse reads a notification and returns its turns in delivery order:
// text messages, quick reply taps (their payload, not the title) and
// postbacks (their payload). Echoes of the Page's own messages, other
// objects than "page", attachments without text and all other event
// types are dropped. The whole body is checked before anything runs, so a
// 400 never leaves half a batch processed.
func parse(body []byte) ([]turnEvent, error) {
	var wh webhook
	if err := json.Unmarshal(body, &wh); err != nil {
		return nil, fmt.Errorf("messenger: malformed notification: %w", err)
	}
	if wh.Object != "page" {
		return nil, nil
	}
	var out []turnEvent
	for _, en := range wh.Entry {
		for _, ev := range en.Messaging {
			te, ok := turnOf(ev)
			if !ok {
				continue
			}
			if te.psid == "" {
				return nil, errors.New("messenger: malformed notification: an event without sender.id")
			}
			out = append(out, te)
		}
	}
	return out, nil
}

// turnOf returns the turn an event asks for, if any.
func turnOf(ev event) (turnEvent, bool) {
	switch {
	case ev.Message != nil && !ev.Message.IsEcho:
		m := ev.Message
		if m.QuickReply != nil && m.QuickReply.Payload != "" {
			return turnEvent{psid: ev.Sender.ID, text: m.QuickReply.Payload, mid: m.Mid}, true
		}
		if strings.TrimSpace(m.Text) != "" {
			return turnEvent{psid: ev.Sender.ID, text: m.Text, mid: m.Mid}, true
		}
	case ev.Postback != nil:
		p := ev.Postback
		text := p.Payload
		if text == "" {
			text = p.Title
		}
		if text != "" {
			return turnEvent{psid: ev.Sender.ID, text: text, mid: p.Mid}, true
		}
	}
	return turnEvent{}, false
}

// enqueue adds events to their users' queues, starting a user's worker
// when none runs. It reports false, queueing nothing, once Close began.
func (c *Channel) enqueue(events []turnEvent) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	for _, ev := range events {
		q := c.queues[ev.psid]
		if q == nil {
			q = &queue{}
			c.queues[ev.psid] = q
			c.wg.Add(1)
			go c.drain(ev.psid, q)
		}
		q.events = append(q.events, ev)
	}
	return true
}

func (c *Channel) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// drain runs a user's events one after the other until the queue is
// empty, then forgets the queue.
func (c *Channel) drain(psid string, q *queue) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if len(q.events) == 0 {
			delete(c.queues, psid)
			c.mu.Unlock()
			return
		}
		ev := q.events[0]
		q.events = q.events[1:]
		c.mu.Unlock()
		c.process(ev)
	}
}

// process runs one turn and sends its reply: the typing indicator first,
// then each message in order. A failed turn is answered with a polite
// text; a failed send stops the rest of the reply. Either counts once as
// failed.
func (c *Channel) process(ev turnEvent) {
	ctx := c.base
	log := c.cfg.Logger.With("channel", c.cfg.Name)
	if err := c.send(ctx, sendRequest{Recipient: party{ID: ev.psid}, SenderAction: "typing_on"}); err != nil {
		log.Debug("messenger: typing indicator not sent", "err", err)
	}
	var msgs []message
	res, err := c.cfg.Turn(ctx, ev.psid, ev.text, nil)
	if err != nil {
		c.counters.Fail()
		log.Warn("messenger: turn failed", "err", err)
		msgs = texts(connector.UserReply(c.cfg.LocaleID, err))
	} else {
		msgs = render(connector.Plan(c.cfg.Type, res.Messages))
	}
	if len(msgs) == 0 {
		if err := c.send(ctx, sendRequest{Recipient: party{ID: ev.psid}, SenderAction: "typing_off"}); err != nil {
			log.Debug("messenger: typing indicator not cleared", "err", err)
		}
		return
	}
	for i := range msgs {
		if err := c.send(ctx, sendRequest{Recipient: party{ID: ev.psid}, MessagingType: messagingType, Message: &msgs[i]}); err != nil {
			if res != nil {
				c.counters.Fail()
			}
			log.Warn("messenger: reply not delivered", "sent", i, "of", len(msgs), "err", err)
			return
		}
	}
}

func (c *Channel) send(ctx context.Context, req sendRequest) error {
	return c.cfg.PostJSON(ctx, c.sendURL, req, c.auth, nil)
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close implements connector.Channel: later notifications get 503 (Meta
// retries them), and turns in flight may finish until ctx ends, when they
// are cancelled.
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

package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Settings keys; README.md documents them.
const (
	settingBotToken    = "botToken"
	settingSecretToken = "secretToken"
	settingMode        = "mode"
	settingAPIBase     = "apiBase"

	modeWebhook    = "webhook"
	modePoll       = "poll"
	defaultAPIBase = "https://api.telegram.org"

	// secretHeader carries setWebhook's secret_token on every webhook POST.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
)

var (
	// A token is "<bot id>:<secret>"; it goes into URL paths, so nothing
	// else is let through.
	tokenChars  = regexp.MustCompile(`^[0-9A-Za-z:_-]+$`)
	secretChars = regexp.MustCompile(`^[0-9A-Za-z_-]{1,` + strconv.Itoa(maxSecretToken) + `}$`)
)

// Channel is a Telegram bot: a webhook handler, or a long poller when the
// mode setting is poll. Each chat (private or group) is one session.
type Channel struct {
	cfg       connector.Config
	token     string
	secret    [sha256.Size]byte // of secretToken; compared in constant time
	hasSecret bool
	apiBase   string
	dedupKey  string // prefix of update ids: they are per bot
	in        connector.Inbound
	counters  connector.Counters
	keys      *valueKeys
	offers    *offers

	// ctx is the context of turns and their replies: not a request's,
	// which ends when the webhook is acknowledged; Close cancels it when
	// its own deadline passes.
	ctx    context.Context
	cancel context.CancelFunc
	// stopPoll ends the poller and pollDone is closed when it has; both
	// nil in webhook mode.
	stopPoll context.CancelFunc
	pollDone chan struct{}

	mu     sync.Mutex
	closed bool
	queues map[int64][]turn // per chat, the turn in progress first
	turns  sync.WaitGroup   // one per queued turn
}

var _ connector.Channel = (*Channel)(nil)

// New builds a Telegram channel from its settings; in poll mode it starts
// polling getUpdates (after deleteWebhook) until Close.
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if cfg.Type == "" {
		cfg.Type = "telegram"
	}
	if err := cfg.CheckSettings(settingBotToken, settingSecretToken, settingMode, settingAPIBase); err != nil {
		return nil, err
	}
	if cfg.Bot == nil || cfg.Runtime == nil {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (telegram): a bot and a runtime are required", cfg.Name)
	}
	token, err := cfg.Setting(settingBotToken, true)
	if err != nil {
		return nil, err
	}
	if !tokenChars.MatchString(token) {
		// The value is a secret: the message does not repeat it.
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (telegram): setting %q is not a Bot API token (digits, a colon and letters, digits, _ or -)", cfg.Name, settingBotToken)
	}
	mode := cfg.Settings[settingMode]
	if mode == "" {
		mode = modeWebhook
	}
	if mode != modeWebhook && mode != modePoll {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (telegram): setting %q is %q; want %s or %s", cfg.Name, settingMode, mode, modeWebhook, modePoll)
	}
	secret, err := cfg.Setting(settingSecretToken, mode == modeWebhook)
	if err != nil {
		return nil, err
	}
	if secret != "" && !secretChars.MatchString(secret) {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (telegram): setting %q must be 1-%d characters of A-Z a-z 0-9 _ -, as setWebhook's secret_token", cfg.Name, settingSecretToken, maxSecretToken)
	}
	apiBase := cfg.Settings[settingAPIBase]
	if apiBase == "" {
		apiBase = defaultAPIBase
	}
	if u, err := url.Parse(apiBase); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (telegram): setting %q must be an http(s) URL", cfg.Name, settingAPIBase)
	}
	botID, _, _ := strings.Cut(token, ":")
	c := &Channel{
		cfg:       cfg,
		token:     token,
		secret:    sha256.Sum256([]byte(secret)),
		hasSecret: secret != "",
		apiBase:   strings.TrimRight(apiBase, "/"),
		dedupKey:  "telegram:" + botID + ":",
		in:        connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: maxBodyBytes},
		keys:      newValueKeys(),
		offers:    newOffers(),
		queues:    map[int64][]turn{},
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if mode == modePoll {
		var pollCtx context.Context
		pollCtx, c.stopPoll = context.WithCancel(context.Background())
		c.pollDone = make(chan struct{})
		go c.poll(pollCtx)
	}
	return c, nil
}

// ServeHTTP handles one webhook POST: it authenticates the secret token,
// parses the Update, acknowledges it at once and runs the turn afterwards.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" && r.URL.Path != "" {
		connector.Reject(w, &c.counters, http.StatusNotFound)
		return
	}
	body, ok := c.in.ReadBody(w, r, &c.counters)
	if !ok {
		return
	}
	if !c.authentic(r) {
		c.cfg.Logger.Debug("telegram webhook rejected: secret token missing or wrong", "channel", c.cfg.Name)
		connector.Reject(w, &c.counters, http.StatusUnauthorized)
		return
	}
	u, err := parseUpdate(body)
	if err != nil {
		c.cfg.Logger.Debug("telegram webhook rejected: not an update", "channel", c.cfg.Name, "err", err)
		connector.Reject(w, &c.counters, http.StatusBadRequest)
		return
	}
	if !c.dispatch(r.Context(), u) {
		// Shutting down: a 5xx makes Telegram deliver the update again,
		// to whichever process serves the webhook next.
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	c.counters.Accept()
	w.WriteHeader(http.StatusOK)
}

// authentic compares the secret token header in constant time; hashing
// both sides first hides the secret's length too. Without a secret (poll
// mode) nothing is authentic.
func (c *Channel) authentic(r *http.Request) bool {
	got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
	return c.hasSecret && subtle.ConstantTimeCompare(got[:], c.secret[:]) == 1
}

// dispatch queues the turn an update asks for, unless it is a duplicate or
// of a kind the connector drops. It returns false when the channel is
// closed and the update was not taken.
func (c *Channel) dispatch(ctx context.Context, u *update) bool {
	t, ok := turnOf(u)
	if !ok {
		c.cfg.Logger.Debug("telegram update dropped: not a text message or button", "channel", c.cfg.Name, "update_id", *u.UpdateID)
		return true
	}
	// Counted in before the dedup records the id: once Close has begun,
	// the update is refused unrecorded, so Telegram's redelivery runs.
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.turns.Add(1)
	c.mu.Unlock()
	first, err := c.cfg.Dedup.FirstSeen(ctx, c.dedupKey+strconv.FormatInt(t.updateID, 10))
	if err != nil {
		c.cfg.Logger.Warn("telegram dedup failed; processing the update", "channel", c.cfg.Name, "err", err)
		first = true
	}
	if !first {
		c.turns.Done()
		c.cfg.Logger.Debug("telegram update dropped: delivered before", "channel", c.cfg.Name, "update_id", t.updateID)
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queues[t.chatID]
	c.queues[t.chatID] = append(q, t)
	if len(q) == 0 {
		go c.drain(t.chatID)
	}
	return true
}

// drain runs one chat's turns in the order they arrived, so that replies
// keep the order of the messages they answer, until the queue is empty.
func (c *Channel) drain(chat int64) {
	for {
		c.mu.Lock()
		t := c.queues[chat][0]
		c.mu.Unlock()
		c.process(t)
		c.turns.Done()
		c.mu.Lock()
		q := c.queues[chat][1:]
		if len(q) == 0 {
			delete(c.queues, chat)
			c.mu.Unlock()
			return
		}
		c.queues[chat] = q
		c.mu.Unlock()
	}
}

// process answers a button's callback query, runs the turn and sends its
// reply; a failed turn gets a polite text and counts as failed.
func (c *Channel) process(t turn) {
	ctx, log := c.ctx, c.cfg.Logger.With("channel", c.cfg.Name, "update_id", t.updateID)
	text := t.text
	if t.callbackID != "" {
		value, known := c.keys.value(text)
		answer := &answerCallbackQuery{CallbackQueryID: t.callbackID}
		if !known {
			answer.Text = expired(c.cfg.LocaleID)
		}
		// Answered first, so the user's spinner stops while the turn runs.
		if err := c.call(ctx, "answerCallbackQuery", answer, nil); err != nil {
			log.Warn("telegram answerCallbackQuery failed", "err", err)
		}
		if !known || value == "" {
			return
		}
		text = value
	} else {
		text = c.offers.value(t.chatID, text)
	}
	res, err := c.cfg.Turn(ctx, strconv.FormatInt(t.chatID, 10), text, nil)
	if err != nil {
		c.counters.Fail()
		log.Warn("telegram turn failed", "err", err)
		polite := &sendMessage{ChatID: t.chatID, Text: connector.UserReply(c.cfg.LocaleID, err)}
		if err := c.call(ctx, "sendMessage", polite, nil); err != nil {
			log.Warn("telegram reply failed", "err", err)
		}
		return
	}
	calls, offered, problems := render(t.chatID, connector.Plan(c.cfg.Type, res.Messages), c.keys)
	for _, p := range problems {
		log.Warn("telegram message left out", "err", p)
	}
	c.offers.set(t.chatID, offered)
	for _, call := range calls {
		if err := c.call(ctx, call.method, call.params, nil); err != nil {
			c.counters.Fail()
			log.Warn("telegram reply failed", "method", call.method, "err", err)
			return
		}
	}
}

// expired is the callback answer for a button whose value was forgotten.
func expired(localeID string) string {
	if strings.HasPrefix(localeID, "ko") {
		return "오래된 버튼이에요. 다시 말씀해 주세요."
	}
	return "This button has expired; please ask again."
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close stops polling, refuses new updates and waits for queued turns
// until ctx ends; then it cancels them and returns ctx's error.
func (c *Channel) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	if c.stopPoll != nil {
		c.stopPoll()
		select {
		case <-c.pollDone:
		case <-ctx.Done():
			c.cancel()
			return ctx.Err()
		}
	}
	return connector.Drain(ctx, &c.turns, c.cancel)
}

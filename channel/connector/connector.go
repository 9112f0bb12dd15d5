package connector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley"
)

// Channel is one configured connector: an http.Handler for the platform's
// webhooks, mounted by the server under /channels/{botId}/{name}/ with that
// prefix stripped.
type Channel interface {
	http.Handler
	// Stats returns the channel's counters so far. Safe for concurrent use.
	Stats() Stats
	// Close stops background work (long polling, pending callbacks) and
	// waits for turns in flight until ctx ends; it returns ctx's error if
	// they did not finish. A second call returns nil at once.
	Close(ctx context.Context) error
}

// Factory builds a channel from its configuration; it returns an
// ErrValidation *parley.Error naming the setting when one is missing or
// invalid.
type Factory func(cfg Config) (Channel, error)

// Config is what a connector is built from. Settings hold the
// channel-specific values of the bot file's channels: entry (secrets
// included, already expanded from ${ENV} references); each connector
// documents its keys in its README and rejects unknown ones.
type Config struct {
	Name     string // the binding's name, unique per bot; the URL segment
	Type     string // the connector type: kakao, messenger, slack, telegram, line, twilio
	Bot      *parley.Bot
	AliasID  string // parley.DraftAliasID when the binding names none
	LocaleID string
	Settings map[string]string
	Runtime  parley.Runtime
	// PublicURL is the externally visible URL of the channel's mount point
	// without a trailing slash (https://bot.example.com/channels/BOT/slack);
	// Twilio signs it, and serve prints it.
	PublicURL string
	Logger    *slog.Logger // never nil once Defaults ran
	Client    *http.Client // for platform APIs; never nil once Defaults ran
	Now       func() time.Time
	// Sleep waits between send retries; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// Dedup remembers platform event ids; a memory one when nil.
	Dedup Deduplicator
}

// Defaults fills the zero fields with working values.
func (c *Config) Defaults() {
	if c.AliasID == "" {
		c.AliasID = parley.DraftAliasID
	}
	if c.LocaleID == "" && c.Bot != nil && len(c.Bot.Locales) > 0 {
		c.LocaleID = c.Bot.Locales[0].ID
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleepContext
	}
	if c.Dedup == nil {
		c.Dedup = NewMemoryDedup(c.Now, 24*time.Hour, 100_000)
	}
}

// Setting returns a setting's value; a required one that is empty is an
// ErrValidation error naming it.
func (c *Config) Setting(key string, required bool) (string, error) {
	v := c.Settings[key]
	if v == "" && required {
		return "", parley.Errorf(parley.ErrValidation, "channel %s (%s): setting %q is required", c.Name, c.Type, key)
	}
	return v, nil
}

// CheckSettings returns an ErrValidation error naming the first setting
// that is not in known, so that a typo in a secret's name is not silent.
func (c *Config) CheckSettings(known ...string) error {
	for k := range c.Settings {
		found := false
		for _, want := range known {
			if k == want {
				found = true
				break
			}
		}
		if !found {
			return parley.Errorf(parley.ErrValidation, "channel %s (%s): unknown setting %q (known: %s)", c.Name, c.Type, k, strings.Join(known, ", "))
		}
	}
	return nil
}

// Turn runs one turn for a platform user and returns its result. The
// request attribute x-amz-lex:channels:platform names the platform, as
// Lex's own channel integrations do.
func (c *Config) Turn(ctx context.Context, userID, text string, attrs map[string]string) (*parley.TurnResult, error) {
	ra := map[string]string{"x-amz-lex:channels:platform": platformName(c.Type)}
	for k, v := range attrs {
		ra[k] = v
	}
	return c.Runtime.RecognizeText(ctx, &parley.TurnRequest{
		Key:               parley.SessionKey{BotID: c.Bot.ID, AliasID: c.AliasID, LocaleID: c.LocaleID, SessionID: SessionID(c.Type, userID)},
		Text:              text,
		RequestAttributes: ra,
	})
}

// platformName is the x-amz-lex:channels:platform value: Lex's own names
// where Lex has the channel, the capitalised type otherwise.
func platformName(typ string) string {
	switch typ {
	case "messenger":
		return "Facebook"
	case "":
		return ""
	}
	return strings.ToUpper(typ[:1]) + typ[1:]
}

var sessionIDChars = regexp.MustCompile(`^[0-9A-Za-z._:-]+$`)

// SessionID maps a platform user id onto a valid Lex session id
// ([0-9A-Za-z._:-], 2–100 characters): "type:user" when that fits, else
// "type:" and a hash of the user id, so any id maps to one session.
func SessionID(typ, userID string) string {
	id := typ + ":" + userID
	if len(id) <= 100 && sessionIDChars.MatchString(userID) {
		return id
	}
	sum := sha256.Sum256([]byte(userID))
	return typ + ":h" + hex.EncodeToString(sum[:20])
}

// Stats are a channel's counters: requests accepted (processed or
// acknowledged), rejected (bad method, type, size, signature or body) and
// failed (a genuine event whose turn or reply failed).
type Stats struct {
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
	Failed   int64 `json:"failed"`
}

// Counters counts a channel's requests; the zero value is ready and safe
// for concurrent use.
type Counters struct {
	accepted, rejected, failed atomic.Int64
}

// Accept counts an accepted request.
func (c *Counters) Accept() { c.accepted.Add(1) }

// Reject counts a rejected request.
func (c *Counters) Reject() { c.rejected.Add(1) }

// Fail counts a genuine request whose processing failed.
func (c *Counters) Fail() { c.failed.Add(1) }

// Stats returns the counts so far.
func (c *Counters) Stats() Stats {
	return Stats{Accepted: c.accepted.Load(), Rejected: c.rejected.Load(), Failed: c.failed.Load()}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UserReply is the polite text a channel sends when a turn fails, in the
// locale's language: the platform user sees no error codes.
func UserReply(localeID string, err error) string {
	busy := parley.ErrorCodeOf(err) == parley.ErrThrottling
	switch {
	case strings.HasPrefix(localeID, "ko") && busy:
		return "메시지가 너무 많아요. 잠시 후 다시 말씀해 주세요."
	case strings.HasPrefix(localeID, "ko"):
		return "죄송해요, 처리 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요."
	case strings.HasPrefix(localeID, "zh") && busy:
		return "消息太多了，请稍后再试。"
	case strings.HasPrefix(localeID, "zh"):
		return "抱歉，处理时出了问题，请稍后再试。"
	case busy:
		return "Too many messages at once; please try again in a moment."
	}
	return "Sorry, something went wrong on our side. Please try again."
}

// Drain waits for the turns counted by wg until ctx ends, then calls
// cancel, which ends the context those turns run under: Close of a
// connector with turns in flight. It returns ctx's error when they did not
// all finish.
func Drain(ctx context.Context, wg *sync.WaitGroup, cancel context.CancelFunc) error {
	defer cancel()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

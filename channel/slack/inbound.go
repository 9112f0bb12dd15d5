package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// serveEvents handles the Events API (channels.md §3.2).
func (c *Channel) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := c.authentic(w, r, c.eventsIn)
	if !ok {
		return
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		c.reject(w, http.StatusBadRequest, "malformed JSON")
		return
	}
	switch env.Type {
	case "url_verification":
		if env.Challenge == "" {
			c.reject(w, http.StatusBadRequest, "url_verification without a challenge")
			return
		}
		c.ackJSON(w, map[string]string{"challenge": env.Challenge})
	case "event_callback":
		if env.EventID == "" || env.Event == nil {
			c.reject(w, http.StatusBadRequest, "event_callback without event_id or event")
			return
		}
		c.onEvent(w, r, &env)
	default:
		c.ignore(w, "envelope type "+env.Type)
	}
}

// onEvent dedupes, filters and dispatches one event_callback.
func (c *Channel) onEvent(w http.ResponseWriter, r *http.Request, env *envelope) {
	if !c.firstSeen(r.Context(), "event", env.EventID) {
		// A retry of an event already taken: Slack need not try again.
		w.Header().Set("X-Slack-No-Retry", "1")
		c.ignore(w, "duplicate event_id (retry "+r.Header.Get("X-Slack-Retry-Num")+" "+r.Header.Get("X-Slack-Retry-Reason")+")")
		return
	}
	ev := env.Event
	switch {
	case ev.Type != "message" && ev.Type != "app_mention":
		c.ignore(w, "event type "+ev.Type)
		return
	case ev.BotID != "" || ev.Subtype != "":
		c.ignore(w, "bot message or subtype "+ev.Subtype)
		return
	case ev.User == "" || ev.Channel == "" || !isTS(ev.TS) || (ev.ThreadTS != "" && !isTS(ev.ThreadTS)):
		c.ignore(w, "event without user, channel or a valid ts")
		return
	case c.botUserID != "" && ev.User == c.botUserID:
		c.ignore(w, "the bot's own message")
		return
	}
	// A mention arrives both as app_mention and as message.
	if !c.firstSeen(r.Context(), "message", ev.Channel, ev.TS) {
		c.ignore(w, "message already taken under another event")
		return
	}
	to := target{channel: ev.Channel, threadTS: ev.ThreadTS}
	if to.threadTS == "" {
		to.threadTS = ev.TS
	}
	if refusal := c.refusal(ev.Channel, ev.User); refusal != "" {
		c.refuseOnce(w, r, ev.Channel, ev.User, refusal, to)
		return
	}
	text := cleanText(ev.Text, c.botUserID, ev.Type == "app_mention")
	if text == "" {
		c.ignore(w, "no text besides the mention")
		return
	}
	if !c.startConverse(ev.Channel, ev.User, text, to) {
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	c.ack(w)
}

// refuseOnce answers a message from outside the allow-lists once per
// channel (unlisted channel) or per user in a channel (unlisted user), so
// a bot invited to a busy channel does not answer every message there;
// later messages are dropped silently. None of them reaches the dialog.
func (c *Channel) refuseOnce(w http.ResponseWriter, r *http.Request, channel, user, refusal string, to target) {
	key := []string{"refused", channel}
	if len(c.allowChannels) == 0 || c.allowChannels[channel] {
		key = append(key, user)
	}
	c.cfg.Logger.Info("slack: message from outside the allow-lists", "channel", c.cfg.Name, "slackChannel", channel, "slackUser", user)
	if !c.firstSeen(r.Context(), key...) {
		c.ignore(w, "refused before")
		return
	}
	if !c.start(func(ctx context.Context) {
		if !c.send(ctx, to, render(textReply(refusal))) {
			c.counters.Fail()
		}
	}) {
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	c.ack(w)
}

// serveCommand handles a slash command (channels.md §3.3): the answer
// comes later through response_url, ephemeral, so the HTTP answer is empty.
func (c *Channel) serveCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := c.formsIn.ReadBody(w, r, &c.counters)
	if !ok {
		return
	}
	if reason := verify(c.secret, r.Header, body, c.cfg.Now()); reason != "" {
		// Slack's certificate check may come unsigned (bolt-js exempts
		// it); its empty answer runs nothing and tells nothing.
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("ssl_check") == "1" {
			c.ack(w)
			return
		}
		c.reject(w, http.StatusUnauthorized, reason)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		c.reject(w, http.StatusBadRequest, "malformed form")
		return
	}
	if form.Get("ssl_check") == "1" {
		c.ack(w)
		return
	}
	user, channel, command := form.Get("user_id"), form.Get("channel_id"), form.Get("command")
	if user == "" || channel == "" || command == "" {
		c.reject(w, http.StatusBadRequest, "slash command without user_id, channel_id or command")
		return
	}
	if refusal := c.refusal(channel, user); refusal != "" {
		c.cfg.Logger.Info("slack: slash command from outside the allow-lists", "channel", c.cfg.Name, "slackChannel", channel, "slackUser", user)
		c.ackJSON(w, outMessage{ResponseType: "ephemeral", Text: refusal})
		return
	}
	text := strings.TrimSpace(form.Get("text"))
	if text == "" {
		c.ackJSON(w, outMessage{ResponseType: "ephemeral", Text: "Type " + command + " followed by your request."})
		return
	}
	to := target{responseURL: form.Get("response_url")}
	if to.responseURL == "" {
		to.channel = channel // not sent by Slack today; post in the channel then
	}
	if !c.startConverse(channel, user, text, to) {
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	c.ack(w)
}

// serveInteraction handles interactivity (channels.md §3.4): a
// block_actions click on a value button is the user's next turn.
func (c *Channel) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := c.authentic(w, r, c.formsIn)
	if !ok {
		return
	}
	p, reason := parseInteraction(body)
	if reason != "" {
		c.reject(w, http.StatusBadRequest, reason)
		return
	}
	if p.Type != "block_actions" {
		c.ignore(w, "interaction type "+p.Type)
		return
	}
	a := p.Actions[0]
	if a.Value == "" {
		c.ignore(w, "action without a value (a link button)")
		return
	}
	channel := p.Container.ChannelID
	if channel == "" && p.Channel != nil {
		channel = p.Channel.ID
	}
	if !c.firstSeen(r.Context(), "action", p.User.ID, a.ActionID, a.ActionTS, p.TriggerID) {
		c.ignore(w, "duplicate action")
		return
	}
	if c.refusal(channel, p.User.ID) != "" {
		// Buttons only exist in messages the bot sent to allowed people;
		// a click from anyone else is dropped without an answer.
		c.ignore(w, "click from outside the allow-lists")
		return
	}
	var to target
	switch {
	case channel != "" && !p.Container.IsEphemeral:
		to.channel = channel
		if isTS(p.Container.MessageTS) {
			to.threadTS = p.Container.MessageTS
		}
		if p.Message != nil && isTS(p.Message.ThreadTS) {
			to.threadTS = p.Message.ThreadTS
		}
	case p.ResponseURL != "":
		to.responseURL, to.click = p.ResponseURL, true
	default:
		c.ignore(w, "nowhere to answer")
		return
	}
	if !c.startConverse(channel, p.User.ID, a.Value, to) {
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	c.ack(w)
}

// parseInteraction reads the payload field of an interactivity form; the
// reason is "" when it is usable.
func parseInteraction(body []byte) (*interaction, string) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, "malformed form"
	}
	raw := form.Get("payload")
	if raw == "" {
		return nil, "form without payload"
	}
	var p interaction
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, "payload is not JSON"
	}
	if p.Type == "block_actions" && (len(p.Actions) == 0 || p.User.ID == "") {
		return nil, "block_actions without actions or user"
	}
	return &p, ""
}

// isTS reports whether s is a Slack message timestamp ("1700000000.000100"),
// the only thing Slack takes as a thread_ts.
func isTS(s string) bool {
	sec, frac, ok := strings.Cut(s, ".")
	return ok && sec != "" && frac != "" && strings.Trim(sec+frac, "0123456789") == ""
}

// slackMarkup matches Slack's <…> tokens: mentions, channels, links.
var slackMarkup = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

var entityDecoder = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// cleanText turns a message's mrkdwn into what the user typed, for the
// NLU: the bot's own mention goes (and, for app_mention, the leading
// mention even when the bot's id is not configured), other mentions and
// channels keep their readable name, links keep their label or URL, and
// Slack's three entities are decoded.
func cleanText(s, botUserID string, mention bool) string {
	s = strings.TrimSpace(s)
	if mention && strings.HasPrefix(s, "<@") {
		if end := strings.IndexByte(s, '>'); end > 0 {
			s = s[end+1:]
		}
	}
	s = slackMarkup.ReplaceAllStringFunc(s, func(tok string) string {
		m := slackMarkup.FindStringSubmatch(tok)
		target, label := m[1], m[2]
		switch {
		case strings.HasPrefix(target, "@"):
			if botUserID != "" && target[1:] == botUserID {
				return ""
			}
			return "@" + firstNonEmpty(label, target[1:])
		case strings.HasPrefix(target, "#"):
			return "#" + firstNonEmpty(label, target[1:])
		case strings.HasPrefix(target, "!"):
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + firstNonEmpty(label, name)
		}
		return firstNonEmpty(label, target)
	})
	return strings.Join(strings.Fields(entityDecoder.Replace(s)), " ")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

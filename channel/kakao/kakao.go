package kakao

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

// Type is the connector type in a bot file's channels: entry.
const Type = "kakao"

// platformAttribute names the platform in a turn's request attributes, as
// Lex's own channel integrations do.
const platformAttribute = "x-amz-lex:channels:platform"

// Channel is a Kakao i Open Builder skill endpoint serving one bot alias and
// locale. Build it with New.
type Channel struct {
	cfg          connector.Config
	skillKey     []byte
	header       string
	replyTimeout time.Duration
	inbound      connector.Inbound
	counters     connector.Counters

	// base is the parent of every turn's context; Close cancels it when
	// the turns in flight outlive Close's own context.
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	pending map[string][]*lateAnswer // late answers per user id, oldest first
}

var _ connector.Channel = (*Channel)(nil)

// lateAnswer is the answer of a turn that missed its reply and had no
// callback URL; ready closes once reply is set.
type lateAnswer struct {
	ready chan struct{}
	reply connector.Reply
	at    time.Time // when the holding text went out
}

// New builds a Kakao channel. Settings: skillKey (required; the value Open
// Builder sends in the skill's header), skillKeyHeader (default
// X-Skill-Key) and replyTimeout (a Go duration under 5 s; default 4 s). A
// missing or invalid setting is an ErrValidation error naming it.
func New(cfg connector.Config) (*Channel, error) {
	cfg.Defaults()
	if cfg.Type == "" {
		cfg.Type = Type
	}
	if err := cfg.CheckSettings("skillKey", "skillKeyHeader", "replyTimeout"); err != nil {
		return nil, err
	}
	if cfg.Bot == nil || cfg.Runtime == nil {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (kakao): a bot and a runtime are required", cfg.Name)
	}
	key, err := cfg.Setting("skillKey", true)
	if err != nil {
		return nil, err
	}
	header, _ := cfg.Setting("skillKeyHeader", false)
	if header == "" {
		header = "X-Skill-Key"
	}
	if strings.ContainsAny(header, " \t\r\n:") {
		return nil, parley.Errorf(parley.ErrValidation, "channel %s (kakao): setting \"skillKeyHeader\" is not a header name", cfg.Name)
	}
	timeout := defaultReplyTimeout
	if s, _ := cfg.Setting("replyTimeout", false); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d >= platformDeadline {
			return nil, parley.Errorf(parley.ErrValidation, "channel %s (kakao): setting \"replyTimeout\" must be a duration between 0 and %v, like 4s", cfg.Name, platformDeadline)
		}
		timeout = d
	}
	base, cancel := context.WithCancel(context.Background())
	return &Channel{
		cfg:          cfg,
		skillKey:     []byte(key),
		header:       http.CanonicalHeaderKey(header),
		replyTimeout: timeout,
		inbound:      connector.Inbound{Methods: []string{http.MethodPost}, ContentTypes: []string{"application/json"}, MaxBytes: maxBodyBytes},
		base:         base,
		cancel:       cancel,
		pending:      map[string][]*lateAnswer{},
	}, nil
}

// Stats implements connector.Channel.
func (c *Channel) Stats() connector.Stats { return c.counters.Stats() }

// Close implements connector.Channel: it refuses new requests and waits for
// turns in flight and their callbacks. Late answers still waiting for the
// user's next message are lost.
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

// ServeHTTP implements http.Handler: the skill endpoint at /.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	deadline := received.Add(c.replyTimeout)
	if r.URL.Path != "/" && r.URL.Path != "" {
		c.reject(w, http.StatusNotFound, "unknown path")
		return
	}
	body, ok := c.inbound.ReadBody(w, r, &c.counters)
	if !ok {
		c.cfg.Logger.Debug("kakao: request rejected", "channel", c.cfg.Name, "reason", "method, content type or size")
		return
	}
	if got := r.Header.Get(c.header); got == "" || subtle.ConstantTimeCompare([]byte(got), c.skillKey) != 1 {
		c.reject(w, http.StatusUnauthorized, "missing or wrong skill key header")
		return
	}
	req, err := parsePayload(body)
	if errors.Is(err, errNotSkill) {
		c.cfg.Logger.Debug("kakao: not a skill request; acknowledged and dropped", "channel", c.cfg.Name)
		c.counters.Accept()
		writeJSON(w, &skillResponse{Version: "2.0"})
		return
	}
	if err != nil {
		c.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		c.reject(w, http.StatusServiceUnavailable, "channel closed")
		return
	}
	c.wg.Add(1)
	c.mu.Unlock()
	c.counters.Accept()

	j := &job{done: make(chan struct{})}
	go c.run(j, req, received)

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-j.done:
	case <-timer.C:
	case <-r.Context().Done():
	}
	select {
	case <-j.done: // in time; j.reply is settled once done is closed
		writeJSON(w, c.withPending(req.UserID, j.reply, deadline))
		return
	default:
	}
	// Late, or nearly: the turn may still finish while it is handed over.
	if req.CallbackURL != "" {
		reply, ok := j.finishOrHandOff(func(reply connector.Reply, failed bool) { c.callback(req, reply, failed, received) })
		if ok {
			writeJSON(w, c.withPending(req.UserID, reply, deadline))
		} else {
			writeJSON(w, &skillResponse{Version: "2.0", UseCallback: true, Data: map[string]string{"text": c.holdingText(true)}})
		}
		return
	}
	la := &lateAnswer{ready: make(chan struct{}), at: c.cfg.Now()}
	reply, ok := j.finishOrHandOff(func(reply connector.Reply, _ bool) {
		la.reply = reply
		close(la.ready)
	})
	if ok {
		writeJSON(w, c.withPending(req.UserID, reply, deadline))
		return
	}
	writeJSON(w, c.withPending(req.UserID, connector.Reply{Parts: []connector.Part{{Text: c.holdingText(false)}}}, deadline))
	c.enqueue(req.UserID, la)
}

// reject refuses a request and logs why at debug.
func (c *Channel) reject(w http.ResponseWriter, status int, reason string) {
	c.cfg.Logger.Debug("kakao: request rejected", "channel", c.cfg.Name, "status", status, "reason", reason)
	connector.Reject(w, &c.counters, status)
}

// job hands a turn's reply from the goroutine that runs it to the request
// that waits for it, or, once the request stopped waiting, to whoever
// delivers late answers.
type job struct {
	mu    sync.Mutex
	done  chan struct{} // closed when reply is set for the request
	reply connector.Reply
	late  func(connector.Reply, bool)
}

// finish gives the turn's reply to the waiting request, or to late when
// the request has given up.
func (j *job) finish(reply connector.Reply, failed bool) {
	j.mu.Lock()
	late := j.late
	if late == nil {
		j.reply = reply
		close(j.done)
	}
	j.mu.Unlock()
	if late != nil {
		late(reply, failed)
	}
}

// finishOrHandOff returns the reply when the turn is done; otherwise it
// hands the turn over to late and returns false.
func (j *job) finishOrHandOff(late func(connector.Reply, bool)) (connector.Reply, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	select {
	case <-j.done:
		return j.reply, true
	default:
		j.late = late
		return connector.Reply{}, false
	}
}

// run runs one turn and hands its reply over; a failed turn's reply is
// the polite text of connector.UserReply.
func (c *Channel) run(j *job, req *skillRequest, received time.Time) {
	defer c.wg.Done()
	ctx, cancel := context.WithDeadline(c.base, received.Add(turnBudget))
	defer cancel()
	res, err := c.cfg.Runtime.RecognizeText(ctx, c.turnRequest(ctx, req))
	if err != nil {
		c.counters.Fail()
		c.cfg.Logger.Warn("kakao: turn failed", "channel", c.cfg.Name, "err", err)
		j.finish(connector.Reply{Parts: []connector.Part{{Text: connector.UserReply(c.cfg.LocaleID, err)}}}, true)
		return
	}
	j.finish(connector.Plan(Type, res.Messages), false)
}

// callback posts the reply of a turn that missed the request's deadline to
// the request's callback URL. It runs on the turn's goroutine, so Close
// waits for it.
func (c *Channel) callback(req *skillRequest, reply connector.Reply, failed bool, received time.Time) {
	ctx, cancel := context.WithDeadline(c.base, received.Add(callbackWindow))
	defer cancel()
	// Late answers of earlier requests ride along, first: the callback
	// reaches the user now, the next message may be much later. An earlier
	// turn ends within its budget, which ends before this one's, so waiting
	// that long keeps the order and still meets the callback window.
	resp := c.withPending(req.UserID, reply, received.Add(turnBudget))
	var ans struct {
		TaskID  string `json:"taskId"`
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	// One PostJSON per turn: its retries cover 429, 5xx and transport
	// errors, where Kakao did not take the answer; a FAIL is never retried
	// because the URL is single-use.
	err := c.cfg.PostJSON(ctx, req.CallbackURL, resp, nil, &ans)
	if err == nil && ans.Status != "" && ans.Status != "SUCCESS" {
		err = errors.New("kakao: callback answered " + ans.Status + ": " + ans.Message)
	}
	if err != nil {
		if !failed {
			c.counters.Fail()
		}
		c.cfg.Logger.Warn("kakao: callback failed", "channel", c.cfg.Name, "err", err)
	}
}

// turnRequest builds the turn: the button value or utterance as text, and,
// when the block's name is one of the locale's intents, the block's
// entities that name its slots as that intent's slots (merged over the
// slots the session already holds for it), so an entity Open Builder
// filled fills the Parley slot.
func (c *Channel) turnRequest(ctx context.Context, req *skillRequest) *parley.TurnRequest {
	key := parley.SessionKey{BotID: c.cfg.Bot.ID, AliasID: c.cfg.AliasID, LocaleID: c.cfg.LocaleID, SessionID: connector.SessionID(Type, req.UserID)}
	tr := &parley.TurnRequest{Key: key, Text: req.Text, RequestAttributes: map[string]string{platformAttribute: "Kakao"}}
	loc := c.cfg.Bot.Locale(c.cfg.LocaleID)
	if loc == nil || len(req.Params) == 0 {
		return tr
	}
	def := loc.Intent(req.IntentName)
	if def == nil {
		return tr
	}
	slots := map[string]*parley.SlotValue{}
	for name, p := range req.Params {
		if def.Slot(name) != nil {
			slots[name] = parley.ScalarSlot(p.Origin, p.Value, p.Value)
		}
	}
	if len(slots) == 0 {
		return tr
	}
	in := &parley.SessionIntent{Name: def.Name, Slots: slots}
	st := &parley.SessionState{Intent: in}
	// Merging an intent replaces the stored one, so keep what the session
	// already has for this intent and the question it is waiting on.
	if s, err := c.cfg.Runtime.GetSession(ctx, key); err == nil && s != nil {
		if cur := s.State.Intent; cur != nil && cur.Name == def.Name && cur.State != parley.IntentFulfilled && cur.State != parley.IntentFailed {
			for name, v := range cur.Slots {
				if _, ok := slots[name]; !ok && v != nil {
					slots[name] = v
				}
			}
			in.State, in.ConfirmationState = cur.State, cur.ConfirmationState
			st.DialogAction = s.State.DialogAction
		}
	}
	tr.SessionState = st
	return tr
}

// enqueue keeps a late answer, ready or not, for the user's next reply.
func (c *Channel) enqueue(user string, la *lateAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.pending[user]; !ok && len(c.pending) >= maxPendingUsers {
		c.dropStale(c.cfg.Now())
		if len(c.pending) >= maxPendingUsers {
			c.cfg.Logger.Warn("kakao: too many users with late answers; one dropped", "channel", c.cfg.Name)
			return
		}
	}
	q := append(c.pending[user], la)
	if len(q) > maxPendingPerUser {
		q = q[len(q)-maxPendingPerUser:]
	}
	c.pending[user] = q
}

// dropStale forgets late answers queued more than pendingTTL ago; c.mu is
// held.
func (c *Channel) dropStale(now time.Time) {
	for user, q := range c.pending {
		for len(q) > 0 && now.Sub(q[0].at) > pendingTTL {
			q = q[1:]
		}
		if len(q) == 0 {
			delete(c.pending, user)
		} else {
			c.pending[user] = q
		}
	}
}

// withPending renders reply with the user's late answers before it, in
// order. A late answer still being computed is waited for until deadline;
// if it is not ready by then, it and those after it wait for a later reply.
func (c *Channel) withPending(user string, reply connector.Reply, deadline time.Time) *skillResponse {
	c.mu.Lock()
	q := append([]*lateAnswer(nil), c.pending[user]...)
	c.mu.Unlock()
	if len(q) == 0 {
		return render(reply, c.cfg.Logger)
	}
	wait := time.NewTimer(time.Until(deadline))
	defer wait.Stop()
	var taken []*lateAnswer
	var parts []connector.Part
	now := c.cfg.Now()
collect:
	for _, la := range q {
		select {
		case <-la.ready:
		default:
			select {
			case <-la.ready:
			case <-wait.C:
				break collect
			}
		}
		taken = append(taken, la)
		if now.Sub(la.at) <= pendingTTL {
			parts = append(parts, la.reply.Parts...)
		}
	}
	if len(taken) > 0 {
		c.mu.Lock()
		rest := slices.DeleteFunc(c.pending[user], func(la *lateAnswer) bool { return slices.Contains(taken, la) })
		if len(rest) == 0 {
			delete(c.pending, user)
		} else {
			c.pending[user] = rest
		}
		c.mu.Unlock()
	}
	return render(connector.Reply{Parts: append(parts, reply.Parts...), QuickReplies: reply.QuickReplies}, c.cfg.Logger)
}

// holdingText is what the user sees while the turn goes on: the callback's
// waiting bubble, or a text that asks for another message.
func (c *Channel) holdingText(callback bool) string {
	loc := c.cfg.LocaleID
	switch {
	case strings.HasPrefix(loc, "ko") && callback:
		return "답변을 준비하고 있어요. 잠시만 기다려 주세요."
	case strings.HasPrefix(loc, "ko"):
		return "답변을 준비하는 데 시간이 조금 걸리고 있어요. 잠시 후 아무 메시지나 보내 주시면 이어서 알려 드릴게요."
	case strings.HasPrefix(loc, "zh") && callback:
		return "正在准备回答，请稍候。"
	case strings.HasPrefix(loc, "zh"):
		return "回答还需要一点时间。请稍后发送任意消息，我会接着告诉您。"
	case callback:
		return "Working on it; one moment please."
	}
	return "This is taking a little longer. Send me any message in a moment and I'll give you the answer."
}

// writeJSON answers 200 with a SkillResponse.
func writeJSON(w http.ResponseWriter, resp *skillResponse) {
	body, err := json.Marshal(resp)
	if err != nil {
		// Only a malformed native payload can fail; say nothing rather
		// than something Kakao would reject.
		body = []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"` + emptyTurnText + `"}}]}}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

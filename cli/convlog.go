package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/convlog"
	"github.com/parleybot/parley/engine"
)

// parseRetention reads a conversationLogRetention: a number of days such
// as "30d", or a Go duration such as "72h"; "" keeps records forever.
func parseRetention(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("conversationLogRetention %q: want a positive number of days, e.g. 30d, or a duration, e.g. 72h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("conversationLogRetention %q: want a positive number of days, e.g. 30d, or a duration, e.g. 72h", s)
	}
	return d, nil
}

// openConversationLog opens the sink Config.ConversationLog names, nil
// when it names none, and exports its lost-record count on /metrics.
func (s *Server) openConversationLog() (*convlog.Sink, error) {
	if s.cfg.ConversationLog == "" {
		return nil, nil
	}
	retention, err := parseRetention(s.cfg.ConversationLogRetention)
	if err != nil {
		return nil, err
	}
	sink, err := convlog.NewSink(s.cfg.ConversationLog, convlog.SinkOptions{Retention: retention, Logger: s.log})
	if err != nil {
		return nil, err
	}
	s.log.Info("conversation log", "dir", s.cfg.ConversationLog, "retention", retention.String())
	// Registered once per server: a second Open on the same Server (which
	// nothing does) would panic here rather than count twice.
	s.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "parley_conversation_log_dropped_total",
		Help: "Conversation log records lost: the writer's queue was full or the disk failed.",
	}, func() float64 { return float64(sink.Dropped()) }))
	return sink, nil
}

// closeConversationLog writes the queued records and says how many were
// lost, if any.
func (s *Server) closeConversationLog() error {
	if s.convlog == nil {
		return nil
	}
	err := s.convlog.Close()
	if n := s.convlog.Dropped(); n > 0 {
		s.log.Warn("conversation log: records were lost", "dropped", n, "dir", s.convlog.Dir())
	}
	return err
}

// observer is what the engine reports turns to: the metrics, and the
// conversation log when one is open.
func (s *Server) observer(bots []*parley.Bot) engine.Observer {
	if s.convlog == nil {
		return s.metrics
	}
	return fanOut{s.metrics, newTurnLogger(s.convlog, bots)}
}

// fanOut tells each of its observers about every turn, in order.
type fanOut []engine.Observer

var _ engine.Observer = fanOut(nil)

func (f fanOut) ObserveTurn(o engine.TurnObservation) {
	for _, obs := range f {
		obs.ObserveTurn(o)
	}
}

// turnLogger is the engine.Observer that writes each turn to the
// conversation log.
type turnLogger struct {
	sink *convlog.Sink
	// locales holds, by bot id and locale id, what tells a missed
	// utterance: the confidence threshold and the fallback intent's name.
	locales map[[2]string]localeMiss
}

type localeMiss struct {
	threshold float64
	fallback  string
	// obfuscates is set when an intent of the locale has an obfuscated
	// slot: the input of a failed turn is then not logged, since no
	// result says which part of it was the slot's value.
	obfuscates bool
}

var _ engine.Observer = (*turnLogger)(nil)

func newTurnLogger(sink *convlog.Sink, bots []*parley.Bot) *turnLogger {
	l := &turnLogger{sink: sink, locales: map[[2]string]localeMiss{}}
	for _, b := range bots {
		for _, loc := range b.Locales {
			m := localeMiss{threshold: loc.NLUConfidenceThreshold, fallback: parley.FallbackIntentName}
			if m.threshold == 0 {
				m.threshold = parley.DefaultConfidenceThreshold
			}
			for _, in := range loc.Intents {
				if in.IsFallback() {
					m.fallback = in.Name
				}
				for _, sl := range in.Slots {
					m.obfuscates = m.obfuscates || sl.Obfuscate
				}
			}
			l.locales[[2]string{b.ID, loc.ID}] = m
		}
	}
	return l
}

// ObserveTurn writes the turn's record; a full queue drops it (counted by
// the sink) rather than hold the turn.
func (l *turnLogger) ObserveTurn(o engine.TurnObservation) {
	r := turnRecord(o, l.locales[[2]string{o.Key.BotID, o.Key.LocaleID}])
	l.sink.Write(&r)
}

// redactedInput stands for the text of a failed turn in a locale with
// obfuscated slots.
const redactedInput = "{redacted}"

// maxInterpretations is how many NLU hypotheses a record keeps, as many
// as Lex returns.
const maxInterpretations = 5

// turnRecord builds the log record of one observed turn. The observation
// already has the obfuscated slot values masked.
func turnRecord(o engine.TurnObservation, miss localeMiss) convlog.Record {
	r := convlog.Record{
		Timestamp:     o.Start.UTC(),
		OperationName: convlog.OpRecognizeText,
		Bot:           convlog.Bot{ID: o.Key.BotID, AliasID: o.Key.AliasID, LocaleID: o.Key.LocaleID, Version: o.BotVersion},
		SessionID:     o.Key.SessionID, InputTranscript: o.Input, Confidence: o.Confidence,
		Latency: convlog.Latency{TotalMs: convlog.Millis(o.Total), NLUMs: convlog.Millis(o.NLU), HooksMs: convlog.Millis(o.Hooks),
			LLMMs: convlog.Millis(o.LLM), StoreMs: convlog.Millis(o.Store)},
		HookErrors: o.HookErrors, LLMErrors: o.LLMErrors,
	}
	// RecognizeText always has text (1 to 1024 characters); PutSession none.
	if o.Input == "" {
		r.OperationName = convlog.OpPutSession
	}
	if o.Err != nil {
		msg := o.Err.Error()
		var pe *parley.Error
		if errors.As(o.Err, &pe) {
			msg = pe.Message
		}
		r.Error = &convlog.Error{Code: string(o.Code), Message: msg}
	}
	res := o.Result
	if res == nil {
		if miss.obfuscates && r.InputTranscript != "" {
			r.InputTranscript = redactedInput
		}
		return r
	}
	r.RequestID = res.SessionState.OriginatingRequestID
	for _, in := range res.Interpretations[:min(len(res.Interpretations), maxInterpretations)] {
		it := convlog.Interpretation{Intent: in.Intent.Name}
		if in.NLUConfidence != nil {
			score := in.NLUConfidence.Score
			it.Score = &score
		}
		r.Interpretations = append(r.Interpretations, it)
	}
	if in := res.SessionState.Intent; in != nil {
		r.Intent, r.IntentState = in.Name, string(in.State)
		for name, v := range in.Slots {
			if v != nil {
				if r.Slots == nil {
					r.Slots = map[string]*parley.SlotValue{}
				}
				r.Slots[name] = v
			}
		}
	}
	if da := res.SessionState.DialogAction; da != nil {
		r.DialogAction = string(da.Type)
	}
	r.Messages = res.Messages
	r.MissedUtterance = r.OperationName == convlog.OpRecognizeText && r.Intent != "" &&
		(r.Intent == miss.fallback || (o.Confidence != nil && *o.Confidence < miss.threshold))
	return r
}

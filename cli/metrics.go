package cli

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/parleybot/parley/engine"
)

// metrics is the server's Prometheus side: the engine reports each turn to
// it as an engine.Observer, and the channels' counters are read when
// scraped. Each server has its own registry, so that several servers in
// one process (the tests) do not collide.
type metrics struct {
	reg        *prometheus.Registry
	turns      *prometheus.CounterVec
	stages     *prometheus.HistogramVec
	hookErrors *prometheus.CounterVec
	llmErrors  *prometheus.CounterVec
	confidence *prometheus.HistogramVec
}

var _ engine.Observer = (*metrics)(nil)

// newMetrics registers the turn metrics, the channel counters that chans
// returns at scrape time, and the Go runtime and process collectors.
// Labels name bots, locales, stages and channels only: never sessions or
// users, whose numbers are unbounded.
func newMetrics(chans func() []*mountedChannel) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_turns_total",
			Help: "Turns (RecognizeText and PutSession) by outcome: ok or the error code.",
		}, []string{"bot", "locale", "outcome"}),
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_turn_duration_seconds",
			Help:    "Time a turn spent in each stage (nlu, hooks, llm, store) and in all (total).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"bot", "stage"}),
		hookErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_hook_errors_total",
			Help: "Code hook calls that failed, timed out or answered a rejected response.",
		}, []string{"bot"}),
		llmErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_llm_errors_total",
			Help: "Language model calls that failed or timed out.",
		}, []string{"bot"}),
		confidence: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_nlu_confidence",
			Help:    "NLU confidence of the intent each answered turn chose (FallbackIntent has none).",
			Buckets: prometheus.LinearBuckets(0.1, 0.1, 10),
		}, []string{"bot", "locale"}),
	}
	m.reg.MustRegister(m.turns, m.stages, m.hookErrors, m.llmErrors, m.confidence,
		newChannelCollector(chans),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveTurn records one turn.
func (m *metrics) ObserveTurn(o engine.TurnObservation) {
	bot := o.Key.BotID
	outcome := "ok"
	if o.Code != "" {
		outcome = string(o.Code)
	}
	m.turns.WithLabelValues(bot, o.Key.LocaleID, outcome).Inc()
	for _, s := range []struct {
		stage string
		secs  float64
	}{
		{"total", o.Total.Seconds()},
		{"nlu", o.NLU.Seconds()},
		{"hooks", o.Hooks.Seconds()},
		{"llm", o.LLM.Seconds()},
		{"store", o.Store.Seconds()},
	} {
		// A stage the turn never reached would only pile zeros into the
		// lowest bucket; total is always recorded.
		if s.secs > 0 || s.stage == "total" {
			m.stages.WithLabelValues(bot, s.stage).Observe(s.secs)
		}
	}
	if o.HookErrors > 0 {
		m.hookErrors.WithLabelValues(bot).Add(float64(o.HookErrors))
	}
	if o.LLMErrors > 0 {
		m.llmErrors.WithLabelValues(bot).Add(float64(o.LLMErrors))
	}
	if o.Confidence != nil {
		m.confidence.WithLabelValues(bot, o.Key.LocaleID).Observe(*o.Confidence)
	}
}

// handler serves the text exposition of the registry.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// channelCollector exports the channels' own counters (connector.Stats)
// when scraped, so the channels need not know Prometheus.
type channelCollector struct {
	chans func() []*mountedChannel
	desc  *prometheus.Desc
}

func newChannelCollector(chans func() []*mountedChannel) channelCollector {
	return channelCollector{chans: chans, desc: prometheus.NewDesc("parley_channel_requests_total",
		"Messaging channel webhook requests: accepted, rejected (bad signature or payload) or failed.",
		[]string{"bot", "channel", "result"}, nil)}
}

func (c channelCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c channelCollector) Collect(ch chan<- prometheus.Metric) {
	for _, mc := range c.chans() {
		st := mc.ch.Stats()
		for _, r := range []struct {
			result string
			n      int64
		}{{"accepted", st.Accepted}, {"rejected", st.Rejected}, {"failed", st.Failed}} {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(r.n),
				mc.botID, mc.b.Name, r.result)
		}
	}
}

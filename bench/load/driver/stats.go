package driver

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Interval is what happened in one reporting interval: turns started in it
// (Sent) and turns that ended in it (OK, Errors and the latencies).
type Interval struct {
	StartS     float64        `json:"startS"` // seconds since the run began
	EndS       float64        `json:"endS"`
	Sent       int            `json:"sent"`
	OK         int            `json:"ok"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"errorKinds,omitempty"`
	Throughput float64        `json:"throughput"` // answered turns per second
	P50Ms      float64        `json:"p50Ms"`
	P99Ms      float64        `json:"p99Ms"`
	MaxMs      float64        `json:"maxMs"`
	InFlight   int            `json:"inFlight"` // unanswered turns at its end
	Memory     Memory         `json:"memory"`
	// End is EndS as a duration, for computing memory windows.
	End time.Duration `json:"-"`
}

// String is the interval's progress line.
func (iv Interval) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "t=%5.1fs sent=%d ok=%d err=%d thr=%.1f/s p50=%s p99=%s max=%s inflight=%d %s",
		iv.EndS, iv.Sent, iv.OK, iv.Errors, iv.Throughput, ms(iv.P50Ms), ms(iv.P99Ms), ms(iv.MaxMs), iv.InFlight, iv.Memory)
	writeKinds(&b, iv.ErrorKinds)
	return b.String()
}

// Summary is the whole run.
type Summary struct {
	Sent        int            `json:"sent"`
	OK          int            `json:"ok"`
	Errors      int            `json:"errors"`
	ErrorKinds  map[string]int `json:"errorKinds,omitempty"`
	ElapsedS    float64        `json:"elapsedS"`
	OfferedRate float64        `json:"offeredRate"` // turns started per second of the schedule
	Throughput  float64        `json:"throughput"`  // answered turns per second of the schedule
	P50Ms       float64        `json:"p50Ms"`
	P90Ms       float64        `json:"p90Ms"`
	P99Ms       float64        `json:"p99Ms"`
	P999Ms      float64        `json:"p999Ms"`
	MaxMs       float64        `json:"maxMs"`
	// The server's resident memory (VmRSS, else /metrics'
	// process_resident_memory_bytes) and Go heap in use: the median of the
	// samples of the first and of the last minute.
	RSSFirstMinute  uint64 `json:"rssFirstMinute"`
	RSSLastMinute   uint64 `json:"rssLastMinute"`
	HeapFirstMinute uint64 `json:"heapFirstMinute"`
	HeapLastMinute  uint64 `json:"heapLastMinute"`
	// MemoryFlat says the last minute's RSS is within FlatTolerance of the
	// first minute's; false also when there were no memory samples.
	MemoryFlat bool `json:"memoryFlat"`
}

// FlatTolerance is how much the last minute's median RSS may exceed the first
// minute's for memory to count as flat: allocator and GC noise stays well
// inside it, a per-turn or per-session leak over minutes does not.
const FlatTolerance = 0.10

// Report is a run's configuration, intervals and summary, as -json writes it.
type Report struct {
	URL         string     `json:"url"`
	Mode        Mode       `json:"mode"`
	Rate        float64    `json:"rate"`
	DurationS   float64    `json:"durationS"`
	Sessions    int        `json:"sessions"`
	Bot         string     `json:"bot"`
	Locale      string     `json:"locale"`
	MaxInFlight int        `json:"maxInFlight"`
	Started     time.Time  `json:"started"`
	Intervals   []Interval `json:"intervals"`
	Summary     Summary    `json:"summary"`
}

// WriteText writes the summary as the lines a person reads after a run.
func (r *Report) WriteText(w io.Writer) error {
	s := r.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "summary: mode=%s rate=%g/s duration=%gs sessions=%d bot=%s/%s\n", r.Mode, r.Rate, r.DurationS, r.Sessions, r.Bot, r.Locale)
	fmt.Fprintf(&b, "  turns: sent=%d ok=%d errors=%d", s.Sent, s.OK, s.Errors)
	writeKinds(&b, s.ErrorKinds)
	fmt.Fprintf(&b, "\n  throughput: %.1f ok/s (offered %.1f/s) over %.1fs\n", s.Throughput, s.OfferedRate, s.ElapsedS)
	fmt.Fprintf(&b, "  latency from schedule: p50=%s p90=%s p99=%s p99.9=%s max=%s\n", ms(s.P50Ms), ms(s.P90Ms), ms(s.P99Ms), ms(s.P999Ms), ms(s.MaxMs))
	verdict := "flat"
	if !s.MemoryFlat {
		verdict = "NOT flat"
	}
	fmt.Fprintf(&b, "  memory: RSS first minute %s, last minute %s (%s); Go heap in use %s -> %s; %s (tolerance %.0f%%)\n",
		mib(s.RSSFirstMinute), mib(s.RSSLastMinute), growth(s.RSSFirstMinute, s.RSSLastMinute),
		mib(s.HeapFirstMinute), mib(s.HeapLastMinute), verdict, FlatTolerance*100)
	_, err := io.WriteString(w, b.String())
	return err
}

// Quantile returns the q-quantile (0..1) of sorted by the nearest-rank
// method, 0 for no samples.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// accumulator collects outcomes: the open interval's, and every latency of
// the run for the overall percentiles.
type accumulator struct {
	mu       sync.Mutex
	cur      Interval
	curLat   []time.Duration
	from     time.Duration
	all      []time.Duration
	sentN    int
	okN      int
	errKinds map[string]int
}

func newAccumulator() *accumulator {
	return &accumulator{errKinds: map[string]int{}}
}

func (a *accumulator) sent() {
	a.mu.Lock()
	a.cur.Sent++
	a.sentN++
	a.mu.Unlock()
}

func (a *accumulator) done(res Result) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if res.Outcome != OutcomeOK {
		a.cur.Errors++
		if a.cur.ErrorKinds == nil {
			a.cur.ErrorKinds = map[string]int{}
		}
		a.cur.ErrorKinds[res.Outcome]++
		a.errKinds[res.Outcome]++
		return
	}
	a.cur.OK++
	a.okN++
	a.curLat = append(a.curLat, res.Latency)
	a.all = append(a.all, res.Latency)
}

// take closes the open interval at now (since the start) and reports
// whether anything happened in it.
func (a *accumulator) take(now time.Duration) (Interval, bool) {
	a.mu.Lock()
	iv, lat := a.cur, a.curLat
	iv.StartS, iv.EndS, iv.End = a.from.Seconds(), now.Seconds(), now
	a.cur, a.curLat, a.from = Interval{}, nil, now
	a.mu.Unlock()
	slices.Sort(lat)
	if secs := iv.EndS - iv.StartS; secs > 0 {
		iv.Throughput = float64(iv.OK) / secs
	}
	iv.P50Ms, iv.P99Ms = toMs(Quantile(lat, 0.50)), toMs(Quantile(lat, 0.99))
	if len(lat) > 0 {
		iv.MaxMs = toMs(lat[len(lat)-1])
	}
	return iv, iv.Sent+iv.OK+iv.Errors > 0
}

func (a *accumulator) report(cfg Config, start time.Time, elapsed time.Duration, ivs []Interval, mem []Memory) *Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	slices.Sort(a.all)
	sched := cfg.Duration.Seconds()
	s := Summary{
		Sent: a.sentN, OK: a.okN, Errors: a.sentN - a.okN, ElapsedS: elapsed.Seconds(),
		OfferedRate: float64(a.sentN) / sched, Throughput: float64(a.okN) / sched,
		P50Ms: toMs(Quantile(a.all, 0.50)), P90Ms: toMs(Quantile(a.all, 0.90)),
		P99Ms: toMs(Quantile(a.all, 0.99)), P999Ms: toMs(Quantile(a.all, 0.999)),
	}
	if len(a.errKinds) > 0 {
		s.ErrorKinds = maps.Clone(a.errKinds)
	}
	if len(a.all) > 0 {
		s.MaxMs = toMs(a.all[len(a.all)-1])
	}
	s.RSSFirstMinute, s.RSSLastMinute, s.HeapFirstMinute, s.HeapLastMinute = memoryWindows(mem, elapsed)
	s.MemoryFlat = s.RSSFirstMinute > 0 && float64(s.RSSLastMinute) <= float64(s.RSSFirstMinute)*(1+FlatTolerance)
	return &Report{
		URL: cfg.URL, Mode: cfg.Mode, Rate: cfg.Rate, DurationS: sched, Sessions: cfg.Sessions,
		Bot: cfg.Bot, Locale: cfg.Locale, MaxInFlight: cfg.MaxInFlight, Started: start,
		Intervals: ivs, Summary: s,
	}
}

// memoryWindows takes the median of the samples in the first and in the
// last minute of a run that lasted elapsed. The median, not the mean, so
// that a burst of queued turns (their goroutines and buffers, freed once
// answered) does not read as growth: a leak lifts the whole window.
func memoryWindows(mem []Memory, elapsed time.Duration) (rssFirst, rssLast, heapFirst, heapLast uint64) {
	median := func(keep func(Memory) bool, get func(Memory) uint64) uint64 {
		var vals []uint64
		for _, m := range mem {
			if v := get(m); v > 0 && keep(m) {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			return 0
		}
		slices.Sort(vals)
		return vals[(len(vals)-1)/2]
	}
	first := func(m Memory) bool { return m.At <= time.Minute }
	last := func(m Memory) bool { return m.At >= elapsed-time.Minute }
	return median(first, Memory.RSS), median(last, Memory.RSS), median(first, heapOf), median(last, heapOf)
}

func heapOf(m Memory) uint64 { return m.HeapInuse }

func writeKinds(b *strings.Builder, kinds map[string]int) {
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		fmt.Fprintf(b, " [%s]=%d", k, kinds[k])
	}
}

func toMs(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2fms", v)
	}
	return fmt.Sprintf("%.0fms", v)
}

func mib(v uint64) string {
	if v == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1fMiB", float64(v)/(1<<20))
}

func growth(from, to uint64) string {
	if from == 0 || to == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f%%", (float64(to)/float64(from)-1)*100)
}

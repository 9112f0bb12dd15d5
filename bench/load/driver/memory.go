package driver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Memory is one sample of the server's memory. A figure that could not be
// read is 0 and Err says why.
type Memory struct {
	At         time.Duration `json:"-"`
	AtS        float64       `json:"atS"`
	VmRSS      uint64        `json:"vmRSS,omitempty"`      // bytes, /proc/PID/status
	ProcessRSS uint64        `json:"processRSS,omitempty"` // bytes, process_resident_memory_bytes
	HeapInuse  uint64        `json:"heapInuse,omitempty"`  // bytes, go_memstats_heap_inuse_bytes
	Goroutines int           `json:"goroutines,omitempty"` // go_goroutines
	Err        string        `json:"err,omitempty"`
}

// RSS is the resident set: VmRSS where the process could be read, else what
// the server's /metrics says.
func (m Memory) RSS() uint64 {
	if m.VmRSS > 0 {
		return m.VmRSS
	}
	return m.ProcessRSS
}

// String is the sample as the progress line shows it.
func (m Memory) String() string {
	s := fmt.Sprintf("rss=%s heap=%s goroutines=%d", mib(m.RSS()), mib(m.HeapInuse), m.Goroutines)
	if m.Err != "" {
		s += " (" + m.Err + ")"
	}
	return s
}

// Metric names read from the server's Prometheus /metrics.
const (
	metricRSS        = "process_resident_memory_bytes"
	metricHeapInuse  = "go_memstats_heap_inuse_bytes"
	metricGoroutines = "go_goroutines"
)

func sampleMemory(cfg Config, at time.Duration) Memory {
	m := Memory{At: at, AtS: at.Seconds()}
	var problems []string
	if cfg.PID > 0 {
		f, err := os.Open(fmt.Sprintf("/proc/%d/status", cfg.PID))
		if err == nil {
			m.VmRSS, err = ParseProcStatus(f)
			f.Close()
		}
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	if !cfg.NoMetrics {
		vals, err := scrape(cfg)
		if err != nil {
			problems = append(problems, err.Error())
		}
		m.ProcessRSS = uint64(vals[metricRSS])
		m.HeapInuse = uint64(vals[metricHeapInuse])
		m.Goroutines = int(vals[metricGoroutines])
	}
	m.Err = strings.Join(problems, "; ")
	return m
}

func scrape(cfg Config) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.URL+"/metrics", nil)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	resp, err := cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("metrics: status %d", resp.StatusCode)
	}
	return ParseMetrics(resp.Body, metricRSS, metricHeapInuse, metricGoroutines)
}

// ParseMetrics reads the Prometheus text exposition format and returns the
// values of the named unlabelled series that it holds. Comments, labelled
// series and other names are skipped; a named series whose value does not
// parse is an error.
func ParseMetrics(r io.Reader, names ...string) (map[string]float64, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	vals := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 || !want[fields[0]] {
			continue
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return vals, fmt.Errorf("metrics: %s: %w", fields[0], err)
		}
		vals[fields[0]] = v
	}
	if err := sc.Err(); err != nil {
		return vals, fmt.Errorf("metrics: %w", err)
	}
	return vals, nil
}

// ParseProcStatus returns VmRSS in bytes from a /proc/PID/status file.
func ParseProcStatus(r io.Reader) (uint64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("proc status: VmRSS %q: want N kB", strings.TrimSpace(rest))
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil || kb > 1<<40 {
			return 0, fmt.Errorf("proc status: VmRSS %q: want N kB", strings.TrimSpace(rest))
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("proc status: %w", err)
	}
	return 0, errors.New("proc status: no VmRSS line")
}

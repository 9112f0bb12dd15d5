// Command loadgen measures RecognizeText over HTTP: it sends a bounded number
// of turns from a few concurrent clients to one Parley server on loopback and
// prints throughput and latency percentiles. It speaks the Lex wire format
// with plain net/http, so it measures the server, not a client SDK.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "server base URL")
	bot := flag.String("bot", "CLINCBOT01", "bot id")
	locale := flag.String("locale", "en_US", "locale id")
	data := flag.String("data", "../shared/nlu/clinc150/data_full.json", "CLINC150 data_full.json; utterances come from its validation split")
	turns := flag.Int("n", 20000, "turns to send in all")
	clients := flag.Int("c", 8, "concurrent clients")
	sessions := flag.Int("sessions", 50, "sessions per client (turns rotate over them)")
	warmup := flag.Int("warmup", 500, "turns sent first and not measured")
	flag.Parse()
	texts, err := utterances(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	l := &load{base: fmt.Sprintf("%s/bots/%s/botAliases/TSTALIASID/botLocales/%s/sessions/", *url, *bot, *locale), texts: texts,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}, Timeout: 10 * time.Second}}
	if _, err := l.run(*warmup, *clients, *sessions, "warm"); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	start := time.Now()
	lat, err := l.run(*turns, *clients, *sessions, "run")
	elapsed := time.Since(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("turns=%d clients=%d elapsed=%s turns/s=%.0f p50=%s p90=%s p99=%s max=%s\n",
		len(lat), *clients, elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
		pct(0.50), pct(0.90), pct(0.99), lat[len(lat)-1])
}

type load struct {
	base   string
	texts  []string
	client *http.Client
}

// run sends n turns from c clients and returns each turn's latency.
func (l *load) run(n, c, sessions int, tag string) ([]time.Duration, error) {
	var (
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, n)
		firstErr error
		wg       sync.WaitGroup
	)
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += c {
				session := fmt.Sprintf("%s-%d-%d", tag, w, (i/c)%sessions)
				body, _ := json.Marshal(map[string]string{"text": l.texts[i%len(l.texts)]})
				t0 := time.Now()
				resp, err := l.client.Post(l.base+session+"/text", "application/json", bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %s", resp.Status)
					}
				}
				d := time.Since(t0)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	return lat, firstErr
}

func utterances(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var splits map[string][][2]string
	if err := json.Unmarshal(raw, &splits); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var texts []string
	for _, ex := range splits["val"] {
		texts = append(texts, ex[0])
	}
	for _, ex := range splits["oos_val"] {
		texts = append(texts, ex[0])
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: no validation utterances", path)
	}
	return texts, nil
}

// Command load drives a running Parley server at a fixed rate for a fixed
// time (open loop: see bench/load/driver) through Lex RecognizeText, the web
// chat's /chat or both, and prints a line per interval (throughput, p50/p99,
// the server's memory) and a summary; -json also writes them as JSON. It
// exits 3 when any turn failed, so a script can probe for the highest rate
// without errors. bench/load.sh starts a server and runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/parleybot/parley/bench/load/driver"
)

// conversation returns an example bot's main conversation (its tests'
// turns), so each session walks a real dialog: intent, slots,
// confirmation, fulfilment.
func conversation(bot string) []string {
	switch bot {
	case "HELLOBOT01":
		return []string{"안녕", "홍길동", "네"}
	case "PIZZABOT01":
		return []string{"I want to order a pizza", "large", "thin", "pepperoni", "yes"}
	}
	return nil
}

func main() {
	os.Exit(run())
}

func run() int {
	var cfg driver.Config
	mode := flag.String("mode", "lex", "lex (RecognizeText), chat (POST /chat) or mixed (half the sessions each)")
	turns := flag.String("turns", "", "the conversation, turns separated by |; default: the -bot example's")
	jsonOut := flag.String("json", "", "also write the report as JSON to this file")
	flag.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "server base URL")
	flag.Float64Var(&cfg.Rate, "rate", 100, "turns started per second")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to start turns for")
	flag.IntVar(&cfg.Sessions, "sessions", 0, "conversations the turns rotate over (0: max(100, 2×rate), a turn per session every 2 s)")
	flag.StringVar(&cfg.Bot, "bot", "HELLOBOT01", "bot id")
	flag.StringVar(&cfg.Alias, "alias", "TSTALIASID", "bot alias id for RecognizeText")
	flag.StringVar(&cfg.Locale, "locale", "ko_KR", "locale id")
	flag.IntVar(&cfg.MaxInFlight, "max-inflight", 512, "unanswered turns beyond which a due turn is not sent and counts as an error")
	flag.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "per-turn timeout")
	flag.DurationVar(&cfg.Interval, "interval", 10*time.Second, "reporting interval")
	flag.IntVar(&cfg.PID, "pid", 0, "server process id, for VmRSS from /proc (0: /metrics only)")
	flag.BoolVar(&cfg.NoMetrics, "no-metrics", false, "do not scrape the server's /metrics")
	flag.Parse()
	cfg.Mode = driver.Mode(*mode)
	cfg.Turns = conversation(cfg.Bot)
	if *turns != "" {
		cfg.Turns = strings.Split(*turns, "|")
	}
	if len(cfg.Turns) == 0 {
		fmt.Fprintf(os.Stderr, "load: no built-in conversation for bot %s: give -turns\n", cfg.Bot)
		return 2
	}
	cfg.OnInterval = func(iv driver.Interval) { fmt.Println(iv) }

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Printf("load: %s %s mode=%s rate=%g/s duration=%s sessions=%d turns=%q\n",
		time.Now().UTC().Format(time.RFC3339), cfg.URL, cfg.Mode, cfg.Rate, cfg.Duration, cfg.Sessions, cfg.Turns)
	rep, err := driver.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		return 2
	}
	if err := rep.WriteText(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		return 1
	}
	if *jsonOut != "" {
		raw, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonOut, append(raw, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load: json:", err)
			return 1
		}
	}
	if rep.Summary.Errors > 0 {
		return 3
	}
	return 0
}

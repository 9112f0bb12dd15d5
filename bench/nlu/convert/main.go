// Command convert turns the public NLU benchmarks under -data into the
// JSONL splits that bench/nlu/run scores:
//
//	go run ./bench/nlu/convert -data ../shared/nlu -out bench/out/nlu
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	nlubench "github.com/parleybot/parley/bench/nlu"
)

func main() {
	data := flag.String("data", "../shared/nlu", "folder of the shared NLU datasets")
	out := flag.String("out", "bench/out/nlu", "folder to write the splits under")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := nlubench.ConvertAll(context.Background(), *data, *out, log); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}

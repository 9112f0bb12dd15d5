// Command clincbot writes a 150-intent English bot definition from the
// CLINC150 training split, the bot the benchmarks load: it is the size of a
// large real bot (100 utterances per intent) and public, so figures can be
// reproduced.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	data := flag.String("data", "../shared/nlu/clinc150/data_full.json", "CLINC150 data_full.json")
	out := flag.String("out", "bench/out/clinc", "directory to write bot.json into")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "clincbot:", err)
		os.Exit(1)
	}
}

type intentDef struct {
	Name             string   `json:"name"`
	SampleUtterances []string `json:"sampleUtterances"`
}

func run(dataPath, outDir string) error {
	raw, err := os.ReadFile(dataPath)
	if err != nil {
		return err
	}
	var splits map[string][][2]string
	if err := json.Unmarshal(raw, &splits); err != nil {
		return fmt.Errorf("%s: %w", dataPath, err)
	}
	byIntent := map[string][]string{}
	for _, ex := range splits["train"] {
		byIntent[ex[1]] = append(byIntent[ex[1]], ex[0])
	}
	names := make([]string, 0, len(byIntent))
	for name := range byIntent {
		names = append(names, name)
	}
	sort.Strings(names)
	intents := make([]intentDef, 0, len(names))
	seen := map[string]bool{}
	for _, name := range names {
		var utterances []string
		for _, u := range byIntent[name] {
			// Bot files reject an utterance listed under two intents, and
			// braces would read as slot references.
			key := strings.ToLower(strings.TrimSpace(u))
			if seen[key] || strings.ContainsAny(u, "{}[]") {
				continue
			}
			seen[key] = true
			utterances = append(utterances, u)
		}
		intents = append(intents, intentDef{Name: intentName(name), SampleUtterances: utterances})
	}
	bot := map[string]any{
		"id":                      "CLINCBOT01",
		"name":                    "Clinc150",
		"description":             "150 intents from the CLINC150 training split, for benchmarks.",
		"idleSessionTTLInSeconds": 300,
		"locales": map[string]any{
			"en_US": map[string]any{"nluConfidenceThreshold": 0.4, "intents": intents},
		},
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	body, err := json.MarshalIndent(bot, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "bot.json"), body, 0o644)
}

// intentName turns "book_flight" into "BookFlight": Lex names allow only
// single separators between alphanumerics.
func intentName(label string) string {
	var b strings.Builder
	for _, part := range strings.Split(label, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

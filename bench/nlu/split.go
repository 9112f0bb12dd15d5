package nlubench

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley/eval"
)

// Split is one train/valid/test triple of a benchmark setting and seed.
type Split struct {
	Benchmark, Setting string
	Seed               int
	Train, Valid, Test []eval.Example // Valid may be empty
}

// Dir is the split's folder under out.
func (s *Split) Dir(out string) string {
	return filepath.Join(out, s.Benchmark, s.Setting, "seed"+strconv.Itoa(s.Seed))
}

// Write stores the split's files under out; an empty Valid writes no file.
func (s *Split) Write(out string) error {
	dir := s.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("nlubench: write split: %w", err)
	}
	for _, part := range []struct {
		name string
		exs  []eval.Example
	}{{"train", s.Train}, {"valid", s.Valid}, {"test", s.Test}} {
		path := filepath.Join(dir, part.name+".jsonl")
		if len(part.exs) == 0 {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("nlubench: write split: %w", err)
			}
			continue
		}
		if err := writeFile(path, part.exs); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, exs []eval.Example) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("nlubench: write split: %w", err)
	}
	w := bufio.NewWriter(f)
	if err := eval.WriteJSONL(w, exs); err != nil {
		f.Close()
		return fmt.Errorf("nlubench: write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("nlubench: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("nlubench: write %s: %w", path, err)
	}
	return nil
}

// ReadSplit loads benchmark/setting/seed<N> from out; a missing valid file
// leaves Valid empty.
func ReadSplit(out, benchmark, setting string, seed int) (*Split, error) {
	s := &Split{Benchmark: benchmark, Setting: setting, Seed: seed}
	dir := s.Dir(out)
	for _, part := range []struct {
		name     string
		dst      *[]eval.Example
		optional bool
	}{{"train", &s.Train, false}, {"valid", &s.Valid, true}, {"test", &s.Test, false}} {
		path := filepath.Join(dir, part.name+".jsonl")
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) && part.optional {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("nlubench: read split: %w", err)
		}
		exs, err := eval.ReadJSONL(bufio.NewReader(f), path)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("nlubench: read split: %w", err)
		}
		*part.dst = exs
	}
	return s, nil
}

// Seeds lists the seed numbers present for benchmark/setting under out, in
// ascending order.
func Seeds(out, benchmark, setting string) ([]int, error) {
	entries, err := os.ReadDir(filepath.Join(out, benchmark, setting))
	if err != nil {
		return nil, fmt.Errorf("nlubench: list seeds: %w", err)
	}
	var seeds []int
	for _, e := range entries {
		n, ok := strings.CutPrefix(e.Name(), "seed")
		if !ok || !e.IsDir() {
			continue
		}
		if v, err := strconv.Atoi(n); err == nil {
			seeds = append(seeds, v)
		}
	}
	slices.Sort(seeds)
	return seeds, nil
}

// rng is the generator of every seeded draw: PCG is specified bit for bit,
// so a seed gives the same split on every platform and Go release.
func rng(seed int, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), salt))
}

// shuffled returns a seeded permutation of exs, leaving exs untouched.
func shuffled[T any](exs []T, r *rand.Rand) []T {
	out := slices.Clone(exs)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// builder assembles an utterance piece by piece, recording slot spans in
// code points as eval's format wants them.
type builder struct {
	text  strings.Builder
	runes int
	slots []eval.SlotSpan
}

func (b *builder) plain(s string) {
	b.text.WriteString(s)
	b.runes += utf8.RuneCountInString(s)
}

// slot appends a slot value; spaces around it stay outside the span so
// that value equals the span's text and matches what a parser would find.
func (b *builder) slot(name, value string) {
	core := strings.TrimSpace(value)
	if core == "" || strings.TrimSpace(name) == "" {
		b.plain(value)
		return
	}
	lead, _, _ := strings.Cut(value, core)
	b.plain(lead)
	start := b.runes
	b.plain(core)
	b.slots = append(b.slots, eval.SlotSpan{Slot: name, Start: start, End: b.runes, Value: core})
	b.plain(value[len(lead)+len(core):])
}

func (b *builder) example(intent string) eval.Example {
	return eval.Example{Text: b.text.String(), Intent: intent, Slots: b.slots}
}

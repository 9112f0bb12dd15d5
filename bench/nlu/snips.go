package nlubench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parleybot/parley/eval"
)

// SnipsIntents are the 7 intents of the 2017 benchmark.
func SnipsIntents() []string {
	return []string{"AddToPlaylist", "BookRestaurant", "GetWeather", "PlayMusic", "RateBook", "SearchCreativeWork", "SearchScreeningEvent"}
}

// SnipsSizes are the training sizes per intent that have a target.
func SnipsSizes() []int { return []int{10, 20, 70} }

// SnipsSeeds is the number of draws per size, as in the 2017 comparison.
const SnipsSeeds = 3

// snipsValidPerIntent is how many pool queries per intent form the
// validation part: the tail of each seeded pool order, never drawn for
// training at any size (300 - 30 > 70).
const snipsValidPerIntent = 30

// ParseSnipsQueries reads a custom-intent-engines file
// ({"<Intent>": [{"data": [{"text", "entity"?}, …]}, …]}). Invalid UTF-8
// bytes (one PlayMusic file has some) become U+FFFD before decoding.
func ParseSnipsQueries(r io.Reader, name string) ([]eval.Example, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("nlubench: snips: %s: %w", name, err)
	}
	raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	var doc map[string][]struct {
		Data []struct {
			Text   string `json:"text"`
			Entity string `json:"entity"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("nlubench: snips: %s: %w", name, err)
	}
	var out []eval.Example
	for intent, queries := range doc {
		for _, q := range queries {
			var b builder
			for _, c := range q.Data {
				if c.Entity == "" {
					b.plain(c.Text)
				} else {
					b.slot(c.Entity, c.Text)
				}
			}
			ex := trimExample(b.example(intent))
			if ex.Text != "" {
				out = append(out, ex)
			}
		}
	}
	return out, nil
}

func readSnips(path string) ([]eval.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nlubench: snips: %w", err)
	}
	defer f.Close()
	return ParseSnipsQueries(f, path)
}

// ParseJointSplit reads one folder of the Goo et al. joint split: seq.in
// (whitespace tokens), seq.out (BIO tags) and label (intent), line by line.
func ParseJointSplit(seqIn, seqOut, label io.Reader, name string) ([]eval.Example, error) {
	var cols [3][]string
	for i, r := range []io.Reader{seqIn, seqOut, label} {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			cols[i] = append(cols[i], strings.ToValidUTF8(sc.Text(), "\uFFFD"))
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("nlubench: snips joint: %s: %w", name, err)
		}
	}
	if len(cols[0]) != len(cols[1]) || len(cols[0]) != len(cols[2]) {
		return nil, fmt.Errorf("nlubench: snips joint: %s: %d/%d/%d lines in seq.in/seq.out/label", name, len(cols[0]), len(cols[1]), len(cols[2]))
	}
	out := make([]eval.Example, 0, len(cols[0]))
	for i := range cols[0] {
		tokens := strings.Fields(cols[0][i])
		tags := strings.Fields(cols[1][i])
		text := []rune(strings.Join(tokens, " "))
		starts, ends, err := locateTokens(text, tokens)
		if err != nil {
			return nil, fmt.Errorf("nlubench: snips joint: %s:%d: %w", name, i+1, err)
		}
		spans, err := bioSpans(text, starts, ends, tags)
		if err != nil {
			return nil, fmt.Errorf("nlubench: snips joint: %s:%d: %w", name, i+1, err)
		}
		out = append(out, eval.Example{Text: string(text), Intent: strings.TrimSpace(cols[2][i]), Slots: spans})
	}
	return out, nil
}

func readJoint(dir string) ([]eval.Example, error) {
	var rs []io.Reader
	for _, n := range []string{"seq.in", "seq.out", "label"} {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("nlubench: snips joint: %w", err)
		}
		defer f.Close()
		rs = append(rs, f)
	}
	return ParseJointSplit(rs[0], rs[1], rs[2], dir)
}

// DrawSnips makes the k-per-intent split of one seed from the 300-query
// pools: per intent a seeded shuffle of the pool, the first k train and
// the last 30 validation; test is the validate_<Intent> files, untouched.
// The same seed gives nested training sets (10 ⊂ 20 ⊂ 70).
func DrawSnips(pools map[string][]eval.Example, test []eval.Example, k, seed int) *Split {
	s := &Split{Benchmark: "snips2017", Setting: fmt.Sprint(k), Seed: seed, Test: test}
	for i, intent := range SnipsIntents() {
		pool := shuffled(pools[intent], rng(seed, uint64(i)+0x5e1f))
		n := min(k, len(pool))
		s.Train = append(s.Train, pool[:n]...)
		v := max(n, len(pool)-snipsValidPerIntent)
		s.Valid = append(s.Valid, pool[v:]...)
	}
	return s
}

// Snips2017 converts snips-2017/: sizes 10/20/70 × 3 seeds from the
// custom-intent pools, and "full" = the joint split (train/valid/test).
func Snips2017(dir string) ([]*Split, error) {
	pools := map[string][]eval.Example{}
	var test []eval.Example
	for _, intent := range SnipsIntents() {
		base := filepath.Join(dir, "custom-intent-engines", intent)
		pool, err := readSnips(filepath.Join(base, "train_"+intent+".json"))
		if err != nil {
			return nil, err
		}
		pools[intent] = pool
		te, err := readSnips(filepath.Join(base, "validate_"+intent+".json"))
		if err != nil {
			return nil, err
		}
		test = append(test, te...)
	}
	var splits []*Split
	for _, k := range SnipsSizes() {
		for seed := range SnipsSeeds {
			splits = append(splits, DrawSnips(pools, test, k, seed))
		}
	}
	joint := &Split{Benchmark: "snips2017", Setting: "full"}
	var err error
	if joint.Train, err = readJoint(filepath.Join(dir, "joint-split", "train")); err != nil {
		return nil, err
	}
	if joint.Valid, err = readJoint(filepath.Join(dir, "joint-split", "valid")); err != nil {
		return nil, err
	}
	if joint.Test, err = readJoint(filepath.Join(dir, "joint-split", "test")); err != nil {
		return nil, err
	}
	return append(splits, joint), nil
}

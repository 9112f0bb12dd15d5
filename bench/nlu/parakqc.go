package nlubench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parleybot/parley/eval"
)

// ParaKQC protocol constants (benchmarks.md §5/§8): blocks of 10
// paraphrases, 5 test per block, k of the other 5 train, 5 seeds.
const (
	paraBlock = 10
	paraTest  = 5
)

// ParaShots are the k values with a target.
func ParaShots() []int { return []int{3, 5} }

// ParaSeeds is the number of seeded draws per setting.
const ParaSeeds = 5

// ParaSentence is one line of ParaKQC.
type ParaSentence struct {
	Topic, Act, Text string
}

// ParseParaKQC reads topic<TAB>act<TAB>sentence lines (CRLF tolerated).
func ParseParaKQC(r io.Reader, name string) ([]ParaSentence, error) {
	var out []ParaSentence
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.ToValidUTF8(strings.TrimRight(sc.Text(), "\r"), "\uFFFD")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("nlubench: parakqc: %s:%d: %d fields, want 3", name, n, len(f))
		}
		out = append(out, ParaSentence{Topic: f[0], Act: f[1], Text: strings.TrimSpace(f[2])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlubench: parakqc: %s: %w", name, err)
	}
	if len(out)%paraBlock != 0 {
		return nil, fmt.Errorf("nlubench: parakqc: %s: %d sentences is not a whole number of blocks of %d", name, len(out), paraBlock)
	}
	return out, nil
}

// DrawParaKQC makes the per-topic k-shot split of one seed: every block of
// the topic (block index = line index / 10, intent "p<block>") is shuffled
// with the seed; its first 5 sentences are test, the next k train, and
// the remaining 5-k (if any) validation. The test set does not depend on
// k, and the 3-shot training set is inside the 5-shot one.
func DrawParaKQC(sents []ParaSentence, topic string, k, seed int) *Split {
	s := &Split{Benchmark: "parakqc", Setting: fmt.Sprintf("topic%s-%dshot", topic, k), Seed: seed}
	for b := 0; b+paraBlock <= len(sents); b += paraBlock {
		block := sents[b : b+paraBlock]
		if block[0].Topic != topic {
			continue
		}
		idx := b / paraBlock
		intent := fmt.Sprintf("p%04d", idx)
		order := shuffled(block, rng(seed, uint64(idx)+0x9a4a))
		add := func(dst *[]eval.Example, ps []ParaSentence) {
			for _, p := range ps {
				*dst = append(*dst, eval.Example{Text: p.Text, Intent: intent})
			}
		}
		add(&s.Test, order[:paraTest])
		add(&s.Train, order[paraTest:paraTest+k])
		add(&s.Valid, order[paraTest+k:])
	}
	return s
}

// ParaKQC converts korean-parakqc/ for every topic present, k ∈ {3, 5},
// seeds 0–4.
func ParaKQC(dir string) ([]*Split, error) {
	path := filepath.Join(dir, "paraKQC_v1_topics01.txt")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nlubench: parakqc: %w", err)
	}
	defer f.Close()
	sents, err := ParseParaKQC(f, path)
	if err != nil {
		return nil, err
	}
	var topics []string
	for i := 0; i < len(sents); i += paraBlock {
		if t := sents[i].Topic; !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	// Topics' blocks are interleaved in the file; order them by name.
	slices.Sort(topics)
	var splits []*Split
	for _, t := range topics {
		for _, k := range ParaShots() {
			for seed := range ParaSeeds {
				splits = append(splits, DrawParaKQC(sents, t, k, seed))
			}
		}
	}
	return splits, nil
}

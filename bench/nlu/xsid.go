package nlubench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parleybot/parley/eval"
)

// XSIDFolds is the number of cross-validation folds inside the 300
// validation sentences; xsidSeed fixes their assignment.
const (
	XSIDFolds = 5
	xsidSeed  = 0
)

// ParseXSID reads xSID CoNLL blocks: "# text = …" and "# intent = …"
// comments, then index<TAB>token<TAB>intent<TAB>BIO-tag rows, blocks
// separated by blank lines. Tokens are located in the text in order, so
// Chinese word segments map back onto the unspaced sentence.
func ParseXSID(r io.Reader, name string) ([]eval.Example, error) {
	var (
		out    []eval.Example
		text   string
		intent string
		tokens []string
		tags   []string
		line   int
		start  int
	)
	flush := func() error {
		if text == "" && len(tokens) == 0 {
			return nil
		}
		if text == "" || intent == "" {
			return fmt.Errorf("nlubench: xsid: %s:%d: block without text or intent", name, start)
		}
		rs := []rune(text)
		starts, ends, err := locateTokens(rs, tokens)
		if err != nil {
			return fmt.Errorf("nlubench: xsid: %s:%d: %w", name, start, err)
		}
		spans, err := bioSpans(rs, starts, ends, tags)
		if err != nil {
			return fmt.Errorf("nlubench: xsid: %s:%d: %w", name, start, err)
		}
		out = append(out, eval.Example{Text: text, Intent: intent, Slots: spans})
		text, intent, tokens, tags = "", "", nil, nil
		return nil
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line++
		l := strings.ToValidUTF8(strings.TrimRight(sc.Text(), "\r"), "\uFFFD")
		switch {
		case strings.TrimSpace(l) == "":
			if err := flush(); err != nil {
				return nil, err
			}
		case strings.HasPrefix(l, "#"):
			if text == "" && len(tokens) == 0 && intent == "" {
				start = line
			}
			k, v, ok := strings.Cut(strings.TrimSpace(l[1:]), " = ")
			if !ok {
				continue
			}
			switch strings.TrimSpace(k) {
			case "text":
				text = v
			case "intent":
				intent = v
			}
		default:
			f := strings.Split(l, "\t")
			if len(f) != 4 {
				return nil, fmt.Errorf("nlubench: xsid: %s:%d: %d columns, want 4", name, line, len(f))
			}
			tokens = append(tokens, f[1])
			tags = append(tags, f[3])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlubench: xsid: %s: %w", name, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func readXSID(path string) ([]eval.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nlubench: xsid: %w", err)
	}
	defer f.Close()
	return ParseXSID(f, path)
}

// FoldXSID splits exs into train/test for one fold. Sentence i goes to
// fold perm(i) mod 5 under a fixed seed, so zh and en (parallel files of
// equal length) get the same folds.
func FoldXSID(exs []eval.Example, lang string, fold int) *Split {
	idx := make([]int, len(exs))
	for i := range idx {
		idx[i] = i
	}
	order := shuffled(idx, rng(xsidSeed, 0x751d))
	s := &Split{Benchmark: "xsid", Setting: fmt.Sprintf("%s-fold%d", lang, fold)}
	for pos, i := range order {
		if pos%XSIDFolds == fold {
			s.Test = append(s.Test, exs[i])
		} else {
			s.Train = append(s.Train, exs[i])
		}
	}
	return s
}

// XSID converts chinese-xsid/{zh,en}.valid.conll into 5 folds per
// language; it fails when the two files are not parallel.
func XSID(dir string) ([]*Split, error) {
	langs := []string{"zh", "en"}
	data := map[string][]eval.Example{}
	for _, lang := range langs {
		exs, err := readXSID(filepath.Join(dir, lang+".valid.conll"))
		if err != nil {
			return nil, err
		}
		data[lang] = exs
	}
	if len(data["zh"]) != len(data["en"]) {
		return nil, fmt.Errorf("nlubench: xsid: zh has %d sentences, en %d: not parallel", len(data["zh"]), len(data["en"]))
	}
	for i := range data["zh"] {
		if data["zh"][i].Intent != data["en"][i].Intent {
			return nil, fmt.Errorf("nlubench: xsid: sentence %d: zh intent %s, en %s: not parallel", i+1, data["zh"][i].Intent, data["en"][i].Intent)
		}
	}
	var splits []*Split
	for _, lang := range langs {
		for fold := range XSIDFolds {
			splits = append(splits, FoldXSID(data[lang], lang, fold))
		}
	}
	return splits, nil
}

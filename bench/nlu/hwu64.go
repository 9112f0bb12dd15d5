package nlubench

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleybot/parley/eval"
)

// ParseHWUAnnotation reads one HWU64 answer_annotation, where slots are
// marked inline as "[type : value]", into an example of intent. A bracket
// without a closing bracket or a colon is kept as plain text: the corpus
// has a handful of such typos and dropping the utterance would change the
// published split sizes.
func ParseHWUAnnotation(annotation, intent string) eval.Example {
	var b builder
	rest := strings.ToValidUTF8(annotation, "\uFFFD")
	for {
		open := strings.IndexByte(rest, '[')
		if open < 0 {
			b.plain(rest)
			break
		}
		closing := strings.IndexByte(rest[open:], ']')
		colon := strings.IndexByte(rest[open:], ':')
		if closing < 0 || colon < 0 || colon > closing {
			b.plain(rest[:open+1])
			rest = rest[open+1:]
			continue
		}
		b.plain(rest[:open])
		inner := rest[open+1 : open+closing]
		name, value, _ := strings.Cut(inner, ":")
		b.slot(strings.TrimSpace(name), strings.TrimSpace(value))
		rest = rest[open+closing+1:]
	}
	ex := b.example(intent)
	return trimExample(ex)
}

// trimExample drops leading and trailing white space, shifting slot
// offsets (slot values never start or end with space, see builder.slot).
func trimExample(ex eval.Example) eval.Example {
	rest := strings.TrimLeftFunc(ex.Text, unicode.IsSpace)
	lead := utf8.RuneCountInString(ex.Text) - utf8.RuneCountInString(rest)
	ex.Text = strings.TrimRightFunc(rest, unicode.IsSpace)
	for i := range ex.Slots {
		ex.Slots[i].Start -= lead
		ex.Slots[i].End -= lead
	}
	return ex
}

// ReadHWUFold reads the semicolon CSV files of one kfold1 folder (trainset
// or testset): header answerid;scenario;intent;answer_annotation;…, intent
// label scenario_intent. Files are read in name order.
func ReadHWUFold(dir string) ([]eval.Example, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, fmt.Errorf("nlubench: hwu64: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("nlubench: hwu64: no csv files in %s", dir)
	}
	slices.Sort(files)
	var out []eval.Example
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("nlubench: hwu64: %w", err)
		}
		exs, err := ParseHWUCSV(f, path)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, exs...)
	}
	return out, nil
}

// ParseHWUCSV parses one kfold CSV file (semicolon-separated, with header).
func ParseHWUCSV(r io.Reader, name string) ([]eval.Example, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("nlubench: hwu64: %s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("nlubench: hwu64: %s: empty file", name)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range []string{"scenario", "intent", "answer_annotation"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("nlubench: hwu64: %s: no %q column", name, want)
		}
	}
	var out []eval.Example
	for i, row := range rows[1:] {
		if len(row) <= col["answer_annotation"] {
			return nil, fmt.Errorf("nlubench: hwu64: %s:%d: %d fields", name, i+2, len(row))
		}
		intent := row[col["scenario"]] + "_" + row[col["intent"]]
		ex := ParseHWUAnnotation(row[col["answer_annotation"]], intent)
		if ex.Text == "" {
			continue
		}
		out = append(out, ex)
	}
	return out, nil
}

// ParseHWUFewShot parses AutoFAQ's comma CSV (intent,exampleSentence,text;
// no header). It carries no slot annotation.
func ParseHWUFewShot(r io.Reader, name string) ([]eval.Example, error) {
	cr := csv.NewReader(r)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("nlubench: hwu64: %s: %w", name, err)
	}
	var out []eval.Example
	for i, row := range rows {
		if len(row) < 3 {
			return nil, fmt.Errorf("nlubench: hwu64: %s:%d: %d fields, want 3", name, i+1, len(row))
		}
		// A sentence containing commas may arrive split when unquoted.
		text := strings.TrimSpace(strings.Join(row[2:], ","))
		if text == "" {
			continue
		}
		out = append(out, eval.Example{Text: text, Intent: row[0]})
	}
	return out, nil
}

func readHWUFewShot(path string) ([]eval.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nlubench: hwu64: %w", err)
	}
	defer f.Close()
	return ParseHWUFewShot(f, path)
}

// HWU64 converts hwu64/: "full" is the kfold1 train/test split with entity
// spans; "10shot" and "30shot" are the shipped AutoFAQ draws (the exact
// files the commercial comparisons used), so each is one draw, seed 0.
func HWU64(dir string) ([]*Split, error) {
	train, err := ReadHWUFold(filepath.Join(dir, "kfold1", "trainset"))
	if err != nil {
		return nil, err
	}
	test, err := ReadHWUFold(filepath.Join(dir, "kfold1", "testset"))
	if err != nil {
		return nil, err
	}
	splits := []*Split{{Benchmark: "hwu64", Setting: "full", Train: train, Test: test}}
	for _, fs := range []struct{ setting, prefix string }{{"10shot", "hwu_small"}, {"30shot", "hwu_large"}} {
		tr, err := readHWUFewShot(filepath.Join(dir, "fewshot", fs.prefix+"_train.csv"))
		if err != nil {
			return nil, err
		}
		te, err := readHWUFewShot(filepath.Join(dir, "fewshot", fs.prefix+"_test.csv"))
		if err != nil {
			return nil, err
		}
		splits = append(splits, &Split{Benchmark: "hwu64", Setting: fs.setting, Train: tr, Test: te})
	}
	return splits, nil
}

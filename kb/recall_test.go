package kb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/kb"
)

// The example knowledge base and its labelled questions, written by the
// Parley authors from the example documents (not an outside benchmark).
const (
	exampleKB        = "../examples/assistant/kb"
	exampleQuestions = "../examples/assistant/testdata/questions.jsonl"
)

type question struct {
	Question string `json:"question"`
	Lang     string `json:"lang"`
	Source   string `json:"source"`
	Must     string `json:"must"`
}

func loadQuestions(t testing.TB) []question {
	t.Helper()
	f, err := os.Open(exampleQuestions)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []question
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q question
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("%s: %v", exampleQuestions, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

func loadExample(t testing.TB) *kb.Index {
	t.Helper()
	ix, err := kb.Load(exampleKB, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestRecall measures how often the passage that answers a question (from
// the labelled source, containing the labelled phrase) is the first result
// (recall@1) or among the first three (recall@3), per language and overall,
// and guards against regressions with floors a little under the measured
// figures.
func TestRecall(t *testing.T) {
	ix := loadExample(t)
	qs := loadQuestions(t)
	if len(qs) < 50 {
		t.Fatalf("%d questions, want at least 50", len(qs))
	}
	type tally struct{ n, at1, at3 int }
	byLang := map[string]*tally{}
	all := &tally{}
	var hitScores, missScores []float64
	for _, q := range qs {
		got, err := ix.Retrieve(context.Background(), q.Question, 3)
		if err != nil {
			t.Fatal(err)
		}
		rank := -1
		for i, p := range got {
			if p.Source == q.Source && strings.Contains(p.Text, q.Must) {
				rank = i
				break
			}
		}
		if byLang[q.Lang] == nil {
			byLang[q.Lang] = &tally{}
		}
		for _, tl := range []*tally{all, byLang[q.Lang]} {
			tl.n++
			if rank == 0 {
				tl.at1++
			}
			if rank >= 0 {
				tl.at3++
			}
		}
		switch {
		case rank >= 0:
			hitScores = append(hitScores, got[rank].Score)
		case len(got) > 0:
			missScores = append(missScores, got[0].Score)
			t.Logf("miss [%s] %q: want %s %q, top %s %q (%.2f)", q.Lang, q.Question, q.Source, q.Must, got[0].Source, got[0].Title, got[0].Score)
		default:
			t.Logf("miss [%s] %q: nothing returned", q.Lang, q.Question)
		}
	}
	for _, lang := range []string{"ko", "en", "zh"} {
		if tl := byLang[lang]; tl != nil {
			t.Logf("%s: %d questions, recall@1 %.3f, recall@3 %.3f", lang, tl.n, float64(tl.at1)/float64(tl.n), float64(tl.at3)/float64(tl.n))
		}
	}
	r1, r3 := float64(all.at1)/float64(all.n), float64(all.at3)/float64(all.n)
	t.Logf("all: %d questions, recall@1 %.3f, recall@3 %.3f", all.n, r1, r3)
	t.Logf("score of the right passage: median %.2f, min %.2f; top score when missed: median %.2f", median(hitScores), slices.Min(append(hitScores, 1)), median(missScores))
	var offScores []float64
	for _, q := range offTopic {
		got, err := ix.Retrieve(context.Background(), q, 1)
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		if len(got) > 0 {
			s = got[0].Score
		}
		offScores = append(offScores, s)
	}
	t.Logf("top score of %d questions the documents do not answer: median %.2f, max %.2f", len(offScores), median(offScores), slices.Max(offScores))
	const floor1, floor3 = 0.80, 0.90
	if r1 < floor1 || r3 < floor3 {
		t.Errorf("recall@1 %.3f, recall@3 %.3f; want at least %.2f and %.2f", r1, r3, floor1, floor3)
	}
}

// offTopic are questions the example documents do not answer, for the
// scores a relevance threshold has to separate from the labelled ones.
var offTopic = []string{
	"오늘 서울 날씨 어때?",
	"피자 한 판 주문하고 싶어요",
	"점심 메뉴 추천해 줘",
	"비트코인 가격이 얼마야?",
	"주말에 볼 만한 영화 있어?",
	"What is the capital of France?",
	"Book me a flight to Tokyo tomorrow",
	"How tall is Mount Everest?",
	"Recommend a good pasta recipe",
	"明天北京天气怎么样？",
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRetrieve asks the example questions in turn and reports the
// median time of one question besides the mean.
func BenchmarkRetrieve(b *testing.B) {
	ix := loadExample(b)
	qs := loadQuestions(b)
	times := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := ix.Retrieve(context.Background(), qs[i%len(qs)].Question, 3); err != nil {
			b.Fatal(err)
		}
		times = append(times, float64(time.Since(start).Nanoseconds()))
	}
	b.ReportMetric(median(times), "median-ns/query")
}

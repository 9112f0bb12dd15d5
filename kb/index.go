package kb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parleybot/parley"
)

var _ parley.Retriever = (*Index)(nil)

// BM25 parameters: K1 is how quickly repeats of a term stop adding to a
// passage's score, B how much a long passage is discounted. These are the
// textbook values; passages are cut to similar sizes, so B matters little.
const (
	K1 = 1.2
	B  = 0.75
)

// Defaults of Options.
const (
	DefaultSemanticWeight = 0.5
	DefaultEmbedBatch     = 64
)

// Options tune a knowledge base. The zero value is BM25 only, returning
// every passage that shares a term with the question.
type Options struct {
	// MinScore drops passages scoring below it (Score is in [0,1]; see
	// Index.Retrieve).
	MinScore float64
	// Embedder, when set, makes retrieval hybrid: passages are embedded
	// when the index is built and each question when it is asked.
	Embedder parley.Embedder
	// SemanticWeight is the share of the cosine similarity in a hybrid
	// score, in (0,1]; zero means DefaultSemanticWeight.
	SemanticWeight float64
	// EmbedBatch is how many passages go to the Embedder in one call;
	// zero means DefaultEmbedBatch.
	EmbedBatch int
	// Logger receives what the index noticed while loading; nil discards.
	Logger *slog.Logger
}

// Index is a loaded knowledge base. It is read-only once built and safe for
// concurrent use.
type Index struct {
	chunks   []chunk
	lengths  []float64 // tokens per passage
	avgLen   float64
	postings map[string][]posting
	vectors  [][]float32 // unit length, one per passage; nil without an Embedder
	opts     Options
}

type posting struct {
	doc int32
	tf  float32
}

// extensions are the document formats Load reads.
var extensions = setOf(".md", ".markdown", ".txt", ".html", ".htm")

// Load reads every Markdown, text and HTML file under dir (recursively,
// skipping names that start with a dot), chunks them and builds the index.
// An empty folder is an ErrValidation, a missing one ErrNotFound, and a file
// that cannot be read fails the load with its path.
func Load(dir string, opts Options) (*Index, error) {
	return LoadContext(context.Background(), dir, opts)
}

// LoadContext is Load with a context for the calls to opts.Embedder.
func LoadContext(ctx context.Context, dir string, opts Options) (*Index, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &parley.Error{Code: parley.ErrNotFound, Message: fmt.Sprintf("knowledge base folder %s not found", dir), Err: err}
	case err != nil:
		return nil, fmt.Errorf("kb: read %s: %w", dir, err)
	case !info.IsDir():
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base %s is not a folder", dir)
	}
	var chunks []chunk
	files := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !extensions[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files++
		chunks = append(chunks, chunkDoc(filepath.ToSlash(rel), data)...)
		return nil
	})
	switch {
	case err != nil:
		return nil, fmt.Errorf("kb: load %s: %w", dir, err) // err names the file
	case files == 0:
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base folder %s has no .md, .txt or .html files", dir)
	case len(chunks) == 0:
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base folder %s has no text", dir)
	}
	ix := build(chunks, opts)
	if opts.Embedder != nil {
		if err := ix.embedAll(ctx); err != nil {
			return nil, err
		}
	}
	logger(opts).Info("kb: loaded", "dir", dir, "files", files, "passages", len(chunks), "terms", len(ix.postings), "hybrid", opts.Embedder != nil)
	return ix, nil
}

func logger(opts Options) *slog.Logger {
	if opts.Logger != nil {
		return opts.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// build indexes chunks for BM25; the headings above a passage count as its
// text.
func build(chunks []chunk, opts Options) *Index {
	ix := &Index{chunks: chunks, lengths: make([]float64, len(chunks)), postings: map[string][]posting{}, opts: opts}
	total := 0.0
	for i, c := range chunks {
		terms := Tokenize(c.context + "\n" + c.Text)
		ix.lengths[i] = float64(len(terms))
		total += float64(len(terms))
		tf := map[string]float32{}
		for _, t := range terms {
			tf[t]++
		}
		for t, n := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), tf: n})
		}
	}
	ix.avgLen = max(total/float64(len(chunks)), 1)
	return ix
}

// embedAll embeds every passage, EmbedBatch at a time.
func (ix *Index) embedAll(ctx context.Context) error {
	batch := cmp.Or(ix.opts.EmbedBatch, DefaultEmbedBatch)
	ix.vectors = make([][]float32, 0, len(ix.chunks))
	for start := 0; start < len(ix.chunks); start += batch {
		end := min(start+batch, len(ix.chunks))
		texts := make([]string, 0, end-start)
		for _, c := range ix.chunks[start:end] {
			texts = append(texts, c.Title+"\n"+c.Text)
		}
		vecs, err := ix.embed(ctx, texts)
		if err != nil {
			return err
		}
		ix.vectors = append(ix.vectors, vecs...)
	}
	return nil
}

// embed calls the Embedder and checks and normalises what it returns.
func (ix *Index) embed(ctx context.Context, texts []string) ([][]float32, error) {
	vecs, err := ix.opts.Embedder.Embed(ctx, texts)
	if err != nil {
		return nil, &parley.Error{Code: parley.ErrDependencyFailed, Message: "embeddings endpoint failed", Err: err}
	}
	if len(vecs) != len(texts) {
		return nil, parley.Errorf(parley.ErrDependencyFailed, "embeddings endpoint returned %d vectors for %d texts", len(vecs), len(texts))
	}
	want := 0
	if len(ix.vectors) > 0 {
		want = len(ix.vectors[0])
	}
	for i, v := range vecs {
		if want == 0 {
			want = len(v)
		}
		if len(v) == 0 || len(v) != want {
			return nil, parley.Errorf(parley.ErrDependencyFailed, "embeddings endpoint returned a vector of %d dimensions, want %d", len(v), want)
		}
		vecs[i] = unit(v)
	}
	return vecs, nil
}

func unit(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if sum == 0 {
		return out
	}
	norm := 1 / math.Sqrt(sum)
	for i, x := range v {
		out[i] = float32(float64(x) * norm)
	}
	return out
}

// Len returns the number of passages.
func (ix *Index) Len() int { return len(ix.chunks) }

// Retrieve returns at most k passages for query, best first, each scoring
// at least Options.MinScore (and above zero).
//
// The lexical score is BM25 (K1, B) over Tokenize's terms, divided by the
// score of the query against itself as a passage of average length holding
// each of its terms once — the sum of the terms' IDFs, where a term the
// knowledge base never uses counts at the highest IDF — and capped at 1. So
// 1 means the passage holds every term of the question, and a question
// full of words the documents never use scores low everywhere. On the
// example knowledge base (examples/assistant; see TestRecall's log) the
// right passage scores a median 0.66, nine in ten at least 0.30, while
// eight of ten questions the documents do not answer find nothing, one
// scores 0.14 and one that shares its words with a passage (ordering a
// pizza) 0.51: a MinScore near 0.2 is a fair start, to be checked on one's
// own documents.
//
// With an Embedder the score is (1-w)·lexical + w·max(0, cosine) with w the
// SemanticWeight, a normalised linear mix: both parts are in [0,1], so the
// threshold keeps its meaning, though the typical cosine of unrelated texts
// depends on the embedding model and the threshold must be set for it. Ties
// keep document order.
func (ix *Index) Retrieve(ctx context.Context, query string, k int) ([]parley.Passage, error) {
	if k <= 0 {
		return nil, nil
	}
	scores := ix.lexical(query)
	if ix.vectors != nil {
		q, err := ix.embed(ctx, []string{query})
		if err != nil {
			return nil, err
		}
		w := cmp.Or(ix.opts.SemanticWeight, DefaultSemanticWeight)
		if scores == nil {
			scores = make([]float64, len(ix.chunks))
		}
		for i, v := range ix.vectors {
			scores[i] = (1-w)*scores[i] + w*max(0, dot(q[0], v))
		}
	}
	var hits []int
	for i, s := range scores {
		if s > 0 && s >= ix.opts.MinScore {
			hits = append(hits, i)
		}
	}
	slices.SortStableFunc(hits, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	hits = hits[:min(k, len(hits))]
	out := make([]parley.Passage, len(hits))
	for i, h := range hits {
		out[i] = ix.chunks[h].Passage
		out[i].Score = scores[h]
	}
	return out, nil
}

// lexical returns every passage's normalised BM25 score for query, or nil
// when the query has no terms.
func (ix *Index) lexical(query string) []float64 {
	terms := Tokenize(query)
	slices.Sort(terms)
	terms = slices.Compact(terms)
	if len(terms) == 0 {
		return nil
	}
	n := float64(len(ix.chunks))
	scores := make([]float64, len(ix.chunks))
	self := 0.0
	for _, t := range terms {
		ps := ix.postings[t]
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		self += idf
		for _, p := range ps {
			tf := float64(p.tf)
			norm := K1 * (1 - B + B*ix.lengths[p.doc]/ix.avgLen)
			scores[p.doc] += idf * tf * (K1 + 1) / (tf + norm)
		}
	}
	for i := range scores {
		scores[i] = min(scores[i]/self, 1)
	}
	return scores
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

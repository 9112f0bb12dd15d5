package kb_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/kb"
)

// writeKB writes files (relative path → content) into a fresh folder.
func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var smallKB = map[string]string{
	"params.md":      "# 파라미터\n\n파라미터 설정은 봇 파일의 locales 아래에 적습니다.",
	"chat/web.md":    "# 웹 채팅\n\n웹채팅 페이지는 서버에 내장되어 있습니다.",
	"pizza.txt":      "Pizza\n\nLarge pizzas take twenty minutes to bake.",
	"garden.html":    "<h1>Garden</h1><p>Tomatoes need sun and water.</p>",
	"zh.md":          "# 知识库\n\n知识库把文档切成段落。",
	"image.png":      "not text",
	".hidden/x.md":   "# Hidden\n\nsecretword",
	".draft.md":      "secretword",
	"nested/deep.md": "# Deep\n\nThe deep document mentions kangaroos.",
}

func TestLoadAndRetrieve(t *testing.T) {
	ix, err := kb.Load(writeKB(t, smallKB), kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 6 {
		t.Errorf("Len() = %d, want 6 (hidden and non-text files skipped)", ix.Len())
	}
	tests := []struct {
		name, query, source, title string
	}{
		{name: "korean with particle", query: "파라미터를 어디에 적나요?", source: "params.md", title: "파라미터"},
		{name: "korean topic particle", query: "파라미터는", source: "params.md", title: "파라미터"},
		{name: "korean joined spelling finds spaced", query: "웹채팅", source: "chat/web.md", title: "웹 채팅"},
		{name: "korean spaced spelling finds joined", query: "웹 채팅 페이지", source: "chat/web.md", title: "웹 채팅"},
		{name: "english inflection", query: "How long does baking a large pizza take?", source: "pizza.txt", title: "Pizza"},
		{name: "html", query: "what do tomatoes need", source: "garden.html", title: "Garden"},
		{name: "chinese", query: "知识库怎么切文档", source: "zh.md", title: "知识库"},
		{name: "nested folder", query: "kangaroo", source: "nested/deep.md", title: "Deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ix.Retrieve(context.Background(), tt.query, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("nothing returned")
			}
			if got[0].Source != tt.source || got[0].Title != tt.title {
				t.Errorf("top = %s %q, want %s %q", got[0].Source, got[0].Title, tt.source, tt.title)
			}
			for i, p := range got {
				if p.Score <= 0 || p.Score > 1 {
					t.Errorf("passage %d score %v outside (0,1]", i, p.Score)
				}
				if i > 0 && p.Score > got[i-1].Score {
					t.Errorf("passage %d scores %v, above the one before (%v)", i, p.Score, got[i-1].Score)
				}
			}
		})
	}
	for _, q := range []string{"secretword", "", "?!", "the of and"} {
		if got, _ := ix.Retrieve(context.Background(), q, 3); len(got) != 0 {
			t.Errorf("Retrieve(%q) = %+v, want nothing", q, got)
		}
	}
	if got, _ := ix.Retrieve(context.Background(), "pizza", 0); len(got) != 0 {
		t.Errorf("k=0 returned %d passages", len(got))
	}
}

func TestRetrieveScores(t *testing.T) {
	dir := writeKB(t, map[string]string{
		"a.md": "# Alpha\n\nalpha beta gamma",
		"b.md": "# Other\n\nalpha only here, with many other words around it to make it longer",
		"c.md": "# Third\n\nnothing in common",
	})
	ix, err := kb.Load(dir, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ix.Retrieve(context.Background(), "alpha beta gamma", 5)
	if len(got) != 2 {
		t.Fatalf("got %d passages, want 2 (the third shares no term): %+v", len(got), got)
	}
	if got[0].Source != "a.md" || got[0].Score < 0.99 {
		t.Errorf("passage holding every term = %s %.3f, want a.md ≈ 1", got[0].Source, got[0].Score)
	}
	if got[1].Score >= 0.5 {
		t.Errorf("passage holding one of three terms scores %.3f, want under 0.5", got[1].Score)
	}
	// Words the knowledge base never uses lower the score everywhere.
	off, _ := ix.Retrieve(context.Background(), "alpha zebra giraffe elephant", 1)
	if len(off) != 1 || off[0].Score >= got[0].Score/2 {
		t.Errorf("off-topic question scores %+v, want well under %.2f", off, got[0].Score)
	}
}

func TestMinScore(t *testing.T) {
	dir := writeKB(t, map[string]string{
		"a.md": "# Alpha\n\nalpha beta gamma",
		"b.md": "# Other\n\nalpha only here, with many other words around it",
	})
	all, err := kb.Load(dir, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := all.Retrieve(context.Background(), "alpha beta gamma", 5)
	if len(got) != 2 {
		t.Fatalf("without MinScore got %d passages, want 2", len(got))
	}
	tests := []struct {
		name string
		min  float64
		want int
	}{
		{name: "zero keeps all", min: 0, want: 2},
		{name: "between drops the weak", min: (got[0].Score + got[1].Score) / 2, want: 1},
		{name: "equal keeps", min: got[1].Score, want: 2},
		{name: "above all", min: 1.01, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := kb.Load(dir, kb.Options{MinScore: tt.min})
			if err != nil {
				t.Fatal(err)
			}
			res, _ := ix.Retrieve(context.Background(), "alpha beta gamma", 5)
			if len(res) != tt.want {
				t.Errorf("MinScore %.3f: got %d passages, want %d", tt.min, len(res), tt.want)
			}
			for _, p := range res {
				if p.Score < tt.min {
					t.Errorf("passage %s scores %.3f, below MinScore %.3f", p.Source, p.Score, tt.min)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	onlyImages := writeKB(t, map[string]string{"a.png": "x", "b.pdf": "y"})
	blank := writeKB(t, map[string]string{"a.md": "\n\n  \n", "b.txt": ""})
	file := filepath.Join(writeKB(t, map[string]string{"a.md": "# A\n\ntext"}), "a.md")
	tests := []struct {
		name string
		dir  string
		code parley.ErrorCode
	}{
		{name: "empty folder", dir: empty, code: parley.ErrValidation},
		{name: "no documents", dir: onlyImages, code: parley.ErrValidation},
		{name: "documents without text", dir: blank, code: parley.ErrValidation},
		{name: "missing folder", dir: filepath.Join(empty, "nope"), code: parley.ErrNotFound},
		{name: "a file, not a folder", dir: file, code: parley.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := kb.Load(tt.dir, kb.Options{})
			if err == nil {
				t.Fatalf("Load = %v, want an error", ix)
			}
			if got := parley.ErrorCodeOf(err); got != tt.code {
				t.Errorf("code %s, want %s (%v)", got, tt.code, err)
			}
			if !strings.Contains(err.Error(), tt.dir) {
				t.Errorf("error %q does not name %s", err, tt.dir)
			}
		})
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	dir := writeKB(t, map[string]string{"good.md": "# Good\n\ntext"})
	// A link to nowhere cannot be read, even by root, unlike a chmod 000 file.
	bad := filepath.Join(dir, "sub", "broken.md")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing-target.md"), bad); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	_, err := kb.Load(dir, kb.Options{})
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	if !strings.Contains(err.Error(), bad) {
		t.Errorf("error %q does not name %s", err, bad)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap the cause", err)
	}
}

// fakeEmbedder maps each text onto a few concept dimensions, with synonyms
// on the same one, so that semantic search can find what words cannot. It
// counts its calls and can be told to fail.
type fakeEmbedder struct {
	calls, texts atomic.Int32
	fail         atomic.Bool
	short        bool // answer one vector too few
}

var concepts = [][]string{{"car", "automobile", "vehicle"}, {"dog", "puppy", "hound"}, {"rain", "weather", "umbrella"}}

func (f *fakeEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	f.calls.Add(1)
	f.texts.Add(int32(len(texts)))
	if f.fail.Load() {
		return nil, errors.New("embeddings endpoint down")
	}
	out := make([][]float32, len(texts))
	for i, text := range texts {
		v := make([]float32, len(concepts)+1)
		v[len(concepts)] = 0.1 // every text is a little alike
		for c, words := range concepts {
			for _, w := range words {
				v[c] += float32(strings.Count(strings.ToLower(text), w))
			}
		}
		out[i] = v
	}
	if f.short {
		out = out[1:]
	}
	return out, nil
}

var _ parley.Embedder = (*fakeEmbedder)(nil)

var hybridKB = map[string]string{
	"cars.md":  "# Cars\n\nA car needs fuel and tyres.",
	"dogs.md":  "# Dogs\n\nA dog needs walks and food.",
	"rain.md":  "# Rain\n\nTake an umbrella when it rains.",
	"misc.md":  "# Misc\n\nNothing special.",
	"other.md": "# Other\n\nStill nothing special here.",
}

func TestHybrid(t *testing.T) {
	dir := writeKB(t, hybridKB)
	lexical, err := kb.Load(dir, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := lexical.Retrieve(context.Background(), "automobile", 3); len(got) != 0 {
		t.Fatalf("BM25 alone found %+v for a word no document uses", got)
	}
	emb := &fakeEmbedder{}
	ix, err := kb.Load(dir, kb.Options{Embedder: emb, EmbedBatch: 2, MinScore: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if emb.calls.Load() != 3 || emb.texts.Load() != 5 {
		t.Errorf("loading made %d calls with %d texts, want 3 batches of at most 2 for 5 passages", emb.calls.Load(), emb.texts.Load())
	}
	got, err := ix.Retrieve(context.Background(), "automobile", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Source != "cars.md" {
		t.Fatalf("hybrid search for a synonym = %+v, want only cars.md", got)
	}
	if got[0].Score <= 0 || got[0].Score > 1 {
		t.Errorf("score %v outside (0,1]", got[0].Score)
	}
	// Words and meaning agreeing beat meaning alone.
	both, _ := ix.Retrieve(context.Background(), "car", 1)
	if len(both) != 1 || both[0].Source != "cars.md" || both[0].Score <= got[0].Score {
		t.Errorf("search for the document's own word = %+v, want cars.md above %.3f", both, got[0].Score)
	}

	emb.fail.Store(true)
	if _, err := ix.Retrieve(context.Background(), "automobile", 3); parley.ErrorCodeOf(err) != parley.ErrDependencyFailed {
		t.Errorf("Retrieve with a failing embedder: %v, want %s", err, parley.ErrDependencyFailed)
	}
	if _, err := kb.Load(dir, kb.Options{Embedder: emb}); parley.ErrorCodeOf(err) != parley.ErrDependencyFailed {
		t.Errorf("Load with a failing embedder: %v, want %s", err, parley.ErrDependencyFailed)
	}
	if _, err := kb.Load(dir, kb.Options{Embedder: &fakeEmbedder{short: true}}); parley.ErrorCodeOf(err) != parley.ErrDependencyFailed {
		t.Errorf("Load with an embedder returning too few vectors: %v, want %s", err, parley.ErrDependencyFailed)
	}
}

func TestSaveOpen(t *testing.T) {
	dir := writeKB(t, hybridKB)
	emb := &fakeEmbedder{}
	ix, err := kb.Load(dir, kb.Options{Embedder: emb})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kb.gob")
	if err := ix.Save(path); err != nil {
		t.Fatal(err)
	}
	before := emb.calls.Load()
	opened, err := kb.Open(path, kb.Options{Embedder: emb})
	if err != nil {
		t.Fatal(err)
	}
	if emb.calls.Load() != before {
		t.Errorf("Open embedded the passages again (%d calls)", emb.calls.Load()-before)
	}
	for _, q := range []string{"automobile", "dog food", "umbrella"} {
		want, _ := ix.Retrieve(context.Background(), q, 3)
		got, _ := opened.Retrieve(context.Background(), q, 3)
		if len(got) != len(want) {
			t.Fatalf("%q: opened index returned %d passages, loaded one %d", q, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q passage %d: %+v, want %+v", q, i, got[i], want[i])
			}
		}
	}
	// Without an Embedder the saved index serves BM25.
	lexical, err := kb.Open(path, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := lexical.Retrieve(context.Background(), "umbrella", 1); len(got) != 1 || got[0].Source != "rain.md" {
		t.Errorf("lexical open: %+v", got)
	}

	// A BM25-only index opened with an Embedder embeds its passages then.
	plainPath := filepath.Join(t.TempDir(), "plain.gob")
	if err := lexical.Save(plainPath); err != nil {
		t.Fatal(err)
	}
	late := &fakeEmbedder{}
	hybrid, err := kb.Open(plainPath, kb.Options{Embedder: late})
	if err != nil {
		t.Fatal(err)
	}
	if late.texts.Load() != int32(hybrid.Len()) {
		t.Errorf("Open embedded %d texts, want the %d passages", late.texts.Load(), hybrid.Len())
	}
	if got, _ := hybrid.Retrieve(context.Background(), "automobile", 1); len(got) != 1 || got[0].Source != "cars.md" {
		t.Errorf("hybrid after open: %+v", got)
	}

	garbage := filepath.Join(t.TempDir(), "garbage.gob")
	if err := os.WriteFile(garbage, []byte("not a gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := kb.Open(garbage, kb.Options{}); parley.ErrorCodeOf(err) != parley.ErrValidation {
		t.Errorf("Open(garbage): %v, want %s", err, parley.ErrValidation)
	}
	if _, err := kb.Open(filepath.Join(t.TempDir(), "none.gob"), kb.Options{}); parley.ErrorCodeOf(err) != parley.ErrNotFound {
		t.Errorf("Open(missing): %v, want %s", err, parley.ErrNotFound)
	}
}

func TestRetrieveConcurrent(t *testing.T) {
	ix, err := kb.Load(writeKB(t, hybridKB), kb.Options{Embedder: &fakeEmbedder{}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := ix.Retrieve(context.Background(), []string{"car", "dog", "rain"}[i%3], 2)
				if err != nil || len(got) == 0 {
					t.Errorf("Retrieve: %v, %d passages", err, len(got))
					return
				}
			}
		})
	}
	wg.Wait()
}

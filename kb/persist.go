package kb

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parleybot/parley"
)

// fileVersion is the version of Save's format; Open refuses others.
const fileVersion = 1

// saved is what Save writes: the passages (their terms are cheap to
// recompute) and the embeddings, which are what is worth keeping.
type saved struct {
	Version  int
	Passages []savedPassage
	Vectors  [][]float32
}

type savedPassage struct {
	Source, Title, Context, Text string
}

// Save writes the index to path (gob), embeddings included, so that Open
// can serve it without reading the documents or calling the Embedder for
// them again. It writes a temporary file and renames it into place.
func (ix *Index) Save(path string) error {
	s := saved{Version: fileVersion, Vectors: ix.vectors, Passages: make([]savedPassage, len(ix.chunks))}
	for i, c := range ix.chunks {
		s.Passages[i] = savedPassage{Source: c.Source, Title: c.Title, Context: c.context, Text: c.Text}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("kb: save: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := gob.NewEncoder(tmp).Encode(&s); err != nil {
		tmp.Close()
		return fmt.Errorf("kb: save %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("kb: save %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("kb: save: %w", err)
	}
	return nil
}

// Open reads an index written by Save. Saved embeddings are used when
// opts.Embedder is set (the same model must answer the questions); without
// them and with an Embedder, the passages are embedded as Load would.
func Open(path string, opts Options) (*Index, error) {
	return OpenContext(context.Background(), path, opts)
}

// OpenContext is Open with a context for the calls to opts.Embedder.
func OpenContext(ctx context.Context, path string, opts Options) (*Index, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &parley.Error{Code: parley.ErrNotFound, Message: fmt.Sprintf("knowledge base index %s not found", path), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("kb: open: %w", err)
	}
	defer f.Close()
	var s saved
	if err := gob.NewDecoder(f).Decode(&s); err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base index %s is not readable: %v", path, err)
	}
	switch {
	case s.Version != fileVersion:
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base index %s has version %d, want %d; index the folder again", path, s.Version, fileVersion)
	case len(s.Passages) == 0:
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base index %s has no passages", path)
	case s.Vectors != nil && len(s.Vectors) != len(s.Passages):
		return nil, parley.Errorf(parley.ErrValidation, "knowledge base index %s has %d vectors for %d passages", path, len(s.Vectors), len(s.Passages))
	}
	chunks := make([]chunk, len(s.Passages))
	for i, p := range s.Passages {
		chunks[i] = chunk{Passage: parley.Passage{Source: p.Source, Title: p.Title, Text: p.Text}, context: p.Context}
	}
	ix := build(chunks, opts)
	if opts.Embedder == nil {
		return ix, nil
	}
	if s.Vectors == nil {
		if err := ix.embedAll(ctx); err != nil {
			return nil, err
		}
		return ix, nil
	}
	for _, v := range s.Vectors {
		if len(v) == 0 || len(v) != len(s.Vectors[0]) {
			return nil, parley.Errorf(parley.ErrValidation, "knowledge base index %s has vectors of unequal size", path)
		}
	}
	ix.vectors = s.Vectors
	return ix, nil
}

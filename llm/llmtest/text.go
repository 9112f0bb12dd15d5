package llmtest

import (
	"hash/fnv"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPieceRunes bounds a streamed piece, so that text without spaces
// (Chinese, a long Korean word) still arrives in several chunks.
const maxPieceRunes = 4

// Pieces splits an answer the way the fake streams it: word by word, each
// word with the spaces that follow it, and words longer than four
// characters in runs of four. Joined, the pieces give the answer back; a
// test can compare a client's deltas with Pieces(answer).
func Pieces(answer string) []string {
	var out []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
	}
	prevSpace := false
	for _, r := range answer {
		space := unicode.IsSpace(r)
		if !space && (prevSpace || n == maxPieceRunes) {
			flush()
		}
		cur.WriteRune(r)
		if !space {
			n++
		}
		prevSpace = space
	}
	flush()
	return out
}

// Tokens is the fake's token count of a text: its number of pieces. The
// usage the fake reports is built from it, so tests can predict it.
func Tokens(text string) int { return len(Pieces(text)) }

// promptTokens counts a request's messages as the fake bills them.
func promptTokens(texts []string) int {
	n := 0
	for _, t := range texts {
		n += Tokens(t)
	}
	return n
}

// Vector is the fake's embedding of text with dims dimensions: the
// character trigrams of the lower-cased text (padded with a space at each
// end) hashed into signed buckets, scaled to unit length. Texts that share
// trigrams get a higher cosine, which is enough to test retrieval that
// mixes lexical and "semantic" scores. The empty text gives the zero vector.
func Vector(text string, dims int) []float32 {
	v := make([]float64, dims)
	runes := []rune(" " + strings.ToLower(text) + " ")
	if len(runes) < 3 {
		return make([]float32, dims)
	}
	buf := make([]byte, 0, 3*utf8.UTFMax)
	for i := 0; i+3 <= len(runes); i++ {
		buf = buf[:0]
		for _, r := range runes[i : i+3] {
			buf = utf8.AppendRune(buf, r)
		}
		h := fnv.New64a()
		h.Write(buf)
		sum := h.Sum64()
		sign := 1.0
		if sum>>63 == 1 {
			sign = -1
		}
		v[sum%uint64(dims)] += sign
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dims)
	if norm == 0 {
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// Cosine is the cosine similarity of two vectors of one length; a test
// helper for asserting that related texts embed closer.
func Cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

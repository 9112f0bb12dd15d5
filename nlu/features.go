package nlu

import (
	"slices"
	"unicode/utf8"
)

// Feature namespaces keep a word "ab" apart from a character bigram "ab".
const (
	nsWord byte = iota + 1
	nsBigram
	nsCharGram
	nsSyllable
	nsJamo
	nsHan
	nsKana
	nsJoined
)

// FNV-1a, 64 bit: stable across runs and platforms, so training is
// deterministic and needs no vocabulary strings at run time.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type hasher uint64

func newHash(ns byte) hasher { return hasher((fnvOffset ^ uint64(ns)) * fnvPrime) }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * fnvPrime
	}
	return h
}

func (h hasher) sep() hasher { return (h ^ 0xff) * fnvPrime }

func (h hasher) runes(rs []rune) hasher {
	var buf [4]byte
	for _, r := range rs {
		n := utf8.EncodeRune(buf[:], r)
		for i := 0; i < n; i++ {
			h = (h ^ hasher(buf[i])) * fnvPrime
		}
	}
	return h
}

// Boundary marks for character n-grams: a word's first and last grams are
// told apart from the same letters inside a word.
const (
	bowRune rune = '\u0002'
	eowRune rune = '\u0003'
)

// features appends the hashed features of toks to dst and returns them
// sorted and without duplicates (binary bag of features):
//   - words (stem and surface) and word bigrams, for every script;
//   - English character 3–5-grams within words;
//   - Hangul syllable 1–3-grams within an eojeol and jamo trigrams, which
//     survive typos (안뇽 shares most jamo trigrams with 안녕);
//   - Han unigrams and bigrams, kana unigrams to trigrams (no segmenter);
//   - Hangul syllable 2–3-grams of the whole input with its spaces taken
//     out, which keep a sentence recognisable whatever its spacing.
func features(toks []token, dst []uint64) []uint64 {
	var rs []rune
	prev := ""
	for i, t := range toks {
		dst = append(dst, uint64(newHash(nsWord).str(t.stem)))
		if t.stem != t.text {
			dst = append(dst, uint64(newHash(nsWord).str(t.text)))
		}
		if i > 0 {
			dst = append(dst, uint64(newHash(nsBigram).str(prev).sep().str(t.stem)))
		}
		prev = t.stem
		switch t.script {
		case scriptWord:
			rs = append(rs[:0], bowRune)
			for _, r := range t.text {
				rs = append(rs, r)
			}
			rs = append(rs, eowRune)
			dst = appendGrams(dst, nsCharGram, rs, 3, 5)
		case scriptHangul:
			rs = append(rs[:0], bowRune)
			for _, r := range t.text {
				rs = append(rs, r)
			}
			rs = append(rs, eowRune)
			dst = appendGrams(dst, nsSyllable, rs[1:len(rs)-1], 1, 1)
			dst = appendGrams(dst, nsSyllable, rs, 2, 3)
			js := []rune{bowRune}
			for _, r := range t.text {
				js = appendJamo(js, r)
			}
			js = append(js, eowRune)
			dst = appendGrams(dst, nsJamo, js, 3, 3)
		case scriptHan:
			rs = rs[:0]
			for _, r := range t.text {
				rs = append(rs, r)
			}
			dst = appendGrams(dst, nsHan, rs, 1, 2)
		case scriptKana:
			rs = rs[:0]
			for _, r := range t.text {
				rs = append(rs, r)
			}
			dst = appendGrams(dst, nsKana, rs, 1, 3)
		}
	}
	// Hangul with the spaces taken out: 알람 맞춰 줘 and 알람맞춰줘 share
	// these, whatever the spacing (띄어쓰기) of the input.
	var joined []rune
	for _, t := range toks {
		if t.script == scriptHangul {
			for _, r := range t.text {
				joined = append(joined, r)
			}
		}
	}
	if len(joined) > 1 {
		dst = appendGrams(dst, nsJoined, joined, 2, 3)
	}
	return sortUnique(dst)
}

// sortUnique sorts feature hashes and drops repeats.
func sortUnique(fs []uint64) []uint64 {
	slices.Sort(fs)
	return slices.Compact(fs)
}

// appendGrams appends the hashed n-grams of rs for lo ≤ n ≤ hi.
func appendGrams(dst []uint64, ns byte, rs []rune, lo, hi int) []uint64 {
	for n := lo; n <= hi; n++ {
		for i := 0; i+n <= len(rs); i++ {
			dst = append(dst, uint64(newHash(ns).runes(rs[i:i+n])))
		}
	}
	return dst
}

package botdef

import (
	"fmt"
	"strings"
)

// suggest returns `; did you mean "x"?` for the closest candidate to got, or
// the list of candidates when none is close. Closeness is the edit distance
// of the lower-cased words, or one containing the other.
func suggest(got string, candidates []string) string {
	if best, ok := closest(got, candidates); ok {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return fmt.Sprintf(" (expected one of: %s)", strings.Join(candidates, ", "))
}

func closest(got string, candidates []string) (string, bool) {
	g := strings.ToLower(got)
	best, bestDist, bestSkew := "", -1, 0
	for _, c := range candidates {
		lc := strings.ToLower(c)
		dist := editDistance(g, lc)
		short, long := len(g), len(lc)
		if short > long {
			short, long = long, short
		}
		// A key that is part of another ("utterances" in
		// "sampleUtterances") is close, unless it is a short word that
		// happens to occur inside ("name" in "slotTypName").
		if short >= 4 && 2*short >= long && (strings.Contains(lc, g) || strings.Contains(g, lc)) {
			dist = min(dist, 1)
		}
		if dist > max(2, len([]rune(lc))/3) {
			continue
		}
		skew := long - short
		if bestDist < 0 || dist < bestDist || dist == bestDist && skew < bestSkew {
			best, bestDist, bestSkew = c, dist, skew
		}
	}
	return best, bestDist >= 0
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

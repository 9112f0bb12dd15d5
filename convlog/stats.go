package convlog

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Stats summarises a stretch of conversation log.
type Stats struct {
	// From and To are the first and last turn's timestamps.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Turns counts every record; Sessions the distinct sessions (bot,
	// alias, locale and session id); Errors the turns that failed.
	Turns    int `json:"turns"`
	Sessions int `json:"sessions"`
	Errors   int `json:"errors"`
	// Utterances counts the RecognizeText turns that answered, Missed
	// those of them that were missed utterances, and FallbackRate is
	// Missed/Utterances (0 without utterances).
	Utterances   int     `json:"utterances"`
	Missed       int     `json:"missed"`
	FallbackRate float64 `json:"fallbackRate"`
	// Intents is how often each intent was chosen, most frequent first.
	Intents []IntentCount `json:"intents"`
	// MissedGroups are the missed utterances grouped by similarity, most
	// frequent group first: the list to add sample utterances from.
	MissedGroups []Group `json:"missedUtterances"`
}

// IntentCount is one row of the intent distribution.
type IntentCount struct {
	Intent string  `json:"intent"`
	Count  int     `json:"count"`
	Share  float64 `json:"share"` // of Utterances
}

// Group is a set of similar utterances: how many times they were said,
// how many distinct texts that was, and the most frequent texts.
type Group struct {
	Count    int      `json:"count"`
	Distinct int      `json:"distinct"`
	Examples []string `json:"examples"`
}

// Summary accumulates records into Stats; the zero value is ready to use.
type Summary struct {
	stats    Stats
	sessions map[[4]string]struct{}
	intents  map[string]int
	missed   []string
}

// Add counts one record.
func (s *Summary) Add(r *Record) {
	if s.sessions == nil {
		s.sessions, s.intents = map[[4]string]struct{}{}, map[string]int{}
	}
	st := &s.stats
	st.Turns++
	if st.From.IsZero() || r.Timestamp.Before(st.From) {
		st.From = r.Timestamp
	}
	if r.Timestamp.After(st.To) {
		st.To = r.Timestamp
	}
	s.sessions[[4]string{r.Bot.ID, r.Bot.AliasID, r.Bot.LocaleID, r.SessionID}] = struct{}{}
	if r.Error != nil {
		st.Errors++
		return
	}
	if r.OperationName != OpRecognizeText {
		return
	}
	st.Utterances++
	if r.Intent != "" {
		s.intents[r.Intent]++
	}
	if r.MissedUtterance {
		st.Missed++
		s.missed = append(s.missed, r.InputTranscript)
	}
}

// Stats returns the summary with at most top missed-utterance groups
// (all when top <= 0), each with up to examples texts.
func (s *Summary) Stats(top, examples int) Stats {
	st := s.stats
	st.Sessions = len(s.sessions)
	if st.Utterances > 0 {
		st.FallbackRate = float64(st.Missed) / float64(st.Utterances)
	}
	st.Intents = []IntentCount{}
	for name, n := range s.intents {
		st.Intents = append(st.Intents, IntentCount{Intent: name, Count: n, Share: float64(n) / float64(st.Utterances)})
	}
	slices.SortFunc(st.Intents, func(a, b IntentCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Intent, b.Intent))
	})
	st.MissedGroups = GroupUtterances(s.missed, examples)
	if top > 0 && len(st.MissedGroups) > top {
		st.MissedGroups = st.MissedGroups[:top]
	}
	return st
}

// SimilarityThreshold is the least Similarity at which an utterance joins
// a group. At 0.5 rephrasings that share most of their words ("I want a
// pizza", "i want pizza please"; "피자 주문할래요", "피자 주문하고 싶어요")
// group, while texts sharing one word do not.
const SimilarityThreshold = 0.5

// Normalize lowercases text and turns everything but letters, digits and
// marks (Hangul and other scripts keep theirs) into single spaces.
func Normalize(text string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// grams returns the set of character bigrams of a normalized text with
// its spaces removed: spacing varies between writers (Korean especially:
// "피자주문" and "피자 주문"), and bigrams of syllables carry Korean's
// meaning as well as English letter pairs carry its words. A Hangul, Han
// or kana character is a gram of its own too: it is a syllable or a word,
// so "피자 주문할래요" and "피자 주문하고 싶어요" share their stems even
// where their endings differ. A one-character text is its own gram.
func grams(norm string) map[string]struct{} {
	rs := []rune(strings.ReplaceAll(norm, " ", ""))
	set := make(map[string]struct{}, 2*len(rs))
	for _, r := range rs {
		if len(rs) == 1 || unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			set[string(r)] = struct{}{}
		}
	}
	for i := 0; i+1 < len(rs); i++ {
		set[string(rs[i:i+2])] = struct{}{}
	}
	return set
}

// Similarity is the Dice coefficient of the two texts' character bigram
// sets after Normalize: 1 for the same text, 0 for nothing in common.
func Similarity(a, b string) float64 {
	ga, gb := grams(Normalize(a)), grams(Normalize(b))
	if len(ga)+len(gb) == 0 {
		return 1
	}
	shared := 0
	for g := range ga {
		if _, ok := gb[g]; ok {
			shared++
		}
	}
	return 2 * float64(shared) / float64(len(ga)+len(gb))
}

// GroupUtterances clusters texts (one entry per time said) greedily: the
// distinct normalized texts, most frequent first, each join the group
// whose first text is most similar to it (at least SimilarityThreshold)
// or start a new one. The groups come most frequent first, each with up to
// examples of its texts as first said, most frequent first. An inverted
// index from bigram to group keeps this near linear in the number of
// distinct texts.
func GroupUtterances(texts []string, examples int) []Group {
	type variant struct {
		norm, text string
		count      int
	}
	byNorm := map[string]*variant{}
	for _, t := range texts {
		n := Normalize(t)
		if n == "" {
			continue
		}
		if v := byNorm[n]; v != nil {
			v.count++
		} else {
			byNorm[n] = &variant{norm: n, text: strings.TrimSpace(t), count: 1}
		}
	}
	variants := slices.SortedFunc(maps.Values(byNorm), func(a, b *variant) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.norm, b.norm))
	})
	type cluster struct {
		size    int // bigrams of the first text
		members []*variant
		count   int
	}
	var clusters []*cluster
	index := map[string][]int{} // bigram -> clusters whose first text has it
	for _, v := range variants {
		g := grams(v.norm)
		shared := map[int]int{}
		for gram := range g {
			for _, c := range index[gram] {
				shared[c]++
			}
		}
		best, bestSim := -1, 0.0
		for c, n := range shared {
			sim := 2 * float64(n) / float64(len(g)+clusters[c].size)
			if sim > bestSim || (sim == bestSim && c < best) {
				best, bestSim = c, sim
			}
		}
		if best >= 0 && bestSim >= SimilarityThreshold {
			clusters[best].members = append(clusters[best].members, v)
			clusters[best].count += v.count
			continue
		}
		for gram := range g {
			index[gram] = append(index[gram], len(clusters))
		}
		clusters = append(clusters, &cluster{size: len(g), members: []*variant{v}, count: v.count})
	}
	groups := make([]Group, 0, len(clusters))
	for _, c := range clusters {
		g := Group{Count: c.count, Distinct: len(c.members)}
		// Members joined most frequent first, so the first are the examples.
		for _, m := range c.members[:min(len(c.members), max(examples, 1))] {
			g.Examples = append(g.Examples, m.text)
		}
		groups = append(groups, g)
	}
	slices.SortStableFunc(groups, func(a, b Group) int { return cmp.Compare(b.Count, a.Count) })
	return groups
}

package entity

import (
	_ "embed"
	"slices"
	"strings"
	"time"
	"unicode"
)

// The gazetteers are plain text so that adding a place is a one-line data
// change: one place per line, "English names|Korean names|Chinese names",
// names separated by commas. Every name of every language is accepted in
// every locale (users type "Seoul" in a Korean bot), and the value is the
// name as said, in the spelling of the list: Lex documents the City value
// as "city name as recognized; variants not normalized", so "NYC" stays
// "NYC" and "서울" stays "서울".
var (
	//go:embed data/cities.txt
	citiesText string
	//go:embed data/countries.txt
	countriesText string
	//go:embed data/states.txt
	statesText string

	cities    = parseGazetteer(citiesText)
	countries = parseGazetteer(countriesText)
	states    = parseGazetteer(statesText)
)

// placeName is one way to say a place.
type placeName struct {
	form  []rune // lower-cased; a space matches any run of spaces, or none
	value string // the spelling returned as the value
}

// gazetteer indexes place names by their first rune, longest first, so the
// first name that matches at a position is the longest one.
type gazetteer map[rune][]placeName

func parseGazetteer(text string) gazetteer {
	g := gazetteer{}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		for field := range strings.SplitSeq(line, "|") {
			for name := range strings.SplitSeq(field, ",") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				form := []rune(strings.ToLower(name))
				g[form[0]] = append(g[form[0]], placeName{form: form, value: name})
			}
		}
	}
	for _, names := range g {
		slices.SortStableFunc(names, func(a, b placeName) int { return len(b.form) - len(a.form) })
	}
	return g
}

// enCommonWords are place names that are also ordinary English words; said
// in lower case ("us", "turkey sandwich") they are not places.
var enCommonWords = map[string]bool{
	"us": true, "turkey": true, "chad": true, "jordan": true, "china": true,
	"guinea": true, "georgia": true, "chile": true, "mali": true, "niger": true,
	"la": true, "victoria": true, "virginia": true, "austin": true, "charlotte": true,
}

// koPlaceFollowers may follow a Korean place name directly: particles
// (서울에서, 부산으로), polite endings (대구요) and words that attach
// without a space (부산행, 서울역, 제주공항, 서울시).
var koPlaceFollowers = []string{
	"에서", "에", "으로", "로", "까지", "부터", "은", "는", "이", "가", "을", "를", "의",
	"도", "만", "요", "이요", "입니다", "이에요", "예요", "에요", "이야", "야", "랑", "이랑",
	"하고", "과", "와", "행", "역", "공항", "시", "쪽", "출발", "도착", "근처", "주", "성",
}

// placeAt returns the end of the longest name of g at i and its value.
func placeAt(in *input, i int, g gazetteer) (int, string, bool) {
	for _, n := range g[in.r[i]] {
		j, ok := matchForm(in, i, n.form)
		if !ok || !placeEnd(in, j, n.form[len(n.form)-1]) {
			continue
		}
		said := in.cased[i:j]
		if enCommonWords[string(n.form)] && string(said) == strings.ToLower(string(said)) {
			continue
		}
		return j, n.value, true
	}
	return i, "", false
}

// matchForm matches a lower-cased name at i; a space in the name matches
// any run of spaces or none ("워싱턴DC", "new  york").
func matchForm(in *input, i int, form []rune) (int, bool) {
	j := i
	for _, c := range form {
		if c == ' ' {
			j = in.spaces(j)
			continue
		}
		if in.at(j) != c {
			return i, false
		}
		j++
	}
	return j, true
}

// placeEnd reports whether a name ending in rune last may end before j:
// Latin names end a word, Korean names end the eojeol or take a particle,
// and Chinese has no word boundaries to check.
func placeEnd(in *input, j int, last rune) bool {
	switch {
	case isHangul(last):
		if !isHangul(in.at(j)) {
			return true
		}
		k, _ := in.longest(j, koPlaceFollowers)
		return k > 0
	case isHan(last):
		return true
	}
	// A Latin name may run into Hangul or Han ("Seoul이요") but not into
	// another letter of its own script.
	c := in.at(j)
	return in.latinEnd(j) && !(unicode.IsLetter(c) && !isHangul(c) && !isHan(c))
}

func findPlaces(g gazetteer) func(in *input, _ lang, _ time.Time) []span {
	return func(in *input, _ lang, _ time.Time) []span {
		return scan(in, []rule{func(in *input, i int) (span, bool) {
			j, v, ok := placeAt(in, i, g)
			return span{end: j, value: v}, ok
		}})
	}
}

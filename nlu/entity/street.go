package entity

import (
	"strings"
	"time"
	"unicode"
)

// AMAZON.StreetName is "a street name without the house number". A street is
// recognised by its type word (Street, 로/대로/길, 路/街), and the name
// words before it; a number before (123 Main Street) or after (세종대로 110,
// 南京东路123号) is left out.

func findStreets(in *input, lg lang, _ time.Time) []span {
	var out []span
	switch lg {
	case langKo:
		out = scan(in, []rule{koStreet})
	case langZh:
		out = zhStreets(in)
	}
	if len(out) == 0 {
		out = enStreets(in)
	}
	return out
}

// ---- English ----

// enStreetTypes are the street type words and their abbreviations.
var enStreetTypes = []string{
	"street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln",
	"drive", "dr", "way", "court", "ct", "place", "pl", "terrace", "parkway", "pkwy",
	"highway", "hwy", "circle", "square", "sq", "crescent", "close", "row", "alley", "trail",
}

// enPlainStreetTypes are type words that are also ordinary words ("by the
// way", "my place", "drive"); before them only capitalised names count.
var enPlainStreetTypes = map[string]bool{
	"way": true, "place": true, "court": true, "close": true, "row": true, "circle": true,
	"square": true, "drive": true, "trail": true, "alley": true, "terrace": true, "crescent": true,
}

// enNotStreetWords end the name going backwards: words that introduce an
// address or belong to the sentence, not to the street's name.
var enNotStreetWords = map[string]bool{
	"on": true, "at": true, "in": true, "to": true, "from": true, "of": true, "live": true,
	"lives": true, "is": true, "it's": true, "its": true, "my": true, "address": true,
	"and": true, "near": true, "by": true, "the": true, "a": true, "i": true, "we": true,
	"no": true, "this": true, "that": true, "which": true, "any": true, "one": true,
	"some": true, "other": true, "same": true, "all": true, "every": true, "what": true,
	"go": true, "take": true, "me": true, "down": true, "up": true,
	"off": true, "corner": true, "turn": true, "left": true, "right": true, "onto": true,
	"into": true, "toward": true, "towards": true, "along": true, "for": true,
	"please": true, "was": true, "are": true, "that's": true, "thats": true,
}

// latinWords splits the input into runs of letters, digits and inner ' . -.
func latinWords(in *input) [][2]int {
	var ws [][2]int
	for i := 0; i < len(in.r); {
		if !isASCIILetter(in.r[i]) && !isDigit(in.r[i]) {
			i++
			continue
		}
		j := i
		for isASCIILetter(in.at(j)) || isDigit(in.at(j)) ||
			(in.at(j) == '\'' || in.at(j) == '-') && isASCIILetter(in.at(j+1)) {
			j++
		}
		ws = append(ws, [2]int{i, j})
		i = j
	}
	return ws
}

func enStreets(in *input) []span {
	ws := latinWords(in)
	var out []span
	last := -1 // index of the last word already used
	for k, w := range ws {
		typ := string(in.r[w[0]:w[1]])
		if k <= last || !isStreetType(typ) {
			continue
		}
		// Walk back over at most three name words.
		first := k
		for first > last+1 && k-first < 3 {
			p := ws[first-1]
			word := string(in.r[p[0]:p[1]])
			if enNotStreetWords[word] || isStreetType(word) || !streetNameWord(word) {
				break
			}
			if enPlainStreetTypes[typ] && !unicode.IsUpper(in.cased[p[0]]) && !isDigit(in.cased[p[0]]) {
				break
			}
			// Words must be adjacent: only spaces between them.
			if strings.TrimSpace(string(in.r[p[1]:ws[first][0]])) != "" {
				break
			}
			first--
		}
		if first == k {
			continue
		}
		end := w[1]
		out = append(out, span{start: ws[first][0], end: end, value: titleWords(in, ws[first][0], end)})
		last = k
	}
	return out
}

func isStreetType(w string) bool {
	for _, t := range enStreetTypes {
		if w == t {
			return true
		}
	}
	return false
}

// streetNameWord accepts letters and ordinals ("5th", "42nd"), not house
// numbers.
func streetNameWord(w string) bool {
	if w == "" {
		return false
	}
	if isDigit(rune(w[0])) {
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			if n := strings.TrimSuffix(w, suf); n != w && strings.Trim(n, "0123456789") == "" {
				return true
			}
		}
		return false
	}
	return true
}

// titleWords capitalises each word said in lower case, keeping any other
// casing as said ("main st" → "Main St", "McKinley Ave" unchanged).
func titleWords(in *input, a, b int) string {
	ws := strings.Fields(string(in.cased[a:b]))
	for k, w := range ws {
		if w == strings.ToLower(w) {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			ws[k] = string(r)
		}
	}
	return strings.Join(ws, " ")
}

// ---- Korean ----

// koFamousStreets are road names ending in 로 that are said without a
// house number often enough to be listed; other 로 words need a number
// or a following 길 to tell them from the particle 로 (카드로, 서울로).
var koFamousStreets = []string{
	"테헤란로", "종로", "을지로", "퇴계로", "충무로", "올림픽로", "세종로", "남부순환로",
	"강변북로", "동부간선로", "서부간선로", "도산대로", "세종대로", "강남대로", "한강대로",
}

// koStreetFollowers may follow a road name: particles and place words.
var koStreetFollowers = []string{
	"에서", "에", "까지", "부터", "쪽", "변", "요", "이요", "입니다", "예요", "에요", "이에요",
	"은", "는", "을", "를", "의", "이", "가", "상", "근처", "사거리", "역",
}

// koStreet reads a road name (도로명): a Hangul word ending in 대로, 길 or
// 로, optionally with a numbered branch (테헤란로7길, 논현로 28길).
func koStreet(in *input, i int) (span, bool) {
	j := hangulWord(in, i)
	if j-i < 2 {
		return span{}, false
	}
	word := string(in.r[i:j])
	// A branch road: 테헤란로7길, 논현로 28길, 논현로28번길.
	if strings.HasSuffix(word, "로") || strings.HasSuffix(word, "대로") {
		k := in.spaces(j)
		n := k
		for isDigit(in.at(n)) {
			n++
		}
		if n > k {
			if e := in.longestWord(n, "번길", "길"); e > 0 {
				return span{end: e, value: compactSpaces(in, i, e)}, true
			}
		}
	}
	// Cut particles from the end of the word, keeping the road type.
	for end := j; end-i >= 2; end-- {
		w := string(in.r[i:end])
		if !strings.HasSuffix(w, "로") && !strings.HasSuffix(w, "길") {
			continue
		}
		if end < j {
			if k, _ := in.longest(end, koStreetFollowers); k != j {
				continue
			}
		}
		if strings.HasSuffix(w, "대로") || strings.HasSuffix(w, "길") && len([]rune(w)) >= 3 || isFamousStreet(w) {
			return span{end: end, value: w}, true
		}
		// X로 followed by a house number: "중앙로 12".
		if k := in.spaces(end); k > end && isDigit(in.at(k)) && end == j {
			return span{end: end, value: w}, true
		}
	}
	return span{}, false
}

func isFamousStreet(w string) bool {
	for _, s := range koFamousStreets {
		if w == s {
			return true
		}
	}
	return false
}

// compactSpaces returns the cased text with spaces removed: road branch
// names are written without them (논현로 28길 → 논현로28길).
func compactSpaces(in *input, a, b int) string {
	return strings.Join(strings.Fields(string(in.cased[a:b])), "")
}

// ---- Chinese ----

// zhStreetTypes end a Chinese street name.
var zhStreetTypes = []string{"大街", "大道", "街", "路", "胡同", "巷"}

// zhStreetStops cannot be part of a street name: they belong to the
// sentence around it (我住在南京东路 → 南京东路).
const zhStreetStops = "我你他她它在住到去从的是于往向和跟还就要想离近请帮送条这那个家号门"

func zhStreets(in *input) []span {
	var out []span
	for i := 0; i < len(in.r); i++ {
		if !isHan(in.r[i]) {
			continue
		}
		end, _ := in.longest(i, zhStreetTypes)
		if end < 0 {
			continue
		}
		start := i
		for start > 0 && i-start < 5 && isHan(in.r[start-1]) && !strings.ContainsRune(zhStreetStops, in.r[start-1]) {
			start--
		}
		if len(out) > 0 && start < out[len(out)-1].end {
			start = out[len(out)-1].end
		}
		// A one-character name is usually a word (马路, 走路, 一路).
		if i-start < 2 {
			continue
		}
		out = append(out, span{start: start, end: end, value: string(in.cased[start:end])})
		i = end - 1
	}
	return out
}

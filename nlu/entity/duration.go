package entity

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration components, largest first, in the order of ISO-8601
// PnYnMnWnDTnHnMnS.
const (
	durYears = iota
	durMonths
	durWeeks
	durDays
	durHours
	durMinutes
	durSeconds
	durUnits
)

// durDesignators are the ISO-8601 letters of the components.
const durDesignators = "YMWDHMS"

// durLower says how a fraction of a unit carries into a smaller one: half a
// year is six months, half a month fifteen days, half a day twelve hours.
var durLower = [durUnits]struct{ unit, factor int }{
	durYears:   {durMonths, 12},
	durMonths:  {durDays, 30},
	durWeeks:   {durDays, 7},
	durDays:    {durHours, 24},
	durHours:   {durMinutes, 60},
	durMinutes: {durSeconds, 60},
	durSeconds: {durSeconds, 0},
}

// duration accumulates components as they are read.
type duration struct {
	v   [durUnits]int
	set [durUnits]bool
}

// add adds q units, carrying any fraction into the next smaller unit.
func (d *duration) add(unit int, q float64) {
	whole := math.Floor(q + 1e-9)
	frac := q - whole
	// Half an hour is PT30M, not PT0H30M.
	if whole > 0 || frac < 1e-6 {
		d.v[unit] += int(whole)
		d.set[unit] = true
	}
	if frac < 1e-6 {
		return
	}
	lower := durLower[unit]
	if lower.factor == 0 {
		return
	}
	d.add(lower.unit, math.Round(frac*float64(lower.factor)*1e6)/1e6)
}

func (d *duration) String() string {
	var b strings.Builder
	b.WriteByte('P')
	for u := durYears; u < durUnits; u++ {
		if u == durHours && (d.set[durHours] || d.set[durMinutes] || d.set[durSeconds]) {
			b.WriteByte('T')
		}
		if d.set[u] {
			b.WriteString(strconv.Itoa(d.v[u]))
			b.WriteByte(durDesignators[u])
		}
	}
	return b.String()
}

// quantityUnit is one "number unit" component of a duration; the parsers for
// each language return it and durationRule strings components together.
type quantityUnit struct {
	q    float64
	unit int
	end  int
}

// durationRule reads one or more components in decreasing unit order,
// joined by sep ("five hours ten minutes", "1시간 30분"), then an optional
// tail word ("3일 동안").
func durationRule(component func(*input, int) (quantityUnit, bool), sep func(*input, int) int, tail func(*input, int) int) rule {
	return func(in *input, i int) (span, bool) {
		var d duration
		last, end := -1, -1
		j := i
		for {
			c, ok := component(in, j)
			if !ok || c.unit <= last {
				break
			}
			d.add(c.unit, c.q)
			last, end = c.unit, c.end
			j = sep(in, end)
		}
		if end < 0 {
			return span{}, false
		}
		if tail != nil {
			end = tail(in, end)
		}
		return span{end: end, value: d.String()}, true
	}
}

func findDurations(in *input, lg lang, _ time.Time) []span {
	switch lg {
	case langKo:
		return scan(in, []rule{durationRule(koDurationPart, koDurationSep, koDurationTail)})
	case langZh:
		return scan(in, []rule{durationRule(zhDurationPart, zhDurationSep, nil)})
	}
	return scan(in, []rule{durationRule(enDurationPart, enDurationSep, nil)})
}

// ---- English ----

var enDurUnits = map[string]int{
	"second": durSeconds, "seconds": durSeconds, "sec": durSeconds, "secs": durSeconds,
	"minute": durMinutes, "minutes": durMinutes, "min": durMinutes, "mins": durMinutes,
	"hour": durHours, "hours": durHours, "hr": durHours, "hrs": durHours,
	"day": durDays, "days": durDays, "week": durWeeks, "weeks": durWeeks,
	"wk": durWeeks, "wks": durWeeks, "month": durMonths, "months": durMonths,
	"year": durYears, "years": durYears, "yr": durYears, "yrs": durYears,
}

// enAndAHalf reads " and a half" after i, returning its end or -1.
func enAndAHalf(in *input, i int) int {
	g, ok := in.gap(i)
	if !ok {
		return -1
	}
	return in.word(g, "and a half")
}

func enDurationPart(in *input, i int) (quantityUnit, bool) {
	var q float64
	j := -1
	if k := in.word(i, "half"); k > 0 {
		// "half an hour", "half hour"
		q, j = 0.5, k
		if g, ok := in.gap(k); ok {
			if a := in.longestWord(g, "a", "an"); a > 0 {
				j = a
			}
		}
	} else if k := in.longestWord(i, "a couple of", "couple of"); k > 0 {
		q, j = 2, k
	} else if k := in.longestWord(i, "a", "an"); k > 0 {
		q, j = 1, k
		// "a half hour"
		if g, ok := in.gap(k); ok {
			if h := in.word(g, "half"); h > 0 {
				q, j = 0.5, h
			}
		}
	} else if n, k, ok := parseDigits(in, i); ok {
		q, j = n.float(), k
	} else if v, k, ok := parseEnInt(in, i); ok {
		q, j = float64(v), k
		if h := enAndAHalf(in, k); h > 0 {
			q, j = q+0.5, h
		}
	}
	if j < 0 {
		return quantityUnit{}, false
	}
	g := in.spaces(j)
	if g == j && !isDigit(in.at(j-1)) {
		return quantityUnit{}, false
	}
	w, e := in.latinWord(g)
	u, ok := enDurUnits[w]
	if !ok {
		return quantityUnit{}, false
	}
	// "an hour and a half"
	if h := enAndAHalf(in, e); h > 0 && q == math.Floor(q) {
		q, e = q+0.5, h
	}
	return quantityUnit{q: q, unit: u, end: e}, true
}

func enDurationSep(in *input, i int) int {
	j := i
	if in.at(j) == ',' {
		j++
	}
	j = in.spaces(j)
	if k := in.word(j, "and"); k > 0 {
		j = in.spaces(k)
	}
	return j
}

// ---- Korean ----

var koDurUnits = []struct {
	w      string
	unit   int
	native bool // native numerals may count it (세 시간, 두 달)
	sino   bool // Sino numerals may count it (삼십 분, 삼 일)
}{
	{"초", durSeconds, false, true}, {"분", durMinutes, false, true},
	{"시간", durHours, true, false}, {"일", durDays, false, true},
	{"주", durWeeks, true, true}, {"주일", durWeeks, false, true},
	{"개월", durMonths, false, true}, {"달", durMonths, true, false},
	{"년", durYears, false, true}, {"해", durYears, true, false},
}

// koNotDurations are words that read like a Sino numeral and a unit: 이분
// "this person", 오일 "oil".
var koNotDurations = []string{"이분", "오일"}

func koDurationPart(in *input, i int) (quantityUnit, bool) {
	for _, w := range koDayWords {
		if k := in.lit(i, w.w); k > 0 {
			q := float64(w.n)
			// "하루 반": a day and a half
			if h := in.lit(in.spaces(k), "반"); h > 0 {
				q, k = q+0.5, h
			}
			return quantityUnit{q: q, unit: durDays, end: k}, true
		}
	}
	for _, w := range koNotDurations {
		if in.lit(i, w) > 0 {
			return quantityUnit{}, false
		}
	}
	var best quantityUnit
	found := false
	consider := func(q float64, j int, native, sino bool) {
		k := in.spaces(j)
		for _, u := range koDurUnits {
			e := in.lit(k, u.w)
			if e < 0 || native && !u.native || sino && !u.sino {
				continue
			}
			qq := q
			// "한 시간 반", "한시간반"
			if h := in.lit(in.spaces(e), "반"); h > 0 {
				qq, e = q+0.5, h
			}
			if !found || e > best.end {
				best, found = quantityUnit{q: qq, unit: u.unit, end: e}, true
			}
		}
	}
	if n, j, ok := parseDigits(in, i); ok {
		consider(n.float(), j, false, false)
	}
	if v, j, syl, ok := parseKoSino(in, i); ok && syl > 0 {
		consider(float64(v), j, false, true)
	}
	if v, j, ok := parseKoNative(in, i); ok {
		consider(float64(v), j, true, false)
	}
	return best, found
}

func koDurationSep(in *input, i int) int { return in.spaces(i) }

// koDurationTail takes in "동안" and "간" ("3일 동안", "2주간").
func koDurationTail(in *input, i int) int {
	if in.at(i) == '간' {
		return i + 1
	}
	if k := in.lit(in.spaces(i), "동안"); k > 0 {
		return k
	}
	return i
}

// ---- Chinese ----

var zhDurUnits = []struct {
	w    string
	unit int
	mult float64
}{
	{"秒", durSeconds, 1}, {"秒钟", durSeconds, 1}, {"分钟", durMinutes, 1},
	{"刻钟", durMinutes, 15}, {"小时", durHours, 1}, {"个小时", durHours, 1},
	{"钟头", durHours, 1}, {"个钟头", durHours, 1}, {"天", durDays, 1},
	{"周", durWeeks, 1}, {"个星期", durWeeks, 1}, {"星期", durWeeks, 1},
	{"个礼拜", durWeeks, 1}, {"礼拜", durWeeks, 1}, {"个月", durMonths, 1},
	{"年", durYears, 1},
}

// zhHalfUnits may follow 个半 ("一个半小时", "一个半月").
var zhHalfUnits = []struct {
	w    string
	unit int
}{{"小时", durHours}, {"钟头", durHours}, {"月", durMonths}, {"星期", durWeeks}, {"礼拜", durWeeks}}

func zhDurationPart(in *input, i int) (quantityUnit, bool) {
	var q float64
	j := -1
	if in.at(i) == '半' {
		q, j = 0.5, i+1
	} else if n, k, ok := parseDigits(in, i); ok {
		q, j = n.float(), k
	} else if v, k, ok := parseZhInt(in, i); ok {
		q, j = float64(v), k
	}
	if j < 0 {
		return quantityUnit{}, false
	}
	j = in.spaces(j)
	if k := in.lit(j, "个半"); k > 0 && q >= 1 {
		for _, u := range zhHalfUnits {
			if e := in.lit(k, u.w); e > 0 {
				return quantityUnit{q: q + 0.5, unit: u.unit, end: e}, true
			}
		}
		return quantityUnit{}, false
	}
	best, end := zhDurUnits[0], -1
	for _, u := range zhDurUnits {
		if e := in.lit(j, u.w); e > end {
			best, end = u, e
		}
	}
	if end < 0 {
		return quantityUnit{}, false
	}
	return quantityUnit{q: q * best.mult, unit: best.unit, end: end}, true
}

// zhDurationSep allows spaces and a linking 零 ("一小时零五分钟").
func zhDurationSep(in *input, i int) int {
	j := in.spaces(i)
	if in.at(j) == '零' {
		j++
	}
	return j
}

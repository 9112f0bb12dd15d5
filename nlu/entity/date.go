package entity

import (
	"time"
)

// Date resolution rules, fixed here because Lex documents them only for
// English and only in outline:
//
//   - A specific day resolves to YYYY-MM-DD in ref's location.
//   - A weekday on its own ("friday", "금요일", "星期五") or with "this"/"on"
//     is its next occurrence on or after today.
//   - "next friday", "다음 주 금요일", "下周五" are that weekday in the
//     following calendar week (weeks start on Monday); "이번 주 금요일",
//     "这周五" are the weekday in the current calendar week, even if it has
//     passed; "last friday", "지난주 금요일", "上周五" use the previous
//     calendar week, so on a Wednesday "last monday" is nine days back.
//   - A month and day without a year ("march 5", "3월 5일") is the next
//     occurrence on or after today; a day alone ("5일", "5号", "the 5th") is
//     that day in the current month, or the next month that has it.
//   - Week, month and year words alone ("next week", "다음 주", "下周") give
//     no match: Lex's own rules for them (e.g. "next week" → that Sunday)
//     are not implemented.

// civil resolves calendar days relative to the day of ref, in ref's location.
type civil struct {
	ref time.Time
}

// day returns today plus n days, formatted. Noon avoids DST edge cases.
func (c civil) day(n int) string {
	y, m, d := c.ref.Date()
	return time.Date(y, m, d+n, 12, 0, 0, 0, c.ref.Location()).Format("2006-01-02")
}

// months returns the same day n months from today, formatted.
func (c civil) months(n int) string {
	y, m, d := c.ref.Date()
	t := time.Date(y, m+time.Month(n), 1, 12, 0, 0, 0, c.ref.Location())
	// Clamp "one month after January 31" to the last day of February.
	if dim := daysIn(t.Year(), t.Month()); d > dim {
		d = dim
	}
	return time.Date(t.Year(), t.Month(), d, 12, 0, 0, 0, c.ref.Location()).Format("2006-01-02")
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func validDate(y int, m time.Month, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func format(y int, m time.Month, d int) string {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// monthDay resolves a month and day with an optional year (0 = none) to the
// next occurrence on or after today.
func (c civil) monthDay(y int, m time.Month, d int) (string, bool) {
	if y != 0 {
		if !validDate(y, m, d) {
			return "", false
		}
		return format(y, m, d), true
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	ty, tm, td := c.ref.Date()
	y = ty
	if m < tm || m == tm && d < td {
		y++
	}
	// February 29 waits for the next leap year.
	for k := 0; k < 8; k++ {
		if validDate(y+k, m, d) {
			return format(y+k, m, d), true
		}
	}
	return "", false
}

// inMonth resolves day d of the month n months from the current one.
func (c civil) inMonth(n, d int) (string, bool) {
	y, m, _ := c.ref.Date()
	t := time.Date(y, m+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	if !validDate(t.Year(), t.Month(), d) {
		return "", false
	}
	return format(t.Year(), t.Month(), d), true
}

// dayOfMonth resolves a day number alone: this month if not yet past,
// otherwise the next month that has that day.
func (c civil) dayOfMonth(d int) (string, bool) {
	if d < 1 || d > 31 {
		return "", false
	}
	ty, tm, td := c.ref.Date()
	start := 0
	if d < td {
		start = 1
	}
	for k := start; k < start+12; k++ {
		t := time.Date(ty, tm+time.Month(k), 1, 12, 0, 0, 0, time.UTC)
		if validDate(t.Year(), t.Month(), d) {
			return format(t.Year(), t.Month(), d), true
		}
	}
	return "", false
}

// weekday resolves weekday wd in the calendar week that is week weeks from
// the current one (0 this, 1 next, -1 last), or, for weekNextOccurrence, its
// next occurrence on or after today.
func (c civil) weekday(wd time.Weekday, week int) string {
	today := c.ref.Weekday()
	if week == weekNextOccurrence {
		return c.day((int(wd) - int(today) + 7) % 7)
	}
	// Monday-start index: Monday 0 … Sunday 6.
	idx := func(w time.Weekday) int { return (int(w) + 6) % 7 }
	return c.day(idx(wd) - idx(today) + 7*week)
}

// weekNextOccurrence asks weekday for the next occurrence on/after today.
const weekNextOccurrence = -100

// relUnit is a calendar unit for "in 3 days" / "3일 후" / "三天后".
type relUnit int

const (
	relDay relUnit = iota
	relWeek
	relMonth
	relYear
)

func (c civil) offset(n int, u relUnit) string {
	switch u {
	case relWeek:
		return c.day(7 * n)
	case relMonth:
		return c.months(n)
	case relYear:
		return c.months(12 * n)
	}
	return c.day(n)
}

func findDates(in *input, lg lang, ref time.Time) []span {
	c := civil{ref: ref}
	rules := []rule{c.numericDate}
	switch lg {
	case langKo:
		rules = append(rules, c.koDate)
	case langZh:
		rules = append(rules, c.zhDate)
	default:
		rules = append(rules, c.enDate)
	}
	return scan(in, rules)
}

// numericDate reads 2026-03-05, 2026/3/5, 2026.3.5 and US-style 3/5 and
// 3/5/2026.
func (c civil) numericDate(in *input, i int) (span, bool) {
	a, j, ok := parseDigitInt(in, i)
	if !ok {
		return span{}, false
	}
	sep := in.at(j)
	if sep != '-' && sep != '/' && sep != '.' {
		return span{}, false
	}
	b, k, ok := parseDigitInt(in, j+1)
	if !ok || k-j-1 > 2 {
		return span{}, false
	}
	if j-i == 4 {
		if in.at(k) != sep {
			return span{}, false
		}
		d, e, ok := parseDigitInt(in, k+1)
		if !ok || e-k-1 > 2 || !validDate(a, time.Month(b), d) || in.at(e) == sep {
			return span{}, false
		}
		return span{end: e, value: format(a, time.Month(b), d)}, true
	}
	if sep != '/' || j-i > 2 {
		return span{}, false
	}
	if in.at(k) == '/' {
		if y, e, ok := parseDigitInt(in, k+1); ok && (e-k-1 == 4 || e-k-1 == 2) {
			if e-k-1 == 2 {
				y += 2000
			}
			if !validDate(y, time.Month(a), b) {
				return span{}, false
			}
			return span{end: e, value: format(y, time.Month(a), b)}, true
		}
		return span{}, false
	}
	v, ok := c.monthDay(0, time.Month(a), b)
	return span{end: k, value: v}, ok
}

// ---- English ----

var enMonths = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
	"oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var enWeekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"tues": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"thurs": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var enOrdinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

var enRelativeDays = []struct {
	w string
	n int
}{
	{"today", 0}, {"tonight", 0}, {"tomorrow", 1}, {"tmrw", 1}, {"tmr", 1},
	{"yesterday", -1}, {"day after tomorrow", 2}, {"the day after tomorrow", 2},
	{"day before yesterday", -2}, {"the day before yesterday", -2},
}

// enMonthAt reads a month name, allowing "sept." style abbreviations.
func enMonthAt(in *input, i int) (time.Month, int, bool) {
	w, j := in.latinWord(i)
	m, ok := enMonths[w]
	if !ok {
		return 0, i, false
	}
	if len(w) <= 4 && in.at(j) == '.' {
		j++
	}
	return m, j, true
}

// enDay reads a day of the month: 5, 5th, fifth, twenty-first, five.
// ordinal reports whether it was said as an ordinal.
func enDay(in *input, i int) (d, end int, ordinal, ok bool) {
	if v, j, ok := parseDigitInt(in, i); ok && j-i <= 2 {
		if k := in.longestWord(j, "st", "nd", "rd", "th"); k > 0 {
			return v, k, true, true
		}
		if isASCIILetter(in.at(j)) {
			return 0, i, false, false
		}
		return v, j, false, true
	}
	w, j := in.latinWord(i)
	if v, ok := enOrdinals[w]; ok {
		return v, j, true, true
	}
	if t, ok := enTens[w]; ok && (t == 20 || t == 30) {
		k := j
		if in.at(k) == '-' || in.at(k) == ' ' {
			k++
		}
		u, e := in.latinWord(k)
		if v, ok := enOrdinals[u]; ok && v <= 9 {
			return int(t) + v, e, true, true
		}
	}
	if v, e, ok := parseEnInt(in, i); ok && v >= 1 && v <= 31 {
		return int(v), e, false, true
	}
	return 0, i, false, false
}

// enYearAfter reads ", 2026" or " 2026" after a date.
func enYearAfter(in *input, i int) (int, int) {
	j := i
	if in.at(j) == ',' {
		j++
	}
	j = in.spaces(j)
	if j == i {
		return 0, i
	}
	if y, e, ok := parseDigitInt(in, j); ok && e-j == 4 {
		return y, e
	}
	return 0, i
}

func (c civil) enDate(in *input, i int) (span, bool) {
	var best span
	found := false
	try := func(s span, ok bool) {
		if ok && (!found || s.end > best.end) {
			best, found = s, true
		}
	}
	for _, r := range enRelativeDays {
		if k := in.word(i, r.w); k > 0 {
			try(span{end: k, value: c.day(r.n)}, true)
		}
	}
	try(c.enWeekdayDate(in, i))
	try(c.enMonthDate(in, i))
	try(c.enRelativeDate(in, i))
	return best, found
}

func (c civil) enWeekdayDate(in *input, i int) (span, bool) {
	week := weekNextOccurrence
	j := i
	if k := in.longestWord(i, "this", "this coming", "coming", "on", "next", "last", "the following"); k > 0 {
		if g, ok := in.gap(k); ok {
			switch string(in.r[i:k]) {
			case "next", "the following":
				week = 1
			case "last":
				week = -1
			}
			j = g
		}
	}
	w, k := in.latinWord(j)
	wd, ok := enWeekdays[w]
	if !ok {
		return span{}, false
	}
	// "friday next week"
	if g, ok := in.gap(k); ok && week == weekNextOccurrence {
		if e := in.word(g, "next week"); e > 0 {
			return span{end: e, value: c.weekday(wd, 1)}, true
		}
		if e := in.word(g, "this week"); e > 0 {
			return span{end: e, value: c.weekday(wd, 0)}, true
		}
	}
	return span{end: k, value: c.weekday(wd, week)}, true
}

func (c civil) enMonthDate(in *input, i int) (span, bool) {
	// "march 5", "march 5th, 2026", "march the fifth"
	if m, j, ok := enMonthAt(in, i); ok {
		g, ok := in.gap(j)
		if !ok {
			return span{}, false
		}
		if k := in.word(g, "the"); k > 0 {
			g = in.spaces(k)
		}
		d, e, _, ok := enDay(in, g)
		if !ok {
			return span{}, false
		}
		y, ye := enYearAfter(in, e)
		v, ok := c.monthDay(y, m, d)
		return span{end: ye, value: v}, ok
	}
	// "5 march", "5th of march", "the fifth of march", "the 5th"
	j := i
	the := false
	if k := in.word(i, "the"); k > 0 {
		j, the = in.spaces(k), true
	}
	d, e, ordinal, ok := enDay(in, j)
	if !ok {
		return span{}, false
	}
	g, _ := in.gap(e)
	if k := in.word(g, "of"); k > 0 {
		g = in.spaces(k)
	}
	if m, me, ok := enMonthAt(in, g); ok && g > e {
		y, ye := enYearAfter(in, me)
		v, ok := c.monthDay(y, m, d)
		return span{end: ye, value: v}, ok
	}
	if the && ordinal {
		v, ok := c.dayOfMonth(d)
		return span{end: e, value: v}, ok
	}
	return span{}, false
}

var enRelUnits = map[string]relUnit{
	"day": relDay, "days": relDay, "week": relWeek, "weeks": relWeek,
	"month": relMonth, "months": relMonth, "year": relYear, "years": relYear,
}

// enCount reads a count for "in 3 days": digits, words, "a"/"an".
func enCount(in *input, i int) (int, int, bool) {
	if v, j, ok := parseDigitInt(in, i); ok {
		return v, j, true
	}
	if k := in.longestWord(i, "a", "an", "one"); k > 0 {
		return 1, k, true
	}
	if v, j, ok := parseEnInt(in, i); ok && v < 10000 {
		return int(v), j, true
	}
	return 0, i, false
}

// enRelativeDate reads "in 3 days", "3 days later", "two weeks from now",
// "3 days ago".
func (c civil) enRelativeDate(in *input, i int) (span, bool) {
	j, cued := i, false
	if k := in.word(i, "in"); k > 0 {
		if g, ok := in.gap(k); ok {
			j, cued = g, true
		}
	}
	n, k, ok := enCount(in, j)
	if !ok {
		return span{}, false
	}
	g, ok := in.gap(k)
	if !ok {
		return span{}, false
	}
	w, e := in.latinWord(g)
	u, ok := enRelUnits[w]
	if !ok {
		return span{}, false
	}
	if cued {
		return span{end: e, value: c.offset(n, u)}, true
	}
	g, ok = in.gap(e)
	if !ok {
		return span{}, false
	}
	if s := in.longestWord(g, "later", "from now", "from today", "after today", "hence"); s > 0 {
		return span{end: s, value: c.offset(n, u)}, true
	}
	if s := in.word(g, "ago"); s > 0 {
		return span{end: s, value: c.offset(-n, u)}, true
	}
	return span{}, false
}

// ---- Korean ----

var koRelativeDays = []struct {
	w string
	n int
}{
	{"오늘", 0}, {"내일", 1}, {"낼", 1}, {"모레", 2}, {"내일모레", 2}, {"낼모레", 2},
	{"글피", 3}, {"어제", -1}, {"그제", -2}, {"그저께", -2}, {"엊그제", -2},
}

var koWeekdays = []struct {
	w  string
	wd time.Weekday
}{
	{"월요일", time.Monday}, {"화요일", time.Tuesday}, {"수요일", time.Wednesday},
	{"목요일", time.Thursday}, {"금요일", time.Friday}, {"토요일", time.Saturday},
	{"일요일", time.Sunday}, {"월욜", time.Monday}, {"화욜", time.Tuesday},
	{"수욜", time.Wednesday}, {"목욜", time.Thursday}, {"금욜", time.Friday},
	{"토욜", time.Saturday}, {"일욜", time.Sunday},
}

// koWeekPrefixes select the calendar week of a following weekday.
var koWeekPrefixes = []struct {
	w    string
	week int
}{
	{"이번 주", 0}, {"이번주", 0}, {"금주", 0}, {"이번", weekNextOccurrence},
	{"다음 주", 1}, {"다음주", 1}, {"담주", 1}, {"차주", 1}, {"다음", 1},
	{"다다음 주", 2}, {"다다음주", 2}, {"지난 주", -1}, {"지난주", -1},
	{"저번 주", -1}, {"저번주", -1}, {"지난", -1}, {"저번", -1},
}

// koDayWords are native-Korean day counts (사흘 = three days).
var koDayWords = []struct {
	w string
	n int
}{
	{"하루", 1}, {"이틀", 2}, {"사흘", 3}, {"나흘", 4}, {"닷새", 5}, {"엿새", 6},
	{"이레", 7}, {"여드레", 8}, {"아흐레", 9}, {"열흘", 10},
}

func (c civil) koDate(in *input, i int) (span, bool) {
	var best span
	found := false
	try := func(s span, ok bool) {
		if ok && (!found || s.end > best.end) {
			best, found = s, true
		}
	}
	for _, r := range koRelativeDays {
		if k := in.lit(i, r.w); k > 0 {
			try(span{end: k, value: c.day(r.n)}, true)
		}
	}
	try(c.koWeekdayDate(in, i))
	try(c.koMonthDate(in, i))
	try(c.koRelativeDate(in, i))
	return best, found
}

func koWeekdayAt(in *input, i int) (time.Weekday, int, bool) {
	for _, w := range koWeekdays {
		if k := in.lit(i, w.w); k > 0 {
			return w.wd, k, true
		}
	}
	return 0, i, false
}

func (c civil) koWeekdayDate(in *input, i int) (span, bool) {
	if wd, k, ok := koWeekdayAt(in, i); ok {
		return span{end: k, value: c.weekday(wd, weekNextOccurrence)}, true
	}
	for _, p := range koWeekPrefixes {
		k := in.lit(i, p.w)
		if k < 0 {
			continue
		}
		k = in.spaces(k)
		if e := in.lit(k, "의"); e > 0 {
			k = in.spaces(e)
		}
		if wd, e, ok := koWeekdayAt(in, k); ok {
			return span{end: e, value: c.weekday(wd, p.week)}, true
		}
	}
	return span{}, false
}

// koInt reads a digit or Sino-Korean number; dates never use native numerals.
func koInt(in *input, i int) (int, int, bool) {
	if v, j, ok := parseDigitInt(in, i); ok {
		return v, j, true
	}
	if v, j, _, ok := parseKoSino(in, i); ok && v < 10000 {
		return int(v), j, true
	}
	return 0, i, false
}

// koMonth reads "3월", "삼월", and the irregular 유월 (June) and 시월 (October).
func koMonth(in *input, i int) (time.Month, int, bool) {
	if k := in.lit(i, "유월"); k > 0 {
		return time.June, k, true
	}
	if k := in.lit(i, "시월"); k > 0 {
		return time.October, k, true
	}
	v, j, ok := koInt(in, i)
	if !ok || v < 1 || v > 12 {
		return 0, i, false
	}
	j = in.spaces(j)
	if in.at(j) != '월' {
		return 0, i, false
	}
	return time.Month(v), j + 1, true
}

// koDayOf reads "5일" / "오일" after a month.
func koDayOf(in *input, i int) (int, int, bool) {
	v, j, ok := koInt(in, i)
	if !ok {
		return 0, i, false
	}
	// In "이십일" the numeral reader takes the counter 일 as the digit 1;
	// give it back.
	if k := in.spaces(j); in.at(k) != '일' && j-i >= 2 && in.at(j-1) == '일' && !isDigit(in.at(i)) {
		v, j = v-1, j-1
	}
	j = in.spaces(j)
	if in.at(j) != '일' || in.lit(j, "일요일") > 0 {
		return 0, i, false
	}
	return v, j + 1, true
}

func (c civil) koMonthDate(in *input, i int) (span, bool) {
	// "이번 달 5일", "다음 달 5일"
	for _, p := range []struct {
		w string
		n int
	}{{"이번 달", 0}, {"이번달", 0}, {"이달", 0}, {"다음 달", 1}, {"다음달", 1}, {"담달", 1}} {
		if k := in.lit(i, p.w); k > 0 {
			if v, j, ok := parseDigitInt(in, in.spaces(k)); ok {
				j = in.spaces(j)
				if in.at(j) == '일' {
					if v, ok := c.inMonth(p.n, v); ok {
						return span{end: j + 1, value: v}, true
					}
				}
			}
		}
	}
	year, j := 0, i
	if y, k, ok := koInt(in, i); ok && y >= 1000 {
		k = in.spaces(k)
		if in.at(k) == '년' {
			year, j = y, in.spaces(k+1)
		}
	}
	if m, k, ok := koMonth(in, j); ok {
		d, e, ok := koDayOf(in, in.spaces(k))
		if !ok {
			return span{}, false
		}
		v, ok := c.monthDay(year, m, d)
		return span{end: e, value: v}, ok
	}
	if year != 0 {
		return span{}, false
	}
	// "5일" alone: digits only, since Sino words alone (오일 "oil") mislead.
	if d, k, ok := parseDigitInt(in, i); ok {
		k = in.spaces(k)
		if in.at(k) == '일' && in.lit(k, "일요일") < 0 {
			v, ok := c.dayOfMonth(d)
			return span{end: k + 1, value: v}, ok
		}
	}
	return span{}, false
}

var koRelUnits = []struct {
	w string
	u relUnit
}{
	{"일", relDay}, {"주", relWeek}, {"주일", relWeek}, {"주일간", relWeek},
	{"달", relMonth}, {"개월", relMonth}, {"년", relYear}, {"해", relYear},
}

// koAfter reads the word after a count that makes it a relative date, and
// its sign: 후/뒤/이후/지나서 forward, 전 back.
func koAfter(in *input, i int) (int, int) {
	j := in.spaces(i)
	end, sign := -1, 0
	for _, w := range []struct {
		w string
		s int
	}{{"후", 1}, {"뒤", 1}, {"이후", 1}, {"있다가", 1}, {"지나서", 1}, {"전", -1}} {
		if k := in.lit(j, w.w); k > end {
			end, sign = k, w.s
		}
	}
	return end, sign
}

func (c civil) koRelativeDate(in *input, i int) (span, bool) {
	for _, w := range koDayWords {
		if k := in.lit(i, w.w); k > 0 {
			if e, sign := koAfter(in, k); e > 0 {
				return span{end: e, value: c.day(sign * w.n)}, true
			}
		}
	}
	for _, n := range integers(in, i, langKo) {
		j := in.spaces(n.end)
		var u relUnit
		ue := -1
		for _, cu := range koRelUnits {
			if k := in.lit(j, cu.w); k > ue {
				ue, u = k, cu.u
			}
		}
		// Native numerals count months and years (한 달, 두 해), not days.
		if ue < 0 || n.native && u != relMonth && u != relYear && u != relWeek {
			continue
		}
		if e, sign := koAfter(in, ue); e > 0 {
			return span{end: e, value: c.offset(sign*n.v, u)}, true
		}
	}
	return span{}, false
}

// ---- Chinese ----

var zhRelativeDays = []struct {
	w string
	n int
}{
	{"今天", 0}, {"今日", 0}, {"明天", 1}, {"明日", 1}, {"后天", 2}, {"後天", 2},
	{"大后天", 3}, {"大後天", 3}, {"昨天", -1}, {"昨日", -1}, {"前天", -2}, {"大前天", -3},
}

var zhWeekPrefixes = []struct {
	w    string
	week int
}{
	{"下", 1}, {"下个", 1}, {"下個", 1}, {"下下", 2}, {"下下个", 2}, {"这", 0},
	{"这个", 0}, {"這", 0}, {"這個", 0}, {"本", 0}, {"上", -1}, {"上个", -1}, {"上個", -1},
}

// zhWeekdayAt reads 星期五 / 周五 / 礼拜五 / 星期天 / 周5.
func zhWeekdayAt(in *input, i int) (time.Weekday, int, bool) {
	k, _ := in.longest(i, []string{"星期", "周", "週", "礼拜", "禮拜"})
	if k < 0 {
		return 0, i, false
	}
	switch c := in.at(k); {
	case c == '日' || c == '天' || c == '7':
		return time.Sunday, k + 1, true
	case c >= '1' && c <= '6':
		return time.Weekday(c - '0'), k + 1, true
	default:
		if d, ok := zhDigits[c]; ok && d >= 1 && d <= 6 && c != '两' {
			return time.Weekday(d), k + 1, true
		}
	}
	return 0, i, false
}

func (c civil) zhDate(in *input, i int) (span, bool) {
	var best span
	found := false
	try := func(s span, ok bool) {
		if ok && (!found || s.end > best.end) {
			best, found = s, true
		}
	}
	for _, r := range zhRelativeDays {
		if k := in.lit(i, r.w); k > 0 {
			try(span{end: k, value: c.day(r.n)}, true)
		}
	}
	if wd, k, ok := zhWeekdayAt(in, i); ok {
		try(span{end: k, value: c.weekday(wd, weekNextOccurrence)}, true)
	}
	for _, p := range zhWeekPrefixes {
		if k := in.lit(i, p.w); k > 0 {
			if wd, e, ok := zhWeekdayAt(in, k); ok {
				try(span{end: e, value: c.weekday(wd, p.week)}, true)
			}
		}
	}
	try(c.zhMonthDate(in, i))
	try(c.zhRelativeDate(in, i))
	return best, found
}

// zhInt reads digits or a Chinese numeral.
func zhInt(in *input, i int) (int, int, bool) {
	if v, j, ok := parseDigitInt(in, i); ok {
		return v, j, true
	}
	if v, j, ok := parseZhInt(in, i); ok && v < 10000 {
		return int(v), j, true
	}
	return 0, i, false
}

// zhYear reads a year said as digits or digit by digit (二〇二六) before 年.
func zhYear(in *input, i int) (int, int, bool) {
	y, j := 0, i
	if v, k, ok := parseDigitInt(in, i); ok {
		y, j = v, k
	} else {
		for j-i < 4 {
			d, ok := zhDigits[in.at(j)]
			if !ok || in.at(j) == '两' {
				break
			}
			y = y*10 + int(d)
			j++
		}
	}
	if j-i != 4 || in.at(j) != '年' {
		return 0, i, false
	}
	return y, j + 1, true
}

func (c civil) zhMonthDate(in *input, i int) (span, bool) {
	year, j := 0, i
	if y, k, ok := zhYear(in, i); ok {
		year, j = y, in.spaces(k)
	}
	if m, k, ok := zhInt(in, j); ok && (in.at(k) == '月') {
		d, e, ok := zhInt(in, in.spaces(k+1))
		if !ok || in.at(e) != '日' && in.at(e) != '号' && in.at(e) != '號' {
			return span{}, false
		}
		v, ok := c.monthDay(year, time.Month(m), d)
		return span{end: e + 1, value: v}, ok
	}
	if year != 0 {
		return span{}, false
	}
	if d, k, ok := zhInt(in, i); ok && (in.at(k) == '号' || in.at(k) == '號' || in.at(k) == '日') {
		v, ok := c.dayOfMonth(d)
		return span{end: k + 1, value: v}, ok
	}
	// "下个月5号", "本月20日"
	for _, p := range []struct {
		w string
		n int
	}{{"这个月", 0}, {"本月", 0}, {"下个月", 1}, {"下月", 1}} {
		k := in.lit(i, p.w)
		if k < 0 {
			continue
		}
		d, e, ok := zhInt(in, k)
		if !ok || in.at(e) != '号' && in.at(e) != '號' && in.at(e) != '日' {
			continue
		}
		if v, ok := c.inMonth(p.n, d); ok {
			return span{end: e + 1, value: v}, true
		}
	}
	return span{}, false
}

func (c civil) zhRelativeDate(in *input, i int) (span, bool) {
	n, j, ok := zhInt(in, i)
	if !ok {
		return span{}, false
	}
	var u relUnit
	ue := -1
	for _, cu := range []struct {
		w string
		u relUnit
	}{{"天", relDay}, {"周", relWeek}, {"个星期", relWeek}, {"星期", relWeek},
		{"个礼拜", relWeek}, {"礼拜", relWeek}, {"个月", relMonth}, {"年", relYear}} {
		if k := in.lit(j, cu.w); k > ue {
			ue, u = k, cu.u
		}
	}
	if ue < 0 {
		return span{}, false
	}
	for _, w := range []struct {
		w string
		s int
	}{{"以后", 1}, {"之后", 1}, {"后", 1}, {"後", 1}, {"以前", -1}, {"之前", -1}, {"前", -1}} {
		if k := in.lit(ue, w.w); k > 0 {
			return span{end: k, value: c.offset(w.s*n, u)}, true
		}
	}
	return span{}, false
}

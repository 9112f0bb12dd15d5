package entity

import (
	"fmt"
	"time"
)

// period is a part-of-day word that fixes how a 1–12 hour maps to 24 hours.
type period int

const (
	noPeriod      period = iota
	periodAM             // am, 오전, 上午, 새벽, 凌晨: 12 is midnight
	periodPM             // pm, 오후, 下午: 12 is noon
	periodMorning        // 아침, 早上: like am
	periodDaytime        // 낮, 점심, 中午: 12 is noon, 1–6 afternoon, 7–11 morning
	periodEvening        // 저녁, 晚上, "in the evening": afternoon/evening hours, 12 is midnight
	periodNight          // 밤, 夜里, "at night": 1–4 small hours, 5–11 evening, 12 midnight
)

// hour24 maps an hour as said to 0–23 under a period; ok is false when the
// period contradicts the hour ("오전 15시").
func hour24(h int, p period) (int, bool) {
	if h < 0 || h > 24 {
		return 0, false
	}
	if h == 24 {
		return 0, p == noPeriod || p == periodNight || p == periodEvening
	}
	if p == noPeriod || h == 0 {
		return h, true
	}
	if h > 12 {
		// "오후 3시" said as "오후 15시" still means 15:00.
		return h, p == periodPM || p == periodEvening || p == periodNight || p == periodDaytime
	}
	switch p {
	case periodAM, periodMorning:
		return h % 12, true
	case periodPM:
		return h%12 + 12, true
	case periodDaytime:
		if h <= 6 {
			return h + 12, true
		}
		return h, true
	case periodEvening:
		if h == 12 {
			return 0, true
		}
		return h + 12, true
	case periodNight:
		switch {
		case h == 12:
			return 0, true
		case h <= 4:
			return h, true
		}
		return h + 12, true
	}
	return h, true
}

// clockSpan builds a Time span. Hours 1–11 said without a period are
// ambiguous: both the morning and the afternoon reading are returned.
func clockSpan(start, end, h, m int, p period) (span, bool) {
	if m < 0 || m > 59 {
		return span{}, false
	}
	h24, ok := hour24(h, p)
	if !ok {
		return span{}, false
	}
	v := fmt.Sprintf("%02d:%02d", h24, m)
	if p == noPeriod && h >= 1 && h <= 11 {
		return span{start: start, end: end, value: v, alts: []string{v, fmt.Sprintf("%02d:%02d", h+12, m)}}, true
	}
	return span{start: start, end: end, value: v}, true
}

// colonTime reads "15:30" / "3:30". A leading zero ("03:30") or an hour of
// 13 or more reads as 24-hour notation and is not ambiguous.
func colonTime(in *input, i int) (h, m, end int, explicit24, ok bool) {
	h, j, ok := parseDigitInt(in, i)
	if !ok || j-i > 2 || in.at(j) != ':' {
		return 0, 0, i, false, false
	}
	if !isDigit(in.at(j+1)) || !isDigit(in.at(j+2)) || isDigit(in.at(j+3)) {
		return 0, 0, i, false, false
	}
	m = int(in.r[j+1]-'0')*10 + int(in.r[j+2]-'0')
	end = j + 3
	// Seconds are allowed and ignored: "15:30:00".
	if in.at(end) == ':' && isDigit(in.at(end+1)) && isDigit(in.at(end+2)) && !isDigit(in.at(end+3)) {
		end += 3
	}
	if h > 23 || m > 59 {
		return 0, 0, i, false, false
	}
	return h, m, end, j-i == 2 && in.r[i] == '0' || h == 0, true
}

func findTimes(in *input, lg lang, _ time.Time) []span {
	switch lg {
	case langKo:
		return scan(in, []rule{koTime, digitTime(koPeriod), koTimeAfterDate})
	case langZh:
		return scan(in, []rule{zhTime, digitTime(zhPeriod)})
	}
	return scan(in, []rule{enTime})
}

// digitTime reads an optional period word followed by "H:MM".
func digitTime(periodAt func(*input, int) (period, int)) rule {
	return func(in *input, i int) (span, bool) {
		p, j := periodAt(in, i)
		h, m, end, explicit, ok := colonTime(in, j)
		if !ok {
			return span{}, false
		}
		if explicit && p == noPeriod {
			return span{start: i, end: end, value: fmt.Sprintf("%02d:%02d", h, m)}, true
		}
		return clockSpan(i, end, h, m, p)
	}
}

// ---- English ----

var enPeriods = []struct {
	w string
	p period
}{
	{"am", periodAM}, {"a.m.", periodAM}, {"a.m", periodAM}, {"pm", periodPM},
	{"p.m.", periodPM}, {"p.m", periodPM}, {"in the morning", periodMorning},
	{"in the afternoon", periodPM}, {"in the evening", periodEvening},
	{"this morning", periodMorning}, {"this afternoon", periodPM},
	{"this evening", periodEvening}, {"tonight", periodEvening}, {"at night", periodNight},
}

// enPeriodAfter reads an am/pm-like word after an hour ("3pm", "3 p.m.",
// "3 in the afternoon").
func enPeriodAfter(in *input, i int) (period, int) {
	j := in.spaces(i)
	best, end := noPeriod, -1
	for _, e := range enPeriods {
		k := in.lit(j, e.w)
		if k < 0 || k <= end || (isASCIILetter(in.at(k)) || isDigit(in.at(k))) {
			continue
		}
		best, end = e.p, k
	}
	if end < 0 {
		return noPeriod, i
	}
	return best, end
}

// enHour reads an hour 0–24 in digits or words.
func enHour(in *input, i int) (int, int, bool) {
	if v, j, ok := parseDigitInt(in, i); ok && j-i <= 2 {
		return v, j, v <= 24
	}
	w, j := in.latinWord(i)
	if v, ok := enSmall[w]; ok && v <= 12 {
		return int(v), j, true
	}
	return 0, i, false
}

// enMinuteWords reads minutes said after an hour: "thirty", "fifteen",
// "forty five", "oh five".
func enMinuteWords(in *input, i int) (int, int, bool) {
	if k := in.word(i, "oh"); k > 0 {
		if g, ok := in.gap(k); ok {
			w, e := in.latinWord(g)
			if v, ok := enSmall[w]; ok && v >= 1 && v <= 9 {
				return int(v), e, true
			}
		}
		return 0, i, false
	}
	v, e, ok := parseEnInt(in, i)
	if !ok || v < 10 || v > 59 {
		return 0, i, false
	}
	return int(v), e, true
}

func enTime(in *input, i int) (span, bool) {
	if k, idx := in.longest(i, []string{"noon", "midday", "midnight", "12 noon", "twelve noon"}); k > 0 {
		if idx == 2 {
			return span{end: k, value: "00:00"}, true
		}
		return span{end: k, value: "12:00"}, true
	}
	// "at 3", "at three thirty": the cue makes a bare hour a time.
	start, cued := i, false
	if k := in.word(i, "at"); k > 0 {
		if g, ok := in.gap(k); ok {
			start, cued = g, true
		}
	}
	if s, ok := enRelativeTime(in, start); ok {
		s.start = start
		return s, true
	}
	// 15:30, 3:30 pm
	if h, m, end, explicit, ok := colonTime(in, start); ok {
		p, pe := enPeriodAfter(in, end)
		if p == noPeriod && explicit {
			return span{start: start, end: end, value: fmt.Sprintf("%02d:%02d", h, m)}, true
		}
		return clockSpan(start, pe, h, m, p)
	}
	h, j, ok := enHour(in, start)
	if !ok {
		return span{}, false
	}
	m, end := 0, j
	// "3.30pm", "three thirty pm"
	if in.at(j) == '.' && isDigit(in.at(j+1)) && isDigit(in.at(j+2)) && !isDigit(in.at(j+3)) {
		m, end = int(in.r[j+1]-'0')*10+int(in.r[j+2]-'0'), j+3
	} else if g, ok := in.gap(j); ok {
		if mv, me, ok := enMinuteWords(in, g); ok {
			m, end = mv, me
		}
	}
	if k := in.longestWord(in.spaces(end), "o'clock", "oclock", "o clock"); k > 0 {
		p, pe := enPeriodAfter(in, k)
		return clockSpan(start, pe, h, m, p)
	}
	// A bare hour is a time only with a period word, the "at" cue, or as the
	// whole answer to a time prompt ("3", "seven thirty").
	p, pe := enPeriodAfter(in, end)
	if a, b := in.trimmed(); p == noPeriod && !cued && !(start == a && end == b) {
		return span{}, false
	}
	return clockSpan(start, pe, h, m, p)
}

// enRelativeTime reads "half past 3", "quarter to four", "ten past six pm".
func enRelativeTime(in *input, i int) (span, bool) {
	m, j := 0, -1
	if k := in.word(i, "half"); k > 0 {
		m, j = 30, k
	} else if k := in.longestWord(i, "quarter", "a quarter"); k > 0 {
		m, j = 15, k
	} else {
		v, k, ok := parseDigitInt(in, i)
		if !ok {
			var v64 int64
			v64, k, ok = parseEnInt(in, i)
			v = int(v64)
		}
		if !ok || v < 1 || v > 30 {
			return span{}, false
		}
		m, j = v, k
		minutes := false
		if g, ok := in.gap(k); ok {
			if e := in.longestWord(g, "minutes", "minute", "mins"); e > 0 {
				j, minutes = e, true
			}
		}
		// "two to four" is a range; "five to four" and "two minutes to
		// four" are times.
		if !minutes && m%5 != 0 {
			return span{}, false
		}
	}
	g, ok := in.gap(j)
	if !ok {
		return span{}, false
	}
	before := false
	if k := in.longestWord(g, "past", "after"); k > 0 {
		j = k
	} else if k := in.longestWord(g, "to", "before", "til", "till"); k > 0 {
		j, before = k, true
	} else {
		return span{}, false
	}
	g, ok = in.gap(j)
	if !ok {
		return span{}, false
	}
	h, end, ok := enHour(in, g)
	if !ok || h < 1 || h > 12 {
		return span{}, false
	}
	if before {
		m = 60 - m
		h--
		if h == 0 {
			h = 12
		}
	}
	p, pe := enPeriodAfter(in, end)
	return clockSpan(i, pe, h, m, p)
}

// ---- Korean ----

var koPeriods = []struct {
	w string
	p period
}{
	{"오전", periodAM}, {"새벽", periodAM}, {"오후", periodPM}, {"아침", periodMorning},
	{"낮", periodDaytime}, {"점심", periodDaytime}, {"저녁", periodEvening},
	{"밤", periodNight}, {"한밤중", periodNight},
}

// koPeriod reads a part-of-day word and the space after it, if any.
func koPeriod(in *input, i int) (period, int) {
	best, end := noPeriod, -1
	for _, e := range koPeriods {
		if k := in.lit(i, e.w); k > end {
			best, end = e.p, k
		}
	}
	if end < 0 {
		return noPeriod, i
	}
	return best, in.spaces(end)
}

func koTime(in *input, i int) (span, bool) {
	if k, idx := in.longest(i, []string{"정오", "자정"}); k > 0 {
		return span{end: k, value: [...]string{"12:00", "00:00"}[idx]}, true
	}
	p, j := koPeriod(in, i)
	var best span
	found := false
	for _, c := range integers(in, j, langKo) {
		// Hours are said in native numerals or digits; a lone Sino syllable
		// before 시 is usually a word (일시 "date and time", 이시 "this poem").
		if !c.native && !isDigit(in.at(j)) && c.end-j == 1 {
			continue
		}
		k := c.end
		if in.at(k) == ' ' {
			k++
		}
		if in.at(k) != '시' || in.at(k+1) == '간' {
			continue
		}
		k++
		m, end := 0, k
		g := in.spaces(k)
		if e := in.lit(g, "반"); e > 0 {
			m, end = 30, e
		} else if e := in.lit(g, "정각"); e > 0 {
			end = e
		} else {
			for _, mc := range integers(in, g, langKo) {
				e := mc.end
				if in.at(e) == ' ' {
					e++
				}
				if in.at(e) == '분' && !mc.native && mc.v < 60 {
					m, end = mc.v, e+1
				}
			}
		}
		if s, ok := clockSpan(i, end, c.v, m, p); ok && (!found || s.end > best.end) {
			best, found = s, true
		}
	}
	return best, found
}

// koTimeAfterDate reads a time written straight after a day word with no
// space ("내일오후3시", "금요일저녁7시"), which word-start rules would miss.
func koTimeAfterDate(in *input, i int) (span, bool) {
	end := -1
	for _, r := range koRelativeDays {
		end = max(end, in.lit(i, r.w))
	}
	if _, k, ok := koWeekdayAt(in, i); ok {
		end = max(end, k)
	}
	// "다음주금요일오후세시": a week word before the weekday.
	for _, p := range koWeekPrefixes {
		if k := in.lit(i, p.w); k > 0 {
			if _, e, ok := koWeekdayAt(in, in.spaces(k)); ok {
				end = max(end, e)
			}
		}
	}
	if end < 0 {
		return span{}, false
	}
	if p, _ := koPeriod(in, end); p == noPeriod {
		return span{}, false
	}
	s, ok := koTime(in, end)
	s.start = end
	return s, ok
}

// ---- Chinese ----

var zhPeriods = []struct {
	w string
	p period
}{
	{"上午", periodAM}, {"凌晨", periodAM}, {"半夜", periodNight}, {"早上", periodMorning},
	{"早晨", periodMorning}, {"清晨", periodMorning}, {"中午", periodDaytime},
	{"下午", periodPM}, {"午后", periodPM}, {"傍晚", periodEvening},
	{"晚上", periodEvening}, {"夜里", periodNight}, {"夜间", periodNight},
}

func zhPeriod(in *input, i int) (period, int) {
	best, end := noPeriod, -1
	for _, e := range zhPeriods {
		if k := in.lit(i, e.w); k > end {
			best, end = e.p, k
		}
	}
	if end < 0 {
		return noPeriod, i
	}
	return best, in.spaces(end)
}

// zhMinute reads the minutes after 点: 十五(分), 零五(分), 5分, 30.
func zhMinute(in *input, i int) (int, int, bool) {
	j := i
	zero := false
	if in.at(j) == '零' || in.at(j) == '〇' {
		zero, j = true, j+1
	}
	var v, end int
	if d, k, ok := parseDigitInt(in, j); ok {
		v, end = d, k
	} else if d, k, ok := parseZhInt(in, j); ok {
		v, end = int(d), k
	} else {
		return 0, i, false
	}
	if v > 59 {
		return 0, i, false
	}
	if in.at(end) == '分' {
		return v, end + 1, true
	}
	// Without 分, "三点五" is more likely the number 3.5 than 3:05.
	if v < 10 && !zero {
		return 0, i, false
	}
	return v, end, true
}

func zhTime(in *input, i int) (span, bool) {
	if k, idx := in.longest(i, []string{"正午", "午夜"}); k > 0 {
		return span{end: k, value: [...]string{"12:00", "00:00"}[idx]}, true
	}
	p, j := zhPeriod(in, i)
	var h, k int
	if v, e, ok := parseDigitInt(in, j); ok {
		h, k = v, e
	} else if v, e, ok := parseZhInt(in, j); ok {
		h, k = int(v), e
	} else {
		return span{}, false
	}
	if c := in.at(k); c != '点' && c != '點' && c != '时' && c != '時' {
		return span{}, false
	}
	k++
	// 一点点 and 一点儿 mean "a little".
	if in.at(k) == '点' || in.at(k) == '儿' {
		return span{}, false
	}
	m, end := 0, k
	switch {
	case in.at(k) == '半':
		m, end = 30, k+1
	case in.lit(k, "一刻") > 0:
		m, end = 15, k+2
	case in.lit(k, "三刻") > 0:
		m, end = 45, k+2
	case in.at(k) == '整':
		end = k + 1
	default:
		if v, e, ok := zhMinute(in, k); ok {
			m, end = v, e
		}
	}
	return clockSpan(i, end, h, m, p)
}

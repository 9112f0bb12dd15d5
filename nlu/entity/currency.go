package entity

import (
	"slices"
	"strings"
	"time"
)

// AMAZON.Currency resolves to "<ISO 4217 code> <amount>", e.g. "USD 10.00".
// Lex's guide says only "currency abbreviation + amount"; the amount here
// has the currency's minor units (two decimals, none for KRW and JPY), so
// "$10" → "USD 10.00" and "삼천오백 원" → "KRW 3500". Lex lists the type for
// English (and Spanish) locales; Parley also reads Korean (원, 달러, 엔 …) and
// Chinese (元, 块, 美元 …) amounts.

// currencyUnit is a word or symbol naming a currency.
type currencyUnit struct {
	w    string
	code string
}

var (
	// currencySymbols precede the amount in every locale.
	currencySymbols = []currencyUnit{
		{"$", "USD"}, {"us$", "USD"}, {"hk$", "HKD"}, {"c$", "CAD"}, {"a$", "AUD"},
		{"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"￥", "JPY"}, {"₩", "KRW"}, {"₹", "INR"},
		{"usd", "USD"}, {"eur", "EUR"}, {"gbp", "GBP"}, {"jpy", "JPY"}, {"krw", "KRW"},
		{"cny", "CNY"}, {"rmb", "CNY"}, {"hkd", "HKD"}, {"cad", "CAD"}, {"aud", "AUD"},
		{"chf", "CHF"}, {"inr", "INR"}, {"人民币", "CNY"},
	}
	enCurrencyWords = []currencyUnit{
		{"dollars", "USD"}, {"dollar", "USD"}, {"bucks", "USD"}, {"buck", "USD"},
		{"us dollars", "USD"}, {"american dollars", "USD"}, {"canadian dollars", "CAD"},
		{"australian dollars", "AUD"}, {"hong kong dollars", "HKD"}, {"euros", "EUR"},
		{"euro", "EUR"}, {"pounds", "GBP"}, {"pound", "GBP"}, {"pounds sterling", "GBP"},
		{"quid", "GBP"}, {"yen", "JPY"}, {"won", "KRW"}, {"korean won", "KRW"},
		{"yuan", "CNY"}, {"renminbi", "CNY"}, {"swiss francs", "CHF"}, {"francs", "CHF"},
		{"rupees", "INR"}, {"usd", "USD"}, {"eur", "EUR"}, {"gbp", "GBP"}, {"jpy", "JPY"},
		{"krw", "KRW"}, {"cny", "CNY"}, {"rmb", "CNY"}, {"hkd", "HKD"}, {"cad", "CAD"},
		{"aud", "AUD"}, {"chf", "CHF"}, {"inr", "INR"},
	}
	koCurrencyWords = []currencyUnit{
		{"원", "KRW"}, {"달러", "USD"}, {"불", "USD"}, {"미국 달러", "USD"}, {"엔", "JPY"},
		{"유로", "EUR"}, {"위안", "CNY"}, {"파운드", "GBP"}, {"홍콩 달러", "HKD"},
		{"캐나다 달러", "CAD"}, {"호주 달러", "AUD"},
	}
	zhCurrencyWords = []currencyUnit{
		{"元", "CNY"}, {"圆", "CNY"}, {"块钱", "CNY"}, {"块", "CNY"}, {"元人民币", "CNY"},
		{"人民币", "CNY"}, {"美元", "USD"}, {"美金", "USD"}, {"日元", "JPY"}, {"日币", "JPY"},
		{"欧元", "EUR"}, {"英镑", "GBP"}, {"韩元", "KRW"}, {"韩币", "KRW"}, {"港币", "HKD"},
		{"港元", "HKD"}, {"加元", "CAD"}, {"澳元", "AUD"}, {"瑞士法郎", "CHF"}, {"卢比", "INR"},
	}
)

// minorUnits are the decimals an amount is written with.
func minorUnits(code string) int {
	if code == "KRW" || code == "JPY" {
		return 0
	}
	return 2
}

// currencyValue formats an amount in the currency's minor units.
func currencyValue(code string, n num) string {
	frac := n.frac
	if d := minorUnits(code); len(frac) < d {
		frac += strings.Repeat("0", d-len(frac))
	} else if strings.Trim(frac, "0") == "" && d == 0 {
		frac = ""
	}
	s := n.whole
	if frac != "" {
		s += "." + frac
	}
	return code + " " + s
}

// unitAt returns the end and code of the longest currency word at i.
func unitAt(in *input, i int, units []currencyUnit) (int, string) {
	end, code := -1, ""
	for _, u := range units {
		j, ok := matchForm(in, i, []rune(u.w))
		if !ok || j <= end {
			continue
		}
		if c := []rune(u.w); isASCIILetter(c[len(c)-1]) && !in.latinEnd(j) {
			continue
		}
		end, code = j, u.code
	}
	return end, code
}

func findCurrency(in *input, lg lang, _ time.Time) []span {
	symbols := currencySymbols
	if lg == langZh {
		// ¥ is the yuan in Chinese text.
		symbols = append([]currencyUnit{{"¥", "CNY"}, {"￥", "CNY"}}, currencySymbols...)
	}
	words := enCurrencyWords
	switch lg {
	case langKo:
		words = append(slices.Clone(koCurrencyWords), enCurrencyWords...)
	case langZh:
		words = append(slices.Clone(zhCurrencyWords), enCurrencyWords...)
	}
	amount := func(in *input, i int) (num, int, bool) {
		switch lg {
		case langKo:
			return koAmount(in, i)
		case langZh:
			return zhAmount(in, i)
		}
		if n, j, ok := enNumber(in, i); ok && !n.neg {
			return n, j, true
		}
		return num{}, i, false
	}
	prefixed := func(in *input, i int) (span, bool) {
		k, code := unitAt(in, i, symbols)
		if k < 0 {
			return span{}, false
		}
		n, j, ok := amount(in, in.spaces(k))
		if !ok {
			return span{}, false
		}
		// "人民币100元": the unit after the amount is part of it.
		if e, c := unitAt(in, in.spaces(j), words); e > 0 && c == code {
			j = e
		}
		return span{end: j, value: currencyValue(code, n)}, true
	}
	suffixed := func(in *input, i int) (span, bool) {
		n, j, ok := amount(in, i)
		if !ok {
			return span{}, false
		}
		e, code := unitAt(in, in.spaces(j), words)
		if e < 0 || !currencyEndOK(in, e, lg) {
			return span{}, false
		}
		if lg == langKo && !koAmountOK(in, i, j) {
			return span{}, false
		}
		n, e = subunits(in, lg, code, n, e)
		return span{end: e, value: currencyValue(code, n)}, true
	}
	cents := func(in *input, i int) (span, bool) {
		n, j, ok := amount(in, i)
		if !ok || n.frac != "" || len(n.whole) > 2 {
			return span{}, false
		}
		e := in.longestWord(in.spaces(j), "cents", "cent", "센트", "美分")
		if e < 0 {
			return span{}, false
		}
		return span{end: e, value: currencyValue("USD", num{whole: "0", frac: twoDigits(n.whole)})}, true
	}
	return scan(in, []rule{prefixed, suffixed, cents})
}

func twoDigits(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// subunits reads the smaller coin after a whole amount: "3 dollars and 50
// cents", "10달러 50센트", "三块五" (five jiao), "三块五毛".
func subunits(in *input, lg lang, code string, n num, e int) (num, int) {
	if n.frac != "" {
		return n, e
	}
	k := in.spaces(e)
	if lg == langZh && code == "CNY" {
		if d, ok := zhDigits[in.at(k)]; ok && d > 0 {
			end := k + 1
			if in.at(end) == '毛' || in.at(end) == '角' {
				end++
			} else if isHan(in.at(end)) && !strings.ContainsRune("钱吧啊的了呢", in.at(end)) {
				return n, e
			}
			n.frac = string(rune('0'+d)) + "0"
			return n, end
		}
		return n, e
	}
	if j := in.longestWord(k, "and"); j > 0 {
		k = in.spaces(j)
	}
	var c num
	var j int
	var ok bool
	if lg == langKo {
		c, j, ok = koAmount(in, k)
	} else {
		c, j, ok = enNumber(in, k)
	}
	if !ok || c.frac != "" || c.neg || len(c.whole) > 2 {
		return n, e
	}
	ce := in.longestWord(in.spaces(j), "cents", "cent", "pence", "p", "센트")
	if ce < 0 {
		return n, e
	}
	n.frac = twoDigits(c.whole)
	return n, ce
}

// koAmount reads a Korean amount: digits with optional Sino units (5만,
// 3천5백), or Sino-Korean numerals (삼천오백, 만).
func koAmount(in *input, i int) (num, int, bool) {
	if isDigit(in.at(i)) {
		if v, k, syl, ok := parseKoSino(in, i); ok && syl > 0 {
			return intNum(v), k, true
		}
		return parseDigits(in, i)
	}
	if v, k, _, ok := parseKoSino(in, i); ok {
		return intNum(v), k, true
	}
	return num{}, i, false
}

// koAmountOK rejects a lone Sino digit syllable as an amount: 사원
// (employee), 구원 (salvation) and 일원 (a member) are words, and nobody
// pays four won.
func koAmountOK(in *input, i, j int) bool {
	if j-i != 1 || isDigit(in.at(i)) {
		return true
	}
	_, small := koSmallUnits[in.at(i)]
	return small || koBigUnits[in.at(i)] > 0
}

// koCurrencyFollowers may follow a Korean currency word directly.
var koCurrencyFollowers = []string{
	"짜리", "어치", "정도", "쯤", "까지", "부터", "만", "씩", "이", "은", "을", "에", "으로",
	"의", "도", "이요", "입니다", "이에요", "요", "만큼", "이상", "이하", "미만", "초과",
	"인데", "이고", "하고", "가량", "내외", "대", "가", "는", "를", "로",
}

// currencyEndOK checks what follows a currency word.
func currencyEndOK(in *input, e int, lg lang) bool {
	c := in.at(e)
	switch {
	case isHangul(c):
		k, _ := in.longest(e, koCurrencyFollowers)
		return k > 0
	case lg == langZh && isHan(c) && in.at(e-1) == '块':
		// 一块蛋糕 is a piece of cake; 块 is money before 钱, a jiao digit or a
		// sentence particle.
		_, digit := zhDigits[c]
		return digit || strings.ContainsRune("钱吧啊的了呢就左多", c)
	}
	return true
}

// zhAmount reads a Chinese amount: digits or Han numerals with 点 decimals.
func zhAmount(in *input, i int) (num, int, bool) {
	if isDigit(in.at(i)) {
		if v, k, ok := parseZhInt(in, i); ok && zhBigUnits[in.at(k-1)]+zhSmallUnits[in.at(k-1)] > 0 {
			return intNum(v), k, true
		}
		return parseDigits(in, i)
	}
	v, k, ok := parseZhInt(in, i)
	if !ok {
		return num{}, i, false
	}
	n := intNum(v)
	if in.at(k) == '点' {
		if f, fk, ok := parseZhFrac(in, k+1); ok {
			n.frac, k = f, fk
		}
	}
	return n, k, true
}

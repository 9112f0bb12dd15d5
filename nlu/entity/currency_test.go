package entity_test

import "testing"

func TestCurrency(t *testing.T) {
	const C = "AMAZON.Currency"
	runCases(t, []tc{
		// English: "<ISO 4217 code> <amount>" in the currency's minor units.
		{C, "en_US", "$10", []string{"$10=USD 10.00"}},
		{C, "en_US", "twenty dollars", []string{"twenty dollars=USD 20.00"}},
		{C, "en_US", "5 euros", []string{"5 euros=EUR 5.00"}},
		{C, "en_US", "£3.5", []string{"£3.5=GBP 3.50"}},
		{C, "en_US", "3 dollars and 50 cents", []string{"3 dollars and 50 cents=USD 3.50"}},
		{C, "en_US", "50 cents", []string{"50 cents=USD 0.50"}},
		{C, "en_US", "USD 100", []string{"USD 100=USD 100.00"}},
		{C, "en_US", "1000 yen", []string{"1000 yen=JPY 1000"}},
		{C, "en_US", "ten bucks", []string{"ten bucks=USD 10.00"}},
		{C, "en_US", "it costs $1,250.75", []string{"$1,250.75=USD 1250.75"}},
		{C, "en_GB", "twenty quid", []string{"twenty quid=GBP 20.00"}},
		{C, "en_US", "I have 3 apples", nil},
		{C, "en_US", "dollars", nil},
		// Korean (Parley's extension: Lex documents Currency for English).
		{C, "ko_KR", "삼천오백원", []string{"삼천오백원=KRW 3500"}},
		{C, "ko_KR", "삼천 오백 원", []string{"삼천 오백 원=KRW 3500"}},
		{C, "ko_KR", "5만원이요", []string{"5만원=KRW 50000"}},
		{C, "ko_KR", "만 원", []string{"만 원=KRW 10000"}},
		{C, "ko_KR", "3천5백원", []string{"3천5백원=KRW 3500"}},
		{C, "ko_KR", "천원짜리", []string{"천원=KRW 1000"}},
		{C, "ko_KR", "10달러", []string{"10달러=USD 10.00"}},
		{C, "ko_KR", "10달러 50센트", []string{"10달러 50센트=USD 10.50"}},
		{C, "ko_KR", "100엔", []string{"100엔=JPY 100"}},
		{C, "ko_KR", "₩5,000", []string{"₩5,000=KRW 5000"}},
		{C, "ko_KR", "사원", nil},
		{C, "ko_KR", "원하는 거", nil},
		// Chinese
		{C, "zh_CN", "一百元", []string{"一百元=CNY 100.00"}},
		{C, "zh_CN", "三块五", []string{"三块五=CNY 3.50"}},
		{C, "zh_CN", "三块五毛", []string{"三块五毛=CNY 3.50"}},
		{C, "zh_CN", "十块钱", []string{"十块钱=CNY 10.00"}},
		{C, "zh_CN", "100美元", []string{"100美元=USD 100.00"}},
		{C, "zh_CN", "人民币100元", []string{"人民币100元=CNY 100.00"}},
		{C, "zh_CN", "五十欧元", []string{"五十欧元=EUR 50.00"}},
		{C, "zh_CN", "¥20", []string{"¥20=CNY 20.00"}},
		{C, "zh_CN", "两千韩元", []string{"两千韩元=KRW 2000"}},
		{C, "zh_CN", "一块蛋糕", nil},
		{C, "zh_CN", "三个人", nil},
	})
}

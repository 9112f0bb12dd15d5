package entity_test

import (
	"slices"
	"testing"
)

// pinCases pin every built-in slot type in each of the three languages Parley
// treats as first-class (and en_GB for UK postcodes) to the exact Lex
// interpretedValue of one or two canonical phrasings. A change to any value
// here changes what bots and code hooks receive: update it deliberately.
// ref is Wednesday 2026-05-13 10:00 KST.
var pinCases = []tc{
	{"AMAZON.AlphaNumeric", "en_US", "my booking code is AB123", []string{"AB123=AB123"}},
	{"AMAZON.AlphaNumeric", "zh_CN", "订单号AB123", []string{"AB123=AB123"}},
	{"AMAZON.AlphaNumeric", "ko_KR", "AB123", nil}, // not in Lex's ko_KR

	{"AMAZON.City", "en_US", "fly to New York", []string{"New York=New York"}},
	{"AMAZON.City", "ko_KR", "부산으로 가요", []string{"부산=부산"}},
	{"AMAZON.City", "zh_CN", "我想去北京", []string{"北京=北京"}},

	{"AMAZON.Confirmation", "en_US", "yes please", []string{"yes please=Yes"}},
	{"AMAZON.Confirmation", "en_US", "I don't know", []string{"I don't know=Don't know"}},
	{"AMAZON.Confirmation", "ko_KR", "아니요", []string{"아니요=No"}},
	{"AMAZON.Confirmation", "ko_KR", "글쎄요", []string{"글쎄요=Maybe"}},
	{"AMAZON.Confirmation", "zh_CN", "是的", []string{"是的=Yes"}},
	{"AMAZON.Confirmation", "zh_CN", "不知道", []string{"不知道=Don't know"}},

	{"AMAZON.Country", "en_US", "South Korea", []string{"South Korea=South Korea"}},
	{"AMAZON.Country", "ko_KR", "미국이요", []string{"미국=미국"}},
	{"AMAZON.Country", "zh_CN", "我来自中国", []string{"中国=中国"}},

	{"AMAZON.Currency", "en_US", "$10", []string{"$10=USD 10.00"}},
	{"AMAZON.Currency", "en_US", "twenty five euros", []string{"twenty five euros=EUR 25.00"}},
	{"AMAZON.Currency", "ko_KR", "삼천오백 원", []string{"삼천오백 원=KRW 3500"}},
	{"AMAZON.Currency", "zh_CN", "三块五", []string{"三块五=CNY 3.50"}},

	{"AMAZON.Date", "en_US", "this friday", []string{"this friday=2026-05-15"}},
	{"AMAZON.Date", "en_US", "tomorrow", []string{"tomorrow=2026-05-14"}},
	{"AMAZON.Date", "ko_KR", "다음 주 금요일", []string{"다음 주 금요일=2026-05-22"}},
	{"AMAZON.Date", "ko_KR", "내일", []string{"내일=2026-05-14"}},
	{"AMAZON.Date", "zh_CN", "明天", []string{"明天=2026-05-14"}},
	{"AMAZON.Date", "zh_CN", "下周五", []string{"下周五=2026-05-22"}},

	{"AMAZON.Duration", "en_US", "five hours ten minutes", []string{"five hours ten minutes=PT5H10M"}},
	{"AMAZON.Duration", "en_US", "eight weeks", []string{"eight weeks=P8W"}},
	{"AMAZON.Duration", "ko_KR", "삼 일", []string{"삼 일=P3D"}},
	{"AMAZON.Duration", "ko_KR", "한 시간 반", []string{"한 시간 반=PT1H30M"}},
	{"AMAZON.Duration", "zh_CN", "十分钟", []string{"十分钟=PT10M"}},

	{"AMAZON.EmailAddress", "en_US", "it's john.doe+x@example.com", []string{"john.doe+x@example.com=john.doe+x@example.com"}},
	{"AMAZON.EmailAddress", "ko_KR", "hong@example.co.kr 입니다", []string{"hong@example.co.kr=hong@example.co.kr"}},
	{"AMAZON.EmailAddress", "zh_CN", "我的邮箱是li@example.cn", []string{"li@example.cn=li@example.cn"}},

	{"AMAZON.FirstName", "en_US", "my name is john", []string{"john=John"}},
	{"AMAZON.FirstName", "ko_KR", "제 이름은 홍길동입니다", []string{"홍길동=홍길동"}},
	{"AMAZON.FirstName", "zh_CN", "我叫李明", []string{"李明=李明"}},

	{"AMAZON.FreeFormInput", "en_US", " I'd like a window seat ", []string{"I'd like a window seat=I'd like a window seat"}},
	{"AMAZON.FreeFormInput", "ko_KR", "창가 자리로 주세요", []string{"창가 자리로 주세요=창가 자리로 주세요"}},
	{"AMAZON.FreeFormInput", "zh_CN", "我要靠窗的座位", []string{"我要靠窗的座位=我要靠窗的座位"}},

	{"AMAZON.LastName", "en_US", "my last name is smith", []string{"smith=Smith"}},
	{"AMAZON.LastName", "ko_KR", "홍길동", []string{"홍=홍"}},
	{"AMAZON.LastName", "zh_CN", "我姓王", []string{"王=王"}},

	{"AMAZON.Number", "en_US", "one hundred twenty three point four five", []string{"one hundred twenty three point four five=123.45"}},
	{"AMAZON.Number", "en_US", "minus 15", []string{"minus 15=-15"}},
	{"AMAZON.Number", "ko_KR", "피자 두 판", []string{"두=2"}},
	{"AMAZON.Number", "zh_CN", "两千五百个", []string{"两千五百=2500"}},

	{"AMAZON.Percentage", "en_US", "twenty five percent", []string{"twenty five percent=25%"}},
	{"AMAZON.Percentage", "ko_KR", "30퍼센트", []string{"30퍼센트=30%"}},
	{"AMAZON.Percentage", "zh_CN", "百分之二十五", []string{"百分之二十五=25%"}},

	{"AMAZON.PhoneNumber", "en_US", "+1 (509) 555-1212", []string{"+1 (509) 555-1212=+15095551212"}},
	{"AMAZON.PhoneNumber", "ko_KR", "010-1234-5678", []string{"010-1234-5678=01012345678"}},
	{"AMAZON.PhoneNumber", "zh_CN", "138 0013 8000", []string{"138 0013 8000=13800138000"}},

	{"AMAZON.State", "en_US", "California", []string{"California=California"}},
	{"AMAZON.State", "ko_KR", "경기도", []string{"경기도=경기도"}},
	{"AMAZON.State", "zh_CN", "广东省", []string{"广东省=广东省"}},

	{"AMAZON.StreetName", "en_US", "123 Main Street", []string{"Main Street=Main Street"}},
	{"AMAZON.StreetName", "ko_KR", "세종대로 110", []string{"세종대로=세종대로"}},
	{"AMAZON.StreetName", "zh_CN", "长安街", []string{"长安街=长安街"}},

	{"AMAZON.Time", "en_US", "3:30 pm", []string{"3:30 pm=15:30"}},
	{"AMAZON.Time", "en_US", "10 o'clock", []string{"10 o'clock=10:00|22:00"}},
	{"AMAZON.Time", "ko_KR", "오후 세시 반", []string{"오후 세시 반=15:30"}},
	{"AMAZON.Time", "zh_CN", "下午三点半", []string{"下午三点半=15:30"}},

	{"AMAZON.UKPostalCode", "en_GB", "sw1a1aa", []string{"sw1a1aa=SW1A 1AA"}},
	{"AMAZON.UKPostalCode", "en_US", "SW1A 1AA", nil}, // en_GB only
	{"AMAZON.UKPostalCode", "ko_KR", "SW1A 1AA", nil},
	{"AMAZON.UKPostalCode", "zh_CN", "SW1A 1AA", nil},
}

func TestPinBuiltInTypes(t *testing.T) {
	runCases(t, pinCases)
}

// TestPinCoversEveryType keeps the pin table complete: every type Find
// supports appears for en_US, ko_KR and zh_CN.
func TestPinCoversEveryType(t *testing.T) {
	for _, typ := range allTypes {
		for _, loc := range []string{"en_US", "ko_KR", "zh_CN"} {
			if !slices.ContainsFunc(pinCases, func(c tc) bool { return c.typ == typ && c.locale == loc }) {
				t.Errorf("pinCases lack %s in %s", typ, loc)
			}
		}
	}
}

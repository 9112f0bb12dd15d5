package entity_test

import "testing"

func TestEmailAddress(t *testing.T) {
	const E = "AMAZON.EmailAddress"
	runCases(t, []tc{
		{E, "en_US", "john.smith+tag@Example.COM", []string{"john.smith+tag@Example.COM=john.smith+tag@example.com"}},
		{E, "en_US", "mail me at jane_doe-1@mail.example.co.uk.", []string{"jane_doe-1@mail.example.co.uk=jane_doe-1@mail.example.co.uk"}},
		{E, "en_US", "john at example dot com", []string{"john at example dot com=john@example.com"}},
		{E, "en_US", "it's john dot smith at gmail dot com", []string{"john dot smith at gmail dot com=john.smith@gmail.com"}},
		{E, "ko_KR", "이메일은 hong@naver.com 입니다", []string{"hong@naver.com=hong@naver.com"}},
		{E, "zh_CN", "我的邮箱是ｌｉ＠ｑｑ．ｃｏｍ", []string{"ｌｉ＠ｑｑ．ｃｏｍ=li@qq.com"}},
		{E, "en_US", "user@localhost", nil},
		{E, "en_US", "meet me at home", nil},
	})
}

func TestPhoneNumber(t *testing.T) {
	const P = "AMAZON.PhoneNumber"
	runCases(t, []tc{
		{P, "en_US", "+1 (509) 555-1212", []string{"+1 (509) 555-1212=+15095551212"}},
		{P, "en_US", "555-1212", []string{"555-1212=5551212"}},
		{P, "en_US", "call 555.123.4567.", []string{"555.123.4567=5551234567"}},
		{P, "en_US", "five five five one two one two", []string{"five five five one two one two=5551212"}},
		{P, "en_US", "12345", nil},
		{P, "ko_KR", "010-1234-5678", []string{"010-1234-5678=01012345678"}},
		{P, "ko_KR", "제 번호는 01012345678이에요", []string{"01012345678=01012345678"}},
		{P, "ko_KR", "공일공 일이삼사 오육칠팔", []string{"공일공 일이삼사 오육칠팔=01012345678"}},
		{P, "zh_CN", "我的电话是13812345678", []string{"13812345678=13812345678"}},
		{P, "zh_CN", "幺三八一二三四五六七八", []string{"幺三八一二三四五六七八=13812345678"}},
	})
}

func TestAlphaNumeric(t *testing.T) {
	const A = "AMAZON.AlphaNumeric"
	runCases(t, []tc{
		{A, "en_US", "A1B2C3", []string{"A1B2C3=A1B2C3"}},
		{A, "en_US", "my code is ab12cd", []string{"ab12cd=ab12cd"}},
		{A, "en_US", "ABCDEF", []string{"ABCDEF=ABCDEF"}},
		{A, "en_US", "no code here", nil},
		{A, "zh_CN", "订单号ＡＢ１２３", []string{"ＡＢ１２３=AB123"}},
		{A, "zh_CN", "AB123号", []string{"AB123=AB123"}},
		{A, "en_US", "code AB12é", nil},
		{A, "ko_KR", "A1B2C3", nil},
	})
}

package entity_test

import "testing"

func TestLastName(t *testing.T) {
	const L = "AMAZON.LastName"
	runCases(t, []tc{
		// English
		{L, "en_US", "my last name is smith", []string{"smith=Smith"}},
		{L, "en_US", "My surname is O'Brien", []string{"O'Brien=O'Brien"}},
		{L, "en_US", "it's Johnson", []string{"Johnson=Johnson"}},
		{L, "en_US", "Smith", []string{"Smith=Smith"}},
		{L, "en_US", "garcia", []string{"garcia=Garcia"}},
		{L, "en_US", "John Smith", []string{"Smith=Smith"}},
		{L, "en_US", "family name is McDonald", []string{"McDonald=McDonald"}},
		{L, "en_US", "yes", nil},
		{L, "en_US", "book a table for two", nil},
		// Korean: the family name is the first syllable (or two) of a full name.
		{L, "ko_KR", "홍길동", []string{"홍=홍"}},
		{L, "ko_KR", "김이에요", []string{"김=김"}},
		{L, "ko_KR", "김씨요", []string{"김=김"}},
		{L, "ko_KR", "최", []string{"최=최"}},
		{L, "ko_KR", "제 성은 박입니다", []string{"박=박"}},
		{L, "ko_KR", "성은 정이에요", []string{"정=정"}},
		{L, "ko_KR", "저는 이지은입니다", []string{"이=이"}},
		{L, "ko_KR", "제 이름은 윤서연이에요", []string{"윤=윤"}},
		{L, "ko_KR", "남궁민수", []string{"남궁=남궁"}},
		{L, "ko_KR", "제갈공명이요", []string{"제갈=제갈"}},
		{L, "ko_KR", "네, 홍길동이요", []string{"홍=홍"}},
		{L, "ko_KR", "정말요", nil},
		{L, "ko_KR", "고마워", nil},
		{L, "ko_KR", "안녕하세요", nil},
		{L, "ko_KR", "네", nil},
		// Chinese
		{L, "zh_CN", "我姓王", []string{"王=王"}},
		{L, "zh_CN", "免贵姓李", []string{"李=李"}},
		{L, "zh_CN", "我姓欧阳", []string{"欧阳=欧阳"}},
		{L, "zh_CN", "我叫王小明", []string{"王=王"}},
		{L, "zh_CN", "王小明", []string{"王=王"}},
		{L, "zh_CN", "张伟", []string{"张=张"}},
		{L, "zh_CN", "欧阳娜娜", []string{"欧阳=欧阳"}},
		{L, "zh_CN", "陈", []string{"陈=陈"}},
		{L, "zh_CN", "谢谢", nil},
		{L, "zh_CN", "明天", nil},
		{L, "zh_CN", "不是", nil},
	})
}

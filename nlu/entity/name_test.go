package entity_test

import "testing"

func TestFirstName(t *testing.T) {
	const F = "AMAZON.FirstName"
	runCases(t, []tc{
		// English
		{F, "en_US", "my name is john", []string{"john=John"}},
		{F, "en_US", "I'm Sarah", []string{"Sarah=Sarah"}},
		{F, "en_US", "call me McDonald", []string{"McDonald=McDonald"}},
		{F, "en_US", "this is Anne-Marie", []string{"Anne-Marie=Anne-Marie"}},
		{F, "en_US", "Bob", []string{"Bob=Bob"}},
		{F, "en_US", "alice", []string{"alice=Alice"}},
		{F, "en_US", "John Smith", []string{"John=John"}},
		{F, "en_US", "I'm not sure", nil},
		{F, "en_US", "yes", nil},
		{F, "en_US", "book a table for two", nil},
		// Korean
		{F, "ko_KR", "홍길동이에요", []string{"홍길동=홍길동"}},
		{F, "ko_KR", "제 이름은 홍길동입니다", []string{"홍길동=홍길동"}},
		{F, "ko_KR", "홍길동이라고 해요", []string{"홍길동=홍길동"}},
		{F, "ko_KR", "길동이요", []string{"길동=길동"}},
		{F, "ko_KR", "김철수예요", []string{"김철수=김철수"}},
		{F, "ko_KR", "태연", []string{"태연=태연"}},
		{F, "ko_KR", "태연이", []string{"태연=태연"}},
		{F, "ko_KR", "철이", []string{"철이=철이"}},
		{F, "ko_KR", "철이가요", []string{"철=철"}},
		{F, "ko_KR", "영희가 예약했어요", []string{"영희=영희"}},
		{F, "ko_KR", "홍길동 씨", []string{"홍길동=홍길동"}},
		{F, "ko_KR", "지은", []string{"지은=지은"}},
		{F, "ko_KR", "이지은이에요", []string{"이지은=이지은"}},
		{F, "ko_KR", "영희요", []string{"영희=영희"}},
		{F, "ko_KR", "민수는요", []string{"민수=민수"}},
		{F, "ko_KR", "홍길동님이요", []string{"홍길동=홍길동"}},
		{F, "ko_KR", "저는 김민수입니다", []string{"김민수=김민수"}},
		{F, "ko_KR", "네, 홍길동이요", []string{"홍길동=홍길동"}},
		// Chinese
		{F, "zh_CN", "我叫王小明", []string{"王小明=王小明"}},
		{F, "zh_CN", "我叫李明。", []string{"李明=李明"}},
		{F, "zh_CN", "我的名字是张伟", []string{"张伟=张伟"}},
		{F, "zh_CN", "李娜", []string{"李娜=李娜"}},
		{F, "zh_CN", "Tom", []string{"Tom=Tom"}},
		{F, "zh_CN", "是不是", nil},
		{F, "zh_CN", "不要了", nil},
	})
}

package entity_test

import (
	"testing"
	"time"

	"github.com/parleybot/parley/nlu/entity"
)

// TestDateUsesRefLocation: "today" is the calendar day in ref's zone, not in
// UTC or the machine's zone.
func TestDateUsesRefLocation(t *testing.T) {
	kst := time.FixedZone("KST", 9*3600)
	lateUTC := time.Date(2026, 5, 13, 20, 0, 0, 0, time.UTC) // already the 14th in Seoul
	for _, c := range []struct {
		ref  time.Time
		want string
	}{{lateUTC, "2026-05-13"}, {lateUTC.In(kst), "2026-05-14"}} {
		ms := entity.Find("AMAZON.Date", "en_US", "today", c.ref)
		if len(ms) != 1 || ms[0].Value != c.want {
			t.Errorf("today at %v = %+v, want %s", c.ref, ms, c.want)
		}
	}
}

// The reference day is Wednesday 2026-05-13.
func TestDate(t *testing.T) {
	const D = "AMAZON.Date"
	runCases(t, []tc{
		// English
		{D, "en_US", "today", []string{"today=2026-05-13"}},
		{D, "en_US", "Tomorrow please", []string{"Tomorrow=2026-05-14"}},
		{D, "en_US", "yesterday", []string{"yesterday=2026-05-12"}},
		{D, "en_US", "the day after tomorrow", []string{"the day after tomorrow=2026-05-15"}},
		{D, "en_US", "friday", []string{"friday=2026-05-15"}},
		{D, "en_US", "on Wednesday", []string{"on Wednesday=2026-05-13"}},
		{D, "en_US", "monday", []string{"monday=2026-05-18"}},
		{D, "en_US", "next friday", []string{"next friday=2026-05-22"}},
		{D, "en_US", "next monday", []string{"next monday=2026-05-18"}},
		{D, "en_US", "this friday", []string{"this friday=2026-05-15"}},
		{D, "en_US", "last friday", []string{"last friday=2026-05-08"}},
		{D, "en_US", "last monday", []string{"last monday=2026-05-04"}},
		{D, "en_US", "friday next week", []string{"friday next week=2026-05-22"}},
		{D, "en_US", "march 5", []string{"march 5=2027-03-05"}},
		{D, "en_US", "June 1st", []string{"June 1st=2026-06-01"}},
		{D, "en_US", "may 13", []string{"may 13=2026-05-13"}},
		{D, "en_US", "5 march", []string{"5 march=2027-03-05"}},
		{D, "en_US", "the fifth of june", []string{"the fifth of june=2026-06-05"}},
		{D, "en_US", "march 5th, 2026", []string{"march 5th, 2026=2026-03-05"}},
		{D, "en_US", "july twenty-first", []string{"july twenty-first=2026-07-21"}},
		{D, "en_US", "3/5", []string{"3/5=2027-03-05"}},
		{D, "en_US", "12/25/2026", []string{"12/25/2026=2026-12-25"}},
		{D, "en_US", "2026-03-05", []string{"2026-03-05=2026-03-05"}},
		{D, "en_US", "２０２６-０３-０５", []string{"２０２６-０３-０５=2026-03-05"}},
		{D, "en_US", "in 3 days", []string{"in 3 days=2026-05-16"}},
		{D, "en_US", "3 days later", []string{"3 days later=2026-05-16"}},
		{D, "en_US", "in two weeks", []string{"in two weeks=2026-05-27"}},
		{D, "en_US", "a week from now", []string{"a week from now=2026-05-20"}},
		{D, "en_US", "the 20th", []string{"the 20th=2026-05-20"}},
		{D, "en_US", "february 30", nil},
		{D, "en_US", "next week", nil},
		{D, "en_US", "may I book", nil},
		{D, "en_US", "book for tomorrow at 3pm", []string{"tomorrow=2026-05-14"}},
		// Korean
		{D, "ko_KR", "오늘", []string{"오늘=2026-05-13"}},
		{D, "ko_KR", "내일까지", []string{"내일=2026-05-14"}},
		{D, "ko_KR", "모레", []string{"모레=2026-05-15"}},
		{D, "ko_KR", "글피", []string{"글피=2026-05-16"}},
		{D, "ko_KR", "어제", []string{"어제=2026-05-12"}},
		{D, "ko_KR", "그저께", []string{"그저께=2026-05-11"}},
		{D, "ko_KR", "이번 주 금요일", []string{"이번 주 금요일=2026-05-15"}},
		{D, "ko_KR", "이번주 월요일", []string{"이번주 월요일=2026-05-11"}},
		{D, "ko_KR", "다음 주 금요일", []string{"다음 주 금요일=2026-05-22"}},
		{D, "ko_KR", "다음주 금요일에 예약", []string{"다음주 금요일=2026-05-22"}},
		{D, "ko_KR", "지난주 금요일", []string{"지난주 금요일=2026-05-08"}},
		{D, "ko_KR", "금요일", []string{"금요일=2026-05-15"}},
		{D, "ko_KR", "금욜", []string{"금욜=2026-05-15"}},
		{D, "ko_KR", "일요일에", []string{"일요일=2026-05-17"}},
		{D, "ko_KR", "3월 5일", []string{"3월 5일=2027-03-05"}},
		{D, "ko_KR", "6월5일", []string{"6월5일=2026-06-05"}},
		{D, "ko_KR", "2026년 3월 5일", []string{"2026년 3월 5일=2026-03-05"}},
		{D, "ko_KR", "유월 오일", []string{"유월 오일=2026-06-05"}},
		{D, "ko_KR", "이천이십육년 오월 이십일", []string{"이천이십육년 오월 이십일=2026-05-20"}},
		{D, "ko_KR", "시월 삼일", []string{"시월 삼일=2026-10-03"}},
		{D, "ko_KR", "오월 이십일일", []string{"오월 이십일일=2026-05-21"}},
		{D, "ko_KR", "5일", []string{"5일=2026-06-05"}},
		{D, "ko_KR", "20일에 갈게요", []string{"20일=2026-05-20"}},
		{D, "ko_KR", "3일 후", []string{"3일 후=2026-05-16"}},
		{D, "ko_KR", "3일 뒤에", []string{"3일 뒤=2026-05-16"}},
		{D, "ko_KR", "사흘 뒤", []string{"사흘 뒤=2026-05-16"}},
		{D, "ko_KR", "일주일 후", []string{"일주일 후=2026-05-20"}},
		{D, "ko_KR", "2주 뒤", []string{"2주 뒤=2026-05-27"}},
		{D, "ko_KR", "한 달 후", []string{"한 달 후=2026-06-13"}},
		{D, "ko_KR", "3일 전", []string{"3일 전=2026-05-10"}},
		{D, "ko_KR", "다음 달 5일", []string{"다음 달 5일=2026-06-05"}},
		{D, "ko_KR", "다음 주", nil},
		{D, "ko_KR", "세일 언제예요", nil},
		{D, "ko_KR", "2026.03.05", []string{"2026.03.05=2026-03-05"}},
		// Chinese
		{D, "zh_CN", "今天", []string{"今天=2026-05-13"}},
		{D, "zh_CN", "明天下午三点", []string{"明天=2026-05-14"}},
		{D, "zh_CN", "后天", []string{"后天=2026-05-15"}},
		{D, "zh_CN", "大后天", []string{"大后天=2026-05-16"}},
		{D, "zh_CN", "昨天", []string{"昨天=2026-05-12"}},
		{D, "zh_CN", "星期五", []string{"星期五=2026-05-15"}},
		{D, "zh_CN", "周五", []string{"周五=2026-05-15"}},
		{D, "zh_CN", "礼拜天", []string{"礼拜天=2026-05-17"}},
		{D, "zh_CN", "下周五", []string{"下周五=2026-05-22"}},
		{D, "zh_CN", "下星期五", []string{"下星期五=2026-05-22"}},
		{D, "zh_CN", "这周五", []string{"这周五=2026-05-15"}},
		{D, "zh_CN", "本周一", []string{"本周一=2026-05-11"}},
		{D, "zh_CN", "上周五", []string{"上周五=2026-05-08"}},
		{D, "zh_CN", "3月5日", []string{"3月5日=2027-03-05"}},
		{D, "zh_CN", "3月5号", []string{"3月5号=2027-03-05"}},
		{D, "zh_CN", "三月五号", []string{"三月五号=2027-03-05"}},
		{D, "zh_CN", "2026年3月5日", []string{"2026年3月5日=2026-03-05"}},
		{D, "zh_CN", "二〇二六年六月一日", []string{"二〇二六年六月一日=2026-06-01"}},
		{D, "zh_CN", "三天后", []string{"三天后=2026-05-16"}},
		{D, "zh_CN", "两个星期以后", []string{"两个星期以后=2026-05-27"}},
		{D, "zh_CN", "20号", []string{"20号=2026-05-20"}},
		{D, "zh_CN", "下周", nil},
		{D, "zh_CN", "下个月5号", []string{"下个月5号=2026-06-05"}},
		{D, "zh_CN", "本月20日", []string{"本月20日=2026-05-20"}},
	})
}

package entity_test

import "testing"

func TestDuration(t *testing.T) {
	const U = "AMAZON.Duration"
	runCases(t, []tc{
		// English
		{U, "en_US", "ten minutes", []string{"ten minutes=PT10M"}},
		{U, "en_US", "three days", []string{"three days=P3D"}},
		{U, "en_US", "eight weeks", []string{"eight weeks=P8W"}},
		{U, "en_US", "five hours ten minutes", []string{"five hours ten minutes=PT5H10M"}},
		{U, "en_US", "5 hours and 10 minutes", []string{"5 hours and 10 minutes=PT5H10M"}},
		{U, "en_US", "an hour and a half", []string{"an hour and a half=PT1H30M"}},
		{U, "en_US", "half an hour", []string{"half an hour=PT30M"}},
		{U, "en_US", "one and a half hours", []string{"one and a half hours=PT1H30M"}},
		{U, "en_US", "1.5 hours", []string{"1.5 hours=PT1H30M"}},
		{U, "en_US", "2 years", []string{"2 years=P2Y"}},
		{U, "en_US", "a month", []string{"a month=P1M"}},
		{U, "en_US", "30 seconds", []string{"30 seconds=PT30S"}},
		{U, "en_US", "90 mins", []string{"90 mins=PT90M"}},
		{U, "en_US", "a day and a half", []string{"a day and a half=P1DT12H"}},
		{U, "en_US", "for 2 weeks please", []string{"2 weeks=P2W"}},
		{U, "en_US", "a couple of days", []string{"a couple of days=P2D"}},
		{U, "en_US", "10 people", nil},
		// Korean
		{U, "ko_KR", "10분", []string{"10분=PT10M"}},
		{U, "ko_KR", "세 시간", []string{"세 시간=PT3H"}},
		{U, "ko_KR", "세시간이요", []string{"세시간=PT3H"}},
		{U, "ko_KR", "한 시간 반", []string{"한 시간 반=PT1H30M"}},
		{U, "ko_KR", "한시간반", []string{"한시간반=PT1H30M"}},
		{U, "ko_KR", "1시간 30분", []string{"1시간 30분=PT1H30M"}},
		{U, "ko_KR", "3일 동안", []string{"3일 동안=P3D"}},
		{U, "ko_KR", "3일간", []string{"3일간=P3D"}},
		{U, "ko_KR", "2주", []string{"2주=P2W"}},
		{U, "ko_KR", "일주일", []string{"일주일=P1W"}},
		{U, "ko_KR", "30초", []string{"30초=PT30S"}},
		{U, "ko_KR", "삼십 분", []string{"삼십 분=PT30M"}},
		{U, "ko_KR", "이틀", []string{"이틀=P2D"}},
		{U, "ko_KR", "하루 반", []string{"하루 반=P1DT12H"}},
		{U, "ko_KR", "두 달", []string{"두 달=P2M"}},
		{U, "ko_KR", "6개월", []string{"6개월=P6M"}},
		{U, "ko_KR", "3시", nil},
		{U, "ko_KR", "세일", nil},
		{U, "ko_KR", "이주 동안", []string{"이주 동안=P2W"}},
		{U, "ko_KR", "이분이 예약했어요", nil},
		{U, "ko_KR", "오일 교환", nil},
		// Chinese
		{U, "zh_CN", "十分钟", []string{"十分钟=PT10M"}},
		{U, "zh_CN", "三个小时", []string{"三个小时=PT3H"}},
		{U, "zh_CN", "两天", []string{"两天=P2D"}},
		{U, "zh_CN", "半小时", []string{"半小时=PT30M"}},
		{U, "zh_CN", "半个小时", []string{"半个小时=PT30M"}},
		{U, "zh_CN", "一个半小时", []string{"一个半小时=PT1H30M"}},
		{U, "zh_CN", "一小时零五分钟", []string{"一小时零五分钟=PT1H5M"}},
		{U, "zh_CN", "一刻钟", []string{"一刻钟=PT15M"}},
		{U, "zh_CN", "两个星期", []string{"两个星期=P2W"}},
		{U, "zh_CN", "三个月", []string{"三个月=P3M"}},
		{U, "zh_CN", "三月", nil},
	})
}

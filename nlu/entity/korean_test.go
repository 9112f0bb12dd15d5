package entity_test

import "testing"

// TestKoreanSpacing: users often drop or add spaces (띄어쓰기 errors); each
// value reads the same either way.
func TestKoreanSpacing(t *testing.T) {
	runCases(t, []tc{
		{"AMAZON.Date", "ko_KR", "다음주금요일", []string{"다음주금요일=2026-05-22"}},
		{"AMAZON.Date", "ko_KR", "다음 주 금요일", []string{"다음 주 금요일=2026-05-22"}},
		{"AMAZON.Date", "ko_KR", "이번주토요일", []string{"이번주토요일=2026-05-16"}},
		{"AMAZON.Date", "ko_KR", "다다음주월요일", []string{"다다음주월요일=2026-05-25"}},
		{"AMAZON.Date", "ko_KR", "오월오일", []string{"오월오일=2027-05-05"}},
		{"AMAZON.Date", "ko_KR", "5월5일", []string{"5월5일=2027-05-05"}},
		{"AMAZON.Time", "ko_KR", "오후세시반", []string{"오후세시반=15:30"}},
		{"AMAZON.Time", "ko_KR", "오후 세시 반", []string{"오후 세시 반=15:30"}},
		{"AMAZON.Time", "ko_KR", "저녁7시반", []string{"저녁7시반=19:30"}},
		{"AMAZON.Time", "ko_KR", "열두시삼십분", []string{"열두시삼십분=12:30"}},
		{"AMAZON.Time", "ko_KR", "다음주금요일오후세시반", []string{"오후세시반=15:30"}},
		{"AMAZON.Number", "ko_KR", "삼천오백원", []string{"삼천오백=3500"}},
		{"AMAZON.Number", "ko_KR", "삼천 오백 원", []string{"삼천 오백=3500"}},
		{"AMAZON.Number", "ko_KR", "만 이천 원", []string{"만 이천=12000"}},
		{"AMAZON.Currency", "ko_KR", "삼천오백원", []string{"삼천오백원=KRW 3500"}},
		{"AMAZON.Currency", "ko_KR", "삼천 오백 원", []string{"삼천 오백 원=KRW 3500"}},
		{"AMAZON.Duration", "ko_KR", "한시간반", []string{"한시간반=PT1H30M"}},
		{"AMAZON.Duration", "ko_KR", "두시간삼십분", []string{"두시간삼십분=PT2H30M"}},
		{"AMAZON.Percentage", "ko_KR", "삼십퍼센트", []string{"삼십퍼센트=30%"}},
		{"AMAZON.FirstName", "ko_KR", "민수라고합니다", []string{"민수=민수"}},
		{"AMAZON.FirstName", "ko_KR", "저는민수예요", []string{"민수=민수"}},
		{"AMAZON.FirstName", "ko_KR", "나는요", nil},
	})
}

// TestKoreanAnswerVariants: honorific and informal, playful and jamo-only
// ways to say yes, no, maybe and don't know.
func TestKoreanAnswerVariants(t *testing.T) {
	const C = "AMAZON.Confirmation"
	runCases(t, []tc{
		{C, "ko_KR", "네네", []string{"네네=Yes"}},
		{C, "ko_KR", "넵", []string{"넵=Yes"}},
		{C, "ko_KR", "넹", []string{"넹=Yes"}},
		{C, "ko_KR", "네에", []string{"네에=Yes"}},
		{C, "ko_KR", "ㅇㅇ", []string{"ㅇㅇ=Yes"}},
		{C, "ko_KR", "ㅇㅇㅇ", []string{"ㅇㅇㅇ=Yes"}},
		{C, "ko_KR", "ㅇㅋ", []string{"ㅇㅋ=Yes"}},
		{C, "ko_KR", "ㅇㅋㅇㅋ", []string{"ㅇㅋㅇㅋ=Yes"}},
		{C, "ko_KR", "그렇습니다", []string{"그렇습니다=Yes"}},
		{C, "ko_KR", "맞습니당", []string{"맞습니당=Yes"}},
		{C, "ko_KR", "좋아용", []string{"좋아용=Yes"}},
		{C, "ko_KR", "그렇죠", []string{"그렇죠=Yes"}},
		{C, "ko_KR", "네ㅋㅋ", []string{"네=Yes"}},
		{C, "ko_KR", "그렇게 해 주세요", []string{"그렇게 해 주세요=Yes"}},
		{C, "ko_KR", "ㄴㄴ", []string{"ㄴㄴ=No"}},
		{C, "ko_KR", "아니용", []string{"아니용=No"}},
		{C, "ko_KR", "노노", []string{"노노=No"}},
		{C, "ko_KR", "아니요ㅠㅠ", []string{"아니요=No"}},
		{C, "ko_KR", "아닌 것 같아요", []string{"아닌 것 같아요=No"}},
		{C, "ko_KR", "필요 없어요", []string{"필요 없어요=No"}},
		{C, "ko_KR", "안 할게요", []string{"안 할게요=No"}},
		{C, "ko_KR", "그럴 수도 있어요", []string{"그럴 수도 있어요=Maybe"}},
		{C, "ko_KR", "아마도요", []string{"아마도요=Maybe"}},
		{C, "ko_KR", "몰라용", []string{"몰라용=Don't know"}},
		{C, "ko_KR", "모르겠는데요", []string{"모르겠는데요=Don't know"}},
		{C, "ko_KR", "ㅁㄹ", []string{"ㅁㄹ=Don't know"}},
		{C, "ko_KR", "확실하지 않아요", []string{"확실하지 않아요=Don't know"}},
		{C, "ko_KR", "어디로 가요", nil},
		{C, "ko_KR", "네가 해", nil},
	})
}

// TestChineseAnswerVariants: particles and colloquial answers.
func TestChineseAnswerVariants(t *testing.T) {
	const C = "AMAZON.Confirmation"
	runCases(t, []tc{
		{C, "zh_CN", "是啊", []string{"是啊=Yes"}},
		{C, "zh_CN", "对对对", []string{"对对对=Yes"}},
		{C, "zh_CN", "嗯嗯", []string{"嗯嗯=Yes"}},
		{C, "zh_CN", "好吧", []string{"好吧=Yes"}},
		{C, "zh_CN", "当然可以", []string{"当然可以=Yes"}},
		{C, "zh_CN", "没问题", []string{"没问题=Yes"}},
		{C, "zh_CN", "不用了", []string{"不用了=No"}},
		{C, "zh_CN", "不需要", []string{"不需要=No"}},
		{C, "zh_CN", "算了吧", []string{"算了吧=No"}},
		{C, "zh_CN", "可能吧", []string{"可能吧=Maybe"}},
		{C, "zh_CN", "说不定", []string{"说不定=Maybe"}},
		{C, "zh_CN", "我不知道", []string{"我不知道=Don't know"}},
		{C, "zh_CN", "不太清楚", []string{"不太清楚=Don't know"}},
		{C, "zh_CN", "要不要", nil},
	})
}

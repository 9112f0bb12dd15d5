package entity_test

import "testing"

func TestStreetName(t *testing.T) {
	const S = "AMAZON.StreetName"
	runCases(t, []tc{
		// English: the house number is left out.
		{S, "en_US", "123 Main Street", []string{"Main Street=Main Street"}},
		{S, "en_US", "I live at 42 5th Avenue, apt 3", []string{"5th Avenue=5th Avenue"}},
		{S, "en_US", "on elm st", []string{"elm st=Elm St"}},
		{S, "en_US", "1600 Pennsylvania Ave NW", []string{"Pennsylvania Ave=Pennsylvania Ave"}},
		{S, "en_US", "Abbey Road", []string{"Abbey Road=Abbey Road"}},
		{S, "en_US", "Baker Street please", []string{"Baker Street=Baker Street"}},
		{S, "en_US", "10 Downing Street", []string{"Downing Street=Downing Street"}},
		{S, "en_US", "Martin Luther King Boulevard", []string{"Martin Luther King Boulevard=Martin Luther King Boulevard"}},
		{S, "en_US", "Sunset Blvd", []string{"Sunset Blvd=Sunset Blvd"}},
		{S, "en_US", "by the way", nil},
		{S, "en_US", "no way", nil},
		{S, "en_US", "I drive to work", nil},
		{S, "en_US", "come to my place", nil},
		// Korean: 도로명 ending in 로, 대로 or 길.
		{S, "ko_KR", "테헤란로", []string{"테헤란로=테헤란로"}},
		{S, "ko_KR", "세종대로 110", []string{"세종대로=세종대로"}},
		{S, "ko_KR", "테헤란로7길", []string{"테헤란로7길=테헤란로7길"}},
		{S, "ko_KR", "논현로 28길이요", []string{"논현로 28길=논현로28길"}},
		{S, "ko_KR", "강남대로에서 만나요", []string{"강남대로=강남대로"}},
		{S, "ko_KR", "중앙로 12번지", []string{"중앙로=중앙로"}},
		{S, "ko_KR", "올림픽로요", []string{"올림픽로=올림픽로"}},
		{S, "ko_KR", "서울 종로", []string{"종로=종로"}},
		{S, "ko_KR", "카드로 결제할게요", nil},
		{S, "ko_KR", "서울로 가요", nil},
		{S, "ko_KR", "이길 거예요", nil},
		// Chinese: 路, 街, 大道, 胡同 with the name before them.
		{S, "zh_CN", "长安街", []string{"长安街=长安街"}},
		{S, "zh_CN", "我住在南京东路123号", []string{"南京东路=南京东路"}},
		{S, "zh_CN", "淮海中路", []string{"淮海中路=淮海中路"}},
		{S, "zh_CN", "送到中山路88号", []string{"中山路=中山路"}},
		{S, "zh_CN", "王府井大街", []string{"王府井大街=王府井大街"}},
		{S, "zh_CN", "深南大道", []string{"深南大道=深南大道"}},
		{S, "zh_CN", "走路去", nil},
		{S, "zh_CN", "去学校的路上", nil},
	})
}

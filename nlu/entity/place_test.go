package entity_test

import "testing"

func TestCity(t *testing.T) {
	const C = "AMAZON.City"
	runCases(t, []tc{
		// English
		{C, "en_US", "I want to fly to New York", []string{"New York=New York"}},
		{C, "en_US", "from los angeles to seattle", []string{"los angeles=Los Angeles", "seattle=Seattle"}},
		{C, "en_US", "NYC please", []string{"NYC=NYC"}},
		{C, "en_US", "Seoul", []string{"Seoul=Seoul"}},
		{C, "en_US", "London, UK", []string{"London=London"}},
		{C, "en_US", "San Francisco", []string{"San Francisco=San Francisco"}},
		{C, "en_US", "I'm in Tokyo next week", []string{"Tokyo=Tokyo"}},
		{C, "en_US", "book a table", nil},
		{C, "en_US", "the parisian cafe", nil},
		// Korean: particles and attached words after the name.
		{C, "ko_KR", "서울", []string{"서울=서울"}},
		{C, "ko_KR", "부산에서 출발해요", []string{"부산=부산"}},
		{C, "ko_KR", "뉴욕으로 가요", []string{"뉴욕=뉴욕"}},
		{C, "ko_KR", "서울에서 부산까지", []string{"서울=서울", "부산=부산"}},
		{C, "ko_KR", "도쿄요", []string{"도쿄=도쿄"}},
		{C, "ko_KR", "부산행 기차", []string{"부산=부산"}},
		{C, "ko_KR", "라스베가스 가고 싶어요", []string{"라스베가스=라스베가스"}},
		{C, "ko_KR", "Seoul이요", []string{"Seoul=Seoul"}},
		{C, "ko_KR", "서울대 다녀요", nil},
		{C, "ko_KR", "안녕하세요", nil},
		// Chinese: no word boundaries.
		{C, "zh_CN", "我想去北京", []string{"北京=北京"}},
		{C, "zh_CN", "从上海到首尔", []string{"上海=上海", "首尔=首尔"}},
		{C, "zh_CN", "东京", []string{"东京=东京"}},
		{C, "zh_CN", "飞往纽约的航班", []string{"纽约=纽约"}},
		{C, "zh_CN", "香港", []string{"香港=香港"}},
		{C, "zh_CN", "天安门广场", nil},
		{C, "zh_CN", "你好", nil},
	})
}

func TestCountry(t *testing.T) {
	const C = "AMAZON.Country"
	runCases(t, []tc{
		// English
		{C, "en_US", "south korea", []string{"south korea=South Korea"}},
		{C, "en_US", "I live in the United States", []string{"United States=United States"}},
		{C, "en_US", "the US", []string{"US=US"}},
		{C, "en_US", "Turkey", []string{"Turkey=Turkey"}},
		{C, "en_US", "a turkey sandwich", nil},
		{C, "en_US", "tell us more", nil},
		{C, "en_US", "Côte d'Ivoire", []string{"Côte d'Ivoire=Côte d'Ivoire"}},
		{C, "en_US", "japan or china", []string{"japan=Japan"}},
		// Korean
		{C, "ko_KR", "미국이요", []string{"미국=미국"}},
		{C, "ko_KR", "대한민국", []string{"대한민국=대한민국"}},
		{C, "ko_KR", "인도네시아에 가요", []string{"인도네시아=인도네시아"}},
		{C, "ko_KR", "일본하고 중국", []string{"일본=일본", "중국=중국"}},
		{C, "ko_KR", "남아공", []string{"남아공=남아공"}},
		{C, "ko_KR", "뭐라고요", nil},
		// Chinese
		{C, "zh_CN", "中国", []string{"中国=中国"}},
		{C, "zh_CN", "我来自韩国", []string{"韩国=韩国"}},
		{C, "zh_CN", "去印度尼西亚旅游", []string{"印度尼西亚=印度尼西亚"}},
		{C, "zh_CN", "美国和加拿大", []string{"美国=美国", "加拿大=加拿大"}},
		{C, "zh_CN", "今天天气好", nil},
	})
}

func TestState(t *testing.T) {
	const S = "AMAZON.State"
	runCases(t, []tc{
		// English: US states and other regions.
		{S, "en_US", "California", []string{"California=California"}},
		{S, "en_US", "i live in new jersey", []string{"new jersey=New Jersey"}},
		{S, "en_US", "Texas or Ohio", []string{"Texas=Texas", "Ohio=Ohio"}},
		{S, "en_US", "Georgia", []string{"Georgia=Georgia"}},
		{S, "en_US", "Ontario", []string{"Ontario=Ontario"}},
		{S, "en_US", "virginia", nil},
		{S, "en_US", "nothing here", nil},
		// Korean: 시/도, short and long forms, and US states in Korean.
		{S, "ko_KR", "경기도", []string{"경기도=경기도"}},
		{S, "ko_KR", "충북이요", []string{"충북=충북"}},
		{S, "ko_KR", "제주특별자치도에 살아요", []string{"제주특별자치도=제주특별자치도"}},
		{S, "ko_KR", "부산광역시", []string{"부산광역시=부산광역시"}},
		{S, "ko_KR", "캘리포니아", []string{"캘리포니아=캘리포니아"}},
		{S, "ko_KR", "전라남도 여수", []string{"전라남도=전라남도"}},
		{S, "ko_KR", "좋아요", nil},
		// Chinese: provinces with and without 省, US states.
		{S, "zh_CN", "广东省", []string{"广东省=广东省"}},
		{S, "zh_CN", "我老家在四川", []string{"四川=四川"}},
		{S, "zh_CN", "加州", []string{"加州=加州"}},
		{S, "zh_CN", "内蒙古自治区", []string{"内蒙古自治区=内蒙古自治区"}},
		{S, "zh_CN", "京畿道", []string{"京畿道=京畿道"}},
		{S, "zh_CN", "谢谢", nil},
	})
}

package nlu

import (
	"strings"

	"github.com/parleybot/parley"
)

// lang is the language family of a Lex locale id ("ko_KR" → "ko").
func lang(localeID string) string {
	l := strings.ToLower(localeID)
	for _, p := range []string{"ko", "zh", "ja", "en"} {
		if strings.HasPrefix(l, p) {
			return p
		}
	}
	return "en"
}

// builtinIntentSamples are the utterances Parley trains a built-in intent
// with when the bot defines it without utterances of its own (Lex ships
// them inside the service; we have to bring them).
var builtinIntentSamples = map[string]map[string][]string{
	parley.CancelIntentSignature: {
		"en": {"cancel", "cancel that", "cancel it", "never mind", "forget it", "nevermind", "cancel please"},
		"ko": {"취소", "취소해", "취소해줘", "취소해 주세요", "취소할게요", "됐어", "됐어요", "그만둘래"},
		"zh": {"取消", "算了", "不要了", "取消吧"},
		"ja": {"キャンセル", "やめて", "取り消し"},
	},
	parley.HelpIntentSignature: {
		"en": {"help", "help me", "i need help", "what can you do", "can you help me"},
		"ko": {"도움말", "도와줘", "도와주세요", "도움이 필요해요", "뭘 할 수 있어", "뭐 할 수 있어요"},
		"zh": {"帮助", "帮帮我", "你能做什么", "我需要帮助"},
		"ja": {"ヘルプ", "助けて", "何ができますか"},
	},
	parley.StopIntentSignature: {
		"en": {"stop", "quit", "exit", "stop it", "stop that"},
		"ko": {"그만", "그만해", "멈춰", "종료", "종료해줘", "끝내"},
		"zh": {"停止", "停", "退出", "结束"},
		"ja": {"ストップ", "止めて", "終了"},
	},
	parley.StartOverIntentSignature: {
		"en": {"start over", "restart", "begin again", "start again", "let's start over"},
		"ko": {"처음부터", "처음부터 다시", "다시 시작", "다시 시작해줘", "처음으로"},
		"zh": {"重新开始", "从头开始", "重来"},
		"ja": {"最初から", "やり直し"},
	},
	parley.RepeatIntentSignature: {
		"en": {"repeat", "repeat that", "say that again", "come again", "can you repeat that"},
		"ko": {"다시 말해줘", "다시 말해 주세요", "뭐라고요", "반복해줘", "한번 더 말해줘"},
		"zh": {"再说一遍", "重复", "你说什么"},
		"ja": {"もう一度", "繰り返して"},
	},
}

// builtinTypeSamples are example values of built-in slot types, put in
// place of {Slot} in training utterances so that "order two pizzas" looks
// like "order {Number} pizzas".
var builtinTypeSamples = map[string]map[string][]string{
	"AMAZON.Number": {
		"en": {"two", "5", "ten"}, "ko": {"두", "3", "다섯"}, "zh": {"三", "5", "十"}, "ja": {"三", "5"},
	},
	"AMAZON.FirstName": {
		"en": {"john", "mary", "alex"}, "ko": {"민수", "지영", "홍길동"}, "zh": {"小明", "李华"}, "ja": {"たろう", "花子"},
	},
	"AMAZON.Date": {
		"en": {"tomorrow", "today", "friday"}, "ko": {"내일", "오늘", "금요일"}, "zh": {"明天", "今天"}, "ja": {"明日", "今日"},
	},
	"AMAZON.Time": {
		"en": {"3 pm", "noon", "7 30"}, "ko": {"오후 3시", "세시"}, "zh": {"三点", "下午三点"}, "ja": {"三時"},
	},
	"AMAZON.Duration": {
		"en": {"ten minutes", "two hours"}, "ko": {"10분", "두 시간"}, "zh": {"十分钟"}, "ja": {"十分"},
	},
	"AMAZON.Percentage": {
		"en": {"ten percent"}, "ko": {"10퍼센트"}, "zh": {"百分之十"},
	},
}

// Fillers are stripped around an answer to a slot prompt before the rest
// is taken as the value ("I want large please" → "large", "라지로 할게요"
// → 라지로, then its particle). All are in normalised form.
var leadingFillers = map[string][]string{
	"en": {"i want", "i would like", "id like", "i will have", "ill have", "i will take", "ill take", "give me",
		"can i have", "can i get", "make it", "lets do", "lets go with", "i want a", "i want an", "my name is",
		"its", "it is", "im", "i am", "call me", "just", "um", "uh", "a", "an", "the", "please", "ok", "okay", "well"},
	"ko": {"저는", "전", "나는", "난", "제", "내", "제 이름은", "내 이름은", "이름은", "음", "어", "그럼", "그냥", "아"},
	"zh": {"我要", "我想要", "要", "给我", "我叫", "我是", "就"},
	"ja": {"私は", "僕は"},
}

var trailingFillers = map[string][]string{
	"en": {"please", "thanks", "thank you", "too", "then"},
	"ko": {"할게요", "할게", "할래요", "할래", "해요", "해줘", "해주세요", "해 주세요", "주세요", "줘", "부탁해요",
		"부탁합니다", "입니다", "이요", "요", "이에요", "예요", "에요", "이야", "야", "로 할게요", "으로 할게요",
		"로 해주세요", "으로 해주세요", "로 해 주세요", "으로 해 주세요", "로요", "으로요"},
	"zh": {"吧", "了", "的", "谢谢", "就好", "就行"},
	"ja": {"です", "でお願いします", "お願いします"},
}

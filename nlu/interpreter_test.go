package nlu_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu"
)

// names lists the ranked intent names.
func names(u *parley.Understanding) []string {
	var out []string
	for _, m := range u.Intents {
		out = append(out, m.Name)
	}
	return out
}

// checkFallbackRule asserts Lex's placement: the fallback sits just before
// the first intent below the threshold, or after all of them.
func checkFallbackRule(t *testing.T, u *parley.Understanding, threshold float64) {
	t.Helper()
	if len(u.Intents) > 5 {
		t.Fatalf("%d interpretations, want at most 5", len(u.Intents))
	}
	fb := -1
	for i, m := range u.Intents {
		if m.Fallback {
			if fb >= 0 {
				t.Fatalf("two fallbacks in %v", names(u))
			}
			fb = i
			continue
		}
		if m.Score < 0 || m.Score > 1 {
			t.Errorf("%s scores %v, outside [0,1]", m.Name, m.Score)
		}
		if i > 0 && !u.Intents[i-1].Fallback && u.Intents[i-1].Score < m.Score {
			t.Errorf("ranking not descending: %v", u.Intents)
		}
		below := m.Score < threshold
		if below && fb < 0 {
			t.Errorf("%s scores %v below %v but comes before the fallback: %v", m.Name, m.Score, threshold, names(u))
		}
		if !below && fb >= 0 {
			t.Errorf("%s scores %v at or above %v but comes after the fallback: %v", m.Name, m.Score, threshold, names(u))
		}
	}
	if fb < 0 && len(u.Intents) < 5 {
		t.Errorf("no fallback in %v", names(u))
	}
}

func TestFallbackPlacement(t *testing.T) {
	tests := []struct {
		name      string
		threshold float64
		text      string
		want      []string
	}{
		{"mixed: fallback after the intents above", 0.40, "order a pizza", []string{"OrderPizza", "FallbackIntent", "CheckOrderStatus"}},
		{"none above: fallback first", 0.40, "tell me a joke", []string{"FallbackIntent", "OrderPizza", "CheckOrderStatus"}},
		{"all above: fallback last", 0, "where is my order", []string{"CheckOrderStatus", "OrderPizza", "FallbackIntent"}},
		{"threshold 1: only exact matches are above", 1, "where is my order", []string{"CheckOrderStatus", "FallbackIntent", "OrderPizza"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := pizzaBot()
			bot.Locales[0].NLUConfidenceThreshold = tt.threshold
			u := interpret(t, train(t, bot), parley.Query{Text: tt.text})
			if got := names(u); !slices.Equal(got, tt.want) {
				t.Errorf("ranking = %v, want %v", got, tt.want)
			}
			checkFallbackRule(t, u, tt.threshold)
		})
	}
}

func TestRankingKeepsFive(t *testing.T) {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: 0}
	for _, n := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"} {
		loc.Intents = append(loc.Intents, &parley.Intent{Name: n, SampleUtterances: []string{"say " + n, n + " please"}})
	}
	loc.Intents = append(loc.Intents, &parley.Intent{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature})
	u := interpret(t, train(t, &parley.Bot{ID: "NATOBOT001", Locales: []*parley.Locale{loc}}), parley.Query{Text: "say delta"})
	if len(u.Intents) != 5 || u.Intents[0].Name != "Delta" || u.Intents[0].Score != 1 {
		t.Errorf("ranking = %v, want five with Delta first at 1.0", u.Intents)
	}
	for _, m := range u.Intents {
		if m.Fallback {
			t.Errorf("fallback kept although five intents are above the threshold: %v", names(u))
		}
	}
}

func TestContextGating(t *testing.T) {
	ip := train(t, pizzaBot())
	tests := []struct {
		name    string
		active  []string
		present bool
	}{
		{"without the input context", nil, false},
		{"with another context", []string{"other"}, false},
		{"with the input context", []string{"order_placed"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, ip, parley.Query{Text: "can I add a coke", ActiveContexts: tt.active})
			if got := slices.Contains(names(u), "AddDrink"); got != tt.present {
				t.Errorf("AddDrink among %v = %v, want %v", names(u), got, tt.present)
			}
			if tt.present && (u.Intents[0].Name != "AddDrink" || slotOf(u, "AddDrink", "Drink").InterpretedValue != "cola") {
				t.Errorf("want AddDrink first with Drink=cola, got %v", u.Intents)
			}
		})
	}
}

func TestConfidence(t *testing.T) {
	hello := train(t, helloBot())
	pizza := train(t, pizzaBot())
	tests := []struct {
		name   string
		ip     parley.Interpreter
		text   string
		intent string  // expected top intent; "" = fallback first
		min    float64 // lowest acceptable score of intent
	}{
		{"exact korean", hello, "안녕", "HelloIntent", 1},
		{"exact after normalisation", hello, "안녕하세요!!", "HelloIntent", 1},
		{"exact template with a value", hello, "안녕 나는 홍길동이야", "HelloIntent", 1},
		{"exact english", pizza, "I'd like a pizza", "OrderPizza", 1},
		{"exact template with a synonym", pizza, "order a big pizza", "OrderPizza", 1},
		{"typo 안녀", hello, "안녀", "HelloIntent", 0.6},
		{"typo 안뇽", hello, "안뇽", "HelloIntent", 0.6},
		{"paraphrase", pizza, "where's my order?", "CheckOrderStatus", 0.6},
		{"korean out of scope", hello, "피자 주문할래", "", 0},
		{"korean weather", hello, "오늘 날씨 어때", "", 0},
		{"english out of scope", pizza, "what's the weather like", "", 0},
		{"gibberish", pizza, "asdkjh qwe zzkx", "", 0},
		{"laughter", hello, "ㅋㅋㅋ", "", 0},
		{"empty", pizza, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, tt.ip, parley.Query{Text: tt.text})
			checkFallbackRule(t, u, 0.40)
			top := u.Intents[0]
			if tt.intent == "" {
				if !top.Fallback {
					t.Errorf("top = %s %.2f, want the fallback", top.Name, top.Score)
				}
				return
			}
			if top.Name != tt.intent || top.Score < tt.min {
				t.Errorf("top = %s %.2f, want %s ≥ %.2f", top.Name, top.Score, tt.intent, tt.min)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	texts := []string{"order a large pizza", "where is my pizza", "hello there", "I want a big thin crust pizza with mushrooms"}
	a, b := train(t, pizzaBot()), train(t, pizzaBot())
	for _, text := range texts {
		ua := interpret(t, a, parley.Query{Text: text})
		ub := interpret(t, b, parley.Query{Text: text})
		if !reflect.DeepEqual(ua, ub) {
			t.Errorf("%q: two trainings disagree: %v vs %v", text, ua.Intents, ub.Intents)
		}
	}
}

func TestBuiltinIntents(t *testing.T) {
	tests := []struct {
		name, locale, text, want string
	}{
		{"korean cancel", "ko_KR", "취소", "Cancel"},
		{"korean cancel request", "ko_KR", "취소해 주세요", "Cancel"},
		{"korean help", "ko_KR", "도와주세요", "Help"},
		{"english cancel", "en_US", "cancel", "Cancel"},
		{"english start over", "en_US", "start over", "StartOver"},
		{"chinese cancel", "zh_CN", "取消", "Cancel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := &parley.Locale{ID: tt.locale, NLUConfidenceThreshold: 0.40, Intents: []*parley.Intent{
				{Name: "Greet", SampleUtterances: []string{"안녕", "hello", "你好"}},
				{Name: "Cancel", ParentIntentSignature: parley.CancelIntentSignature},
				{Name: "Help", ParentIntentSignature: parley.HelpIntentSignature},
				{Name: "StartOver", ParentIntentSignature: parley.StartOverIntentSignature},
				{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
			}}
			u := interpret(t, train(t, &parley.Bot{ID: "BUILTIN001", Locales: []*parley.Locale{loc}}), parley.Query{Text: tt.text})
			if u.Intents[0].Name != tt.want || u.Intents[0].Score < 0.9 {
				t.Errorf("top = %v, want %s", u.Intents[0], tt.want)
			}
		})
	}
}

func TestAnswer(t *testing.T) {
	hello := train(t, helloBot())
	pizza := train(t, pizzaBot())
	tests := []struct {
		name string
		ip   parley.Interpreter
		text string
		want string
	}{
		{"네", hello, "네", parley.AnswerYes},
		{"응", hello, "응", parley.AnswerYes},
		{"맞아요", hello, "맞아요", parley.AnswerYes},
		{"네 맞아요", hello, "네 맞아요", parley.AnswerYes},
		{"아니요", hello, "아니요", parley.AnswerNo},
		{"싫어", hello, "싫어", parley.AnswerNo},
		{"not an answer", hello, "안녕", ""},
		{"answer inside a request", hello, "네 피자 주문할게요", ""},
		{"yes", pizza, "yes", parley.AnswerYes},
		{"yes please", pizza, "Yes please!", parley.AnswerYes},
		{"no", pizza, "no", parley.AnswerNo},
		{"not an answer in english", pizza, "order a pizza", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := interpret(t, tt.ip, parley.Query{Text: tt.text}).Answer; got != tt.want {
				t.Errorf("Answer = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrainErrors(t *testing.T) {
	bad := &parley.Locale{ID: "en_US", Intents: []*parley.Intent{{Name: "Book", SampleUtterances: []string{"book {When}"},
		Slots: []*parley.Slot{{Name: "When", SlotTypeName: "NoSuchType"}}}}}
	badRegex := &parley.Locale{ID: "en_US", SlotTypes: []*parley.SlotType{{Name: "Code", ParentSlotTypeSignature: "AMAZON.AlphaNumeric", RegexFilter: "[A-Z"}}}
	tests := []struct {
		name   string
		locale *parley.Locale
	}{
		{"nil locale", nil},
		{"unknown slot type", bad},
		{"bad regex", badRegex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nlu.New().Train(&parley.Bot{ID: "BADBOT0001"}, tt.locale)
			if code := parley.ErrorCodeOf(err); code != parley.ErrValidation {
				t.Errorf("error %v has code %q, want %q", err, code, parley.ErrValidation)
			}
		})
	}
}

func TestInterpretCancelled(t *testing.T) {
	ip := train(t, helloBot())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ip.Interpret(ctx, parley.Query{Text: "안녕"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Interpret with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestNoClassifiedIntents(t *testing.T) {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: 0.4, Intents: []*parley.Intent{
		{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature}}}
	u := interpret(t, train(t, &parley.Bot{ID: "EMPTYBOT01", Locales: []*parley.Locale{loc}}), parley.Query{Text: "hello"})
	if got := names(u); !slices.Equal(got, []string{"FallbackIntent"}) {
		t.Errorf("ranking = %v, want only the fallback", got)
	}
}

// TestConcurrentInterpret runs interpretations in parallel (for -race).
func TestConcurrentInterpret(t *testing.T) {
	ip := train(t, pizzaBot())
	texts := []string{"order a large pizza", "where is my order", "I want a big thin crust pizza with mushrooms", "cancel"}
	want := make([]*parley.Understanding, len(texts))
	for i, s := range texts {
		want[i] = interpret(t, ip, parley.Query{Text: s})
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(texts)
				u, err := ip.Interpret(context.Background(), parley.Query{Text: texts[k], Now: refNow})
				if err != nil || !reflect.DeepEqual(u, want[k]) {
					t.Errorf("concurrent Interpret(%q) = %v, %v; want %v", texts[k], u, err, want[k])
				}
			}
		})
	}
	wg.Wait()
}

// A template that is only a placeholder matches any short input; that must
// not make every input an exact match of its intent.
func TestBarePlaceholderTemplate(t *testing.T) {
	bot := helloBot()
	hi := bot.Locales[0].Intents[0]
	hi.SampleUtterances = append(hi.SampleUtterances, "{Name}")
	ip := train(t, bot)
	u := interpret(t, ip, parley.Query{Text: "피자 주문할래"})
	if !u.Intents[0].Fallback {
		t.Errorf("ranking = %v, want the fallback first", u.Intents)
	}
	if u := interpret(t, ip, parley.Query{Text: "안녕 나는 홍길동이야"}); u.Intents[0].Name != "HelloIntent" || u.Intents[0].Score != 1 {
		t.Errorf("ranking = %v, want HelloIntent at 1.0", u.Intents)
	}
}

// Private-use characters in a sample utterance are text, not placeholders.
func TestPrivateUseInUtterance(t *testing.T) {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: 0.4, Intents: []*parley.Intent{
		{Name: "Odd", SampleUtterances: []string{"order \ue000 {Size} \ue401 now"}, Slots: []*parley.Slot{{Name: "Size", SlotTypeName: "AMAZON.Number"}}},
		{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature}}}
	u := interpret(t, train(t, &parley.Bot{ID: "ODDBOT0001", Locales: []*parley.Locale{loc}}), parley.Query{Text: "order \ue000 3 \ue001 now"})
	if v := slotOf(u, "Odd", "Size"); v == nil || v.InterpretedValue != "3" {
		t.Errorf("Size = %+v, want 3", v)
	}
}

func TestChineseAndJapanese(t *testing.T) {
	bot := func(id, locale string, intents map[string][]string) *parley.Bot {
		loc := &parley.Locale{ID: locale, NLUConfidenceThreshold: 0.40}
		for _, name := range []string{"Weather", "Booking"} {
			loc.Intents = append(loc.Intents, &parley.Intent{Name: name, SampleUtterances: intents[name]})
		}
		loc.Intents = append(loc.Intents, &parley.Intent{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature})
		return &parley.Bot{ID: id, Locales: []*parley.Locale{loc}}
	}
	zh := train(t, bot("ZHBOT00001", "zh_CN", map[string][]string{
		"Weather": {"今天天气怎么样", "明天会下雨吗", "查一下天气", "北京天气如何"},
		"Booking": {"我想订机票", "帮我订一张去上海的机票", "预订航班", "订票"},
	}))
	ja := train(t, bot("JABOT00001", "ja_JP", map[string][]string{
		"Weather": {"今日の天気は", "明日は雨が降りますか", "天気を教えて", "東京の天気はどう"},
		"Booking": {"ホテルを予約したい", "予約をお願いします", "部屋を予約して", "予約したいです"},
	}))
	tests := []struct {
		name string
		ip   parley.Interpreter
		text string
		want string
	}{
		{"zh paraphrase weather", zh, "上海明天天气怎么样", "Weather"},
		{"zh paraphrase booking", zh, "我要订一张机票", "Booking"},
		{"zh full-width punctuation", zh, "查一下天气！", "Weather"},
		{"ja paraphrase weather", ja, "明日の天気を教えて", "Weather"},
		{"ja paraphrase booking", ja, "ホテルの予約をお願いしたい", "Booking"},
		{"ja half-width katakana", ja, "ﾎﾃﾙを予約したい", "Booking"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, tt.ip, parley.Query{Text: tt.text})
			if u.Intents[0].Name != tt.want {
				t.Errorf("ranking = %v, want %s first", u.Intents, tt.want)
			}
		})
	}
}

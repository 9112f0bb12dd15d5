package nlu_test

import (
	"slices"
	"testing"

	"github.com/parleybot/parley"
)

// idolBot is a Korean bot with a custom slot type whose values are names,
// to check that particles attached to values still match.
func idolBot(strategy string) *parley.Bot {
	loc := &parley.Locale{ID: "ko_KR", NLUConfidenceThreshold: 0.40,
		SlotTypes: []*parley.SlotType{{Name: "Member", ResolutionStrategy: strategy, Values: []parley.SlotTypeValue{
			{Value: "태연", Synonyms: []string{"탱구"}}, {Value: "윤아"}, {Value: "써니"}}}},
		Intents: []*parley.Intent{
			{Name: "LikeMember", SampleUtterances: []string{"{Member} 좋아해", "{Member}가 제일 좋아", "나는 {Member}를 좋아해", "{Member}랑 사진 찍고 싶어"},
				Slots: []*parley.Slot{{Name: "Member", SlotTypeName: "Member", Required: true}}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		}}
	return &parley.Bot{ID: "IDOLBOT001", Locales: []*parley.Locale{loc}}
}

// carBot is a Chinese bot with a placeholder inside a run of Han
// characters.
func carBot() *parley.Bot {
	loc := &parley.Locale{ID: "zh_CN", NLUConfidenceThreshold: 0.40,
		SlotTypes: []*parley.SlotType{{Name: "City", ResolutionStrategy: parley.ResolutionOriginalValue, Values: []parley.SlotTypeValue{
			{Value: "北京"}, {Value: "上海"}}}},
		Intents: []*parley.Intent{
			{Name: "RentCar", SampleUtterances: []string{"在{City}租车", "我想在{City}租一辆车", "租车"},
				Slots: []*parley.Slot{{Name: "City", SlotTypeName: "City", Required: true}}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		}}
	return &parley.Bot{ID: "CARBOT0001", Locales: []*parley.Locale{loc}}
}

// slotOf returns the value of slot in the interpretation of intent.
func slotOf(u *parley.Understanding, intent, slot string) *parley.Value {
	for _, m := range u.Intents {
		if m.Name == intent {
			if sv := m.Slots[slot]; sv != nil {
				return sv.Value
			}
		}
	}
	return nil
}

type wantValue struct {
	original, interpreted string
	resolved              []string
}

func checkValue(t *testing.T, got *parley.Value, want *wantValue) {
	t.Helper()
	switch {
	case want == nil && got == nil:
	case want == nil:
		t.Errorf("slot filled with %+v, want empty", *got)
	case got == nil:
		t.Errorf("slot empty, want %+v", *want)
	case got.OriginalValue != want.original || got.InterpretedValue != want.interpreted || !slices.Equal(got.ResolvedValues, want.resolved):
		t.Errorf("slot = {%q %q %q}, want {%q %q %q}", got.OriginalValue, got.InterpretedValue, got.ResolvedValues,
			want.original, want.interpreted, want.resolved)
	}
}

func TestSlotsFromTemplates(t *testing.T) {
	hello := train(t, helloBot())
	pizza := train(t, pizzaBot())
	car := train(t, carBot())
	tests := []struct {
		name         string
		ip           parley.Interpreter
		text         string
		intent, slot string
		want         *wantValue
	}{
		{"placeholder glued to 이야", hello, "안녕 나는 홍길동이야", "HelloIntent", "Name", &wantValue{"홍길동", "홍길동", []string{"홍길동"}}},
		{"placeholder glued, other template", hello, "내 이름은 태연이야", "HelloIntent", "Name", &wantValue{"태연", "태연", []string{"태연"}}},
		{"near a template inside more text", hello, "음 나는 김민지이야 반가워", "HelloIntent", "Name", &wantValue{"김민지", "김민지", []string{"김민지"}}},
		{"no name in a greeting", hello, "안녕하세요", "HelloIntent", "Name", nil},
		{"han placeholder", car, "在上海租车", "RentCar", "City", &wantValue{"上海", "上海", []string{"上海"}}},
		{"han placeholder, unlisted city", car, "我想在深圳租一辆车", "RentCar", "City", &wantValue{"深圳", "深圳", []string{}}},
		{"two slots by position: size", pizza, "I want a large thin crust pizza", "OrderPizza", "Size", &wantValue{"large", "large", []string{"large"}}},
		{"two slots by position: crust", pizza, "I want a large thin crust pizza", "OrderPizza", "Crust", &wantValue{"thin", "thin", []string{"thin"}}},
		{"value anywhere", pizza, "hmm large pepperoni pizza", "OrderPizza", "Topping", &wantValue{"pepperoni", "pepperoni", []string{"pepperoni"}}},
		{"original casing kept", pizza, "Order a LARGE pizza", "OrderPizza", "Size", &wantValue{"LARGE", "large", []string{"large"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValue(t, slotOf(interpret(t, tt.ip, parley.Query{Text: tt.text}), tt.intent, tt.slot), tt.want)
		})
	}
}

func TestSlotResolution(t *testing.T) {
	pizza := train(t, pizzaBot())
	top := train(t, idolBot(parley.ResolutionTopResolution))
	orig := train(t, idolBot(parley.ResolutionOriginalValue))
	tests := []struct {
		name         string
		ip           parley.Interpreter
		text         string
		intent, slot string
		want         *wantValue
	}{
		{"top resolution synonym to canonical", pizza, "order a big pizza", "OrderPizza", "Size", &wantValue{"big", "large", []string{"large"}}},
		{"top resolution multi-word synonym", pizza, "a family deep dish pizza", "OrderPizza", "Crust", &wantValue{"deep dish", "thick", []string{"thick"}}},
		{"top resolution unknown value not filled", pizza, "order a gigantic pizza", "OrderPizza", "Size", nil},
		{"fuzzy typo", pizza, "can I get a peperoni pizza", "OrderPizza", "Topping", &wantValue{"peperoni", "pepperoni", []string{"pepperoni"}}},
		{"fuzzy typo anywhere", pizza, "large mushrom", "OrderPizza", "Topping", &wantValue{"mushrom", "mushroom", []string{"mushroom"}}},
		{"particle 이", top, "태연이 제일 좋아", "LikeMember", "Member", &wantValue{"태연", "태연", []string{"태연"}}},
		{"particle 을", top, "나는 태연을 좋아해", "LikeMember", "Member", &wantValue{"태연", "태연", []string{"태연"}}},
		{"particle 이랑", top, "태연이랑 사진 찍고 싶어", "LikeMember", "Member", &wantValue{"태연", "태연", []string{"태연"}}},
		{"particle on synonym", top, "탱구랑 사진 찍고 싶어", "LikeMember", "Member", &wantValue{"탱구", "태연", []string{"태연"}}},
		{"jamo typo", top, "태욘 좋아해", "LikeMember", "Member", &wantValue{"태욘", "태연", []string{"태연"}}},
		{"original value: the value itself", orig, "윤아 좋아해", "LikeMember", "Member", &wantValue{"윤아", "윤아", []string{"윤아"}}},
		{"original value: synonym as said", orig, "탱구 좋아해", "LikeMember", "Member", &wantValue{"탱구", "탱구", []string{"태연"}}},
		{"original value: unlisted accepted", orig, "나는 효연을 좋아해", "LikeMember", "Member", &wantValue{"효연", "효연", []string{}}},
		{"top resolution: unlisted rejected", top, "나는 효연을 좋아해", "LikeMember", "Member", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValue(t, slotOf(interpret(t, tt.ip, parley.Query{Text: tt.text}), tt.intent, tt.slot), tt.want)
		})
	}
}

// Ordinary words one edit from a value ("later", "water") are not values.
func TestNoFuzzyOrdinaryWord(t *testing.T) {
	u := interpret(t, train(t, pizzaBot()), parley.Query{Text: "add a drink later", ActiveContexts: []string{"order_placed"}})
	if v := slotOf(u, "AddDrink", "Drink"); v != nil {
		t.Errorf("Drink = %+v, want empty", *v)
	}
}

func TestElicitSlot(t *testing.T) {
	hello := train(t, helloBot())
	pizza := train(t, pizzaBot())
	freeBot := helloBot()
	hi := freeBot.Locales[0].Intents[0]
	hi.Slots = append(hi.Slots, &parley.Slot{Name: "Memo", SlotTypeName: "AMAZON.FreeFormInput"})
	free := train(t, freeBot)
	tests := []struct {
		name   string
		ip     parley.Interpreter
		q      parley.Query
		slots  map[string]*wantValue
		absent []string
	}{
		{"bare name", hello, parley.Query{Text: "홍길동", Intent: "HelloIntent", ElicitSlot: "Name"},
			map[string]*wantValue{"Name": {"홍길동", "홍길동", []string{"홍길동"}}}, nil},
		{"name with copula", hello, parley.Query{Text: "홍길동이에요", Intent: "HelloIntent", ElicitSlot: "Name"},
			map[string]*wantValue{"Name": {"홍길동", "홍길동", []string{"홍길동"}}}, nil},
		{"slot sample utterance", hello, parley.Query{Text: "제 이름은 김다은이에요", Intent: "HelloIntent", ElicitSlot: "Name"},
			map[string]*wantValue{"Name": {"김다은", "김다은", []string{"김다은"}}}, nil},
		{"restricted with filler", pizza, parley.Query{Text: "I want medium please", Intent: "OrderPizza", ElicitSlot: "Size"},
			map[string]*wantValue{"Size": {"medium", "medium", []string{"medium"}}}, nil},
		{"other slots in the same answer", pizza, parley.Query{Text: "large thin crust", Intent: "OrderPizza", ElicitSlot: "Size"},
			map[string]*wantValue{"Size": {"large", "large", []string{"large"}}, "Crust": {"thin", "thin", []string{"thin"}}}, nil},
		{"restricted unknown not filled", pizza, parley.Query{Text: "purple", Intent: "OrderPizza", ElicitSlot: "Size"},
			nil, []string{"Size"}},
		{"free form takes everything", free, parley.Query{Text: " 내일 오후에 다시 연락 주세요! ", Intent: "HelloIntent", ElicitSlot: "Memo"},
			map[string]*wantValue{"Memo": {"내일 오후에 다시 연락 주세요!", "내일 오후에 다시 연락 주세요!", []string{"내일 오후에 다시 연락 주세요!"}}}, nil},
		{"not eliciting: template slots of the intent", pizza, parley.Query{Text: "order a small pizza", Intent: "OrderPizza"},
			map[string]*wantValue{"Size": {"small", "small", []string{"small"}}}, []string{"Crust", "Topping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, tt.ip, tt.q)
			for name, want := range tt.slots {
				var got *parley.Value
				if sv := u.Slots[name]; sv != nil {
					got = sv.Value
				}
				checkValue(t, got, want)
			}
			for _, name := range tt.absent {
				if sv := u.Slots[name]; sv != nil {
					t.Errorf("slot %s = %+v, want absent", name, *sv.Value)
				}
			}
		})
	}
}

// travelBot has two slots of one type, told apart by their place in the
// utterance.
func travelBot() *parley.Bot {
	cities := &parley.SlotType{Name: "City", ResolutionStrategy: parley.ResolutionTopResolution, Values: []parley.SlotTypeValue{
		{Value: "서울"}, {Value: "부산"}, {Value: "대구"}, {Value: "seoul"}, {Value: "busan"}}}
	size := &parley.SlotType{Name: "Size", ResolutionStrategy: parley.ResolutionTopResolution, Values: []parley.SlotTypeValue{
		{Value: "라지", Synonyms: []string{"큰 거"}}, {Value: "레귤러"}}}
	loc := &parley.Locale{ID: "ko_KR", NLUConfidenceThreshold: 0.40, SlotTypes: []*parley.SlotType{cities, size},
		Intents: []*parley.Intent{
			{Name: "BookTrain", SampleUtterances: []string{"{From}에서 {To}까지 기차 예매", "{From}에서 {To} 가는 기차", "from {From} to {To}"},
				Slots: []*parley.Slot{{Name: "From", SlotTypeName: "City"}, {Name: "To", SlotTypeName: "City"}}},
			{Name: "OrderCoffee", SampleUtterances: []string{"커피 {Size}로 주세요", "커피 주문"},
				Slots: []*parley.Slot{{Name: "Size", SlotTypeName: "Size", Required: true}}},
			{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
		}}
	return &parley.Bot{ID: "TRAVELBOT1", Locales: []*parley.Locale{loc}}
}

func TestSameTypeByPosition(t *testing.T) {
	ip := train(t, travelBot())
	tests := []struct {
		name, text, from, to string
	}{
		{"korean template", "부산에서 서울까지 기차 예매", "부산", "서울"},
		{"korean template reversed", "서울에서 부산 가는 기차", "서울", "부산"},
		{"english template", "from busan to seoul", "busan", "seoul"},
		{"no template: text order", "대구 부산 기차", "대구", "부산"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, ip, parley.Query{Text: tt.text})
			checkValue(t, slotOf(u, "BookTrain", "From"), &wantValue{tt.from, tt.from, []string{tt.from}})
			checkValue(t, slotOf(u, "BookTrain", "To"), &wantValue{tt.to, tt.to, []string{tt.to}})
		})
	}
}

func TestElicitKoreanFillers(t *testing.T) {
	ip := train(t, travelBot())
	tests := []struct {
		name, text string
		want       *wantValue
	}{
		{"particle and request ending", "라지로 할게요", &wantValue{"라지", "라지", []string{"라지"}}},
		{"이요", "레귤러요", &wantValue{"레귤러", "레귤러", []string{"레귤러"}}},
		{"synonym with particle", "큰 거로 주세요", &wantValue{"큰 거", "라지", []string{"라지"}}},
		{"unknown size", "중간 거요", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := interpret(t, ip, parley.Query{Text: tt.text, Intent: "OrderCoffee", ElicitSlot: "Size"})
			var got *parley.Value
			if sv := u.Slots["Size"]; sv != nil {
				got = sv.Value
			}
			checkValue(t, got, tt.want)
		})
	}
}

func TestBuiltinSlotTypes(t *testing.T) {
	loc := &parley.Locale{ID: "ko_KR", NLUConfidenceThreshold: 0.40, Intents: []*parley.Intent{
		{Name: "OrderPizza", SampleUtterances: []string{"피자 {Count}판 주세요", "{When} 피자 주문", "피자 주문할래요"},
			Slots: []*parley.Slot{{Name: "Count", SlotTypeName: "AMAZON.Number"}, {Name: "When", SlotTypeName: "AMAZON.Date"}}},
		{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature},
	}}
	ip := train(t, &parley.Bot{ID: "KOPIZZA001", Locales: []*parley.Locale{loc}})
	tests := []struct {
		name, text, slot string
		want             *wantValue
	}{
		{"digits in template", "피자 3판 주세요", "Count", &wantValue{"3", "3", []string{"3"}}},
		{"native numeral anywhere", "내일 피자 세 판 주문할래요", "Count", &wantValue{"세", "3", []string{"3"}}},
		{"relative date", "내일 피자 주문", "When", &wantValue{"내일", "2026-03-03", []string{"2026-03-03"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValue(t, slotOf(interpret(t, ip, parley.Query{Text: tt.text}), "OrderPizza", tt.slot), tt.want)
		})
	}
}

package storetest

import (
	"time"

	"github.com/parleybot/parley"
)

// Sample returns a session under key that uses every field of
// parley.Session: Korean, Chinese and emoji text, slots of every shape with
// unfilled (nil) entries, empty but non-nil collections beside nil ones, and
// times with nanoseconds in a non-UTC zone. It was updated at now and
// expires five minutes later. Each call returns a new, unshared value.
func Sample(key parley.SessionKey, now time.Time) *parley.Session {
	kst := time.FixedZone("KST", 9*60*60)
	updated := now.In(kst)
	return &parley.Session{
		Key: key,
		State: parley.SessionState{
			DialogAction: &parley.DialogAction{
				Type:                 parley.ActionElicitSlot,
				SlotToElicit:         "Address",
				SlotElicitationStyle: "SpellByWord",
				SubSlotToElicit:      &parley.ElicitSubSlot{Name: "Street", SubSlotToElicit: &parley.ElicitSubSlot{Name: "Number"}},
			},
			Intent: &parley.SessionIntent{
				Name: "OrderPizza",
				Slots: map[string]*parley.SlotValue{
					"Size":  parley.ScalarSlot("큰 거", "large", "large"),
					"Crust": nil,
					"Topping": {Shape: parley.ShapeList, Values: []*parley.SlotValue{
						parley.ScalarSlot("페퍼로니", "pepperoni", "pepperoni"),
						parley.ScalarSlot("蘑菇", "mushroom"),
					}},
					"Address": {Shape: parley.ShapeComposite, SubSlots: map[string]*parley.SlotValue{
						"City":   parley.ScalarSlot("北京", "北京", "北京", "Beijing"),
						"Street": nil,
					}},
					// Empty but non-nil collections under omitempty tags.
					"Note": {Shape: parley.ShapeScalar, Value: &parley.Value{InterpretedValue: "", ResolvedValues: nil}, Values: []*parley.SlotValue{}, SubSlots: map[string]*parley.SlotValue{}},
				},
				State:             parley.IntentInProgress,
				ConfirmationState: parley.ConfirmationNone,
			},
			ActiveContexts: []parley.ActiveContext{
				{Name: "order_placed", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 600, TurnsToLive: 5}, ContextAttributes: map[string]string{"주문": "피자", "订单": "披萨"}},
				{Name: "empty_attributes", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 90, TurnsToLive: 1}, ContextAttributes: map[string]string{}},
				{Name: "nil_attributes"},
			},
			SessionAttributes: map[string]string{
				"이름":    "홍길동",
				"城市":    "北京",
				"emoji": "🍕👍🏽",
				"quote": "\"<&>'\\\n\t\u2028",
				"":      "empty key",
				"blank": "",
			},
			OriginatingRequestID: "b7d3c1e2-1111-4a4a-9b9b-000000000001",
			RuntimeHints: &parley.RuntimeHints{SlotHints: map[string]map[string]parley.RuntimeHintDetails{
				"OrderPizza": {
					"Size":    {RuntimeHintValues: []parley.RuntimeHintValue{{Phrase: "라지"}, {Phrase: "패밀리"}}},
					"Crust":   {RuntimeHintValues: []parley.RuntimeHintValue{}, SubSlotHints: map[string]parley.RuntimeHintDetails{}},
					"Address": {SubSlotHints: map[string]parley.RuntimeHintDetails{"City": {RuntimeHintValues: []parley.RuntimeHintValue{{Phrase: "上海"}}}}},
				},
			}},
		},
		Messages: []parley.Message{
			{ContentType: parley.ContentPlainText, Content: "어떤 크기로 드릴까요?"},
			{ContentType: parley.ContentSSML, Content: "<speak>您好</speak>"},
			{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
				Title: "크기를 골라 주세요", Subtitle: "選んでください", ImageURL: "https://example.com/p.png",
				Buttons: []parley.Button{{Text: "작은 거", Value: "small"}, {Text: "큰 거", Value: "large"}},
			}},
			{ContentType: parley.ContentCustomPayload, Content: `{"k":[1,2,3]}`},
		},
		Interpretations: []parley.Interpretation{
			{Intent: parley.SessionIntent{Name: "OrderPizza", Slots: map[string]*parley.SlotValue{"Size": parley.ScalarSlot("큰 거", "large", "large"), "Crust": nil}, State: parley.IntentInProgress, ConfirmationState: parley.ConfirmationNone}, NLUConfidence: &parley.Confidence{Score: 0.875}, InterpretationSource: "Parley"},
			{Intent: parley.SessionIntent{Name: "CheckOrderStatus", Slots: map[string]*parley.SlotValue{}}, NLUConfidence: &parley.Confidence{Score: 0.1234567890123456}},
			{Intent: parley.SessionIntent{Name: "FallbackIntent"}},
		},
		Memory: parley.DialogMemory{
			Attempt:       1,
			ContextExpiry: map[string]time.Time{"order_placed": updated.Add(10 * time.Minute), "empty_attributes": updated.Add(90 * time.Second).UTC()},
			PromptIndex:   2,
			Turns:         7,
		},
		UpdatedAt: updated,
		ExpiresAt: updated.Add(5 * time.Minute),
		Claim:     &parley.SessionClaim{Owner: "instance-1a2b", Until: updated.Add(70 * time.Second)},
	}
}

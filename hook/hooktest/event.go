package hooktest

import (
	"strings"

	"github.com/parleybot/parley"
)

// Values of the event that the suite checks after the echo scenario.
const (
	botID        = "PIZZABOT01"
	intentName   = "OrderPizza"
	confidence   = 0.91
	greeting     = "안녕하세요, 피자 한 판 주문할게요"
	platformAttr = "x-amz-lex:channels:platform"
)

// Event returns a fresh Lex V2 event for the PizzaShop bot's OrderPizza
// intent, with Size and Crust filled and Topping empty, whose
// inputTranscript selects scenario ("close", "echo" …). Transports use it
// in their benchmarks; every call returns new maps, so callers may change it.
func Event(scenario string) *parley.CodeHookEvent {
	transcript := "hooktest:" + scenario
	return &parley.CodeHookEvent{
		MessageVersion:      "1.0",
		InvocationSource:    parley.DialogCodeHook,
		InputMode:           "Text",
		ResponseContentType: "text/plain; charset=utf-8",
		SessionID:           "hooktest-" + strings.ReplaceAll(scenario, "_", "-"),
		InputTranscript:     transcript,
		RawInputTranscript:  transcript,
		Bot: parley.HookBot{
			ID:        botID,
			Name:      "PizzaShop",
			AliasID:   "TSTALIASID",
			AliasName: "TestBotAlias",
			LocaleID:  "en_US",
			Version:   "DRAFT",
		},
		Interpretations: []parley.HookInterpretation{
			{Intent: *orderPizza(), NLUConfidence: new(float64(confidence)), InterpretationSource: "Lex"},
			{
				Intent: parley.SessionIntent{
					Name:              parley.FallbackIntentName,
					Slots:             map[string]*parley.SlotValue{},
					State:             parley.IntentReadyForFulfillment,
					ConfirmationState: parley.ConfirmationNone,
				},
				InterpretationSource: "Lex",
			},
		},
		ProposedNextState: &parley.ProposedState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Topping"},
			Intent:       orderPizza(),
			Prompt:       &parley.PromptAttempt{Attempt: "Initial"},
		},
		RequestAttributes: map[string]string{
			platformAttr: "Parley Web Chat",
			"channel":    "hooktest",
		},
		SessionState: parley.SessionState{
			DialogAction: &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Crust"},
			Intent:       orderPizza(),
			ActiveContexts: []parley.ActiveContext{{
				Name:              "pizza_menu",
				TimeToLive:        parley.ContextTimeToLive{TimeToLiveInSeconds: 300, TurnsToLive: 3},
				ContextAttributes: map[string]string{"menu": "spring"},
			}},
			SessionAttributes: map[string]string{
				"customerName": "김민준",
				"greeting":     greeting,
				"visits":       "3",
			},
			OriginatingRequestID: "0b8ab5a4-2f4e-4b8c-9a53-1f8a3c9d7e21",
		},
		Transcriptions: []parley.Transcription{{
			Transcription:           transcript,
			TranscriptionConfidence: 1,
			ResolvedContext:         &parley.ResolvedContext{Intent: intentName},
			ResolvedSlots:           map[string]*parley.SlotValue{"Size": parley.ScalarSlot("large", "large", "large")},
		}},
	}
}

// orderPizza is the intent in progress: size and crust given, topping not.
func orderPizza() *parley.SessionIntent {
	return &parley.SessionIntent{
		Name: intentName,
		Slots: map[string]*parley.SlotValue{
			"Size":    parley.ScalarSlot("large", "large", "large"),
			"Crust":   parley.ScalarSlot("thin crust", "thin", "thin"),
			"Topping": nil,
		},
		State:             parley.IntentInProgress,
		ConfirmationState: parley.ConfirmationNone,
	}
}

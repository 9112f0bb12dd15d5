package lexexport_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/lexexport"
)

const fixtures = "../../shared/fixtures/lex"

var fixtureNames = []string{"airline-bot", "javalambda-bot", "reminder-bot"}

func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(fixtures, name)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("fixture %s not available: %v", name, err)
	}
	return dir
}

func read(t *testing.T, name string) (*parley.Bot, []lexexport.Warning) {
	t.Helper()
	b, ws, err := lexexport.Read(fixture(t, name))
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return b, ws
}

// hasWarning reports whether a warning's path ends with suffix and its
// message contains text.
func hasWarning(ws []lexexport.Warning, suffix, text string) bool {
	for _, w := range ws {
		if strings.HasSuffix(w.Path, suffix) && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

func TestReadFixtures(t *testing.T) {
	tests := []struct {
		name     string
		id, bot  string
		locales  []string
		intents  int // in the first locale
		ttl      time.Duration
		warnings []struct{ path, text string }
	}{
		{
			name: "airline-bot", id: "47C8A1C439", bot: "LexBot", locales: []string{"en_US", "it_IT"}, intents: 10, ttl: 24 * time.Hour,
			warnings: []struct{ path, text string }{
				{"it_IT/BotLocale.json: identifier", "no rules for the language of it_IT"},
				{"en_US/BotLocale.json: voiceSettings", "speech output"},
				{"Slots/OriginCity/Slot.json: valueElicitationSetting.promptSpecification.promptAttemptsSpecification", "per-attempt"},
			},
		},
		{
			name: "javalambda-bot", id: "8UT7JOJNLY", bot: "JavaLambdaBot", locales: []string{"en_US"}, intents: 4, ttl: time.Minute,
			warnings: []struct{ path, text string }{
				{"DemoBot/BotLocales/en_US/BotLocale.json: voiceSettings", "speech output"},
			},
		},
		{
			name: "reminder-bot", id: "REMINDERBO", bot: "ReminderBot", locales: []string{"en_US"}, intents: 3, ttl: 5 * time.Minute,
			warnings: []struct{ path, text string }{
				{"ReminderBot/Bot.json: identifier", "not a 10-character bot id"},
				{"FallbackIntent/Intent.json: initialResponseSetting.codeHook", "switched off"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ws := read(t, tt.name)
			if b.ID != tt.id || b.Name != tt.bot || b.IdleSessionTTL != tt.ttl {
				t.Errorf("bot = %s %s %v, want %s %s %v", b.ID, b.Name, b.IdleSessionTTL, tt.id, tt.bot, tt.ttl)
			}
			var ids []string
			for _, l := range b.Locales {
				ids = append(ids, l.ID)
				if l.FallbackIntent() == nil {
					t.Errorf("locale %s has no FallbackIntent", l.ID)
				}
			}
			if !reflect.DeepEqual(ids, tt.locales) {
				t.Errorf("locales = %v, want %v", ids, tt.locales)
			}
			if n := len(b.Locales[0].Intents); n != tt.intents {
				t.Errorf("intents = %d, want %d", n, tt.intents)
			}
			for _, w := range tt.warnings {
				if !hasWarning(ws, w.path, w.text) {
					t.Errorf("no warning at …%s containing %q; got:\n%v", w.path, w.text, ws)
				}
			}
			for _, w := range ws {
				if strings.Contains(w.Message, "not supported by Parley; ignored") {
					t.Errorf("a field fell through to the generic warning: %v", w)
				}
			}
		})
	}
}

func TestReadJavaLambdaDetails(t *testing.T) {
	b, _ := read(t, "javalambda-bot")
	loc := b.Locale("en_US")
	mk := loc.SlotType("Make")
	if mk == nil || !mk.Restricted() {
		t.Fatalf("Make = %+v, want a TOP_RESOLUTION type", mk)
	}
	if got := mk.Values[1]; got.Value != "BMW" || !reflect.DeepEqual(got.Synonyms, []string{"Beamer", "Bimmer", "Beemer"}) {
		t.Errorf("Make[1] = %+v", got)
	}
	if c := loc.SlotType("Color"); c == nil || c.ResolutionStrategy != parley.ResolutionOriginalValue || len(c.Values) != 9 {
		t.Errorf("Color = %+v", c)
	}
	in := loc.Intent("BookTestDrive")
	var order []string
	for _, s := range in.Slots {
		order = append(order, s.Name+":"+s.SlotTypeName)
	}
	if want := []string{"make:Make", "vehicleType:VehicleType", "date:AMAZON.Date", "time:AMAZON.Time"}; !reflect.DeepEqual(order, want) {
		t.Errorf("slots by priority = %v, want %v", order, want)
	}
	if !in.DialogCodeHook || in.Fulfillment == nil || !in.Fulfillment.CodeHook {
		t.Errorf("code hooks: dialog %v, fulfillment %+v", in.DialogCodeHook, in.Fulfillment)
	}
	if in.Closing == nil || in.Closing.MessageGroups[0].Message.Content != "Your test drive has been scheduled for {date} at {time} " {
		t.Errorf("closing = %+v", in.Closing)
	}
	if s := in.Slot("make"); !s.Required || s.Prompt.MaxRetries != 4 || s.Prompt.MessageGroups[0].Message.Content != "What make of vehicle" {
		t.Errorf("make slot = %+v", s)
	}
}

func TestReadAirlineDetails(t *testing.T) {
	b, _ := read(t, "airline-bot")
	for _, id := range []string{"en_US", "it_IT"} {
		loc := b.Locale(id)
		ac := loc.SlotType("Airport_Code")
		if ac == nil || ac.ParentSlotTypeSignature != "AMAZON.AlphaNumeric" || ac.RegexFilter != "[A-Z]{3}" {
			t.Errorf("%s Airport_Code = %+v", id, ac)
		}
		bf := loc.Intent("BookFlight")
		if bf.InitialCodeHook == nil || bf.InitialCodeHook.InvocationLabel != "" {
			t.Errorf("%s BookFlight initial code hook = %+v", id, bf.InitialCodeHook)
		}
		if s := bf.Slot("OriginCity"); s == nil || s.ElicitationCodeHook == nil {
			t.Errorf("%s OriginCity elicitation code hook missing: %+v", id, s)
		} else if n := s.CaptureFailure.Next; n == nil || n.Type != parley.StepStartIntent || n.Intent != "FallbackIntent" {
			t.Errorf("%s OriginCity capture failure = %+v", id, n)
		} else if h := s.CaptureCodeHook; h == nil || h.Success.Next == nil || h.Success.Next.SlotToElicit != "DestinationCity" {
			t.Errorf("%s OriginCity capture code hook = %+v", id, h)
		}
		if h := bf.InitialCodeHook; h != nil && (h.Success.Next == nil || h.Success.Next.Type != parley.StepElicitSlot || h.Success.Next.SlotToElicit != "TripType" || h.Failure.Next.Type != parley.StepEndConversation) {
			t.Errorf("%s BookFlight initial code hook outcomes = %+v", id, h)
		}
		if bf.Slots[0].Name != "TripType" {
			t.Errorf("%s first slot = %s, want TripType (priority 0)", id, bf.Slots[0].Name)
		}
	}
	if tt := b.Locale("it_IT").SlotType("TripType"); tt == nil || !tt.Restricted() {
		t.Errorf("it_IT TripType = %+v", tt)
	}
}

func TestReadReminderStepGraph(t *testing.T) {
	b, _ := read(t, "reminder-bot")
	loc := b.Locale("en_US")

	email := loc.Intent("EmailIntent")
	if c := email.InitialConditional; c == nil || !c.Active || len(c.Branches) != 1 || c.Branches[0].Condition != "fn.IS_SET({DaysBefore})" {
		t.Errorf("EmailIntent initial conditional = %+v", email.InitialConditional)
	}
	if n := email.InitialNext; n == nil || n.Type != parley.StepEvaluateConditional || n.SessionAttributes["fallback-count"] != "0" || n.SessionAttributes["slot-failure"] != "false" {
		t.Errorf("EmailIntent initial next step = %+v", email.InitialNext)
	}
	days := email.Slot("DaysBefore")
	c := days.CaptureSuccess.Conditional
	if c == nil || len(c.Branches) != 2 || c.Branches[0].Condition != "{DaysBefore} > 7" || c.Branches[1].Condition != "{DaysBefore} < 1" {
		t.Fatalf("DaysBefore capture conditional = %+v", c)
	}
	if next := c.Branches[0].Next; next == nil || next.Type != parley.StepElicitSlot || next.SlotToElicit != "DaysBefore" {
		t.Errorf("branch 1 next = %+v", next)
	} else if v, ok := next.Slots["DaysBefore"]; !ok || v != nil {
		t.Errorf("branch 1 does not clear DaysBefore: %+v", next.Slots)
	}
	if c.Branches[0].Response == nil || len(c.Branches[0].Response.MessageGroups) == 0 {
		t.Errorf("branch 1 has no response")
	}
	if f := days.CaptureFailure.Next; f == nil || f.Type != parley.StepStartIntent || f.Intent != "FallbackIntent" || f.SessionAttributes["slot-failure"] != "true" {
		t.Errorf("DaysBefore failure next = %+v", f)
	}
	if h := loc.Intent("CallIntent").Slot("Time").CaptureCodeHook; h == nil || h.InvocationLabel != "CallIntent_TimeSlot_ValidationCodeHook" {
		t.Errorf("Time capture code hook = %+v", h)
	}
	fb := loc.FallbackIntent()
	if c := fb.InitialConditional; c == nil || len(c.Branches) != 4 || !strings.Contains(c.Branches[0].Condition, "[fallback-count]") {
		t.Errorf("FallbackIntent conditional = %+v", fb.InitialConditional)
	}
}

// roundTrip writes b and reads the zip back.
func roundTrip(t *testing.T, b *parley.Bot) (*parley.Bot, []lexexport.Warning) {
	t.Helper()
	var buf bytes.Buffer
	if err := lexexport.Write(b, &buf); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, ws, err := lexexport.ReadZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("ReadZip(Write): %v", err)
	}
	return got, ws
}

func TestRoundTripFixtures(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			want, _ := read(t, name)
			want.Source = ""
			got, ws := roundTrip(t, want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("import → export → import changed the bot:\n got %+v\nwant %+v", got, want)
			}
			for _, w := range ws {
				if !strings.Contains(w.Message, "no rules for the language") {
					t.Errorf("the written export reads with a warning: %v", w)
				}
			}
		})
	}
}

func TestRoundTripEveryField(t *testing.T) {
	card := parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
		Title: "Size?", Subtitle: "pick one", ImageURL: "https://example.com/p.png",
		Buttons: []parley.Button{{Text: "Small", Value: "small"}, {Text: "Large", Value: "large"}},
	}}
	resp := func(s string) *parley.Response {
		return &parley.Response{AllowInterrupt: true, MessageGroups: []parley.MessageGroup{{Message: parley.Message{ContentType: parley.ContentPlainText, Content: s}}}}
	}
	want := &parley.Bot{
		ID: "PIZZABOT01", Name: "Pizza", Description: "orders pizza", IdleSessionTTL: 10 * time.Minute,
		Aliases: []parley.Alias{{ID: "PRODALIAS1", Name: "prod"}},
		CodeHooks: []parley.CodeHookBinding{{
			URI: "lambda:arn:aws:lambda:us-east-1:123456789012:function:pizza", LocaleID: "ko_KR",
			Intents: map[string]string{"OrderPizza": "go:pizza"}, Timeout: 5 * time.Second, MaxResponseBytes: 1000,
			Environment: map[string]string{"A": "b"}, SecretEnv: "HOOK_SECRET",
		}},
		Locales: []*parley.Locale{{
			ID: "ko_KR", Description: "한국어", NLUConfidenceThreshold: 0.55, TimeZone: "Asia/Seoul",
			Generative: &parley.GenerativeSettings{Fallback: &parley.LLMFallback{SystemPrompt: "be brief", HistoryTurns: 2}, Budget: parley.TokenBudget{PerDay: 100}},
			SlotTypes: []*parley.SlotType{
				{Name: "Size", Description: "sizes", ResolutionStrategy: parley.ResolutionTopResolution, Values: []parley.SlotTypeValue{{Value: "라지", Synonyms: []string{"큰 거", "L"}}, {Value: "스몰"}}},
				{Name: "Code", ResolutionStrategy: parley.ResolutionOriginalValue, ParentSlotTypeSignature: "AMAZON.AlphaNumeric", RegexFilter: "[A-Z]{3}"},
			},
			Intents: []*parley.Intent{
				{
					Name: "OrderPizza", Description: "order", SampleUtterances: []string{"피자 주문", "{Size} 피자 {Count}판"},
					Slots: []*parley.Slot{
						{
							Name: "Size", SlotTypeName: "Size", Required: true, Description: "the size",
							Prompt: parley.PromptSpecification{MaxRetries: 2, MessageSelectionStrategy: "Ordered", AllowInterrupt: true, MessageGroups: []parley.MessageGroup{
								{Message: parley.Message{ContentType: parley.ContentPlainText, Content: "크기는요?"}, Variations: []parley.Message{{ContentType: parley.ContentSSML, Content: "<speak>크기?</speak>"}}},
								{Message: card},
							}},
							SampleUtterances:    []string{"{Size}요"},
							Obfuscate:           true,
							DefaultValues:       []string{"[size]", "라지"},
							ElicitationCodeHook: &parley.CodeHookStep{InvocationLabel: "size_retry"},
							CaptureSuccess:      parley.StepOutcome{Response: resp("알겠어요"), Next: &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Count"}},
							CaptureFailure:      parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "FallbackIntent", SessionAttributes: map[string]string{"slot-failure": "true"}}},
							CaptureCodeHook:     &parley.CodeHookStep{InvocationLabel: "size", Failure: parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepEndConversation}}},
						},
						{Name: "Count", SlotTypeName: "AMAZON.Number", Prompt: parley.PromptSpecification{MaxRetries: 1, MessageSelectionStrategy: "Random", MessageGroups: []parley.MessageGroup{{Message: parley.Message{ContentType: parley.ContentCustomPayload, Content: `{"x":1}`}}}}},
					},
					InitialResponse: resp("주문을 시작할게요"),
					InitialCodeHook: &parley.CodeHookStep{InvocationLabel: "init", Success: parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Size"}}, Timeout: parley.StepOutcome{Response: resp("늦네요"), Next: &parley.DialogStep{Type: parley.StepEndConversation}}},
					InitialNext: &parley.DialogStep{Type: parley.StepEvaluateConditional, SuppressNextMessage: true, Intent: "OrderPizza",
						Slots: map[string]*parley.SlotValue{"Size": nil, "Count": parley.ScalarSlot("2", "2", "2")}, SessionAttributes: map[string]string{"tries": "0"}},
					InitialConditional: &parley.Conditional{Active: true, Branches: []parley.ConditionalBranch{
						{Name: "big", Condition: `fn.IS_SET({Count}) AND {Count} > 5`, Response: resp("많네요"), Next: &parley.DialogStep{Type: parley.StepConfirmIntent}},
						{Name: "other", Condition: `[tries] = "1"`, Next: &parley.DialogStep{Type: parley.StepStartIntent, Intent: "FallbackIntent"}},
					}, Default: parley.StepOutcome{Next: &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Size"}}},
					ClosingNext:        &parley.DialogStep{Type: parley.StepElicitIntent},
					ClosingConditional: &parley.Conditional{Default: parley.StepOutcome{Response: resp("또 오세요")}},
					Confirmation: &parley.ConfirmationSetting{
						Prompt: parley.PromptSpecification{MaxRetries: 3, MessageSelectionStrategy: "Random", MessageGroups: resp("{Size} 맞아요?").MessageGroups}, DeclinationResponse: resp("취소했어요"),
						Confirmed:              parley.StepOutcome{Response: resp("좋아요"), Next: &parley.DialogStep{Type: parley.StepFulfillIntent}},
						DeclinationNext:        &parley.DialogStep{Type: parley.StepElicitSlot, SlotToElicit: "Size", Slots: map[string]*parley.SlotValue{"Size": nil}},
						DeclinationConditional: &parley.Conditional{Active: true, Branches: []parley.ConditionalBranch{{Name: "b", Condition: "fn.IS_SET([x])"}}},
						Failure:                parley.StepOutcome{Conditional: &parley.Conditional{Active: true}},
						CodeHook:               &parley.CodeHookStep{InvocationLabel: "confirm"},
						ElicitationCodeHook:    &parley.CodeHookStep{},
					},
					Fulfillment: &parley.FulfillmentSetting{
						CodeHook: true, SuccessResponse: resp("완료"), FailureResponse: resp("실패"), TimeoutResponse: resp("시간 초과"),
						SuccessNext: &parley.DialogStep{Type: parley.StepCloseIntent}, FailureConditional: &parley.Conditional{Active: true}, TimeoutNext: &parley.DialogStep{Type: parley.StepEndConversation},
						Updates: &parley.FulfillmentUpdates{StartResponse: resp("잠시만요"), StartDelay: 3 * time.Second, UpdateResponse: resp("아직이에요"), UpdateEvery: 10 * time.Second, Timeout: time.Minute},
					},
					Closing:        resp("감사합니다"),
					InputContexts:  []string{"ordering"},
					OutputContexts: []parley.OutputContext{{Name: "ordered", TimeToLiveInSeconds: 600, TurnsToLive: 5}},
					DialogCodeHook: true,
				},
				{Name: "Empty", Fulfillment: &parley.FulfillmentSetting{}},
				{Name: "FallbackIntent", ParentIntentSignature: parley.FallbackIntentSignature, Closing: resp("다시 말해 주세요")},
			},
		}},
	}
	got, ws := roundTrip(t, want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read(Write(bot)) differs:\n got %+v\nwant %+v", got, want)
		for i, in := range got.Locales[0].Intents {
			if !reflect.DeepEqual(in, want.Locales[0].Intents[i]) {
				t.Errorf("intent %s:\n got %+v\nwant %+v", in.Name, in, want.Locales[0].Intents[i])
			}
		}
	}
	if len(ws) != 0 {
		t.Errorf("warnings: %v", ws)
	}
}

// zipOf builds a zip from name → content.
func zipBytes(t testing.TB, files [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	manifest   = `{"metaData":{"schemaVersion":"1","fileFormat":"LexJson","resourceType":"BOT"}}`
	botJSON    = `{"name":"RentalBot","identifier":"RENTBOT001","idleSessionTTLInSeconds":300}`
	localeJSON = `{"name":"Korean (Korea)","identifier":"ko_KR","nluConfidenceThreshold":0.4}`
)

func TestReadZipShapes(t *testing.T) {
	tests := []struct {
		name  string
		files [][2]string
		check func(t *testing.T, b *parley.Bot, ws []lexexport.Warning)
	}{
		{
			name: "extra top folder and lower-case names",
			files: [][2]string{
				{"Export/manifest.json", manifest},
				{"Export/RentalBot/bot.json", botJSON},
				{"Export/RentalBot/botlocales/ko_KR/botlocale.json", localeJSON},
				{"Export/RentalBot/botlocales/ko_KR/intents/BookCar/intent.json", `{"name":"BookCar","sampleUtterances":[{"utterance":"차 빌려줘"}]}`},
			},
			check: func(t *testing.T, b *parley.Bot, ws []lexexport.Warning) {
				loc := b.Locale("ko_KR")
				if loc == nil || loc.Intent("BookCar") == nil || loc.FallbackIntent() == nil {
					t.Fatalf("locale = %+v", loc)
				}
				if !hasWarning(ws, "ko_KR/botlocale.json", "no FallbackIntent") {
					t.Errorf("warnings = %v", ws)
				}
			},
		},
		{
			name: "models API naming and the developer guide's spellings",
			files: [][2]string{
				{"Manifest.json", `{"metadata":{"schemaVersion":"1.0","fileFormat":"LexJson","resourceType":"Bot"}}`},
				{"B/Bot.json", `{"botName":"RentalBot","botId":"RENTBOT001"}`},
				{"B/BotLocales/ko_KR/BotLocale.json", `{"localeId":"ko_KR","nluIntentConfidenceThreshold":0.7}`},
				{"B/BotLocales/ko_KR/SlotTypes/Car/SlotType.json", `{"slotTypeName":"Car","valueSelectionSetting":{"resolutionStrategy":"TopResolution"},"slotTypeValues":[{"sampleValue":{"value":"SUV"}}]}`},
				{"B/BotLocales/ko_KR/Intents/BookCar/Intent.json", `{"intentName":"BookCar","slotPriorities":[{"priority":1,"slotId":"Car"}],
					"confirmationPrompt":{"maxRetries":1,"messageGroups":[{"message":{"plainTextMessage":{"value":"맞아요?"}}}]},
					"rejectionStatement":{"messageGroupList":[{"message":{"plainTextMessage":{"value":"취소"}}}]}}`},
				{"B/BotLocales/ko_KR/Intents/BookCar/Slots/Car/Slot.json", `{"slotName":"Car","slotTypeId":"Car","slotConstraint":"Required",
					"slotValueElicitationSetting":{"promptSpecification":{"maxRetries":2,"messageGroupsList":[{"message":{"plainTextMessage":{"value":"차종은?"}}}]},"defaultValueSpec":{"defaultValueList":[{"defaultValue":"SUV"}]}},
					"allowMutlipleValues":true}`},
			},
			check: func(t *testing.T, b *parley.Bot, ws []lexexport.Warning) {
				loc := b.Locale("ko_KR")
				if b.Name != "RentalBot" || loc.NLUConfidenceThreshold != 0.7 || !loc.SlotType("Car").Restricted() {
					t.Errorf("bot = %+v, locale = %+v", b, loc)
				}
				in := loc.Intent("BookCar")
				if in.Confirmation == nil || in.Confirmation.Prompt.MessageGroups[0].Message.Content != "맞아요?" || in.Confirmation.DeclinationResponse.MessageGroups[0].Message.Content != "취소" {
					t.Errorf("confirmation = %+v", in.Confirmation)
				}
				s := in.Slot("Car")
				if !s.Required || s.SlotTypeName != "Car" || !reflect.DeepEqual(s.DefaultValues, []string{"SUV"}) || s.Prompt.MaxRetries != 2 {
					t.Errorf("slot = %+v", s)
				}
				if !hasWarning(ws, "Slot.json: allowMultipleValues", "multi-value") {
					t.Errorf("warnings = %v", ws)
				}
			},
		},
		{
			name: "unknown fields and files are named",
			files: [][2]string{
				{"Manifest.json", manifest},
				{"B/Bot.json", `{"name":"RentalBot","identifier":"RENTBOT001","botTags":{"a":"b"}}`},
				{"B/BotLocales/ko_KR/BotLocale.json", localeJSON},
				{"B/BotLocales/ko_KR/CustomVocabulary/CustomVocabulary.json", `{"customVocabularyItems":[]}`},
				{"B/BotLocales/ko_KR/Intents/I/Intent.json", `{"name":"I","kendraConfiguration":{"kendraIndex":"x"},"somethingNew":{"x":1},"intentClosingSetting":{"isActive":false,"closingResponse":{"messageGroupsList":[]}}}`},
			},
			check: func(t *testing.T, b *parley.Bot, ws []lexexport.Warning) {
				for _, w := range [][2]string{
					{"B/Bot.json: botTags", "not supported by Parley"},
					{"CustomVocabulary.json", "custom vocabulary"},
					{"Intent.json: kendraConfiguration", "Kendra"},
					{"Intent.json: somethingNew", "not supported by Parley"},
					{"Intent.json: intentClosingSetting.isActive", "inactive"},
				} {
					if !hasWarning(ws, w[0], w[1]) {
						t.Errorf("no warning …%s %q in %v", w[0], w[1], ws)
					}
				}
				if b.Locale("ko_KR").Intent("I").Closing != nil {
					t.Error("an inactive closing response was imported")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := zipBytes(t, tt.files)
			b, ws, err := lexexport.ReadZip(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatalf("ReadZip: %v", err)
			}
			tt.check(t, b, ws)
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files [][2]string
		want  string
	}{
		{"no bot", [][2]string{{"Manifest.json", manifest}}, "no Bot.json"},
		{"bad JSON", [][2]string{{"Manifest.json", manifest}, {"B/Bot.json", `{"name":`}}, "B/Bot.json: invalid JSON"},
		{"wrong type names the JSON path", [][2]string{
			{"Manifest.json", manifest}, {"B/Bot.json", botJSON}, {"B/BotLocales/ko_KR/BotLocale.json", localeJSON},
			{"B/BotLocales/ko_KR/Intents/I/Intent.json", `{"name":"I","sampleUtterances":[{"utterance":5}]}`},
		}, "B/BotLocales/ko_KR/Intents/I/Intent.json: sampleUtterances[0].utterance: expected a string"},
		{"bad slot constraint", [][2]string{
			{"Manifest.json", manifest}, {"B/Bot.json", botJSON}, {"B/BotLocales/ko_KR/BotLocale.json", localeJSON},
			{"B/BotLocales/ko_KR/Intents/I/Intent.json", `{"name":"I"}`},
			{"B/BotLocales/ko_KR/Intents/I/Slots/S/Slot.json", `{"name":"S","slotTypeName":"AMAZON.Number","valueElicitationSetting":{"slotConstraint":"Maybe"}}`},
		}, "Slots/S/Slot.json: valueElicitationSetting.slotConstraint: expected Required or Optional"},
		{"message without content", [][2]string{
			{"Manifest.json", manifest}, {"B/Bot.json", botJSON}, {"B/BotLocales/ko_KR/BotLocale.json", localeJSON},
			{"B/BotLocales/ko_KR/Intents/I/Intent.json", `{"name":"I","intentClosingSetting":{"closingResponse":{"messageGroupsList":[{"message":{}}]}}}`},
		}, "Intent.json: intentClosingSetting.closingResponse.messageGroupsList[0].message: the message has no content"},
		{"not LexJson", [][2]string{{"Manifest.json", `{"metaData":{"fileFormat":"TSV"}}`}, {"B/Bot.json", botJSON}}, "Parley reads LexJson"},
		{"no locale", [][2]string{{"Manifest.json", manifest}, {"B/Bot.json", botJSON}}, "no locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := zipBytes(t, tt.files)
			_, _, err := lexexport.ReadZip(bytes.NewReader(data), int64(len(data)))
			var pe *parley.Error
			if !errors.As(err, &pe) || pe.Code != parley.ErrValidation || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a validation error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadZipFileAndIsExport(t *testing.T) {
	b, _ := read(t, "javalambda-bot")
	b.Source = ""
	var buf bytes.Buffer
	if err := lexexport.Write(b, &buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bot.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _, err := lexexport.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != p {
		t.Errorf("Source = %q, want %q", got.Source, p)
	}
	got.Source = ""
	if !reflect.DeepEqual(got, b) {
		t.Error("the zip file reads differently from the folder")
	}
	// An unzipped export inside an extra top folder.
	nested := t.TempDir()
	for _, f := range [][2]string{{"Export/Manifest.json", manifest}, {"Export/B/Bot.json", botJSON}} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(nested, f[0])), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(nested, f[0]), []byte(f[1]), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		path string
		want bool
	}{{p, true}, {fixture(t, "airline-bot"), true}, {nested, true}, {"../examples/hello", false}, {"nope", false}} {
		if got := lexexport.IsExport(tt.path); got != tt.want {
			t.Errorf("IsExport(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestReadBotJSONAtTheTop(t *testing.T) {
	data := zipBytes(t, [][2]string{
		{"Manifest.json", manifest}, {"Bot.json", botJSON}, {"BotLocales/ko_KR/BotLocale.json", localeJSON},
		{"BotLocales/ko_KR/Intents/I/Intent.json", `{"name":"I","sampleUtterances":[{"utterance":"안녕"}]}`},
	})
	b, ws, err := lexexport.ReadZip(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if b.Locale("ko_KR") == nil || b.Locale("ko_KR").Intent("I") == nil {
		t.Errorf("bot = %+v, warnings %v", b, ws)
	}
}

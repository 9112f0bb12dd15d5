package botdef_test

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
)

var update = flag.Bool("update", false, "rewrite the .want files of testdata/broken")

func TestLoadHello(t *testing.T) {
	b, err := botdef.Load("../examples/hello")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if b.ID != "HELLOBOT01" || b.Name != "HelloWorld" || b.SessionTTL() != 300*time.Second {
		t.Errorf("bot = %q %q %v, want HELLOBOT01 HelloWorld 5m0s", b.ID, b.Name, b.SessionTTL())
	}
	if b.Source != "../examples/hello" {
		t.Errorf("Source = %q", b.Source)
	}
	loc := b.Locale("ko_KR")
	if loc == nil || len(b.Locales) != 1 {
		t.Fatalf("locales = %v, want only ko_KR", b.Locales)
	}
	if loc.NLUConfidenceThreshold != 0.40 || loc.TimeZone != "Asia/Seoul" {
		t.Errorf("threshold, zone = %v %q", loc.NLUConfidenceThreshold, loc.TimeZone)
	}
	hello := loc.Intent("HelloIntent")
	if hello == nil {
		t.Fatal("no HelloIntent")
	}
	for _, u := range []string{"안녕", "안녕하세요", "하이", "반가워", "반갑습니다", "헬로", "안녕 나는 {Name}이야", "내 이름은 {Name}이야", "저는 {Name}입니다"} {
		if !slices.Contains(hello.SampleUtterances, u) {
			t.Errorf("HelloIntent lacks utterance %q", u)
		}
	}
	name := hello.Slot("Name")
	if name == nil || name.SlotTypeName != "AMAZON.FirstName" || !name.Required || name.Prompt.MaxRetries != 2 {
		t.Fatalf("slot Name = %+v", name)
	}
	if got := text(name.Prompt.MessageGroups[0].Message); got != "이름이 뭐예요?" {
		t.Errorf("Name prompt = %q", got)
	}
	if !slices.Equal(name.SampleUtterances, []string{"{Name}이에요", "{Name}입니다", "제 이름은 {Name}이에요"}) {
		t.Errorf("slot utterances = %q", name.SampleUtterances)
	}
	c := hello.Confirmation
	if c == nil || len(c.Prompt.MessageGroups) != 2 || c.Prompt.MaxRetries != 2 {
		t.Fatalf("confirmation = %+v", c)
	}
	if got := text(c.Prompt.MessageGroups[0].Message); got != "{Name}님이 맞으세요?" {
		t.Errorf("confirmation text = %q", got)
	}
	card := c.Prompt.MessageGroups[1].Message
	want := &parley.ImageResponseCard{Title: "확인해 주세요", Buttons: []parley.Button{{Text: "네", Value: "네"}, {Text: "아니요", Value: "아니요"}}}
	if card.ContentType != parley.ContentImageResponseCard || card.ImageResponseCard == nil ||
		card.ImageResponseCard.Title != want.Title || !slices.Equal(card.ImageResponseCard.Buttons, want.Buttons) {
		t.Errorf("card = %+v", card)
	}
	if got := text(c.DeclinationResponse.MessageGroups[0].Message); got != "알겠어요. 다시 시작하려면 '안녕'이라고 말해 주세요." {
		t.Errorf("declination = %q", got)
	}
	if f := hello.Fulfillment; f == nil || f.CodeHook || text(f.SuccessResponse.MessageGroups[0].Message) != "반가워요, {Name}님! 좋은 하루 보내세요." {
		t.Errorf("fulfillment = %+v", f)
	}
	fb := loc.FallbackIntent()
	if fb == nil || fb.Name != "FallbackIntent" || fb.Closing == nil ||
		text(fb.Closing.MessageGroups[0].Message) != "죄송해요, 무슨 말인지 잘 모르겠어요. '안녕'이라고 인사해 주세요." {
		t.Errorf("fallback = %+v", fb)
	}
	if len(loc.Intents) != 2 {
		t.Errorf("intents = %d, want HelloIntent and FallbackIntent", len(loc.Intents))
	}
}

func TestLoadPizza(t *testing.T) {
	b, err := botdef.Load("../examples/pizza")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	// The folder's bot file alone loads the same bot.
	fromFile, err := botdef.Load("../examples/pizza/bot.yaml")
	if err != nil {
		t.Fatalf("Load bot.yaml: %v", err)
	}
	fromFile.Source = b.Source
	if !reflect.DeepEqual(b, fromFile) {
		t.Error("Load(examples/pizza/bot.yaml) differs from Load(examples/pizza)")
	}
	if b.ID != "PIZZABOT01" || b.Name != "PizzaShop" || b.SessionTTL() != 300*time.Second {
		t.Errorf("bot = %q %q %v", b.ID, b.Name, b.SessionTTL())
	}
	loc := b.Locale("en_US")
	if loc == nil || loc.NLUConfidenceThreshold != 0.40 {
		t.Fatalf("en_US = %+v", loc)
	}
	types := map[string][]parley.SlotTypeValue{
		"PizzaSize":    {{Value: "small", Synonyms: []string{"personal", "little"}}, {Value: "medium", Synonyms: []string{"regular"}}, {Value: "large", Synonyms: []string{"big", "family"}}},
		"CrustType":    {{Value: "thin", Synonyms: []string{"thin crust", "crispy"}}, {Value: "thick", Synonyms: []string{"deep dish", "pan"}}, {Value: "stuffed", Synonyms: []string{"stuffed crust"}}},
		"PizzaTopping": {{Value: "pepperoni"}, {Value: "mushroom", Synonyms: []string{"mushrooms"}}, {Value: "cheese", Synonyms: []string{"extra cheese", "plain"}}, {Value: "veggie", Synonyms: []string{"vegetables", "vegetarian"}}},
		"DrinkType":    {{Value: "cola", Synonyms: []string{"coke"}}, {Value: "lemonade"}, {Value: "water"}},
	}
	for name, want := range types {
		st := loc.SlotType(name)
		// CrustType keeps what the user said so the bot's code hook can
		// turn down a crust that is not on the menu.
		if wantRestricted := name != "CrustType"; st == nil || st.Restricted() != wantRestricted {
			t.Errorf("slot type %s = %+v, want restricted %v", name, st, wantRestricted)
			continue
		}
		if !slices.EqualFunc(st.Values, want, func(a, b parley.SlotTypeValue) bool {
			return a.Value == b.Value && slices.Equal(a.Synonyms, b.Synonyms)
		}) {
			t.Errorf("%s values = %+v, want %+v", name, st.Values, want)
		}
	}
	order := loc.Intent("OrderPizza")
	if order == nil {
		t.Fatal("no OrderPizza")
	}
	var slotNames []string
	for _, s := range order.Slots {
		slotNames = append(slotNames, s.Name+":"+s.SlotTypeName)
		if !s.Required || s.Prompt.MaxRetries != 2 {
			t.Errorf("slot %s: required %v, maxRetries %d", s.Name, s.Required, s.Prompt.MaxRetries)
		}
	}
	if !slices.Equal(slotNames, []string{"Size:PizzaSize", "Crust:CrustType", "Topping:PizzaTopping"}) {
		t.Errorf("slots by priority = %v", slotNames)
	}
	size := order.Slots[0].Prompt.MessageGroups
	if len(size) != 2 || text(size[0].Message) != "What size would you like: small, medium or large?" ||
		size[1].Message.ImageResponseCard == nil || size[1].Message.ImageResponseCard.Title != "Pick a size" ||
		len(size[1].Message.ImageResponseCard.Buttons) != 3 {
		t.Errorf("size prompt = %+v", size)
	}
	if got := text(order.Confirmation.Prompt.MessageGroups[0].Message); got != "So that's a {Size} {Crust} crust pizza with {Topping}. Shall I place the order?" {
		t.Errorf("confirmation = %q", got)
	}
	if got := text(order.Closing.MessageGroups[0].Message); got != "Thanks for ordering with Parley Pizza." {
		t.Errorf("closing = %q", got)
	}
	if !slices.Equal(order.OutputContexts, []parley.OutputContext{{Name: "order_placed", TimeToLiveInSeconds: 600, TurnsToLive: 5}}) {
		t.Errorf("output contexts = %+v", order.OutputContexts)
	}
	drink := loc.Intent("AddDrink")
	if drink == nil || !slices.Equal(drink.InputContexts, []string{"order_placed"}) || drink.Slot("Drink") == nil {
		t.Errorf("AddDrink = %+v", drink)
	}
	status := loc.Intent("CheckOrderStatus")
	if status == nil || len(status.SampleUtterances) != 4 || len(status.Slots) != 0 {
		t.Errorf("CheckOrderStatus = %+v", status)
	}
	if fb := loc.FallbackIntent(); fb == nil || fb.Closing == nil {
		t.Errorf("fallback = %+v", fb)
	}
}

func text(m parley.Message) string { return m.Content }

func TestLoadDefaults(t *testing.T) {
	b, err := botdef.Parse("mini.yaml", []byte(`
id: MINIBOT001
name: Mini
locales:
  en_US:
    intents:
      - name: Book
        sampleUtterances: [book it]
        slotPriorities: [{priority: 1, slotName: B}, {priority: 2, slotName: A}]
        slots:
          - {name: C, slotTypeName: AMAZON.Number, slotConstraint: Optional}
          - {name: A, slotTypeName: AMAZON.Number, prompt: A?}
          - {name: B, slotTypeName: AMAZON.Number, prompt: B?}
        outputContexts: [booked]
        dialogCodeHook: {enabled: true}
    builtInIntents: [AMAZON.CancelIntent]
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if b.IdleSessionTTL != parley.DefaultIdleSessionTTL || b.Source != "mini.yaml" {
		t.Errorf("TTL, source = %v %q", b.IdleSessionTTL, b.Source)
	}
	loc := b.Locale("en_US")
	if loc.NLUConfidenceThreshold != parley.DefaultConfidenceThreshold {
		t.Errorf("threshold = %v", loc.NLUConfidenceThreshold)
	}
	fb := loc.FallbackIntent()
	if fb == nil || fb.Name != parley.FallbackIntentName {
		t.Errorf("fallback = %+v", fb)
	}
	if in := loc.Intent("CancelIntent"); in == nil || in.ParentIntentSignature != parley.CancelIntentSignature {
		t.Errorf("CancelIntent = %+v", in)
	}
	book := loc.Intent("Book")
	var order []string
	for _, s := range book.Slots {
		order = append(order, s.Name)
	}
	if !slices.Equal(order, []string{"B", "A", "C"}) {
		t.Errorf("slot order = %v, want B A C", order)
	}
	if book.Slot("C").Required || !book.Slot("A").Required {
		t.Error("slotConstraint not applied")
	}
	if !book.DialogCodeHook {
		t.Error("dialogCodeHook {enabled: true} not applied")
	}
	if !slices.Equal(book.OutputContexts, []parley.OutputContext{{Name: "booked", TimeToLiveInSeconds: 90, TurnsToLive: 5}}) {
		t.Errorf("output contexts = %+v", book.OutputContexts)
	}
}

// testEnv is the environment the broken files see: one variable set, so
// that the files can also name unset ones whatever the process has.
var testEnv = botdef.Options{LookupEnv: func(key string) (string, bool) {
	if key == "PARLEY_TEST_SECRET" {
		return "s3cret", true
	}
	return "", false
}}

// TestBroken validates every file and folder in testdata/broken and compares
// the problems with its .want file.
func TestBroken(t *testing.T) {
	entries, err := os.ReadDir("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".want") {
			continue
		}
		path := filepath.Join("testdata/broken", e.Name())
		wantFile := strings.TrimSuffix(path, filepath.Ext(path)) + ".want"
		t.Run(e.Name(), func(t *testing.T) {
			problems := botdef.ValidateWith(path, testEnv)
			var lines []string
			for _, p := range problems {
				if p.Line < 0 || p.Col < 0 {
					t.Errorf("negative position in %v", p)
				}
				lines = append(lines, filepath.ToSlash(p.String()))
			}
			got := strings.Join(lines, "\n") + "\n"
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("problems differ from %s\n got:\n%s\nwant:\n%s", wantFile, got, want)
			}
			if _, err := botdef.LoadWith(path, testEnv); err == nil {
				t.Error("Load succeeded on a broken definition")
			} else {
				var ps botdef.Problems
				if !errors.As(err, &ps) || !slices.Equal(ps, problems) {
					t.Errorf("Load error = %v, want the same Problems as Validate", err)
				}
				if parley.ErrorCodeOf(err) != parley.ErrValidation {
					t.Errorf("ErrorCodeOf = %v, want ErrValidation", parley.ErrorCodeOf(err))
				}
			}
		})
	}
}

// TestJSONLoadsLikeYAML loads testdata/hello.json, the hello example in JSON
// with the long forms of messages, and compares it with the YAML original.
func TestJSONLoadsLikeYAML(t *testing.T) {
	fromYAML, err := botdef.Load("../examples/hello/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := botdef.Load("testdata/hello.json")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON.Source = fromYAML.Source
	if !reflect.DeepEqual(fromYAML, fromJSON) {
		a, _ := json.MarshalIndent(fromYAML, "", " ")
		b, _ := json.MarshalIndent(fromJSON, "", " ")
		t.Errorf("JSON bot differs from YAML bot\nyaml: %s\njson: %s", a, b)
	}
}

// TestManyProblemsInOneFile checks that validation goes on after each
// problem: every one of these is reported, at its own line.
func TestManyProblemsInOneFile(t *testing.T) {
	src := `id: SHORT
name: Many
idleSessionTTLInSeconds: 5
locales:
  en_US:
    nluConfidenceThreshold: 2
    intents:
      - name: A
        sampleUtterances: [hello, "hi {Who}"]
        slots:
          - {name: X, slotTypeName: Nope, prompt: X?}
        fulfilment: {}
      - name: B
        sampleUtterances: [HELLO]
        closingResponse: {plainText: Bye, ssml: "<speak>Bye</speak>"}
`
	_, err := botdef.Parse("many.yaml", []byte(src))
	var ps botdef.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	want := []struct {
		line int
		has  string
	}{
		{1, "bot id must be exactly 10"},
		{3, "idleSessionTTLInSeconds must be 60–86400"},
		{6, "nluConfidenceThreshold must be 0–1"},
		{9, "{Who} refers to a slot"},
		{11, `unknown slot type "Nope"`},
		{12, `unknown key "fulfilment" in intent; did you mean "fulfillment"?`},
		{14, `sample utterance "HELLO" is also in intent "A"`},
		{15, "a message has exactly one of"},
	}
	if len(ps) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(ps), len(want), ps)
	}
	for i, w := range want {
		if i >= len(ps) {
			break
		}
		if ps[i].Line != w.line || !strings.Contains(ps[i].Message, w.has) {
			t.Errorf("problem %d = %v, want line %d with %q", i, ps[i], w.line, w.has)
		}
	}
}

// TestProblemClasses makes sure every class of problem the format promises
// to find is found, independent of the exact wording in the .want files.
func TestProblemClasses(t *testing.T) {
	tests := []struct {
		name, file, has string
	}{
		{"yaml syntax", "syntax.yaml", "2:7: YAML syntax error"},
		{"json syntax", "json_syntax.json", "YAML syntax error"},
		{"unknown key with suggestion", "unknown_keys.yaml", `did you mean "sampleUtterances"?`},
		{"unknown key in json", "json_problems.json", `unknown key "slotz"`},
		{"wrong type", "types.yaml", `"idleSessionTTLInSeconds" must be a whole number, got a string`},
		{"missing required field", "missing.yaml", `slot is missing required key "slotTypeName"`},
		{"bad bot id", "ids.yaml", "bot id must be exactly 10 letters or digits"},
		{"bad alias id", "ids.yaml", "alias id must be exactly 10 letters or digits"},
		{"reserved alias id", "ids.yaml", "reserved for the draft alias"},
		{"bad intent name", "ids.yaml", `intent name "Order Pizza"`},
		{"bad slot name", "ids.yaml", `slot name "_size"`},
		{"bad slot type name", "ids.yaml", `slot type name "Pizza.Size"`},
		{"bad context name", "ids.yaml", `context name "has-order"`},
		{"unknown slot type", "slot_types.yaml", `unknown slot type "PizzaSzie"; did you mean "PizzaSize"?`},
		{"unknown built-in slot type", "slot_types.yaml", `did you mean "AMAZON.Number"?`},
		{"dangling slot reference in utterance", "refs.yaml", `{Nmae} refers to a slot`},
		{"dangling slot reference in message", "refs.yaml", `{Surname} refers to a slot`},
		{"dangling slot reference in card", "refs.yaml", `{Nam} refers to a slot`},
		{"duplicate intent", "duplicates.yaml", `duplicate intent name "Order"`},
		{"duplicate slot", "duplicates.yaml", `duplicate slot name "Size"`},
		{"duplicate slot type", "duplicates.yaml", `duplicate slot type name "Color"`},
		{"duplicate utterance across intents", "duplicates.yaml", `is also in intent "Order"`},
		{"threshold range", "ranges.yaml", "nluConfidenceThreshold must be 0–1"},
		{"idle ttl range", "ranges.yaml", "idleSessionTTLInSeconds must be 60–86400"},
		{"maxRetries range", "ranges.yaml", "maxRetries must be 0–5"},
		{"too many buttons", "ranges.yaml", "at most 5 buttons"},
		{"long button text", "ranges.yaml", "a button text must be 1–50 characters"},
		{"long card title", "ranges.yaml", "a card title must be 1–250 characters"},
		{"turnsToLive range", "ranges.yaml", "turnsToLive must be 1–20"},
		{"context ttl range", "ranges.yaml", "timeToLiveInSeconds must be 5–86400"},
		{"bad locale id", "locale.yaml", `locale id "ko-KR" must look like xx_YY`},
		{"unknown time zone", "locale.yaml", `unknown timeZone "Asia/Seol"`},
		{"unknown built-in intent", "builtins.yaml", `did you mean "AMAZON.HelpIntent"?`},
		{"AlphaNumeric in Korean", "builtin_slots.yaml", "AMAZON.AlphaNumeric is not available in locale ko_KR"},
		{"UK postcode outside en_GB", "builtin_slots.yaml", "AMAZON.UKPostalCode is only available in locale en_GB, not in en_US"},
		{"duplicate slot priority", "priorities.yaml", "have the same priority"},
		{"duplicate channel name", "channels.yaml", `duplicate channel name "kakao"`},
		{"bad channel name", "channels.yaml", `channel name "my channel" must be 1–40`},
		{"long channel name", "channels.yaml", `channel name "a-channel-name-that-is-far-too-long-for-a-url"`},
		{"misspelt channel type", "channels.yaml", `unknown channel type "slak"; did you mean "slack"?`},
		{"unknown channel type", "channels.yaml", `unknown channel type "whatsapp" (expected one of`},
		{"unknown channel alias", "channels.yaml", `channel alias "PRODALIAZ1" is not an alias`},
		{"unknown channel locale", "channels.yaml", `channel locale "ko_KK" is not a locale`},
		{"channel without name", "channels.yaml", `channel is missing required key "name"`},
		{"channel without type", "channels.yaml", `channel is missing required key "type"`},
		{"settings not a mapping", "channels.yaml", "channel settings must be a mapping"},
		{"setting not a scalar", "channels.yaml", "setting nested must be a string, got a mapping"},
		{"unset variable", "channels.yaml", "28:18: setting authToken: environment variable PARLEY_TEST_UNSET is not set"},
		{"bad variable name", "channels.yaml", "${1BAD} does not name an environment variable"},
		{"unclosed variable", "channels.yaml", "unclosed ${"},
		{"channels not a list", "channels_not_list.yaml", `"channels" must be a list, got a mapping`},
		{"multi-file unknown folder", "multi", `did you mean "intents"?`},
		{"multi-file bad locale folder", "multi", `locale folder "english"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := botdef.ValidateWith(filepath.Join("testdata/broken", tt.file), testEnv).Error()
			if !strings.Contains(got, tt.has) {
				t.Errorf("problems of %s lack %q:\n%s", tt.file, tt.has, got)
			}
		})
	}
}

func TestLoadMissingPath(t *testing.T) {
	for _, p := range []string{"testdata/nothing-here", t.TempDir()} {
		ps := botdef.Validate(p)
		if len(ps) != 1 || ps[0].File != p || ps[0].Line != 0 {
			t.Errorf("Validate(%s) = %v, want one whole-file problem", p, ps)
		}
		if _, err := botdef.Load(p); err == nil {
			t.Errorf("Load(%s) succeeded", p)
		}
	}
}

func TestLoadSlotSettings(t *testing.T) {
	b, err := botdef.Parse("slots.yaml", []byte(`
id: SLOTSBOT01
name: Slots
locales:
  en_US:
    intents:
      - name: Pay
        sampleUtterances: [pay]
        slots:
          - name: Card
            slotTypeName: AMAZON.AlphaNumeric
            obfuscationSetting: DefaultObfuscation
            defaultValueSpecification: ["#ctx.card", "[card]"]
            prompt: Card number?
          - name: Pin
            slotTypeName: AMAZON.Number
            obfuscationSetting: {obfuscationSettingType: None}
            defaultValueSpecification: {defaultValueList: [{defaultValue: "0000"}]}
            prompt:
              maxRetries: 0
              messageSelectionStrategy: Ordered
              allowInterrupt: true
              messageGroups: [{plainText: PIN?, variations: [{ssml: "<speak>PIN?</speak>"}]}]
    slotTypes:
      - name: Code
        parentSlotTypeSignature: AMAZON.AlphaNumeric
        regexFilter: {pattern: "[A-Z]{3}[0-9]{2}"}
        resolutionStrategy: TopResolution
`))
	if err != nil {
		t.Fatal(err)
	}
	pay := b.Locale("en_US").Intent("Pay")
	card, pin := pay.Slot("Card"), pay.Slot("Pin")
	if !card.Obfuscate || pin.Obfuscate {
		t.Errorf("obfuscate = %v %v, want true false", card.Obfuscate, pin.Obfuscate)
	}
	if !slices.Equal(card.DefaultValues, []string{"#ctx.card", "[card]"}) || !slices.Equal(pin.DefaultValues, []string{"0000"}) {
		t.Errorf("default values = %q %q", card.DefaultValues, pin.DefaultValues)
	}
	p := pin.Prompt
	if p.MaxRetries != 0 || p.MessageSelectionStrategy != "Ordered" || !p.AllowInterrupt ||
		len(p.MessageGroups) != 1 || p.MessageGroups[0].Variations[0].ContentType != parley.ContentSSML {
		t.Errorf("pin prompt = %+v", p)
	}
	code := b.Locale("en_US").SlotType("Code")
	if code.RegexFilter != "[A-Z]{3}[0-9]{2}" || !code.Restricted() || code.ParentSlotTypeSignature != "AMAZON.AlphaNumeric" {
		t.Errorf("Code = %+v", code)
	}
}

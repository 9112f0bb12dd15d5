package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The Lex tests hold complete conversations with both example bots through
// real AWS clients, unchanged: the AWS CLI, boto3 and the AWS SDK for
// JavaScript v3. The conversations and what each lexTurn must answer are
// written once below and checked the same way for every client.

const (
	helloBot   = "HELLOBOT01"
	pizzaBot   = "PIZZABOT01"
	draftAlias = "TSTALIASID"
)

// jsonValue is a decoded JSON value; jsonAt walks into it.
type jsonValue = any

// jsonAt returns the value at path (object keys and array indexes) or nil.
func jsonAt(v jsonValue, path ...any) jsonValue {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func jsonPath(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			b.WriteString("." + k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// wantAt asserts that the value at path is JSON-equal to want.
func wantAt(t *testing.T, v jsonValue, want any, path ...any) {
	t.Helper()
	got := jsonAt(v, path...)
	wantJSON, _ := json.Marshal(want)
	var norm any
	json.Unmarshal(wantJSON, &norm)
	if !reflect.DeepEqual(got, norm) {
		gotJSON, _ := json.Marshal(got)
		t.Errorf("%s = %s, want %s", jsonPath(path), gotJSON, wantJSON)
	}
}

// wantNull asserts that path is present and JSON null (an unfilled slot).
func wantNull(t *testing.T, v jsonValue, path ...any) {
	t.Helper()
	parent, ok := jsonAt(v, path[:len(path)-1]...).(map[string]any)
	if !ok {
		t.Errorf("%s: parent is not an object", jsonPath(path))
		return
	}
	val, present := parent[path[len(path)-1].(string)]
	if !present || val != nil {
		t.Errorf("%s = %v (present %v), want null", jsonPath(path), val, present)
	}
}

// wantScore asserts that an interpretation carries nluConfidence {"score": x}
// with x in [0, 1].
func wantScore(t *testing.T, interp jsonValue) {
	t.Helper()
	score, ok := jsonAt(interp, "nluConfidence", "score").(float64)
	if !ok || score < 0 || score > 1 {
		t.Errorf("interpretation %v: nluConfidence.score = %v, want a number in [0,1]", jsonAt(interp, "intent", "name"), jsonAt(interp, "nluConfidence"))
	}
}

// wantTopIntent asserts that the best interpretation is intent, scored.
func wantTopIntent(t *testing.T, resp jsonValue, intent string) {
	t.Helper()
	wantAt(t, resp, intent, "interpretations", 0, "intent", "name")
	wantScore(t, jsonAt(resp, "interpretations", 0))
}

// wantInterpretations asserts 1–5 interpretations where FallbackIntent,
// wherever it is ranked, carries no nluConfidence and every other one does.
func wantInterpretations(t *testing.T, resp jsonValue) {
	t.Helper()
	its, _ := jsonAt(resp, "interpretations").([]any)
	if len(its) == 0 || len(its) > 5 {
		t.Errorf("interpretations: %d, want 1–5", len(its))
	}
	for _, it := range its {
		if jsonAt(it, "intent", "name") == "FallbackIntent" {
			if m, _ := it.(map[string]any); m != nil {
				if _, has := m["nluConfidence"]; has {
					t.Errorf("FallbackIntent interpretation has nluConfidence %v", m["nluConfidence"])
				}
			}
			continue
		}
		wantScore(t, it)
	}
}

// wantMessage asserts the i-th message is PlainText with content.
func wantMessage(t *testing.T, resp jsonValue, i int, content string) {
	t.Helper()
	wantAt(t, resp, "PlainText", "messages", i, "contentType")
	wantAt(t, resp, content, "messages", i, "content")
}

// wantSlot asserts a filled scalar slot's interpreted value.
func wantSlot(t *testing.T, resp jsonValue, slot, value string) {
	t.Helper()
	wantAt(t, resp, "Scalar", "sessionState", "intent", "slots", slot, "shape")
	wantAt(t, resp, value, "sessionState", "intent", "slots", slot, "value", "interpretedValue")
}

// wantDialog asserts the dialog action, intent and intent state.
func wantDialog(t *testing.T, resp jsonValue, action, slotToElicit, intent, state string) {
	t.Helper()
	wantAt(t, resp, action, "sessionState", "dialogAction", "type")
	if slotToElicit != "" {
		wantAt(t, resp, slotToElicit, "sessionState", "dialogAction", "slotToElicit")
	}
	wantAt(t, resp, intent, "sessionState", "intent", "name")
	wantAt(t, resp, state, "sessionState", "intent", "state")
}

// hasContext reports whether the response's session has an active context.
func hasContext(resp jsonValue, name string) bool {
	cs, _ := jsonAt(resp, "sessionState", "activeContexts").([]any)
	for _, c := range cs {
		if jsonAt(c, "name") == name {
			_, attrsOK := jsonAt(c, "contextAttributes").(map[string]any)
			return attrsOK
		}
	}
	return false
}

// lexTurn is one user input and what the answer must hold.
type lexTurn struct {
	text  string
	check func(t *testing.T, resp jsonValue)
}

// helloTurns is a complete conversation with the Korean HelloWorld bot:
// greeting, name, confirmation, greeting by name; then a fallback. attrs is
// the session attribute map every answer must carry.
func helloTurns(attrs map[string]string) []lexTurn {
	if attrs == nil {
		attrs = map[string]string{}
	}
	return []lexTurn{
		{"안녕", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress")
			wantNull(t, r, "sessionState", "intent", "slots", "Name")
			wantMessage(t, r, 0, "이름이 뭐예요?")
			wantTopIntent(t, r, "HelloIntent")
			wantInterpretations(t, r)
			wantAt(t, r, attrs, "sessionState", "sessionAttributes")
		}},
		{"홍길동이에요", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ConfirmIntent", "", "HelloIntent", "InProgress")
			wantSlot(t, r, "Name", "홍길동")
			wantMessage(t, r, 0, "홍길동님이 맞으세요?")
			wantAt(t, r, "ImageResponseCard", "messages", 1, "contentType")
			wantAt(t, r, "확인해 주세요", "messages", 1, "imageResponseCard", "title")
			wantAt(t, r, []map[string]string{{"text": "네", "value": "네"}, {"text": "아니요", "value": "아니요"}}, "messages", 1, "imageResponseCard", "buttons")
			wantAt(t, r, attrs, "sessionState", "sessionAttributes")
		}},
		{"네", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "HelloIntent", "Fulfilled")
			wantAt(t, r, "Confirmed", "sessionState", "intent", "confirmationState")
			wantSlot(t, r, "Name", "홍길동")
			wantMessage(t, r, 0, "반가워요, 홍길동님! 좋은 하루 보내세요.")
			wantAt(t, r, attrs, "sessionState", "sessionAttributes")
		}},
		{"오늘 주식 시장은 어떤가요", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "FallbackIntent", "Fulfilled")
			wantMessage(t, r, 0, "죄송해요, 무슨 말인지 잘 모르겠어요. '안녕'이라고 인사해 주세요.")
			wantAt(t, r, "FallbackIntent", "interpretations", 0, "intent", "name")
			wantInterpretations(t, r)
		}},
	}
}

// pizzaTurns is a complete order with the PizzaShop bot, slot by slot with
// synonyms, confirmed, then a follow-up that only its output context
// allows.
func pizzaTurns(attrs map[string]string) []lexTurn {
	if attrs == nil {
		attrs = map[string]string{}
	}
	return []lexTurn{
		{"I want to order a pizza", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Size", "OrderPizza", "InProgress")
			for _, s := range []string{"Size", "Crust", "Topping"} {
				wantNull(t, r, "sessionState", "intent", "slots", s)
			}
			wantMessage(t, r, 0, "What size would you like: small, medium or large?")
			wantAt(t, r, "ImageResponseCard", "messages", 1, "contentType")
			wantAt(t, r, "Pick a size", "messages", 1, "imageResponseCard", "title")
			wantAt(t, r, "large", "messages", 1, "imageResponseCard", "buttons", 2, "value")
			wantTopIntent(t, r, "OrderPizza")
			wantInterpretations(t, r)
			wantAt(t, r, attrs, "sessionState", "sessionAttributes")
		}},
		{"large", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Crust", "OrderPizza", "InProgress")
			wantSlot(t, r, "Size", "large")
			wantNull(t, r, "sessionState", "intent", "slots", "Crust")
			wantNull(t, r, "sessionState", "intent", "slots", "Topping")
			wantMessage(t, r, 0, "Which crust: thin, thick or stuffed?")
		}},
		{"deep dish", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Topping", "OrderPizza", "InProgress")
			wantSlot(t, r, "Crust", "thick")
			wantNull(t, r, "sessionState", "intent", "slots", "Topping")
			wantMessage(t, r, 0, "What topping would you like?")
		}},
		{"mushrooms", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ConfirmIntent", "", "OrderPizza", "InProgress")
			wantSlot(t, r, "Topping", "mushroom")
			wantMessage(t, r, 0, "So that's a large thick crust pizza with mushroom. Shall I place the order?")
		}},
		{"yes", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "OrderPizza", "Fulfilled")
			wantAt(t, r, "Confirmed", "sessionState", "intent", "confirmationState")
			wantMessage(t, r, 0, "Your large mushroom pizza is on its way!")
			wantMessage(t, r, 1, "Thanks for ordering with Parley Pizza.")
			if !hasContext(r, "order_placed") {
				t.Errorf("activeContexts = %v, want order_placed with contextAttributes", jsonAt(r, "sessionState", "activeContexts"))
			}
			wantAttrs(t, r, attrs, pizzaTotal)
		}},
		{"add a drink", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Drink", "AddDrink", "InProgress")
			wantNull(t, r, "sessionState", "intent", "slots", "Drink")
			wantMessage(t, r, 0, "Which drink would you like: cola, lemonade or water?")
			wantTopIntent(t, r, "AddDrink")
		}},
		{"coke", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "AddDrink", "Fulfilled")
			wantSlot(t, r, "Drink", "cola")
			wantMessage(t, r, 0, "Added a cola to your order.")
		}},
	}
}

// awsEnv is an environment in which AWS clients find dummy credentials and
// nothing else: no config or credentials file, no instance metadata, no
// profile or endpoint from the developer's machine.
func awsEnv(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID=AKIDPARLEYE2E",
		"AWS_SECRET_ACCESS_KEY=parley-e2e-secret",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+config,
		"AWS_SHARED_CREDENTIALS_FILE="+creds,
		"AWS_MAX_ATTEMPTS=1",
		"AWS_PAGER=",
		"PYTHONIOENCODING=utf-8",
	)
}

// awsCLI runs `aws lexv2-runtime recognize-text` once and returns its
// decoded JSON output, or its stderr and exit status when it failed.
func awsCLI(t *testing.T, aws string, env []string, base, bot, locale, session, text string) (jsonValue, string, int) {
	t.Helper()
	cmd := exec.Command(aws, "lexv2-runtime", "recognize-text",
		"--bot-id", bot, "--bot-alias-id", draftAlias, "--locale-id", locale,
		"--session-id", session, "--text", text,
		"--endpoint-url", base, "--region", "us-east-1", "--output", "json")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		exit, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("aws %q: %v", text, err)
		}
		return nil, stderr.String(), exit.ExitCode()
	}
	var resp jsonValue
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		t.Fatalf("aws %q: output is not JSON: %v\n%s", text, err, stdout.String())
	}
	return resp, stderr.String(), 0
}

func TestLexAWSCLI(t *testing.T) {
	aws := requireTool(t, "aws")
	base := startServer(t, "../examples/hello", "../examples/pizza")
	env := awsEnv(t)
	conversations := []struct {
		name, bot, locale string
		turns             []lexTurn
	}{
		{"hello", helloBot, "ko_KR", helloTurns(nil)},
		{"pizza", pizzaBot, "en_US", pizzaTurns(nil)},
	}
	for _, c := range conversations {
		t.Run(c.name, func(t *testing.T) {
			// Each CLI call starts a Python interpreter; the two
			// conversations use separate sessions and run side by side.
			t.Parallel()
			session := "cli-" + c.name
			for i, tu := range c.turns {
				resp, stderr, code := awsCLI(t, aws, env, base, c.bot, c.locale, session, tu.text)
				if code != 0 {
					t.Fatalf("turn %d %q: aws exited %d:\n%s", i+1, tu.text, code, stderr)
				}
				wantAt(t, resp, session, "sessionId")
				t.Run(fmt.Sprintf("turn %d %s", i+1, tu.text), func(t *testing.T) { tu.check(t, resp) })
			}
		})
	}
	t.Run("unknown bot", func(t *testing.T) {
		_, stderr, code := awsCLI(t, aws, env, base, "NOSUCHBOT1", "en_US", "cli-x", "hello")
		if code == 0 || !strings.Contains(stderr, "ResourceNotFoundException") {
			t.Errorf("aws exited %d with %q, want a ResourceNotFoundException", code, stderr)
		}
	})
	t.Run("text too long", func(t *testing.T) {
		_, stderr, code := awsCLI(t, aws, env, base, pizzaBot, "en_US", "cli-x", strings.Repeat("a", 1025))
		if code == 0 || !strings.Contains(stderr, "ValidationException") || !strings.Contains(stderr, "text") {
			t.Errorf("aws exited %d with %q, want a ValidationException naming text", code, stderr)
		}
	})
}

// lexCall is one SDK call for the client scripts in testdata/lex.
type lexCall struct {
	Op                string            `json:"op"`
	BotID             string            `json:"botId"`
	BotAliasID        string            `json:"botAliasId"`
	LocaleID          string            `json:"localeId"`
	SessionID         string            `json:"sessionId"`
	Text              string            `json:"text,omitempty"`
	SessionState      any               `json:"sessionState,omitempty"`
	Messages          any               `json:"messages,omitempty"`
	RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
}

// lexResult is a script's result for one call.
type lexResult struct {
	Op       string    `json:"op"`
	Response jsonValue `json:"response"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Status  int    `json:"status"`
		Modeled bool   `json:"modeled"`
	} `json:"error"`
}

// lexStep is a call and the check of its result.
type lexStep struct {
	call  lexCall
	check func(t *testing.T, r lexResult)
}

// succeeds wraps a response check: the call must have succeeded.
func succeeds(check func(t *testing.T, resp jsonValue)) func(t *testing.T, r lexResult) {
	return func(t *testing.T, r lexResult) {
		t.Helper()
		if r.Error != nil {
			t.Fatalf("%s failed: %+v", r.Op, *r.Error)
		}
		check(t, r.Response)
	}
}

// failsWith expects the SDK's modelled exception code with an HTTP status and,
// when mention is set, a message that contains it.
func failsWith(code string, status int, mention string) func(t *testing.T, r lexResult) {
	return func(t *testing.T, r lexResult) {
		t.Helper()
		if r.Error == nil {
			t.Fatalf("%s succeeded with %v, want %s", r.Op, r.Response, code)
		}
		e := r.Error
		if e.Code != code || e.Status != status || !e.Modeled || !strings.Contains(e.Message, mention) {
			t.Errorf("%s error = %+v, want the modelled %s (%d) mentioning %q", r.Op, *e, code, status, mention)
		}
	}
}

// sdkConversation is the scenario the SDK clients run for one bot:
// PutSession with session attributes and a message, the conversation,
// GetSession, a lexTurn through RecognizeUtterance, DeleteSession and a
// GetSession of the deleted session.
func sdkConversation(client, name, bot, locale string, turns []lexTurn, attrs map[string]string, utterance lexTurn) []lexStep {
	key := lexCall{BotID: bot, BotAliasID: draftAlias, LocaleID: locale, SessionID: client + "-" + name}
	with := func(op string) lexCall { c := key; c.Op = op; return c }
	welcome := []map[string]string{{"contentType": "PlainText", "content": "Welcome, " + attrs["customer"] + "!"}}

	put := with("putSession")
	put.SessionState = map[string]any{"dialogAction": map[string]string{"type": "ElicitIntent"}, "sessionAttributes": attrs}
	put.Messages = welcome
	put.RequestAttributes = map[string]string{"channel": "e2e"}
	steps := []lexStep{{put, succeeds(func(t *testing.T, r jsonValue) {
		wantAt(t, r, key.SessionID, "sessionId")
		if ct, _ := jsonAt(r, "contentType").(string); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("contentType = %q, want text/plain", ct)
		}
		wantAt(t, r, 0, "audioBytes")
		wantAt(t, r, welcome, "messages")
		wantAt(t, r, "ElicitIntent", "sessionState", "dialogAction", "type")
		wantAt(t, r, attrs, "sessionState", "sessionAttributes")
	})}}

	for _, tu := range turns {
		c := with("recognizeText")
		c.Text = tu.text
		steps = append(steps, lexStep{c, succeeds(tu.check)})
	}

	steps = append(steps, lexStep{with("getSession"), succeeds(func(t *testing.T, r jsonValue) {
		wantAt(t, r, key.SessionID, "sessionId")
		total := ""
		if bot == pizzaBot {
			total = pizzaTotal
		}
		wantAttrs(t, r, attrs, total)
		if name, _ := jsonAt(r, "sessionState", "intent", "name").(string); name == "" {
			t.Errorf("sessionState.intent = %v, want the last turn's intent", jsonAt(r, "sessionState", "intent"))
		}
		if msgs, _ := jsonAt(r, "messages").([]any); len(msgs) == 0 {
			t.Errorf("messages = %v, want the last turn's messages", jsonAt(r, "messages"))
		}
	})})

	u := with("recognizeUtterance")
	u.SessionID += "-utterance"
	u.Text = utterance.text
	u.SessionState = map[string]any{"sessionAttributes": map[string]string{"via": "utterance"}}
	u.RequestAttributes = map[string]string{"channel": "e2e"}
	steps = append(steps, lexStep{u, succeeds(func(t *testing.T, r jsonValue) {
		wantAt(t, r, "Text", "inputMode")
		wantAt(t, r, u.SessionID, "sessionId")
		wantAt(t, r, utterance.text, "inputTranscript")
		wantAt(t, r, 0, "audioBytes")
		wantAt(t, r, map[string]string{"via": "utterance"}, "sessionState", "sessionAttributes")
		utterance.check(t, r)
	})})

	steps = append(steps,
		lexStep{with("deleteSession"), succeeds(func(t *testing.T, r jsonValue) {
			wantAt(t, r, map[string]string{"botId": bot, "botAliasId": draftAlias, "localeId": locale, "sessionId": key.SessionID})
		})},
		lexStep{with("getSession"), failsWith("ResourceNotFoundException", 404, "")},
	)
	return steps
}

// sdkErrors are the failures every SDK must see as modelled exceptions.
func sdkErrors(client string) []lexStep {
	unknown := lexCall{Op: "recognizeText", BotID: "NOSUCHBOT1", BotAliasID: draftAlias, LocaleID: "en_US", SessionID: client + "-x", Text: "hello"}
	long := lexCall{Op: "recognizeText", BotID: pizzaBot, BotAliasID: draftAlias, LocaleID: "en_US", SessionID: client + "-x", Text: strings.Repeat("a", 1025)}
	locale := lexCall{Op: "recognizeText", BotID: pizzaBot, BotAliasID: draftAlias, LocaleID: "fr_FR", SessionID: client + "-x", Text: "bonjour"}
	badState := lexCall{Op: "recognizeText", BotID: pizzaBot, BotAliasID: draftAlias, LocaleID: "en_US", SessionID: client + "-x", Text: "hi",
		SessionState: map[string]any{"dialogAction": map[string]string{"type": "ElicitSlot"}, "intent": map[string]string{"name": "OrderPizza"}}}
	return []lexStep{
		{unknown, failsWith("ResourceNotFoundException", 404, "NOSUCHBOT1")},
		{long, failsWith("ValidationException", 400, "text")},
		{locale, failsWith("ResourceNotFoundException", 404, "fr_FR")},
		{badState, failsWith("ValidationException", 400, "sessionState.dialogAction.slotToElicit")},
	}
}

// sdkSteps is everything an SDK client runs.
func sdkSteps(client string) []lexStep {
	hello := sdkConversation(client, "hello", helloBot, "ko_KR", helloTurns(map[string]string{"customer": "kim"}), map[string]string{"customer": "kim"},
		lexTurn{"안녕하세요", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress")
			wantNull(t, r, "sessionState", "intent", "slots", "Name")
			wantMessage(t, r, 0, "이름이 뭐예요?")
			wantTopIntent(t, r, "HelloIntent")
			wantInterpretations(t, r)
		}})
	pizza := sdkConversation(client, "pizza", pizzaBot, "en_US", pizzaTurns(map[string]string{"customer": "lee"}), map[string]string{"customer": "lee"},
		lexTurn{"where is my order", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "CheckOrderStatus", "Fulfilled")
			wantMessage(t, r, 0, "Your pizza is in the oven and will arrive in about 20 minutes.")
			wantTopIntent(t, r, "CheckOrderStatus")
			wantInterpretations(t, r)
		}})
	// After the order, GetSession must show the order and its context.
	for i, s := range pizza {
		if s.call.Op == "getSession" {
			check := s.check
			pizza[i].check = func(t *testing.T, r lexResult) {
				t.Helper()
				check(t, r)
				if r.Error == nil && !hasContext(r.Response, "order_placed") {
					t.Errorf("GetSession activeContexts = %v, want order_placed", jsonAt(r.Response, "sessionState", "activeContexts"))
				}
			}
			break
		}
	}
	steps := append(hello, pizza...)
	return append(steps, sdkErrors(client)...)
}

// runClientScript runs a client script (boto3, the JS SDK) with calls as a
// JSON array on stdin and returns the JSON array of results it prints, one
// per call.
func runClientScript[C, R any](t *testing.T, cmd *exec.Cmd, calls []C) []R {
	t.Helper()
	in, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstderr:\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	var results []R
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("client output is not JSON: %v\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if len(results) != len(calls) {
		t.Fatalf("got %d results for %d calls", len(results), len(calls))
	}
	return results
}

// runSDK runs a client script with the steps' calls on stdin and checks
// every result.
func runSDK(t *testing.T, cmd *exec.Cmd, steps []lexStep) {
	t.Helper()
	calls := make([]lexCall, len(steps))
	for i, s := range steps {
		calls[i] = s.call
	}
	results := runClientScript[lexCall, lexResult](t, cmd, calls)
	for i, s := range steps {
		name := fmt.Sprintf("%02d %s %s %s", i+1, s.call.Op, s.call.SessionID, s.call.Text)
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) { s.check(t, results[i]) })
	}
}

func TestLexBoto3(t *testing.T) {
	python := requireTool(t, "python3")
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 cannot import boto3 (required under CI=true): %v", err)
		}
		t.Skipf("python3 cannot import boto3: %v", err)
	}
	base := startServer(t, "../examples/hello", "../examples/pizza")
	cmd := exec.Command(python, "testdata/lex/boto3_client.py", base)
	cmd.Env = awsEnv(t)
	runSDK(t, cmd, sdkSteps("boto3"))
}

func TestLexJSSDK(t *testing.T) {
	node := requireTool(t, "node")
	modules := requireJSSDK(t)
	base := startServer(t, "../examples/hello", "../examples/pizza")
	cmd := exec.Command(node, "testdata/lex/jssdk_client.js", base)
	cmd.Env = append(awsEnv(t), "NODE_PATH="+modules)
	runSDK(t, cmd, sdkSteps("js"))
}

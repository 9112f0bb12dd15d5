package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/internal/testserver"
)

// The code hook tests serve the example bots with the Lambda functions that
// come with them, unchanged: PizzaShop's Python function (it writes each
// order to DynamoDB, here dynalite) run by Parley's local runner and, the
// same file, behind a fake AWS Lambda Invoke endpoint; HelloWorld's Node
// function; and a Python hook that raises, to see the failure on the Lex
// API.

// pizzaOrdersTable is the table the pizza Lambda writes to in dynalite.
const pizzaOrdersTable = "PizzaOrders"

// requirePythonModule fails (CI=true) or skips the test when python cannot
// import module.
func requirePythonModule(t *testing.T, python, module string) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import "+module).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python module %s is required under CI=true: %v\n%s", module, err, out)
		}
		t.Skipf("python cannot import %s: %v (run make test-deps)", module, err)
	}
}

// startDynalite runs dynalite (installed by make test-deps) for the test,
// creates the orders table and returns the endpoint URL. env is the AWS
// environment for the table set-up.
func startDynalite(t *testing.T, python string, env []string) string {
	t.Helper()
	endpoint := testserver.Dynalite(t).URL
	dynamo(t, python, env, endpoint, "create")
	return endpoint
}

// dynamo runs testdata/hooks/dynamo.py against the endpoint and returns its
// output.
func dynamo(t *testing.T, python string, env []string, endpoint, command string) []byte {
	t.Helper()
	cmd := exec.Command(python, "testdata/hooks/dynamo.py", command, pizzaOrdersTable)
	cmd.Env = withEnv(env, "AWS_ENDPOINT_URL_DYNAMODB="+endpoint)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("dynamo.py %s: %v\n%s", command, err, stderr.String())
	}
	return stdout.Bytes()
}

// storedOrder is an item of the orders table as dynamo.py prints it.
type storedOrder struct {
	OrderID   string `json:"orderId"`
	SessionID string `json:"sessionId"`
	Size      string `json:"size"`
	Crust     string `json:"crust"`
	Topping   string `json:"topping"`
	Total     string `json:"total"`
	CreatedAt string `json:"createdAt"`
}

// ordersOf reads the table and returns the orders of one session.
func ordersOf(t *testing.T, python string, env []string, endpoint, session string) []storedOrder {
	t.Helper()
	var all []storedOrder
	if err := json.Unmarshal(dynamo(t, python, env, endpoint, "scan"), &all); err != nil {
		t.Fatalf("scan output: %v", err)
	}
	var mine []storedOrder
	for _, o := range all {
		if o.SessionID == session {
			mine = append(mine, o)
		}
	}
	return mine
}

// lexSession talks to one session of a bot over the Lex runtime API with
// plain HTTP and JSON.
type lexSession struct {
	base, bot, locale, id string
}

func (s lexSession) url() string {
	return fmt.Sprintf("%s/bots/%s/botAliases/%s/botLocales/%s/sessions/%s", s.base, s.bot, draftAlias, s.locale, url.PathEscape(s.id))
}

// do sends one request and returns the status, the X-Amzn-ErrorType header
// and the decoded body.
func (s lexSession) do(t *testing.T, method, path string, body any) (int, string, jsonValue) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.url()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, req.URL, err)
	}
	var v jsonValue
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s %s: %d answer is not JSON: %v\n%s", method, req.URL, resp.StatusCode, err, raw)
		}
	}
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), v
}

// say sends a RecognizeText turn that must succeed and returns the answer.
func (s lexSession) say(t *testing.T, text string) jsonValue {
	t.Helper()
	status, errType, v := s.do(t, http.MethodPost, "/text", map[string]string{"text": text})
	if status != http.StatusOK {
		t.Fatalf("RecognizeText %q: %d %s %v", text, status, errType, v)
	}
	return v
}

// converse plays turns on the session, each checked in its own subtest,
// and returns the last answer.
func (s lexSession) converse(t *testing.T, turns []lexTurn) jsonValue {
	t.Helper()
	var last jsonValue
	for i, tu := range turns {
		last = s.say(t, tu.text)
		t.Run(fmt.Sprintf("turn %d %s", i+1, tu.text), func(t *testing.T) { tu.check(t, last) })
	}
	return last
}

// pizzaHookTurns is an order with PizzaShop's Lambda in the loop: it turns
// down a crust that is not on the menu, then the order goes through and
// the Lambda's Close (no messages of its own) lets the bot's responses be
// said.
func pizzaHookTurns() []lexTurn {
	return []lexTurn{
		{"I want to order a pizza", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Size", "OrderPizza", "InProgress")
			wantMessage(t, r, 0, "What size would you like: small, medium or large?")
		}},
		{"large", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Crust", "OrderPizza", "InProgress")
			wantSlot(t, r, "Size", "large")
			wantMessage(t, r, 0, "Which crust: thin, thick or stuffed?")
		}},
		{"cauliflower", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Crust", "OrderPizza", "InProgress")
			wantSlot(t, r, "Size", "large")
			wantNull(t, r, "sessionState", "intent", "slots", "Crust")
			wantMessage(t, r, 0, "Sorry, we don't have cauliflower crust. Which crust: thin, thick or stuffed?")
			if n := len(jsonAt(r, "messages").([]any)); n != 1 {
				t.Errorf("%d messages, want only the Lambda's", n)
			}
		}},
		{"stuffed", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Topping", "OrderPizza", "InProgress")
			wantSlot(t, r, "Crust", "stuffed")
			wantMessage(t, r, 0, "What topping would you like?")
		}},
		{"mushrooms", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ConfirmIntent", "", "OrderPizza", "InProgress")
			wantMessage(t, r, 0, "So that's a large stuffed crust pizza with mushroom. Shall I place the order?")
		}},
		{"yes", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "OrderPizza", "Fulfilled")
			wantMessage(t, r, 0, "Your large mushroom pizza is on its way!")
			wantMessage(t, r, 1, "Thanks for ordering with Parley Pizza.")
			wantAt(t, r, "15.50", "sessionState", "sessionAttributes", "orderTotal")
			if !hasContext(r, "order_placed") {
				t.Errorf("activeContexts = %v, want order_placed", jsonAt(r, "sessionState", "activeContexts"))
			}
		}},
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkStoredOrder reads the session's order back from dynalite and checks
// it against the order the conversation placed and its session attributes.
func checkStoredOrder(t *testing.T, python string, env []string, endpoint string, s lexSession, last jsonValue) {
	t.Helper()
	orderID, _ := jsonAt(last, "sessionState", "sessionAttributes", "orderId").(string)
	if !uuidPattern.MatchString(orderID) {
		t.Fatalf("sessionAttributes.orderId = %q, want a UUID", orderID)
	}
	orders := ordersOf(t, python, env, endpoint, s.id)
	if len(orders) != 1 {
		t.Fatalf("orders of session %s in dynalite: %+v, want one", s.id, orders)
	}
	o := orders[0]
	want := storedOrder{OrderID: orderID, SessionID: s.id, Size: "large", Crust: "stuffed", Topping: "mushroom", Total: "15.5", CreatedAt: o.CreatedAt}
	if o != want {
		t.Errorf("stored order = %+v, want %+v", o, want)
	}
	if _, err := time.Parse(time.RFC3339Nano, o.CreatedAt); err != nil {
		t.Errorf("createdAt %q: %v", o.CreatedAt, err)
	}
	// The session keeps what the Lambda stored, for later turns.
	status, _, got := s.do(t, http.MethodGet, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GetSession: %d %v", status, got)
	}
	wantAt(t, got, map[string]string{"orderId": orderID, "orderTotal": "15.50"}, "sessionState", "sessionAttributes")
}

// wantLogged asserts that the server's log holds every one of lines.
func wantLogged(t *testing.T, log *lockedBuffer, lines ...string) {
	t.Helper()
	text := log.String()
	for _, l := range lines {
		if !strings.Contains(text, l) {
			t.Errorf("server log lacks %q", l)
		}
	}
}

// withEnv returns env with kv added, in a new slice: environments built
// from one base must not share its backing array.
func withEnv(env []string, kv ...string) []string {
	return append(slices.Clip(env), kv...)
}

// hookAWSEnv is awsEnv plus the variables the pizza bot's binding reads.
func hookAWSEnv(t *testing.T, endpoint string) []string {
	return withEnv(awsEnv(t),
		"PIZZA_ORDERS_TABLE="+pizzaOrdersTable,
		"PIZZA_DYNAMODB_ENDPOINT="+endpoint,
		"PYTHONDONTWRITEBYTECODE=1",
	)
}

// TestHookPizzaPython serves examples/pizza as it is: its Python Lambda
// runs in Parley's local runner and writes the order to dynalite.
func TestHookPizzaPython(t *testing.T) {
	python := requireTool(t, "python3")
	requirePythonModule(t, python, "boto3")
	env := awsEnv(t)
	endpoint := startDynalite(t, python, env)
	base, log := startServerEnv(t, hookAWSEnv(t, endpoint), "../examples/pizza")

	s := lexSession{base: base, bot: pizzaBot, locale: "en_US", id: "hook-python"}
	last := s.converse(t, pizzaHookTurns())
	checkStoredOrder(t, python, env, endpoint, s, last)
	orderID, _ := jsonAt(last, "sessionState", "sessionAttributes", "orderId").(string)
	wantLogged(t, log,
		"START RequestId: ", "END RequestId: ", "REPORT RequestId: ",
		"rejecting crust 'cauliflower'",
		"stored order "+orderID+" in "+pizzaOrdersTable,
	)
}

// fakeLambda is a loopback stand-in for the AWS Lambda Invoke API. It
// checks each request the way Lambda would care about (path, SigV4
// headers, a Lex V2 event) and runs the real handler file through
// testdata/hooks/invoke.py.
type fakeLambda struct {
	t         *testing.T
	python    string
	handler   string   // the lambda_function.py to run
	env       []string // the function's environment
	function  string
	accessKey string

	calls chan string // invocationSource of each good call
}

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		f.t.Errorf("fake Lambda: %s", msg)
		w.Header().Set("X-Amzn-ErrorType", "InvalidRequestContentException")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	if want := "/2015-03-31/functions/" + f.function + "/invocations"; r.Method != http.MethodPost || r.URL.Path != want {
		fail("%s %s, want POST %s", r.Method, r.URL.Path, want)
		return
	}
	auth := r.Header.Get("Authorization")
	cred := regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([a-z0-9-]+)/lambda/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`).FindStringSubmatch(auth)
	if cred == nil || cred[1] != f.accessKey || cred[2] != "us-east-1" {
		fail("Authorization %q, want SigV4 for lambda in us-east-1 with access key %s", auth, f.accessKey)
		return
	}
	if _, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date")); err != nil {
		fail("X-Amz-Date %q: %v", r.Header.Get("X-Amz-Date"), err)
		return
	}
	event, err := io.ReadAll(r.Body)
	if err != nil {
		fail("read payload: %v", err)
		return
	}
	var ev jsonValue
	if err := json.Unmarshal(event, &ev); err != nil {
		fail("payload is not JSON: %v", err)
		return
	}
	source, _ := jsonAt(ev, "invocationSource").(string)
	if source != "DialogCodeHook" && source != "FulfillmentCodeHook" {
		fail("invocationSource = %v", jsonAt(ev, "invocationSource"))
		return
	}
	if v := jsonAt(ev, "messageVersion"); v != "1.0" {
		fail("messageVersion = %v", v)
		return
	}
	if id := jsonAt(ev, "bot", "id"); id != pizzaBot {
		fail("bot.id = %v", id)
		return
	}
	for i, it := range jsonAt(ev, "interpretations").([]any) {
		if c, has := it.(map[string]any)["nluConfidence"]; has {
			if _, bare := c.(float64); !bare {
				fail("interpretations[%d].nluConfidence = %v, want a bare number", i, c)
				return
			}
		}
	}

	cmd := exec.Command(f.python, "testdata/hooks/invoke.py", f.handler)
	cmd.Env = f.env
	cmd.Stdin = bytes.NewReader(event)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	f.t.Logf("fake Lambda %s: %s", source, stderr.String())
	w.Header().Set("Content-Type", "application/json")
	if runErr != nil {
		// The function threw: Lambda answers 200 with the error document.
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
	}
	w.Write(stdout.Bytes())
	f.calls <- source
}

// TestHookPizzaLambdaInvoke has the same conversation with the Lambda
// reached over the Lambda Invoke API: a copy of examples/pizza whose
// binding is lambda:PizzaOrders, AWS_ENDPOINT_URL_LAMBDA pointing at the
// fake.
func TestHookPizzaLambdaInvoke(t *testing.T) {
	python := requireTool(t, "python3")
	requirePythonModule(t, python, "boto3")
	env := awsEnv(t)
	endpoint := startDynalite(t, python, env)
	handler, err := filepath.Abs("../examples/pizza/hooks/lambda_function.py")
	if err != nil {
		t.Fatal(err)
	}
	fake := &fakeLambda{
		t: t, python: python, handler: handler, function: "PizzaOrders", accessKey: "AKIDPARLEYE2E",
		env: withEnv(env,
			"ORDERS_TABLE="+pizzaOrdersTable,
			"AWS_ENDPOINT_URL_DYNAMODB="+endpoint,
			"AWS_LAMBDA_FUNCTION_NAME=PizzaOrders",
			"PYTHONDONTWRITEBYTECODE=1",
		),
		calls: make(chan string, 64),
	}
	lambdaServer := httptest.NewServer(fake)
	t.Cleanup(lambdaServer.Close)

	bot := copyBot(t, "../examples/pizza", "codeHooks:\n  - uri: lambda:PizzaOrders\n")
	base, _ := startServerEnv(t, withEnv(env, "AWS_ENDPOINT_URL_LAMBDA="+lambdaServer.URL), bot)

	s := lexSession{base: base, bot: pizzaBot, locale: "en_US", id: "hook-lambda"}
	last := s.converse(t, pizzaHookTurns())
	checkStoredOrder(t, python, env, endpoint, s, last)

	close(fake.calls)
	var dialog, fulfillment int
	for c := range fake.calls {
		switch c {
		case "DialogCodeHook":
			dialog++
		case "FulfillmentCodeHook":
			fulfillment++
		}
	}
	// Every turn of OrderPizza calls the dialog hook; the order is
	// fulfilled once.
	if dialog < 5 || fulfillment != 1 {
		t.Errorf("Lambda saw %d dialog and %d fulfillment invocations, want one dialog call per turn (≥5) and one fulfillment", dialog, fulfillment)
	}
}

// copyBot copies the bot folder src into a temporary folder, replaces the
// codeHooks list of its bot.yaml with hooks (YAML, "codeHooks:" included)
// and returns the copy's path.
func copyBot(t *testing.T, src, hooks string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "bot.yaml")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Drop the top-level codeHooks block: its line and the indented or
	// comment lines under it.
	var kept []string
	in := false
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "codeHooks:"):
			in = true
			continue
		case in && (line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#")):
			continue
		}
		in = false
		kept = append(kept, line)
	}
	out := strings.TrimRight(strings.Join(kept, "\n"), "\n") + "\n\n" + hooks
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHookHelloNode serves examples/hello with its Node dialog hook, which
// turns down a name that is not Korean.
func TestHookHelloNode(t *testing.T) {
	requireTool(t, "node")
	base, log := startServerEnv(t, nil, "../examples/hello")
	s := lexSession{base: base, bot: helloBot, locale: "ko_KR", id: "hook-node"}
	s.converse(t, []lexTurn{
		{"안녕", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress")
			wantMessage(t, r, 0, "이름이 뭐예요?")
		}},
		{"A", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress")
			wantNull(t, r, "sessionState", "intent", "slots", "Name")
			wantMessage(t, r, 0, "이름은 한글 두 글자 이상으로 알려 주세요.")
		}},
		{"홍길동이에요", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "ConfirmIntent", "", "HelloIntent", "InProgress")
			wantSlot(t, r, "Name", "홍길동")
			wantMessage(t, r, 0, "홍길동님이 맞으세요?")
		}},
		{"네", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "HelloIntent", "Fulfilled")
			wantMessage(t, r, 0, "반가워요, 홍길동님! 좋은 하루 보내세요.")
		}},
	})
	wantLogged(t, log, "START RequestId: ", "REPORT RequestId: ", `rejecting name \"A\"`)
}

// failingBot books rooms; its Python hook raises at fulfillment when asked
// for 3 nights, and has no failure response configured.
const failingBot = `id: FAILBOT001
name: FailingHook
idleSessionTTLInSeconds: 300
codeHooks:
  - uri: python:hooks/lambda_function.py
locales:
  en_US:
    nluConfidenceThreshold: 0.40
    intents:
      - name: BookRoom
        sampleUtterances:
          - book a room
        slots:
          - name: Nights
            slotTypeName: AMAZON.Number
            slotConstraint: Required
            priority: 1
            prompt:
              maxRetries: 2
              messageGroups:
                - How many nights?
        fulfillment:
          codeHook: true
          successResponse: Your room is booked for {Nights} nights.
      - name: FallbackIntent
        parentIntentSignature: AMAZON.FallbackIntent
        closingResponse: Sorry, I can only book rooms.
`

const failingHook = `def lambda_handler(event, context):
    state = event["sessionState"]
    if event["invocationSource"] == "FulfillmentCodeHook":
        nights = state["intent"]["slots"]["Nights"]["value"]["interpretedValue"]
        if nights == "3":
            raise ValueError("no rooms left for 3 nights")
        state["intent"]["state"] = "Fulfilled"
        return {"sessionState": {**state, "dialogAction": {"type": "Close"}}}
    return {"sessionState": {**state, "dialogAction": {"type": "Delegate"}}}
`

// TestHookFailure checks a hook that raises, end to end: the Lex API
// answers DependencyFailedException naming the Python exception, the
// session is as it was before the turn, and the next turn works.
func TestHookFailure(t *testing.T) {
	requireTool(t, "python3")
	dir := t.TempDir()
	for name, text := range map[string]string{"bot.yaml": failingBot, "hooks/lambda_function.py": failingHook} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, log := startServerEnv(t, nil, dir)
	s := lexSession{base: base, bot: "FAILBOT001", locale: "en_US", id: "hook-failure"}

	r := s.say(t, "book a room")
	wantDialog(t, r, "ElicitSlot", "Nights", "BookRoom", "InProgress")
	wantMessage(t, r, 0, "How many nights?")

	status, errType, body := s.do(t, http.MethodPost, "/text", map[string]string{"text": "3"})
	msg, _ := jsonAt(body, "message").(string)
	if status != http.StatusFailedDependency || errType != "DependencyFailedException" {
		t.Errorf("RecognizeText 3 = %d %q %v, want 424 DependencyFailedException", status, errType, body)
	}
	if !strings.Contains(msg, "ValueError") || !strings.Contains(msg, "no rooms left for 3 nights") {
		t.Errorf("message = %q, want the Python exception (ValueError: no rooms left for 3 nights)", msg)
	}

	// GetSession shows the state before the failed turn.
	status, _, got := s.do(t, http.MethodGet, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GetSession: %d %v", status, got)
	}
	wantDialog(t, got, "ElicitSlot", "Nights", "BookRoom", "InProgress")
	wantNull(t, got, "sessionState", "intent", "slots", "Nights")

	r = s.say(t, "2")
	wantDialog(t, r, "Close", "", "BookRoom", "Fulfilled")
	wantSlot(t, r, "Nights", "2")
	wantMessage(t, r, 0, "Your room is booked for 2 nights.")
	wantLogged(t, log, "no rooms left for 3 nights")
}

// pizzaTotal is what the pizza bot's Lambda charges for the order of
// pizzaTurns: a large pizza with a thick crust.
const pizzaTotal = "14.00"

// wantAttrs asserts the session attributes: attrs, plus after a pizza
// order the orderId (a UUID) and orderTotal that the pizza bot's Lambda
// stores; total is that order's total, "" when there was no order.
func wantAttrs(t *testing.T, r jsonValue, attrs map[string]string, total string) {
	t.Helper()
	want := map[string]string{}
	maps.Copy(want, attrs)
	if total != "" {
		id, _ := jsonAt(r, "sessionState", "sessionAttributes", "orderId").(string)
		if !uuidPattern.MatchString(id) {
			t.Errorf("sessionAttributes.orderId = %q, want a UUID", id)
		}
		want["orderId"], want["orderTotal"] = id, total
	}
	wantAt(t, r, want, "sessionState", "sessionAttributes")
}

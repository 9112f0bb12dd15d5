package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The key pair the AWS clients of awsEnv (and the Lex SDK scripts) sign
// with, and a second pair, configured on the secured server.
const (
	e2eKeyID  = "AKIDPARLEYE2E"
	e2eSecret = "parley-e2e-secret"
	chatKey   = "e2e-chat-key"
)

// startSecuredServer serves the hello and pizza bots requiring SigV4 with
// the e2e key pairs (from a keys file) on the Lex API and the API key on
// /chat, plus any extra flags.
func startSecuredServer(t *testing.T, extra ...string) string {
	t.Helper()
	keys := filepath.Join(t.TempDir(), "access-keys")
	body := "# e2e key pairs\n" + e2eKeyID + " " + e2eSecret + "\nAKIDSECOND:second-secret\n"
	if err := os.WriteFile(keys, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"../examples/hello", "../examples/pizza", "--access-keys-file", keys, "--api-key", chatKey}, extra...)
	return startServer(t, args...)
}

// recognizeCall is one RecognizeText call of the recognize scripts.
type recognizeCall struct {
	SessionID       string `json:"sessionId"`
	Text            string `json:"text"`
	AccessKeyID     string `json:"accessKeyId,omitempty"`
	SecretAccessKey string `json:"secretAccessKey,omitempty"`
}

// recognizeResult is a script's result for one call.
type recognizeResult struct {
	Response jsonValue `json:"response"`
	Error    *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		Status     int    `json:"status"`
		Modeled    bool   `json:"modeled"`
		RetryAfter string `json:"retryAfter"`
	} `json:"error"`
}

// runRecognize runs a recognize script (boto3 or JS SDK) with env and
// returns its results, one per call.
func runRecognize(t *testing.T, cmd *exec.Cmd, calls []recognizeCall) []recognizeResult {
	t.Helper()
	return runClientScript[recognizeCall, recognizeResult](t, cmd, calls)
}

// wantGreeting checks the hello bot's answer to "안녕하세요".
func wantGreeting(t *testing.T, r recognizeResult) {
	t.Helper()
	if r.Error != nil {
		t.Fatalf("RecognizeText failed: %+v", *r.Error)
	}
	wantDialog(t, r.Response, "ElicitSlot", "Name", "HelloIntent", "InProgress")
	wantMessage(t, r.Response, 0, "이름이 뭐예요?")
	wantTopIntent(t, r.Response, "HelloIntent")
	wantInterpretations(t, r.Response)
}

// wantDenied checks a refused call's exception name, status and message.
func wantDenied(t *testing.T, r recognizeResult, code, message string) {
	t.Helper()
	if r.Error == nil {
		t.Fatalf("RecognizeText succeeded with %v, want %s", r.Response, code)
	}
	if r.Error.Code != code || r.Error.Status != http.StatusForbidden || !strings.Contains(r.Error.Message, message) {
		t.Errorf("error %+v, want %s (403) saying %q", *r.Error, code, message)
	}
}

const (
	badSignature   = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
	unknownKeyText = "The security token included in the request is invalid."
)

// credentialCases are signed calls: with the configured pair, the second
// configured pair, a wrong secret and an unknown access key id, each with
// the check of its result.
func credentialCases(prefix string) ([]recognizeCall, []func(t *testing.T, r recognizeResult)) {
	calls := []recognizeCall{
		{SessionID: prefix + ":right-keys", Text: "안녕하세요", AccessKeyID: e2eKeyID, SecretAccessKey: e2eSecret},
		{SessionID: prefix + ":second-pair", Text: "안녕하세요", AccessKeyID: "AKIDSECOND", SecretAccessKey: "second-secret"},
		{SessionID: prefix + ":wrong-secret", Text: "안녕하세요", AccessKeyID: e2eKeyID, SecretAccessKey: "not-the-secret"},
		{SessionID: prefix + ":unknown-key", Text: "안녕하세요", AccessKeyID: "AKIDNOBODY", SecretAccessKey: e2eSecret},
	}
	checks := []func(t *testing.T, r recognizeResult){
		wantGreeting,
		wantGreeting,
		func(t *testing.T, r recognizeResult) { wantDenied(t, r, "InvalidSignatureException", badSignature) },
		func(t *testing.T, r recognizeResult) { wantDenied(t, r, "UnrecognizedClientException", unknownKeyText) },
	}
	return calls, checks
}

// checkCredentialCases runs the checks of credentialCases on results.
func checkCredentialCases(t *testing.T, calls []recognizeCall, checks []func(t *testing.T, r recognizeResult), results []recognizeResult) {
	t.Helper()
	for i, c := range calls {
		t.Run(c.SessionID, func(t *testing.T) { checks[i](t, results[i]) })
	}
}

func TestSigV4AWSCLI(t *testing.T) {
	aws := requireTool(t, "aws")
	base := startSecuredServer(t)
	env := awsEnv(t)
	tests := []struct {
		name, session string
		env           []string
		stderr        string // the CLI's error line; "" for success
	}{
		// The CLI encodes ':' in the path and signs it encoded twice.
		{"right keys", "us-east-1:cli-1", env, ""},
		{"wrong secret", "cli-2", withEnv(env, "AWS_SECRET_ACCESS_KEY=not-the-secret"),
			"An error occurred (InvalidSignatureException) when calling the RecognizeText operation: " + badSignature},
		{"unknown access key id", "cli-3", withEnv(env, "AWS_ACCESS_KEY_ID=AKIDNOBODY"),
			"An error occurred (UnrecognizedClientException) when calling the RecognizeText operation: " + unknownKeyText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, stderr, code := awsCLI(t, aws, tt.env, base, helloBot, "ko_KR", tt.session, "안녕하세요")
			if tt.stderr == "" {
				if code != 0 {
					t.Fatalf("aws exited %d:\n%s", code, stderr)
				}
				wantGreeting(t, recognizeResult{Response: resp})
				wantAt(t, resp, tt.session, "sessionId")
				return
			}
			if code == 0 || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("aws exited %d with\n%s\nwant an error saying\n%s", code, stderr, tt.stderr)
			}
		})
	}
}

func TestSigV4Boto3(t *testing.T) {
	python := requireTool(t, "python3")
	requirePythonModule(t, python, "boto3")
	base := startSecuredServer(t)
	// The whole Lex scenario of TestLexBoto3 (PutSession, RecognizeText,
	// RecognizeUtterance with its unsigned payload, GetSession,
	// DeleteSession), every call verified.
	t.Run("Lex scenario", func(t *testing.T) {
		cmd := exec.Command(python, "testdata/lex/boto3_client.py", base)
		cmd.Env = awsEnv(t)
		runSDK(t, cmd, sdkSteps("boto3"))
	})
	calls, checks := credentialCases("boto3")
	cmd := exec.Command(python, "testdata/security/boto3_recognize.py", base, helloBot, "ko_KR")
	cmd.Env = awsEnv(t)
	results := runRecognize(t, cmd, calls)
	checkCredentialCases(t, calls, checks, results)
	for _, r := range results {
		if r.Error != nil && r.Error.Modeled {
			t.Errorf("%s is not a Lex V2 model exception, yet boto3 raised it as one", r.Error.Code)
		}
	}
}

// requireJSSDK returns the node_modules folder holding the Lex V2 client.
func requireJSSDK(t *testing.T) string {
	t.Helper()
	modules, err := filepath.Abs("../.tools/node/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(modules, "@aws-sdk", "client-lex-runtime-v2")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("@aws-sdk/client-lex-runtime-v2 is required under CI=true: %v (run make test-deps)", err)
		}
		t.Skipf("@aws-sdk/client-lex-runtime-v2 is not installed: %v (run make test-deps)", err)
	}
	return modules
}

func TestSigV4JSSDK(t *testing.T) {
	node := requireTool(t, "node")
	modules := requireJSSDK(t)
	base := startSecuredServer(t)
	// The JS SDK speaks cleartext HTTP/2 here: the signed headers arrive
	// as HTTP/2 fields.
	t.Run("Lex scenario", func(t *testing.T) {
		cmd := exec.Command(node, "testdata/lex/jssdk_client.js", base)
		cmd.Env = append(awsEnv(t), "NODE_PATH="+modules)
		runSDK(t, cmd, sdkSteps("js"))
	})
	calls, checks := credentialCases("js")
	cmd := exec.Command(node, "testdata/security/jssdk_recognize.js", base, helloBot, "ko_KR")
	cmd.Env = append(awsEnv(t), "NODE_PATH="+modules)
	checkCredentialCases(t, calls, checks, runRecognize(t, cmd, calls))
}

func TestSecurityRateLimit(t *testing.T) {
	python := requireTool(t, "python3")
	requirePythonModule(t, python, "boto3")
	// One request a minute per session after a burst of two: the third
	// call of a session is refused whatever the machine's speed.
	base := startSecuredServer(t, "--rate-limit-session", "1/m", "--rate-limit-session-burst", "2")
	cmd := exec.Command(python, "testdata/security/boto3_recognize.py", base, helloBot, "ko_KR")
	cmd.Env = awsEnv(t)
	results := runRecognize(t, cmd, []recognizeCall{
		{SessionID: "limited", Text: "안녕하세요"}, {SessionID: "limited", Text: "안녕하세요"}, {SessionID: "limited", Text: "안녕하세요"}, {SessionID: "other", Text: "안녕하세요"},
	})
	wantGreeting(t, results[0])
	if results[1].Error != nil {
		t.Errorf("second call: %+v", *results[1].Error)
	}
	e := results[2].Error
	if e == nil || e.Code != "ThrottlingException" || e.Status != http.StatusTooManyRequests || !e.Modeled || e.RetryAfter == "" {
		t.Errorf("third call of the session: %+v, want boto3's modelled ThrottlingException (429) with Retry-After", e)
	}
	wantGreeting(t, results[3])

	// /chat answers its own 429 shape.
	post := func(session string) (int, string, jsonValue) {
		req, err := http.NewRequest("POST", base+"/chat", strings.NewReader(`{"text":"안녕하세요","botId":"`+helloBot+`","sessionId":"`+session+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Api-Key", chatKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body jsonValue
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), body
	}
	for i, want := range []int{200, 200, 429} {
		status, retry, body := post("web-limited")
		if status != want {
			t.Fatalf("/chat call %d: %d %v, want %d", i+1, status, body, want)
		}
		if want == 429 {
			wantAt(t, body, "ThrottlingException", "error", "code")
			if retry == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
}

func TestSecurityCORS(t *testing.T) {
	base := startSecuredServer(t, "--cors-origin", "https://shop.example.com")
	tests := []struct {
		name, path, origin string
		status             int
		allowOrigin        string
	}{
		{"Lex API from the shop", "/bots/" + helloBot + "/botAliases/TSTALIASID/botLocales/ko_KR/sessions/c-1/text", "https://shop.example.com", 204, "https://shop.example.com"},
		{"chat from the shop", "/chat", "https://shop.example.com", 204, "https://shop.example.com"},
		{"Lex API from elsewhere", "/bots/" + helloBot + "/botAliases/TSTALIASID/botLocales/ko_KR/sessions/c-1/text", "https://evil.example", 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("OPTIONS", base+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,x-amz-content-sha256")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != tt.allowOrigin {
				t.Errorf("preflight: %d, Allow-Origin %q; want %d, %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tt.status, tt.allowOrigin)
			}
			if tt.status == 204 && !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "x-amz-date") {
				t.Errorf("Allow-Headers %q lacks x-amz-date", resp.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

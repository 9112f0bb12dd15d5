package lambda_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
)

// Test credentials; the fake checks every request's signature with them.
const (
	accessKey = "AKIDPARLEYTEST"
	secretKey = "parley-test-secret"
)

func testCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey, Source: "test"}, nil
	})
}

// function is one deployed function of the fake: it answers an invocation
// with Lambda's HTTP response, given the decoded event.
type function func(w http.ResponseWriter, r *http.Request, ev *parley.CodeHookEvent)

// call is what the fake saw of one valid invocation.
type call struct {
	Function  string // FunctionName as it arrived (unescaped)
	Qualifier string
	Region    string // from the signature's credential scope
	Event     map[string]any
}

// fakeLambda is a loopback stand-in for the Lambda Invoke API. It checks
// every request the way Lambda would (method, path, invocation type, a
// SigV4 signature made with the test credentials over exactly the body
// sent, a JSON event) and answers 400 with a test failure when something is
// off. Unknown functions get Lambda's 404.
type fakeLambda struct {
	t         testing.TB
	srv       *httptest.Server
	functions map[string]function

	mu    sync.Mutex
	calls []call
}

func newFake(t testing.TB, functions map[string]function) *fakeLambda {
	f := &fakeLambda{t: t, functions: functions}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// lastCall returns the last valid invocation the fake saw.
func (f *fakeLambda) lastCall() call {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		f.t.Fatal("the fake Lambda saw no valid invocation")
	}
	return f.calls[len(f.calls)-1]
}

// reject fails the test and answers as Lambda answers a bad request.
func (f *fakeLambda) reject(w http.ResponseWriter, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.t.Errorf("fake Lambda: %s", msg)
	w.Header().Set("X-Amzn-Errortype", "InvalidRequestContentException")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"Type": "User", "message": msg})
}

func (f *fakeLambda) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.reject(w, "method %s, want POST", r.Method)
		return
	}
	// The function name is one path segment, so a full ARN arrives with
	// its colons escaped or not; either way it unescapes to the name.
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if !ok || !ok2 || strings.Contains(name, "/") || name == "" {
		f.reject(w, "path %s, want /2015-03-31/functions/NAME/invocations", r.URL.EscapedPath())
		return
	}
	name, err := url.PathUnescape(name)
	if err != nil {
		f.reject(w, "path %s: %v", r.URL.EscapedPath(), err)
		return
	}
	if typ := r.Header.Get("X-Amz-Invocation-Type"); typ != "" && typ != "RequestResponse" {
		f.reject(w, "X-Amz-Invocation-Type %q, want RequestResponse", typ)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.reject(w, "read body: %v", err)
		return
	}
	region, err := checkSignature(r, body)
	if err != nil {
		f.reject(w, "signature: %v", err)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/octet-stream" && ct != "application/json" {
		f.reject(w, "Content-Type %q, want application/octet-stream or application/json", ct)
		return
	}
	var ev parley.CodeHookEvent
	var raw map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		f.reject(w, "body is not a code hook event: %v", err)
		return
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		f.reject(w, "body is not a JSON object: %v", err)
		return
	}
	if err := checkConfidence(raw); err != nil {
		f.reject(w, "%v", err)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{Function: name, Qualifier: r.URL.Query().Get("Qualifier"), Region: region, Event: raw})
	f.mu.Unlock()

	fn, ok := f.functions[name]
	if !ok {
		lambdaError(w, http.StatusNotFound, "ResourceNotFoundException",
			"Function not found: arn:aws:lambda:"+region+":123456789012:function:"+name)
		return
	}
	fn(w, r, &ev)
}

// checkConfidence checks that every interpretation's nluConfidence is a
// bare number, as Lex sends it to Lambda (the runtime API has an object).
func checkConfidence(event map[string]any) error {
	interps, _ := event["interpretations"].([]any)
	for i, it := range interps {
		m, _ := it.(map[string]any)
		if c, ok := m["nluConfidence"]; ok {
			if _, num := c.(float64); !num {
				return fmt.Errorf("interpretations[%d].nluConfidence is %#v, want a bare number", i, c)
			}
		}
	}
	return nil
}

// checkSignature checks the SigV4 Authorization header by signing the same
// request again with the test secret: the same signed headers, the same
// time and the SHA-256 of the body that arrived. It returns the region of
// the credential scope.
func checkSignature(r *http.Request, body []byte) (string, error) {
	auth := r.Header.Get("Authorization")
	fields, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", fmt.Errorf("Authorization %q is not AWS4-HMAC-SHA256", auth)
	}
	var credential, signed string
	for _, kv := range strings.Split(fields, ", ") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			signed = v
		}
	}
	// Credential=<access key>/<date>/<region>/lambda/aws4_request
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[0] != accessKey || scope[3] != "lambda" || scope[4] != "aws4_request" {
		return "", fmt.Errorf("Credential %q, want %s/DATE/REGION/lambda/aws4_request", credential, accessKey)
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", fmt.Errorf("X-Amz-Date %q: %v", r.Header.Get("X-Amz-Date"), err)
	}
	if scope[1] != when.Format("20060102") {
		return "", fmt.Errorf("Credential date %s, but X-Amz-Date is %s", scope[1], r.Header.Get("X-Amz-Date"))
	}
	again, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), "lambda", scope[2], when); err != nil {
		return "", err
	}
	if want := again.Header.Get("Authorization"); auth != want {
		return "", fmt.Errorf("Authorization\n  %s\nwant\n  %s", auth, want)
	}
	return scope[2], nil
}

// lambdaError answers like the Lambda API does for a failed call.
func lambdaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("X-Amzn-Errortype", typ)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"Type": "User", "message": msg})
}

// answer writes a function's payload, with X-Amz-Function-Error when
// functionError is not empty.
func answer(w http.ResponseWriter, functionError string, payload []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	if functionError != "" {
		w.Header().Set("X-Amz-Function-Error", functionError)
	}
	w.Write(payload)
}

// static is a function that always answers payload.
func static(functionError, payload string) function {
	return func(w http.ResponseWriter, _ *http.Request, _ *parley.CodeHookEvent) {
		answer(w, functionError, []byte(payload))
	}
}

// scenarios is the conformance suite's function: it answers from
// hooktest.Respond, the way Lambda reports a function that threw (Handled,
// with the runtime's error object) or whose runtime died (Unhandled,
// Runtime.ExitError). The timeout scenario sleeps until the caller gives up.
func scenarios(w http.ResponseWriter, r *http.Request, ev *parley.CodeHookEvent) {
	payload, err := hooktest.Respond(r.Context(), ev)
	switch {
	case errors.Is(err, hooktest.ErrCrash):
		answer(w, "Unhandled", mustJSON(map[string]string{
			"errorType":    "Runtime.ExitError",
			"errorMessage": "RequestId: 6d1c4a8e-7d0f-4f38-9d0b-2a6f1c3e9b11 Error: Runtime exited with error: exit status 3",
		}))
	case r.Context().Err() != nil:
		// The caller gave up; nobody reads this answer.
	case err != nil:
		answer(w, "Handled", mustJSON(map[string]any{
			"errorType":    "Exception",
			"errorMessage": err.Error(),
			"stackTrace":   []string{`  File "/var/task/lambda_function.py", line 42, in lambda_handler` + "\n    raise Exception(\"…\")\n"},
		}))
	default:
		answer(w, "", payload)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

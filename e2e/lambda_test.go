package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/parleybot/parley/internal/testserver"
)

// The Lambda mode tests run the parley binary as AWS Lambda runs a
// provided.al2023 function: built as bootstrap with -tags lambda.norpc,
// started without arguments beside its bot folder, polling a loopback fake
// of the Lambda Runtime API for API Gateway and function URL events made
// with aws-lambda-go's event types.

// fakeRuntime is the Lambda Runtime API (2018-06-01) as bootstrap sees it:
// it hands out queued events on GET .../invocation/next and collects what
// comes back on .../response, .../error and .../init/error.
type fakeRuntime struct {
	srv    *httptest.Server
	events chan invocation
	mu     sync.Mutex
	// results has one channel per invocation id in flight; initErrors
	// receives the init error reports.
	results    map[string]chan runtimeReply
	initErrors chan runtimeReply
	next       int
}

type invocation struct {
	id      string
	payload []byte
}

// runtimeReply is what the function posted: kind is "response", "error"
// or "init", errorType the Lambda-Runtime-Function-Error-Type header.
type runtimeReply struct {
	kind, errorType string
	body            []byte
}

func newFakeRuntime(t *testing.T) *fakeRuntime {
	f := &fakeRuntime{events: make(chan invocation), results: map[string]chan runtimeReply{}, initErrors: make(chan runtimeReply, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case inv := <-f.events:
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			h.Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:parley")
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
			h.Set("Content-Type", "application/json")
			w.Write(inv.payload)
		case <-r.Context().Done(): // the function ended
		}
	})
	reply := func(kind string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			rep := runtimeReply{kind: kind, errorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"), body: body}
			if kind == "init" {
				f.initErrors <- rep
			} else {
				f.mu.Lock()
				ch := f.results[r.PathValue("id")]
				delete(f.results, r.PathValue("id"))
				f.mu.Unlock()
				if ch == nil {
					http.Error(w, "unknown request id", http.StatusBadRequest)
					return
				}
				ch <- rep
			}
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"status":"OK"}`)
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", reply("response"))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", reply("error"))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", reply("init"))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// addr is the AWS_LAMBDA_RUNTIME_API value: host:port without a scheme.
func (f *fakeRuntime) addr() string {
	return strings.TrimPrefix(f.srv.URL, "http://")
}

// invoke queues one event and waits for the function's reply.
func (f *fakeRuntime) invoke(t *testing.T, fn *lambdaFunction, event any) runtimeReply {
	t.Helper()
	payload, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.next++
	id := fmt.Sprintf("8476a536-e9f4-11e8-9739-2dfe598c3fcd-%d", f.next)
	ch := make(chan runtimeReply, 1)
	f.results[id] = ch
	f.mu.Unlock()
	limit := time.After(startupLimit)
	select {
	case f.events <- invocation{id: id, payload: payload}:
	case <-fn.exited:
		t.Fatalf("bootstrap exited before polling:\n%s", fn.log.String())
	case <-limit:
		t.Fatalf("bootstrap never asked for the next invocation:\n%s", fn.log.String())
	}
	select {
	case rep := <-ch:
		return rep
	case <-fn.exited:
		t.Fatalf("bootstrap exited during the invocation:\n%s", fn.log.String())
	case <-limit:
		t.Fatalf("no reply to invocation %s:\n%s", id, fn.log.String())
	}
	return runtimeReply{}
}

// lambdaFunction is one running bootstrap process (one execution
// environment).
type lambdaFunction struct {
	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
}

// buildBootstrap builds the function's binary for this machine with the
// tag make lambda builds it with (cgo as TestMain's build, so that the
// build cache serves all but the packages the tag changes).
func buildBootstrap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bin, "./cmd/parley")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags lambda.norpc: %v\n%s", err, out)
	}
	return bin
}

// startFunction runs bootstrap from taskRoot with the Lambda environment
// plus env, against the fake runtime.
func startFunction(t *testing.T, bin, taskRoot string, rt *fakeRuntime, env ...string) *lambdaFunction {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = taskRoot
	cmd.Env = append(os.Environ(),
		"AWS_LAMBDA_RUNTIME_API="+rt.addr(),
		"LAMBDA_TASK_ROOT="+taskRoot,
		"AWS_LAMBDA_FUNCTION_NAME=parley",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=us-east-1",
	)
	cmd.Env = append(cmd.Env, env...)
	fn := &lambdaFunction{cmd: cmd, log: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = fn.log, fn.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(fn.exited) }()
	t.Cleanup(fn.stop)
	return fn
}

// stop ends the execution environment, as Lambda does when it recycles it.
func (fn *lambdaFunction) stop() {
	fn.cmd.Process.Kill()
	<-fn.exited
}

const (
	lambdaAPIKey = "lambda-test-key"
	apiDomain    = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
	urlDomain    = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws"
)

// httpAPIEvent is an API Gateway HTTP API (payload 2.0) request on the
// stage "prod", so its raw path starts with /prod.
func httpAPIEvent(method, path, body string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	h := map[string]string{"host": apiDomain, "x-forwarded-proto": "https", "content-type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	raw := "/prod" + (&url.URL{Path: path}).EscapedPath()
	return events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "ANY /{proxy+}", RawPath: raw, Headers: h, Body: body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: "123456789012", APIID: "a1b2c3d4e5", DomainName: apiDomain, DomainPrefix: "a1b2c3d4e5",
			RequestID: "JKJaXmPLvHcESHA=", RouteKey: "ANY /{proxy+}", Stage: "prod",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: "/prod" + path, Protocol: "HTTP/1.1", SourceIP: "198.51.100.7", UserAgent: "aws-sdk-go-v2"},
		},
	}
}

// restAPIEvent is an API Gateway REST API proxy request with a base64 body,
// the way REST APIs with binary media types deliver it.
func restAPIEvent(method, path, body string, headers map[string][]string) events.APIGatewayProxyRequest {
	h := map[string][]string{"Host": {apiDomain}, "Content-Type": {"application/json"}}
	for k, v := range headers {
		h[k] = v
	}
	return events.APIGatewayProxyRequest{
		Resource: "/{proxy+}", Path: path, HTTPMethod: method, MultiValueHeaders: h,
		PathParameters: map[string]string{"proxy": strings.TrimPrefix(path, "/")},
		Body:           base64.StdEncoding.EncodeToString([]byte(body)), IsBase64Encoded: true,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID: "123456789012", ResourcePath: "/{proxy+}", Stage: "prod", RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.9"}, HTTPMethod: method, APIID: "a1b2c3d4e5", DomainName: apiDomain,
			Path: "/prod" + path, Protocol: "HTTP/1.1",
		},
	}
}

// functionURLEvent is a Lambda function URL request.
func functionURLEvent(method, path, query string, cookies []string) events.LambdaFunctionURLRequest {
	return events.LambdaFunctionURLRequest{
		Version: "2.0", RawPath: path, RawQueryString: query, Cookies: cookies,
		Headers: map[string]string{"host": urlDomain, "accept": "text/html", "x-forwarded-proto": "https"},
		RequestContext: events.LambdaFunctionURLRequestContext{
			AccountID: "anonymous", RequestID: "b3a0c9d1", APIID: "abcdefghijklmnopqrstuvwxyz012345", DomainName: urlDomain,
			DomainPrefix: "abcdefghijklmnopqrstuvwxyz012345",
			HTTP:         events.LambdaFunctionURLRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "192.0.2.40", UserAgent: "Mozilla/5.0"},
		},
	}
}

// v2Reply decodes a 2.0 (HTTP API or function URL) response.
func v2Reply(t *testing.T, rep runtimeReply) events.APIGatewayV2HTTPResponse {
	t.Helper()
	if rep.kind != "response" {
		t.Fatalf("the function answered %s %s: %s", rep.kind, rep.errorType, rep.body)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(rep.body, &resp); err != nil {
		t.Fatalf("decode response: %v\n%s", err, rep.body)
	}
	if resp.IsBase64Encoded {
		body, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body = string(body)
	}
	return resp
}

// jsonBody decodes a response body as JSON.
func jsonBody(t *testing.T, status, want int, body string) jsonValue {
	t.Helper()
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}
	var v jsonValue
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

func TestLambda(t *testing.T) {
	bin := buildBootstrap(t)
	t.Run("bootstrap", func(t *testing.T) { testLambdaBootstrap(t, bin) })
	t.Run("init error", func(t *testing.T) { testLambdaInitError(t, bin) })
	t.Run("DynamoDB store", func(t *testing.T) { testLambdaDynamoDB(t, bin) })
}

func testLambdaBootstrap(t *testing.T, bin string) {
	// The zip's layout: bootstrap's folder holds the bot as bot/.
	taskRoot := t.TempDir()
	if err := os.CopyFS(filepath.Join(taskRoot, "bot"), os.DirFS("../examples/hello")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "sessions.db")
	env := []string{"PARLEY_STORE=sqlite:" + db, "PARLEY_API_KEY=" + lambdaAPIKey, "PARLEY_NO_HOOKS=true", "PARLEY_LOG_LEVEL=debug"}
	rt := newFakeRuntime(t)
	text := func(session string) string {
		return "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/" + session + "/text"
	}
	keyed := map[string]string{"x-api-key": lambdaAPIKey}

	started := time.Now()
	fn := startFunction(t, bin, taskRoot, rt, env...)

	t.Run("HTTP API RecognizeText, session kept across invocations", func(t *testing.T) {
		resp := v2Reply(t, rt.invoke(t, fn, httpAPIEvent("POST", text("lambda.1"), `{"text":"안녕"}`, keyed)))
		t.Logf("cold start to first response: %v", time.Since(started).Round(time.Millisecond))
		r := jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body)
		wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress")
		wantMessage(t, r, 0, "이름이 뭐예요?")
		wantAt(t, r, "lambda.1", "sessionId")
		if ct := resp.Headers["Content-Type"]; !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		resp = v2Reply(t, rt.invoke(t, fn, httpAPIEvent("POST", text("lambda.1"), `{"text":"홍길동이에요"}`, keyed)))
		r = jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body)
		wantDialog(t, r, "ConfirmIntent", "", "HelloIntent", "InProgress")
		wantSlot(t, r, "Name", "홍길동")
	})

	t.Run("HTTP API without the key is AccessDeniedException", func(t *testing.T) {
		resp := v2Reply(t, rt.invoke(t, fn, httpAPIEvent("POST", text("lambda.2"), `{"text":"안녕"}`, nil)))
		r := jsonBody(t, resp.StatusCode, http.StatusForbidden, resp.Body)
		wantAt(t, r, "AccessDeniedException", "__type")
		if resp.Headers["X-Amzn-Errortype"] != "AccessDeniedException" {
			t.Errorf("headers %v", resp.Headers)
		}
	})

	t.Run("REST API /chat with a base64 body and multi-value headers", func(t *testing.T) {
		chat := `{"text":"안녕","sessionId":"web-1","botId":"HELLOBOT01","localeId":"ko_KR"}`
		rep := rt.invoke(t, fn, restAPIEvent("POST", "/chat", chat, map[string][]string{"X-Api-Key": {lambdaAPIKey}}))
		if rep.kind != "response" {
			t.Fatalf("%s: %s", rep.kind, rep.body)
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(rep.body, &resp); err != nil {
			t.Fatal(err)
		}
		r := jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body)
		wantAt(t, r, "web-1", "sessionId")
		wantAt(t, r, "이름이 뭐예요?", "messages", 0, "content")
		if got := resp.MultiValueHeaders["Content-Type"]; len(got) != 1 || !strings.HasPrefix(got[0], "application/json") {
			t.Errorf("multiValueHeaders Content-Type = %q", got)
		}
	})

	t.Run("function URL: web chat page, key remembered as a cookie", func(t *testing.T) {
		resp := v2Reply(t, rt.invoke(t, fn, functionURLEvent("GET", "/", "key="+lambdaAPIKey, nil)))
		if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "/" || len(resp.Cookies) != 1 {
			t.Fatalf("GET /?key= = %d %v cookies %q", resp.StatusCode, resp.Headers, resp.Cookies)
		}
		cookie, _, _ := strings.Cut(resp.Cookies[0], ";")
		page := v2Reply(t, rt.invoke(t, fn, functionURLEvent("GET", "/", "", []string{cookie})))
		if page.StatusCode != http.StatusOK || !strings.HasPrefix(page.Headers["Content-Type"], "text/html") || !strings.Contains(page.Body, "<html") || page.IsBase64Encoded {
			t.Fatalf("GET / = %d %v base64=%v %.200s", page.StatusCode, page.Headers, page.IsBase64Encoded, page.Body)
		}
		// The page's own requests carry only the cookie.
		ev := functionURLEvent("POST", "/chat", "", []string{cookie})
		ev.Headers["content-type"] = "application/json"
		ev.Body = `{"text":"안녕","sessionId":"web-2","botId":"HELLOBOT01","localeId":"ko_KR"}`
		resp = v2Reply(t, rt.invoke(t, fn, ev))
		r := jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body)
		wantAt(t, r, "이름이 뭐예요?", "messages", 0, "content")
	})

	t.Run("health checks", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz"} {
			resp := v2Reply(t, rt.invoke(t, fn, httpAPIEvent("GET", path, "", nil)))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d %s", path, resp.StatusCode, resp.Body)
			}
		}
	})

	t.Run("an event that is no HTTP request is a function error", func(t *testing.T) {
		rep := rt.invoke(t, fn, map[string]string{"key1": "value1"})
		if rep.kind != "error" || !strings.Contains(string(rep.body), "not an API Gateway") {
			t.Fatalf("reply %s %s: %s", rep.kind, rep.errorType, rep.body)
		}
		// The function goes on serving.
		resp := v2Reply(t, rt.invoke(t, fn, httpAPIEvent("GET", "/healthz", "", nil)))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /healthz after the error = %d", resp.StatusCode)
		}
	})

	t.Run("a new execution environment continues the stored session", func(t *testing.T) {
		fn.stop()
		fn2 := startFunction(t, bin, taskRoot, rt, env...)
		resp := v2Reply(t, rt.invoke(t, fn2, httpAPIEvent("POST", text("lambda.1"), `{"text":"네"}`, keyed)))
		r := jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body)
		wantDialog(t, r, "Close", "", "HelloIntent", "Fulfilled")
		wantMessage(t, r, 0, "반가워요, 홍길동님! 좋은 하루 보내세요.")
		if !strings.Contains(fn2.log.String(), `"lambda: ready"`) {
			t.Errorf("no ready line in the log:\n%s", fn2.log.String())
		}
	})
}

func testLambdaInitError(t *testing.T, bin string) {
	rt := newFakeRuntime(t)
	// bootstrap's folder has no bot/ and PARLEY_BOTS names a missing one.
	fn := startFunction(t, bin, t.TempDir(), rt, "PARLEY_BOTS=no-such-bot", "PARLEY_STORE=memory:")
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	select {
	case rep := <-rt.initErrors:
		if rep.errorType == "" || !strings.Contains(string(rep.body), "no-such-bot") {
			t.Errorf("init error %q: %s", rep.errorType, rep.body)
		}
		var body struct{ ErrorMessage, ErrorType string }
		if err := json.Unmarshal(rep.body, &body); err != nil || body.ErrorMessage == "" || body.ErrorType == "" {
			t.Errorf("init error body %s: %v", rep.body, err)
		}
	case <-ctx.Done():
		t.Fatalf("no init error reported:\n%s", fn.log.String())
	}
	<-fn.exited
	if fn.cmd.ProcessState.Success() {
		t.Error("bootstrap exited with status 0 after a failed init")
	}
	if !strings.Contains(fn.log.String(), "init failed") || !strings.Contains(fn.log.String(), "no-such-bot") {
		t.Errorf("the log does not name the failure:\n%s", fn.log.String())
	}
}

// testLambdaDynamoDB runs the deployment's set-up, sessions in DynamoDB
// (dynalite here), with the conversation spread over two execution
// environments, as Lambda spreads a user's requests.
func testLambdaDynamoDB(t *testing.T, bin string) {
	endpoint := testserver.Dynalite(t).URL
	taskRoot := t.TempDir()
	if err := os.CopyFS(filepath.Join(taskRoot, "bot"), os.DirFS("../examples/hello")); err != nil {
		t.Fatal(err)
	}
	env := []string{"PARLEY_STORE=dynamodb://parley-lambda?region=us-east-1&init=true&endpoint=" + endpoint, "PARLEY_NO_HOOKS=true"}
	for _, kv := range awsEnv(t) {
		if strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	// Each execution environment has its own Runtime API endpoint.
	type environment struct {
		rt *fakeRuntime
		fn *lambdaFunction
	}
	var envs []environment
	for range 2 {
		rt := newFakeRuntime(t)
		envs = append(envs, environment{rt, startFunction(t, bin, taskRoot, rt, env...)})
	}
	path := "/bots/HELLOBOT01/botAliases/TSTALIASID/botLocales/ko_KR/sessions/dynamo.1/text"
	turns := []struct {
		text  string
		check func(t *testing.T, r jsonValue)
	}{
		{"안녕", func(t *testing.T, r jsonValue) { wantDialog(t, r, "ElicitSlot", "Name", "HelloIntent", "InProgress") }},
		{"홍길동이에요", func(t *testing.T, r jsonValue) { wantSlot(t, r, "Name", "홍길동") }},
		{"네", func(t *testing.T, r jsonValue) {
			wantDialog(t, r, "Close", "", "HelloIntent", "Fulfilled")
			wantMessage(t, r, 0, "반가워요, 홍길동님! 좋은 하루 보내세요.")
		}},
	}
	for i, turn := range turns {
		e := envs[i%len(envs)]
		resp := v2Reply(t, e.rt.invoke(t, e.fn, httpAPIEvent("POST", path, `{"text":"`+turn.text+`"}`, nil)))
		turn.check(t, jsonBody(t, resp.StatusCode, http.StatusOK, resp.Body))
	}
}

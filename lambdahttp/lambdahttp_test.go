package lambdahttp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/parleybot/parley/lambdahttp"
)

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// seen is what a handler saw of a request.
type seen struct {
	method, path, escapedPath, query, host, remote, proto, body string
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		format lambdahttp.Format
		want   seen
		// headers lists header values to check beside the fields above.
		headers map[string][]string
	}{
		{
			name: "REST API, stage cut by API Gateway, multi-value headers and query, base64 body", file: "rest-post-base64.json",
			format: lambdahttp.RESTAPI,
			want: seen{method: "POST", path: "/chat", escapedPath: "/chat", query: "q=a+b&tag=a&tag=b",
				host: "abcdef1234.execute-api.eu-west-1.amazonaws.com", remote: "203.0.113.7:0", proto: "HTTP/1.1", body: `{"text":"안녕"}`},
			headers: map[string][]string{"X-Multi": {"one", "two"}, "X-Api-Key": {"secret"}, "Content-Type": {"application/json"}},
		},
		{
			name: "HTTP API, named stage cut from the raw path, cookies", file: "httpapi-named-stage.json",
			format: lambdahttp.HTTPAPI,
			want: seen{method: "POST", path: "/bots/BOT1/botAliases/TSTALIASID/botLocales/en_US/sessions/s 1/text",
				escapedPath: "/bots/BOT1/botAliases/TSTALIASID/botLocales/en_US/sessions/s%201/text", query: "x=1&x=2",
				host: "xyz987.execute-api.us-east-1.amazonaws.com", remote: "198.51.100.20:0", proto: "HTTP/1.1", body: `{"text":"hello"}`},
			headers: map[string][]string{"Cookie": {"parley_key=abc; theme=dark"}, "X-List": {"a,b"}, "X-Amz-Date": {"20261123T040000Z"}},
		},
		{
			name: "HTTP API, $default stage", file: "httpapi-default-stage.json",
			format: lambdahttp.HTTPAPI,
			want: seen{method: "GET", path: "/healthz", escapedPath: "/healthz", host: "xyz987.execute-api.us-east-1.amazonaws.com",
				remote: "198.51.100.21:0", proto: "HTTP/1.1"},
		},
		{
			name: "HTTP API in payload format 1.0, named stage cut", file: "httpapi-payload-1.0.json",
			format: lambdahttp.RESTAPI,
			want: seen{method: "POST", path: "/chat", escapedPath: "/chat", host: "xyz987.execute-api.us-east-1.amazonaws.com",
				remote: "198.51.100.22:0", proto: "HTTP/1.1", body: `{"text":"hi"}`},
		},
		{
			name: "function URL GET with an encoded query", file: "functionurl-get.json",
			format: lambdahttp.FunctionURL,
			want: seen{method: "GET", path: "/", escapedPath: "/", query: "key=k%26y&lang=ko",
				host: "abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-2.on.aws", remote: "192.0.2.40:0", proto: "HTTP/1.1"},
			headers: map[string][]string{"Accept-Language": {"ko-KR,ko;q=0.9"}},
		},
		{
			name: "function URL POST with a binary body", file: "functionurl-post-binary.json",
			format: lambdahttp.FunctionURL,
			want: seen{method: "POST", path: "/channels/BOT1/telegram/", escapedPath: "/channels/BOT1/telegram/",
				host: "abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-2.on.aws", remote: "192.0.2.41:0", proto: "HTTP/1.1", body: "\x00\x01\x02\xff"},
			headers: map[string][]string{"Cookie": {"a=1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.WithValue(context.Background(), ctxKey{}, "lambda")
			r, format, err := lambdahttp.Decode(ctx, readEvent(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.format {
				t.Errorf("format = %v, want %v", format, tt.format)
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := seen{method: r.Method, path: r.URL.Path, escapedPath: r.URL.EscapedPath(), query: r.URL.RawQuery,
				host: r.Host, remote: r.RemoteAddr, proto: r.Proto, body: string(body)}
			if got != tt.want {
				t.Errorf("request =\n%+v\nwant\n%+v", got, tt.want)
			}
			if r.ContentLength != int64(len(body)) {
				t.Errorf("ContentLength = %d, body has %d bytes", r.ContentLength, len(body))
			}
			if r.RequestURI != r.URL.RequestURI() {
				t.Errorf("RequestURI = %q, want %q", r.RequestURI, r.URL.RequestURI())
			}
			if r.Header.Get("Host") != "" {
				t.Errorf("Host header kept: %q; net/http has it in r.Host only", r.Header.Get("Host"))
			}
			for k, want := range tt.headers {
				if got := r.Header.Values(k); !slices.Equal(got, want) {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if r.Context().Value(ctxKey{}) != "lambda" {
				t.Error("the request does not carry the invocation's context")
			}
		})
	}
}

type ctxKey struct{}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		unknown bool
	}{
		{name: "not JSON", payload: `{"httpMethod":`},
		{name: "a plain invocation", payload: `{"key":"value"}`, unknown: true},
		{name: "an SQS event", payload: `{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`, unknown: true},
		{name: "2.0 without a method", payload: `{"version":"2.0","rawPath":"/","requestContext":{"http":{"path":"/"}}}`},
		{name: "a bad method", payload: `{"httpMethod":"GE T","path":"/"}`},
		{name: "bad base64", payload: `{"httpMethod":"POST","path":"/","body":"%%%","isBase64Encoded":true}`},
		{name: "bad path escape", payload: `{"version":"2.0","rawPath":"/a%zz","requestContext":{"http":{"method":"GET"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lambdahttp.Decode(context.Background(), []byte(tt.payload))
			if err == nil {
				t.Fatal("Decode accepted it")
			}
			if got := errors.Is(err, lambdahttp.ErrUnknownEvent); got != tt.unknown {
				t.Errorf("errors.Is(%v, ErrUnknownEvent) = %v, want %v", err, got, tt.unknown)
			}
		})
	}
}

// v2Response is the 2.0 answer (HTTP API and function URL share it).
type v2Response = events.APIGatewayV2HTTPResponse

func TestInvokeResponses(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chat":
			w.Header().Set("Content-Type", "application/json")
			http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
			http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
			w.Header().Add("Vary", "Origin")
			w.Header().Add("Vary", "Cookie")
			w.WriteHeader(http.StatusCreated)
			body, _ := io.ReadAll(r.Body)
			w.Write(body)
		case "/healthz":
			io.WriteString(w, "ok\n") // no Content-Type: sniffed as net/http does
		case "/":
			w.Header().Set("Content-Type", "image/png")
			w.(http.Flusher).Flush()
			w.Write(png)
		case "/channels/BOT1/telegram/":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte{0xff, 0xfe}) // not UTF-8
		default:
			http.NotFound(w, r)
		}
	})
	a := lambdahttp.New(handler)
	tests := []struct {
		name        string
		file        string
		status      int
		body        []byte
		base64      bool
		contentType string
		cookies     []string
		vary        string
	}{
		{name: "HTTP API: the handler's status", file: "httpapi-named-stage.json", status: 404, body: []byte("404 page not found\n"), contentType: "text/plain; charset=utf-8"},
		{name: "HTTP API: sniffed text", file: "httpapi-default-stage.json", status: 200, body: []byte("ok\n"), contentType: "text/plain; charset=utf-8"},
		{name: "function URL: binary as base64", file: "functionurl-get.json", status: 200, body: png, base64: true, contentType: "image/png"},
		{name: "function URL: text that is not UTF-8 as base64", file: "functionurl-post-binary.json", status: 200, body: []byte{0xff, 0xfe}, base64: true, contentType: "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := a.Invoke(context.Background(), readEvent(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var resp v2Response
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			body := []byte(resp.Body)
			if resp.IsBase64Encoded {
				if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			if resp.StatusCode != tt.status || string(body) != string(tt.body) || resp.IsBase64Encoded != tt.base64 || resp.Headers["Content-Type"] != tt.contentType {
				t.Errorf("response = %d %q base64=%v type %q, want %d %q base64=%v type %q",
					resp.StatusCode, body, resp.IsBase64Encoded, resp.Headers["Content-Type"], tt.status, tt.body, tt.base64, tt.contentType)
			}
		})
	}

	t.Run("HTTP API 2.0: Set-Cookie as cookies, other headers comma-joined", func(t *testing.T) {
		event := readEventWithPath(t, "httpapi-default-stage.json", "/chat")
		out, err := a.Invoke(context.Background(), event)
		if err != nil {
			t.Fatal(err)
		}
		var resp v2Response
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusCreated || !slices.Equal(resp.Cookies, []string{"a=1", "b=2"}) || resp.Headers["Vary"] != "Origin, Cookie" {
			t.Errorf("response = %+v", resp)
		}
		if _, ok := resp.Headers["Set-Cookie"]; ok {
			t.Error("Set-Cookie also in headers")
		}
	})

	t.Run("REST API: multi-value headers, decoded body echoed as text", func(t *testing.T) {
		out, err := a.Invoke(context.Background(), readEvent(t, "rest-post-base64.json"))
		if err != nil {
			t.Fatal(err)
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusCreated || resp.Body != `{"text":"안녕"}` || resp.IsBase64Encoded {
			t.Errorf("response = %+v", resp)
		}
		if got := resp.MultiValueHeaders["Set-Cookie"]; !slices.Equal(got, []string{"a=1", "b=2"}) {
			t.Errorf("Set-Cookie = %q", got)
		}
		if got := resp.MultiValueHeaders["Vary"]; !slices.Equal(got, []string{"Origin", "Cookie"}) {
			t.Errorf("Vary = %q", got)
		}
	})

	t.Run("an unknown event is an error", func(t *testing.T) {
		if _, err := a.Invoke(context.Background(), []byte(`{"hello":"world"}`)); !errors.Is(err, lambdahttp.ErrUnknownEvent) {
			t.Errorf("err = %v, want ErrUnknownEvent", err)
		}
	})
}

// readEventWithPath is a 2.0 event from testdata sent to another path.
func readEventWithPath(t *testing.T, name, path string) []byte {
	t.Helper()
	var e events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(readEvent(t, name), &e); err != nil {
		t.Fatal(err)
	}
	e.RawPath, e.RequestContext.HTTP.Path = path, path
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestEventTypesRoundTrip(t *testing.T) {
	// Events built with aws-lambda-go's own types, as a Go client of
	// lambda.Invoke would send them, decode like the documented JSON.
	v1, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/readyz",
		MultiValueQueryStringParameters: map[string][]string{"a": {"1"}}})
	v2, _ := json.Marshal(events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/readyz", RawQueryString: "a=1",
		RequestContext: events.APIGatewayV2HTTPRequestContext{Stage: "$default", HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}}})
	url, _ := json.Marshal(events.LambdaFunctionURLRequest{Version: "2.0", RawPath: "/readyz", RawQueryString: "a=1",
		RequestContext: events.LambdaFunctionURLRequestContext{DomainName: "x.lambda-url.us-east-1.on.aws", HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "GET"}}})
	tests := []struct {
		name    string
		payload []byte
		format  lambdahttp.Format
	}{
		{"APIGatewayProxyRequest", v1, lambdahttp.RESTAPI},
		{"APIGatewayV2HTTPRequest", v2, lambdahttp.HTTPAPI},
		{"LambdaFunctionURLRequest", url, lambdahttp.FunctionURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, format, err := lambdahttp.Decode(context.Background(), tt.payload)
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.format || r.Method != "GET" || r.URL.Path != "/readyz" || r.URL.RawQuery != "a=1" {
				t.Errorf("got %v %s %s?%s", format, r.Method, r.URL.Path, r.URL.RawQuery)
			}
		})
	}
}

func FuzzInvoke(f *testing.F) {
	for _, name := range []string{"rest-post-base64.json", "httpapi-named-stage.json", "httpapi-default-stage.json",
		"httpapi-payload-1.0.json", "functionurl-get.json", "functionurl-post-binary.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"version":"2.0","rawPath":"//x/../y","requestContext":{"stage":"s","http":{"method":"GET"}}}`))
	a := lambdahttp.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header()["Set-Cookie"] = r.Header.Values("Cookie")
		w.Write(body)
	}))
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := a.Invoke(context.Background(), payload)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON response %q", out)
		}
		r, _, err := lambdahttp.Decode(context.Background(), payload)
		if err != nil {
			t.Fatalf("Invoke served an event Decode refuses: %v", err)
		}
		if r.URL.Path == "" || r.URL.Path[0] != '/' {
			t.Fatalf("path %q does not start with /", r.URL.Path)
		}
	})
}

package lambdahttp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Format is the kind of HTTP event a Lambda function received; the answer
// goes back in the same format.
type Format int

const (
	// RESTAPI is an API Gateway REST API proxy event, or an HTTP API event
	// in payload format 1.0 (events.APIGatewayProxyRequest).
	RESTAPI Format = iota + 1
	// HTTPAPI is an API Gateway HTTP API event in payload format 2.0
	// (events.APIGatewayV2HTTPRequest).
	HTTPAPI
	// FunctionURL is a Lambda function URL event
	// (events.LambdaFunctionURLRequest).
	FunctionURL
)

func (f Format) String() string {
	switch f {
	case RESTAPI:
		return "API Gateway REST API"
	case HTTPAPI:
		return "API Gateway HTTP API"
	case FunctionURL:
		return "Lambda function URL"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ErrUnknownEvent is returned for an event that is none of the three
// formats, such as a direct invocation with a hand-written payload.
var ErrUnknownEvent = errors.New("lambdahttp: the event is not an API Gateway (REST or HTTP API) or function URL request")

// defaultStage is the stage whose name is not part of the request path.
const defaultStage = "$default"

// probe holds the fields that tell the formats apart: only the 2.0 formats
// carry requestContext.http, only function URLs are served from a
// *.lambda-url.* domain, and the 1.0 format names the method at the top.
type probe struct {
	Version        string `json:"version"`
	HTTPMethod     string `json:"httpMethod"`
	RequestContext struct {
		DomainName string          `json:"domainName"`
		HTTP       json.RawMessage `json:"http"`
	} `json:"requestContext"`
}

// Detect reports which format a raw event is in.
func Detect(payload []byte) (Format, error) {
	f, _, err := detect(payload)
	return f, err
}

// detect is Detect that also returns the payload format version.
func detect(payload []byte) (Format, string, error) {
	var p probe
	if err := json.Unmarshal(payload, &p); err != nil {
		return 0, "", fmt.Errorf("lambdahttp: decode event: %w", err)
	}
	f, err := p.format()
	return f, p.Version, err
}

func (p *probe) format() (Format, error) {
	switch {
	case len(p.RequestContext.HTTP) > 0 && string(p.RequestContext.HTTP) != "null" && p.Version == "2.0":
		if strings.Contains(p.RequestContext.DomainName, ".lambda-url.") {
			return FunctionURL, nil
		}
		return HTTPAPI, nil
	case p.HTTPMethod != "":
		return RESTAPI, nil
	}
	return 0, ErrUnknownEvent
}

// Decode turns a raw event into the request it carries, with ctx as its
// context, and reports the event's format.
func Decode(ctx context.Context, payload []byte) (*http.Request, Format, error) {
	format, version, err := detect(payload)
	if err != nil {
		return nil, 0, err
	}
	var r *http.Request
	switch format {
	case RESTAPI:
		var e events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, 0, fmt.Errorf("lambdahttp: decode %s event: %w", format, err)
		}
		r, err = decodeREST(ctx, &e, version)
	case HTTPAPI:
		var e events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, 0, fmt.Errorf("lambdahttp: decode %s event: %w", format, err)
		}
		r, err = newRequest(ctx, request{
			method: e.RequestContext.HTTP.Method, rawPath: e.RawPath, stage: e.RequestContext.Stage,
			rawQuery: e.RawQueryString, headers: single(e.Headers), cookies: e.Cookies,
			body: e.Body, base64: e.IsBase64Encoded, sourceIP: e.RequestContext.HTTP.SourceIP,
			domain: e.RequestContext.DomainName, proto: e.RequestContext.HTTP.Protocol,
		})
	case FunctionURL:
		var e events.LambdaFunctionURLRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, 0, fmt.Errorf("lambdahttp: decode %s event: %w", format, err)
		}
		r, err = newRequest(ctx, request{
			method: e.RequestContext.HTTP.Method, rawPath: e.RawPath,
			rawQuery: e.RawQueryString, headers: single(e.Headers), cookies: e.Cookies,
			body: e.Body, base64: e.IsBase64Encoded, sourceIP: e.RequestContext.HTTP.SourceIP,
			domain: e.RequestContext.DomainName, proto: e.RequestContext.HTTP.Protocol,
		})
	}
	if err != nil {
		return nil, 0, err
	}
	return r, format, nil
}

// decodeREST reads the 1.0 format. Its path is decoded and, for a REST API,
// has no stage; an HTTP API sending 1.0 includes a named stage, which is
// cut like in 2.0. The multi-value maps hold everything the single-value
// ones do, and win when present.
func decodeREST(ctx context.Context, e *events.APIGatewayProxyRequest, version string) (*http.Request, error) {
	headers := e.MultiValueHeaders
	if len(headers) == 0 {
		headers = single(e.Headers)
	}
	query := url.Values(e.MultiValueQueryStringParameters)
	if len(query) == 0 {
		query = url.Values(single(e.QueryStringParameters))
	}
	stage := ""
	if version == "1.0" {
		stage = e.RequestContext.Stage
	}
	return newRequest(ctx, request{
		method: e.HTTPMethod, path: e.Path, stage: stage, rawQuery: query.Encode(),
		headers: headers, body: e.Body, base64: e.IsBase64Encoded,
		sourceIP: e.RequestContext.Identity.SourceIP, domain: e.RequestContext.DomainName,
		proto: e.RequestContext.Protocol,
	})
}

// single turns a single-value map into a multi-value one.
func single(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = []string{v}
	}
	return out
}

// request is what every format says about the HTTP request, in one shape.
type request struct {
	method string
	// path is a decoded path (1.0); rawPath an encoded one (2.0).
	path, rawPath string
	// stage is cut from the front of the path unless empty or $default.
	stage    string
	rawQuery string
	headers  map[string][]string
	cookies  []string
	body     string
	base64   bool
	sourceIP string
	domain   string
	proto    string
}

func newRequest(ctx context.Context, in request) (*http.Request, error) {
	if in.method == "" {
		return nil, errors.New("lambdahttp: the event names no HTTP method")
	}
	u := &url.URL{Path: in.path, RawQuery: in.rawQuery}
	if in.rawPath != "" {
		p, err := url.PathUnescape(in.rawPath)
		if err != nil {
			return nil, fmt.Errorf("lambdahttp: path %q: %w", in.rawPath, err)
		}
		u.Path = p
		if u.EscapedPath() != in.rawPath {
			u.RawPath = in.rawPath
		}
	}
	if in.stage != "" && in.stage != defaultStage {
		u.Path = cutStage(u.Path, in.stage)
		if u.RawPath != "" {
			u.RawPath = cutStage(u.RawPath, url.PathEscape(in.stage))
		}
	}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
		u.RawPath = ""
	}
	body := []byte(in.body)
	if in.base64 {
		var err error
		if body, err = base64.StdEncoding.DecodeString(in.body); err != nil {
			return nil, fmt.Errorf("lambdahttp: body: %w", err)
		}
	}
	r, err := http.NewRequestWithContext(ctx, in.method, "/", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("lambdahttp: %w", err)
	}
	r.URL = u
	r.RequestURI = u.RequestURI()
	r.ContentLength = int64(len(body))
	if len(body) == 0 {
		r.Body = http.NoBody
	}
	r.Header = make(http.Header, len(in.headers)+1)
	for k, vs := range in.headers {
		k = textproto.CanonicalMIMEHeaderKey(k)
		r.Header[k] = append(r.Header[k], vs...)
	}
	if len(in.cookies) > 0 {
		r.Header.Set("Cookie", strings.Join(in.cookies, "; "))
	}
	r.Host = r.Header.Get("Host")
	if r.Host == "" {
		r.Host = in.domain
	}
	r.Header.Del("Host") // net/http keeps it in r.Host only
	if in.sourceIP != "" {
		r.RemoteAddr = net.JoinHostPort(in.sourceIP, "0")
	}
	if major, minor, ok := http.ParseHTTPVersion(in.proto); ok {
		r.Proto, r.ProtoMajor, r.ProtoMinor = in.proto, major, minor
	}
	return r, nil
}

// cutStage removes "/stage" from the front of path.
func cutStage(path, stage string) string {
	prefix := "/" + stage
	if path == prefix {
		return "/"
	}
	if rest, ok := strings.CutPrefix(path, prefix+"/"); ok {
		return "/" + rest
	}
	return path
}

// Handler serves Lambda HTTP events with an http.Handler. Its Invoke method
// is aws-lambda-go's lambda.Handler, so lambda.Start takes it as it is.
type Handler struct {
	h http.Handler
}

// New returns a Handler that serves every event with h.
func New(h http.Handler) *Handler {
	return &Handler{h: h}
}

// Invoke serves one raw event and returns the raw response in the event's
// format. A malformed event is an error (a function error to Lambda);
// whatever the http.Handler answers, including 5xx, is a response.
func (a *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	r, format, err := Decode(ctx, payload)
	if err != nil {
		return nil, err
	}
	rec := newRecorder()
	a.h.ServeHTTP(rec, r)
	return Encode(format, rec.status, rec.header, rec.body.Bytes())
}

// Encode writes a response in format: headers as multi-value headers for the
// 1.0 format; for 2.0 joined with commas, Set-Cookie apart as cookies. A
// body goes base64-encoded unless its Content-Type is text and it is valid
// UTF-8. (A REST API passes base64 on as binary only for the media types in
// its binaryMediaTypes setting.)
func Encode(format Format, status int, header http.Header, body []byte) ([]byte, error) {
	header = header.Clone()
	if header == nil {
		header = http.Header{}
	}
	// As net/http does when a handler sets no Content-Type.
	if _, set := header["Content-Type"]; !set && len(body) > 0 {
		header.Set("Content-Type", http.DetectContentType(body))
	}
	text, encoded := string(body), false
	if len(body) > 0 && !(isText(header.Get("Content-Type")) && utf8.Valid(body)) {
		text, encoded = base64.StdEncoding.EncodeToString(body), true
	}
	var out any
	switch format {
	case RESTAPI:
		out = events.APIGatewayProxyResponse{StatusCode: status, MultiValueHeaders: header, Body: text, IsBase64Encoded: encoded}
	case HTTPAPI:
		headers, cookies := joined(header)
		out = events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: headers, Cookies: cookies, Body: text, IsBase64Encoded: encoded}
	case FunctionURL:
		headers, cookies := joined(header)
		out = events.LambdaFunctionURLResponse{StatusCode: status, Headers: headers, Cookies: cookies, Body: text, IsBase64Encoded: encoded}
	default:
		return nil, fmt.Errorf("lambdahttp: encode: unknown format %d", int(format))
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("lambdahttp: encode response: %w", err)
	}
	return data, nil
}

// joined gives the 2.0 formats' headers, one value per name, and the
// cookies, which must not be comma-joined.
func joined(header http.Header) (map[string]string, []string) {
	headers := make(map[string]string, len(header))
	var cookies []string
	for k, vs := range header {
		if k == "Set-Cookie" {
			cookies = append(cookies, vs...)
			continue
		}
		if len(vs) > 0 {
			headers[k] = strings.Join(vs, ", ")
		}
	}
	return headers, cookies
}

// textTypes are the non-text/* media types whose bodies are text.
var textTypes = []string{
	"application/json", "application/javascript", "application/xml",
	"application/x-www-form-urlencoded", "application/x-ndjson",
}

// isText reports whether a Content-Type names a textual media type.
func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml") ||
		slices.Contains(textTypes, mt) || strings.HasPrefix(mt, "application/x-amz-json")
}

// recorder buffers a handler's response.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func newRecorder() *recorder {
	return &recorder{header: http.Header{}, status: http.StatusOK}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.wroteHeader || status < 200 && status >= 100 { // informational answers are not the response
		return
	}
	r.wroteHeader, r.status = true, status
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(p)
}

// Flush does nothing: a Lambda response leaves only once it is complete.
// It exists so that streaming handlers (Server-Sent Events) run unchanged.
func (r *recorder) Flush() {}

package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
)

// Defaults the fake expects when Options leave them empty.
const (
	DefaultModel          = "parley-test-model"
	DefaultEmbeddingModel = "parley-test-embedding"
	DefaultAnswer         = "This is the test model's answer."
	DefaultDimensions     = 256
)

// Kinds of request the fake serves.
const (
	KindChat       = "chat"
	KindEmbeddings = "embeddings"
)

// Options configure a fake. The zero value serves DefaultModel and
// DefaultEmbeddingModel, answers DefaultAnswer and asks for no key.
type Options struct {
	// Model is the chat model (on Azure, the deployment) requests must
	// name; others get 404 model_not_found.
	Model string
	// EmbeddingModel is the embeddings model requests must name.
	EmbeddingModel string
	// APIKey, when set, must arrive as "Authorization: Bearer <key>" (or
	// Azure's "api-key" header); other requests get 401. Empty accepts any
	// key or none, as a local Ollama or llama.cpp server does.
	APIKey string
	// Answer scripts the model: it gets the validated request (Messages,
	// Stream …) and returns the answer text. Nil answers DefaultAnswer.
	Answer func(req Request) string
	// ChunkDelay is waited before each streamed piece, so that a test
	// (a browser, say) can see tokens arrive one by one.
	ChunkDelay time.Duration
	// Latency is waited before any answer is started (the status line of
	// a stream included): a slow model, e.g. to pass a 5-second rule.
	Latency time.Duration
	// Dimensions is the length of embedding vectors; 0 means
	// DefaultDimensions.
	Dimensions int
	// OmitUsage leaves token usage out of answers, as some servers do.
	OmitUsage bool
}

// Fault makes the fake fail a request instead of answering it. Exactly
// what a field describes happens; the zero Fault is no fault.
type Fault struct {
	// Status answers with this HTTP status and an error body in the API's
	// shape carrying Message (a default text when empty).
	Status     int
	Message    string
	RetryAfter string // the Retry-After header sent with Status, e.g. "2"
	// Body, with Status, is sent instead of the API's error shape, as a
	// proxy in front of a model might (an HTML error page, say).
	Body string
	// Hang never answers: the request ends only when the client gives up
	// or the fake is closed. For timeout tests.
	Hang bool
	// Garbage answers 200 with a body that is not JSON (for a stream, an
	// event whose data is not JSON).
	Garbage bool
	// BreakAfter, for a stream, sends this many pieces of the answer and
	// then cuts the connection without finishing the stream. A request
	// that does not stream has its connection cut before any answer.
	BreakAfter int
}

// Request is one request as the fake received it. Fields after Header are
// filled as far as the request was valid.
type Request struct {
	Kind   string // KindChat or KindEmbeddings; "" for an unknown route
	Method string
	Path   string // e.g. "/v1/chat/completions"
	Query  string // raw query, e.g. Azure's "api-version=2024-10-21"
	Header http.Header
	Body   []byte
	// Status is what the fake answered (200 for a stream that started,
	// 0 while it is still being answered or for a cut connection).
	Status int

	Model        string
	Messages     []parley.ChatMessage
	Stream       bool
	IncludeUsage bool // stream_options.include_usage
	MaxTokens    int  // max_tokens or max_completion_tokens
	Temperature  *float64
	Input        []string // embeddings
}

// LastUser returns the content of the last user message, "" if none; a
// convenience for Answer functions.
func (r Request) LastUser() string {
	for _, m := range slices.Backward(r.Messages) {
		if m.Role == parley.RoleUser {
			return m.Content
		}
	}
	return ""
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the OpenAI-style API, ending in "/v1"; give
	// it to a client as its base URL.
	URL string
	// AzureURL is the server's root, the base URL of an Azure OpenAI
	// resource: requests go to /openai/deployments/{model}/… with an
	// api-version query parameter.
	AzureURL string

	opts Options
	srv  *httptest.Server
	done chan struct{} // closed when the fake shuts down; ends hangs and waits

	mu       sync.Mutex
	requests []Request
	faults   []Fault
	always   Fault
}

// New starts a fake that is closed when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Model == "" {
		opts.Model = DefaultModel
	}
	if opts.EmbeddingModel == "" {
		opts.EmbeddingModel = DefaultEmbeddingModel
	}
	if opts.Dimensions <= 0 {
		opts.Dimensions = DefaultDimensions
	}
	s := &Server{opts: opts, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.openAI(KindChat))
	mux.HandleFunc("POST /v1/embeddings", s.openAI(KindEmbeddings))
	mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", s.azure(KindChat))
	mux.HandleFunc("POST /openai/deployments/{deployment}/embeddings", s.azure(KindEmbeddings))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		writeError(w, &apiError{status: http.StatusNotFound, message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path), typ: "invalid_request_error"})
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/v1"
	s.AzureURL = s.srv.URL
	// Hanging handlers must return before httptest's Close, which waits
	// for them.
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// FailNext makes the next n requests fail with f, after any faults queued
// before; then the fake answers normally again.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// FailAlways makes every request without a queued fault fail with f, until
// called again; FailAlways(Fault{}) heals the fake.
func (s *Server) FailAlways(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.always = f
}

// record appends what is known of a request and returns its index.
func (s *Server) record(r *http.Request, body []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
		Body:   body,
	})
	return len(s.requests) - 1
}

func (s *Server) update(i int, f func(*Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.requests[i])
}

func (s *Server) nextFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		return f
	}
	return s.always
}

// openAI serves the OpenAI-style route of a kind: bearer authentication.
func (s *Server) openAI(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.serve(w, r, kind, "", func() *apiError {
			if s.opts.APIKey == "" || (ok && got == s.opts.APIKey) {
				return nil
			}
			if !ok {
				return &apiError{status: http.StatusUnauthorized, message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", typ: "invalid_request_error"}
			}
			// The real API masks most of a wrong key; the fake echoes all
			// of it, so that a client that leaks error text is caught.
			return &apiError{status: http.StatusUnauthorized, message: "Incorrect API key provided: " + got + ".", typ: "invalid_request_error", code: "invalid_api_key"}
		})
	}
}

// azure serves the Azure OpenAI route of a kind: the deployment in the
// path stands for the model, the key comes in the api-key header and the
// api-version query parameter is required.
func (s *Server) azure(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, kind, r.PathValue("deployment"), func() *apiError {
			if r.URL.Query().Get("api-version") == "" {
				return &apiError{status: http.StatusNotFound, message: "Resource not found", code: "404"}
			}
			if s.opts.APIKey != "" && r.Header.Get("api-key") != s.opts.APIKey {
				return &apiError{status: http.StatusUnauthorized, message: "Access denied due to invalid subscription key or wrong API endpoint.", code: "401"}
			}
			return nil
		})
	}
}

// serve validates and answers one request. deployment, when set, is the
// Azure deployment named in the path, which must be the expected model.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, kind, deployment string, auth func() *apiError) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	i := s.record(r, body)
	s.update(i, func(q *Request) { q.Kind = kind })
	status := 0
	defer func() { s.update(i, func(q *Request) { q.Status = status }) }()
	fail := func(e *apiError) {
		status = e.status
		writeError(w, e)
	}

	if e := auth(); e != nil {
		fail(e)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(invalid("", "Unsupported content type: %q. This API method only accepts 'application/json' requests.", r.Header.Get("Content-Type")))
		return
	}
	var req Request
	var expect string
	switch kind {
	case KindChat:
		c, e := parseChat(body)
		if e != nil {
			fail(e)
			return
		}
		req = Request{Model: c.model, Messages: c.messages, Stream: c.stream, IncludeUsage: c.includeUsage, MaxTokens: c.maxTokens, Temperature: c.temperature}
		expect = s.opts.Model
	default:
		e, ae := parseEmbeddings(body)
		if ae != nil {
			fail(ae)
			return
		}
		req = Request{Model: e.model, Input: e.input}
		expect = s.opts.EmbeddingModel
	}
	s.update(i, func(q *Request) {
		q.Model, q.Messages, q.Stream, q.IncludeUsage = req.Model, req.Messages, req.Stream, req.IncludeUsage
		q.MaxTokens, q.Temperature, q.Input = req.MaxTokens, req.Temperature, req.Input
	})
	model := req.Model
	if deployment != "" {
		model = deployment
	}
	if model != expect {
		fail(&apiError{status: http.StatusNotFound, message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model), typ: "invalid_request_error", code: "model_not_found"})
		return
	}

	f := s.nextFault()
	if !s.wait(r, s.opts.Latency) {
		return
	}
	switch {
	case f.Hang:
		s.wait(r, -1)
		return
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.Body != "" {
			status = f.Status
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Status)
			io.WriteString(w, f.Body)
			return
		}
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		fail(&apiError{status: f.Status, message: msg, typ: faultType(f.Status)})
		return
	case f.BreakAfter > 0 && !req.Stream:
		panic(http.ErrAbortHandler)
	case f.Garbage && !req.Stream:
		status = http.StatusOK
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id": "chatcmpl-garbage", "choices": [{"message": <html>502 Bad Gateway</html>`)
		return
	}

	s.mu.Lock()
	full := s.requests[i]
	s.mu.Unlock()
	if kind == KindEmbeddings {
		status = http.StatusOK
		s.writeEmbeddings(w, req)
		return
	}
	answer := DefaultAnswer
	if s.opts.Answer != nil {
		answer = s.opts.Answer(full)
	}
	status = http.StatusOK
	if req.Stream {
		s.stream(w, r, req, answer, f)
		return
	}
	s.writeChat(w, req, answer)
}

func faultType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_exceeded"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request_error"
}

// wait waits d (forever when d < 0) and reports whether to go on: false
// when the client went away or the fake is shutting down.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d == 0 {
		return true
	}
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	TotalTokens      int `json:"total_tokens"`
}

func chatUsage(req Request, answer string) *usage {
	var texts []string
	for _, m := range req.Messages {
		texts = append(texts, m.Content)
	}
	p, c := promptTokens(texts), Tokens(answer)
	return &usage{PromptTokens: p, CompletionTokens: c, TotalTokens: p + c}
}

type message struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content"`
}

// delta is a stream chunk's message part; the last chunk's is {}.
type delta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
}

type choice struct {
	Index        int      `json:"index"`
	Message      *message `json:"message,omitempty"`
	Delta        *delta   `json:"delta,omitempty"`
	FinishReason *string  `json:"finish_reason"`
}

type completion struct {
	ID      string   `json:"id"`
	Object  string   `json:"object"`
	Created int64    `json:"created"`
	Model   string   `json:"model"`
	Choices []choice `json:"choices"`
	Usage   *usage   `json:"usage"`
}

func (s *Server) writeChat(w http.ResponseWriter, req Request, answer string) {
	stop := "stop"
	c := completion{
		ID: "chatcmpl-parley-test", Object: "chat.completion", Created: time.Now().Unix(), Model: req.Model,
		Choices: []choice{{Message: &message{Role: parley.RoleAssistant, Content: answer}, FinishReason: &stop}},
	}
	if !s.opts.OmitUsage {
		c.Usage = chatUsage(req, answer)
	}
	writeJSON(w, http.StatusOK, c)
}

// stream answers as the API streams: a first chunk with the role, one
// chunk per piece, a last chunk with finish_reason, a usage chunk with no
// choices when asked, then [DONE]. Chunks carry "usage": null while
// usage is asked for, as the API's do.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, req Request, answer string, f Fault) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(d *delta, finish *string) map[string]any {
		c := map[string]any{
			"id": "chatcmpl-parley-test", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
			"choices": []choice{{Delta: d, FinishReason: finish}},
		}
		if req.IncludeUsage {
			c["usage"] = nil
		}
		return c
	}
	if f.Garbage {
		fmt.Fprint(w, "data: {\"choices\": [{\"delta\": nope}\n\n")
		return
	}
	empty := ""
	send(chunk(&delta{Role: parley.RoleAssistant, Content: &empty}, nil))
	for n, p := range Pieces(answer) {
		if f.BreakAfter > 0 && n == f.BreakAfter {
			panic(http.ErrAbortHandler)
		}
		if !s.wait(r, s.opts.ChunkDelay) {
			return
		}
		send(chunk(&delta{Content: &p}, nil))
	}
	stop := "stop"
	send(chunk(&delta{}, &stop))
	if req.IncludeUsage && !s.opts.OmitUsage {
		send(map[string]any{
			"id": "chatcmpl-parley-test", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
			"choices": []choice{}, "usage": chatUsage(req, answer),
		})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func (s *Server) writeEmbeddings(w http.ResponseWriter, req Request) {
	type embedding struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	out := struct {
		Object string      `json:"object"`
		Data   []embedding `json:"data"`
		Model  string      `json:"model"`
		Usage  *usage      `json:"usage,omitempty"`
	}{Object: "list", Model: req.Model}
	for i, text := range req.Input {
		out.Data = append(out.Data, embedding{Object: "embedding", Index: i, Embedding: Vector(text, s.opts.Dimensions)})
	}
	if !s.opts.OmitUsage {
		n := promptTokens(req.Input)
		out.Usage = &usage{PromptTokens: n, TotalTokens: n}
	}
	writeJSON(w, http.StatusOK, out)
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"message": e.message, "type": e.typ, "param": nil, "code": nil}
	if e.param != "" {
		body["param"] = e.param
	}
	if e.code != "" {
		body["code"] = e.code
	}
	writeJSON(w, e.status, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

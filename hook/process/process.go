package process

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// Defaults of Options.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 25600
)

// memorySize is what the context and the REPORT line claim unless the
// environment sets AWS_LAMBDA_FUNCTION_MEMORY_SIZE: Lambda's default.
const memorySize = "128"

// The bootstraps are the runtimes' side of the pipe protocol.
var (
	//go:embed runtime/bootstrap.py
	pythonBootstrap string
	//go:embed runtime/bootstrap.js
	nodeBootstrap string
)

// Options configure a Hook. The zero value means the defaults.
type Options struct {
	// Dir is the base of a relative handler path: the bot's folder.
	Dir string
	// Timeout limits one invocation, the start of a worker included;
	// default 30 s.
	Timeout time.Duration
	// MaxResponseBytes limits the handler's serialised answer; default
	// 25,600 bytes, Lex's limit.
	MaxResponseBytes int
	// Environment is added to (and overrides) Parley's environment and the
	// Lambda variables in the worker's environment.
	Environment map[string]string
	// Logger receives the handler's output as CloudWatch would show it;
	// default: discard.
	Logger *slog.Logger
	// FunctionName is the function's name in the context and the logs;
	// default: the handler file's base name without extension.
	FunctionName string
	// Workers is how many worker processes may run invocations at once;
	// each takes one invocation at a time, like one Lambda instance.
	// Default 1.
	Workers int
}

// lang is what differs between the Python and Node runtimes.
type lang struct {
	scheme         string
	interpreter    string
	args           []string // before the bootstrap script
	script         string   // the bootstrap's file name
	source         string   // the bootstrap's content
	defaultHandler string
	executionEnv   string // AWS_EXECUTION_ENV
	extensions     []string
}

func langFor(scheme string) (lang, bool) {
	switch scheme {
	case "python":
		// -B: no __pycache__ written into the bot's folder.
		return lang{scheme: scheme, interpreter: "python3", args: []string{"-B"}, script: "bootstrap.py",
			source: pythonBootstrap, defaultHandler: "lambda_handler", executionEnv: "AWS_Lambda_python3",
			extensions: []string{".py"}}, true
	case "node":
		return lang{scheme: scheme, interpreter: "node", script: "bootstrap.js",
			source: nodeBootstrap, defaultHandler: "handler", executionEnv: "AWS_Lambda_nodejs",
			extensions: []string{".js", ".mjs", ".cjs"}}, true
	}
	return lang{}, false
}

// Hook runs a Lambda handler file in warm worker processes. It implements
// parley.CodeHook and parley.TimeLimited; it is safe for concurrent use.
type Hook struct {
	uri          string
	lang         lang
	file         string // absolute
	handler      string
	interpreter  string // absolute
	function     string
	memory       string
	timeout      time.Duration
	maxResponse  int
	env          []string
	logger       *slog.Logger
	idle         chan *worker
	workers      []*worker
	mu           sync.Mutex // guards closed, scriptDir and every worker's proc
	closed       bool
	scriptDir    string
	scriptPath   string
	closeStarted chan struct{}
}

var (
	_ parley.CodeHook    = (*Hook)(nil)
	_ parley.TimeLimited = (*Hook)(nil)
)

// New returns a hook for uri, `python:PATH[:handler]` or
// `node:PATH[:handler]`. It checks that the file and the interpreter exist
// (ErrValidation naming what is missing) but starts no process: the first
// Invoke does.
func New(uri string, opts Options) (*Hook, error) {
	scheme, rest, ok := strings.Cut(uri, ":")
	l, known := langFor(scheme)
	if !ok || !known {
		return nil, parley.Errorf(parley.ErrValidation, "code hook URI %q: want python:PATH[:handler] or node:PATH[:handler]", uri)
	}
	file, handler := splitHandler(rest, l)
	if handler == "" {
		handler = l.defaultHandler
	}
	if file == "" {
		return nil, parley.Errorf(parley.ErrValidation, "code hook URI %q: no handler file", uri)
	}
	if !identifier(handler) {
		return nil, parley.Errorf(parley.ErrValidation, "code hook URI %q: handler %q is not a function name", uri, handler)
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(opts.Dir, file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("process: resolve %s: %w", file, err)
	}
	if info, err := os.Stat(abs); err != nil || !info.Mode().IsRegular() {
		return nil, parley.Errorf(parley.ErrValidation, "code hook %s: handler file %s does not exist", uri, abs)
	}
	interpreter, err := exec.LookPath(l.interpreter)
	if err != nil {
		return nil, parley.Errorf(parley.ErrValidation, "code hook %s: %s is not installed (not found in PATH)", uri, l.interpreter)
	}

	h := &Hook{
		uri:          uri,
		lang:         l,
		file:         abs,
		handler:      handler,
		interpreter:  interpreter,
		function:     opts.FunctionName,
		timeout:      opts.Timeout,
		maxResponse:  opts.MaxResponseBytes,
		logger:       opts.Logger,
		closeStarted: make(chan struct{}),
	}
	if h.function == "" {
		h.function = strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	}
	if h.timeout <= 0 {
		h.timeout = DefaultTimeout
	}
	if h.maxResponse <= 0 {
		h.maxResponse = DefaultMaxResponseBytes
	}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	h.env, h.memory = h.environment(opts.Environment)
	n := max(opts.Workers, 1)
	h.idle = make(chan *worker, n)
	for range n {
		w := &worker{}
		h.workers = append(h.workers, w)
		h.idle <- w
	}
	return h, nil
}

// splitHandler splits "PATH[:handler]": a trailing ":name" is a handler
// only after a file name with the runtime's extension, so paths that hold
// a colon still work.
func splitHandler(rest string, l lang) (file, handler string) {
	i := strings.LastIndex(rest, ":")
	if i < 0 {
		return rest, ""
	}
	for _, ext := range l.extensions {
		if strings.HasSuffix(rest[:i], ext) && !strings.ContainsAny(rest[i+1:], `/\`) {
			return rest[:i], rest[i+1:]
		}
	}
	return rest, ""
}

func identifier(s string) bool {
	for i, r := range s {
		letter := r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

// environment builds the workers' environment: Parley's own, then the
// variables Lambda sets, then Options.Environment, later entries winning
// (exec.Cmd keeps the last of duplicate keys). It also returns the memory
// size the function claims.
func (h *Hook) environment(extra map[string]string) ([]string, string) {
	env := os.Environ()
	lambdaVars := [][2]string{
		{"AWS_LAMBDA_FUNCTION_NAME", h.function},
		{"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
		{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memorySize},
		{"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + h.function},
		{"AWS_EXECUTION_ENV", h.lang.executionEnv},
		{"LAMBDA_TASK_ROOT", filepath.Dir(h.file)},
		{"_HANDLER", strings.TrimSuffix(filepath.Base(h.file), filepath.Ext(h.file)) + "." + h.handler},
	}
	region := os.Getenv("AWS_REGION")
	if r, ok := extra["AWS_REGION"]; ok {
		region = r
	}
	if region == "" {
		region = "us-east-1"
		lambdaVars = append(lambdaVars, [2]string{"AWS_REGION", region})
	}
	if os.Getenv("AWS_DEFAULT_REGION") == "" && extra["AWS_DEFAULT_REGION"] == "" {
		lambdaVars = append(lambdaVars, [2]string{"AWS_DEFAULT_REGION", region})
	}
	for _, kv := range lambdaVars {
		env = append(env, kv[0]+"="+kv[1])
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	memory := memorySize
	if m, ok := extra["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]; ok {
		memory = m
	}
	return env, memory
}

// Timeout returns the hook's time limit.
func (h *Hook) Timeout() time.Duration { return h.timeout }

// Invoke runs the handler with ev in an idle worker, starting the worker
// first when it is not running (the first call, or the call after a crash
// or a timeout). Invocations beyond Options.Workers wait for a worker.
func (h *Hook) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	event, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("process: encode event: %w", err)
	}
	var w *worker
	select {
	case w = <-h.idle:
	case <-ctx.Done():
		return nil, fmt.Errorf("process: wait for a worker of %s: %w", h.uri, ctx.Err())
	case <-h.closeStarted:
		return nil, h.closedError()
	}
	defer func() { h.idle <- w }()
	return h.invoke(ctx, w, event)
}

// Close stops every worker (killing its process group) and waits for them
// to exit. Invocations in flight fail; later ones fail at once.
func (h *Hook) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	close(h.closeStarted)
	var procs []*proc
	for _, w := range h.workers {
		if w.proc != nil {
			procs = append(procs, w.proc)
		}
	}
	dir := h.scriptDir
	h.mu.Unlock()
	for _, p := range procs {
		p.kill()
		<-p.exited
	}
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("process: remove bootstrap: %w", err)
		}
	}
	return nil
}

func (h *Hook) closedError() error {
	return parley.Errorf(parley.ErrDependencyFailed, "Code hook is shut down (%s)", h.uri)
}

// bootstrap writes the runtime's bootstrap into a private temporary folder
// once and returns its path. Callers hold h.mu.
func (h *Hook) bootstrap() (string, error) {
	if h.scriptPath != "" {
		return h.scriptPath, nil
	}
	dir, err := os.MkdirTemp("", "parley-hook-")
	if err != nil {
		return "", fmt.Errorf("process: bootstrap folder: %w", err)
	}
	path := filepath.Join(dir, h.lang.script)
	if err := os.WriteFile(path, []byte(h.lang.source), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("process: write bootstrap: %w", err)
	}
	h.scriptDir, h.scriptPath = dir, path
	return path, nil
}

// lambdaError is the error object a runtime reports for a failed handler
// or a failed start.
type lambdaError struct {
	ErrorType    string   `json:"errorType"`
	ErrorMessage string   `json:"errorMessage"`
	Where        string   `json:"where"`
	StackTrace   []string `json:"stackTrace"`
}

// unhandled turns a runtime's error payload into Lex's error, logging the
// stack trace the way Lambda's log shows it.
func (h *Hook) unhandled(id string, payload []byte) error {
	var le lambdaError
	if err := json.Unmarshal(payload, &le); err != nil || le.ErrorType == "" {
		le = lambdaError{ErrorType: "Runtime.Unknown", ErrorMessage: string(truncate(payload, 512))}
	}
	detail := le.ErrorType + ": " + le.ErrorMessage
	if le.Where != "" {
		detail += " (" + le.Where + ")"
	}
	h.logger.Warn("[ERROR] "+string(truncate([]byte(detail), 4096)), "function", h.function, "requestId", id,
		"stackTrace", stackTrace(le.StackTrace))
	return parley.Errorf(parley.ErrDependencyFailed,
		"Invalid Lambda Response: Received error response from Lambda (Unhandled): %s", detail)
}

// decode reads the handler's answer into a response; shape rules are the
// caller's (CodeHookResponse.Validate).
func (h *Hook) decode(id string, body []byte) (*parley.CodeHookResponse, error) {
	reject := func(detail string) error {
		h.logger.Warn("code hook response rejected: "+detail, "function", h.function, "requestId", id,
			"payload", string(truncate(body, 4096)))
		return parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: Received invalid response from Lambda: %s", detail)
	}
	var resp parley.CodeHookResponse
	err := json.Unmarshal(body, &resp)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return nil, reject(fmt.Sprintf("not valid JSON at offset %d: %v", syntax.Offset, err))
	case len(body) == 0 || firstByte(body) != '{':
		return nil, reject(fmt.Sprintf("not a JSON object: the function returned %s", truncate(body, 64)))
	case errors.As(err, &typ):
		return nil, reject(fmt.Sprintf("field %s is a JSON %s, want %s", typ.Field, typ.Value, typ.Type))
	case err != nil:
		return nil, reject(err.Error())
	}
	return &resp, nil
}

// stackTrace joins a runtime's stack lines (Python's end in a newline,
// Node's do not) one per line.
func stackTrace(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(l, "\n")
	}
	return strings.Join(out, "\n")
}

func firstByte(b []byte) byte {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}

func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}

func tooLarge(size, limit int) error {
	return parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: response is %s bytes, more than the %s-byte limit",
		thousands(size), thousands(limit))
}

// thousands formats n with comma separators, as Lex's messages do.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// duration formats a time limit for a message, rounded to 10 ms so that a
// deadline set by the caller a moment before ours still reads "30s".
func duration(d time.Duration) string {
	return d.Round(10 * time.Millisecond).String()
}

// billed is Lambda's billed duration: whole milliseconds, rounded up.
func billed(d time.Duration) int64 {
	return int64(math.Ceil(float64(d) / float64(time.Millisecond)))
}

// discard drains what a frame reader does not keep.
func discard(r io.Reader, n int64) error {
	_, err := io.CopyN(io.Discard, r, n)
	return err
}

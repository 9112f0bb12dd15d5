package process

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley"
)

// Frame limits besides the response's own: a log line or an error report
// larger than this is cut, so one runaway print cannot exhaust memory.
const (
	maxLogBytes    = 256 << 10
	maxReportBytes = 1 << 20
	maxHeaderBytes = 64 << 10
	keptBytes      = 4 << 10 // of a payload over its limit, for the log
)

// drainGrace is how long fd 4 is read after the runtime exited.
const drainGrace = time.Second

// worker is one slot of the pool: at most one invocation uses it at a time.
type worker struct {
	proc *proc // guarded by Hook.mu; nil or exited means start on next use
}

// proc is one running runtime process.
type proc struct {
	cmd      *exec.Cmd
	requests *os.File // our end of the child's fd 3
	exited   chan struct{}
	state    string // "exit status 3", "signal: killed"; set before exited closes

	mu      sync.Mutex
	want    string     // the id the pending answer must carry ("" = start)
	answers chan frame // the pending answer, or nil
	current string     // the request raw stdout/stderr lines belong to
}

// frame is one message from the runtime: a header line, then Size bytes.
type frame struct {
	Kind  string `json:"kind"` // ready, init_error, log, result, error, invalid
	ID    string `json:"id"`
	Size  int    `json:"size"`
	Level string `json:"level"`

	payload []byte
	dropped bool // Size was over the limit; payload holds the first bytes
}

func (p *proc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

func (p *proc) kill() {
	if p.alive() {
		killGroup(p.cmd)
	}
}

// expect registers the answer the next frame with id will be.
func (p *proc) expect(id string) <-chan frame {
	ch := make(chan frame, 1)
	p.mu.Lock()
	p.want, p.answers = id, ch
	if id != "" {
		p.current = id
	}
	p.mu.Unlock()
	return ch
}

func (p *proc) currentID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.current
}

// initLimit bounds a worker's start, separately from the invocation's
// own limit, as Lambda limits its init phase to 10 s.
const initLimit = 10 * time.Second

// limit is the time bound of one phase: the worker's start or the call.
type limit struct {
	timer    *time.Timer
	d        time.Duration
	ctxFirst bool   // the caller's deadline comes before ours
	phase    string // "" for the call, " while starting" for the start
}

// newLimit starts the bound of a phase of d that begins now; the caller's
// deadline wins when it is earlier. It returns the phase's deadline.
func newLimit(ctx context.Context, d time.Duration, phase string) (*limit, time.Time) {
	now := time.Now()
	deadline := now.Add(d)
	l := &limit{d: d, phase: phase}
	if cd, ok := ctx.Deadline(); ok && cd.Before(deadline) {
		deadline, l.d, l.ctxFirst = cd, cd.Sub(now), true
	}
	l.timer = time.NewTimer(l.d)
	return l, deadline
}

// invoke runs one invocation on w, starting its process when needed.
func (h *Hook) invoke(ctx context.Context, w *worker, event []byte) (*parley.CodeHookResponse, error) {
	h.mu.Lock()
	p := w.proc
	h.mu.Unlock()
	var initDuration time.Duration
	if p == nil || !p.alive() {
		start := time.Now()
		var err error
		if p, err = h.start(w); err != nil {
			return nil, err
		}
		bound, _ := newLimit(ctx, initLimit, " while starting")
		f, err := h.await(ctx, p, p.expect(""), bound, "")
		bound.timer.Stop()
		if err != nil {
			return nil, err
		}
		if f.Kind != "ready" {
			p.kill()
			<-p.exited
			return nil, h.unhandled("", f.payload)
		}
		initDuration = time.Since(start)
	}

	id := newRequestID()
	attrs := []any{"function", h.function, "requestId", id}
	h.logger.Info("START RequestId: "+id+" Version: $LATEST", attrs...)
	ch := p.expect(id)
	sent := time.Now()
	bound, deadline := newLimit(ctx, h.timeout, "")
	defer bound.timer.Stop()
	f, err := h.send(ctx, p, id, deadline, event, bound)
	if err == nil {
		f, err = h.await(ctx, p, ch, bound, id)
	}
	elapsed := time.Since(sent)
	h.logger.Info("END RequestId: "+id, attrs...)
	report := fmt.Sprintf("REPORT RequestId: %s Duration: %.2f ms Billed Duration: %d ms Memory Size: %s MB",
		id, float64(elapsed)/float64(time.Millisecond), billed(elapsed), h.memory)
	if initDuration > 0 {
		report += fmt.Sprintf(" Init Duration: %.2f ms", float64(initDuration)/float64(time.Millisecond))
	}
	if err != nil {
		report += " Status: error"
	}
	h.logger.Info(report, attrs...)
	if err != nil {
		return nil, err
	}

	switch {
	case f.Kind == "error":
		return nil, h.unhandled(id, f.payload)
	case f.Kind == "invalid":
		h.logger.Warn("code hook response rejected: "+string(f.payload), attrs...)
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: Received invalid response from Lambda: %s", f.payload)
	case f.Kind == "result" && f.dropped:
		h.logger.Warn("code hook response rejected: too large", "function", h.function, "requestId", id,
			"payload", string(f.payload))
		return nil, tooLarge(f.Size, h.maxResponse)
	case f.Kind == "result":
		return h.decode(id, f.payload)
	}
	p.kill()
	return nil, parley.Errorf(parley.ErrDependencyFailed, "Code hook runtime answered an unknown %q frame (%s)", f.Kind, h.uri)
}

// send writes the request line, {"id","deadlineMs","event"}, to the runtime.
func (h *Hook) send(ctx context.Context, p *proc, id string, deadline time.Time, event []byte, bound *limit) (frame, error) {
	// The event is already JSON from json.Marshal and the id a UUID, so
	// the line is assembled rather than encoded a second time.
	line := make([]byte, 0, len(event)+80)
	line = append(line, `{"id":"`...)
	line = append(line, id...)
	line = append(line, `","deadlineMs":`...)
	line = strconv.AppendInt(line, deadline.UnixMilli(), 10)
	line = append(line, `,"event":`...)
	line = append(line, event...)
	line = append(line, "}\n"...)
	if err := p.requests.SetWriteDeadline(deadline); err != nil {
		return frame{}, fmt.Errorf("process: request deadline: %w", err)
	}
	if _, err := p.requests.Write(line); err != nil {
		// The runtime is gone or stuck: await tells which, and how.
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			select {
			case <-p.exited:
			case <-bound.timer.C:
				bound.timer.Reset(0)
			}
		}
		return h.await(ctx, p, nil, bound, id)
	}
	return frame{}, nil
}

// await waits for the answer on ch, the process's end, the time limit or
// ctx. On a time limit or ctx it kills the process: the runtime cannot be
// interrupted in the middle of a handler.
func (h *Hook) await(ctx context.Context, p *proc, ch <-chan frame, bound *limit, id string) (frame, error) {
	timedOut := func(cause error) error {
		h.logger.Warn(fmt.Sprintf("Task timed out after %.2f seconds", bound.d.Seconds()), "function", h.function, "requestId", id)
		p.kill()
		<-p.exited
		return &parley.Error{Code: parley.ErrDependencyFailed,
			Message: fmt.Sprintf("Code hook timed out after %s%s (%s)", duration(bound.d), bound.phase, h.uri), Err: cause}
	}
	select {
	case f := <-ch:
		return f, nil
	case <-p.exited:
		// A last answer may have come just before the end.
		select {
		case f := <-ch:
			return f, nil
		default:
		}
		return frame{}, parley.Errorf(parley.ErrDependencyFailed, "Code hook process exited: %s (%s)", p.state, h.uri)
	case <-bound.timer.C:
		var cause error
		if bound.ctxFirst {
			// Our timer and the caller's deadline are the same instant;
			// the caller must still see its deadline.
			cause = context.DeadlineExceeded
		}
		return frame{}, timedOut(cause)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return frame{}, timedOut(ctx.Err())
		}
		p.kill()
		<-p.exited
		return frame{}, fmt.Errorf("process: invoke %s: %w", h.uri, ctx.Err())
	}
}

// start launches w's runtime process and its readers.
func (h *Hook) start(w *worker) (*proc, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, h.closedError()
	}
	script, err := h.bootstrap()
	if err != nil {
		return nil, err
	}
	var pipes [4][2]*os.File // requests, answers, stdout, stderr: {read, write}
	for i := range pipes {
		r, w, err := os.Pipe()
		if err != nil {
			for _, p := range pipes[:i] {
				p[0].Close()
				p[1].Close()
			}
			return nil, fmt.Errorf("process: pipe: %w", err)
		}
		pipes[i] = [2]*os.File{r, w}
	}
	requests, answers, stdout, stderr := pipes[0], pipes[1], pipes[2], pipes[3]

	args := append(slices.Clone(h.lang.args), script, h.file, h.handler)
	cmd := exec.Command(h.interpreter, args...)
	cmd.Dir = filepath.Dir(h.file)
	cmd.Env = append(slices.Clip(h.env), "AWS_LAMBDA_LOG_STREAM_NAME="+logStreamName())
	cmd.Stdout, cmd.Stderr = stdout[1], stderr[1]
	cmd.ExtraFiles = []*os.File{requests[0], answers[1]} // fd 3, fd 4
	setProcessGroup(cmd)
	err = cmd.Start()
	for _, f := range []*os.File{requests[0], answers[1], stdout[1], stderr[1]} {
		f.Close() // the child's ends: ours must go so that reads see EOF
	}
	if err != nil {
		for _, f := range []*os.File{requests[1], answers[0], stdout[0], stderr[0]} {
			f.Close()
		}
		return nil, parley.Errorf(parley.ErrDependencyFailed, "Code hook process could not start: %v (%s)", err, h.uri)
	}

	p := &proc{cmd: cmd, requests: requests[1], exited: make(chan struct{})}
	h.logger.Info("code hook worker started", "function", h.function, "pid", cmd.Process.Pid, "uri", h.uri)
	framesDone := make(chan struct{})
	go h.readFrames(p, answers[0], framesDone)
	go h.readOutput(p, stdout[0], slog.LevelInfo)
	go h.readOutput(p, stderr[0], slog.LevelWarn)
	go func() {
		err := cmd.Wait()
		// What the handler left running dies with it, as in Lambda; that
		// also ends any copy of fd 4 a child process inherited. One that
		// left the group could keep fd 4 open: the reader gets a moment to
		// drain what the runtime wrote before it died, then gives up.
		killGroup(cmd)
		_ = answers[0].SetReadDeadline(time.Now().Add(drainGrace))
		<-framesDone
		if cmd.ProcessState != nil {
			p.state = cmd.ProcessState.String()
		} else {
			p.state = err.Error()
		}
		p.requests.Close()
		close(p.exited)
		h.logger.Info("code hook worker exited", "function", h.function, "pid", cmd.Process.Pid, "status", p.state)
	}()
	w.proc = p
	return p, nil
}

// readFrames reads the runtime's fd 4 until it closes: log frames go to
// the logger, the rest to the pending answer.
func (h *Hook) readFrames(p *proc, r *os.File, done chan<- struct{}) {
	defer close(done)
	defer r.Close()
	br := bufio.NewReaderSize(r, maxHeaderBytes)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
				h.broken(p, err)
			}
			return
		}
		f, err := parseHeader(line)
		if err != nil {
			h.broken(p, err)
			return
		}
		limit := maxReportBytes
		switch f.Kind {
		case "result":
			limit = h.maxResponse
		case "log":
			limit = maxLogBytes
		}
		keep := f.Size
		if f.Size > limit {
			f.dropped, keep = true, min(f.Size, keptBytes)
		}
		f.payload = make([]byte, keep)
		if _, err := io.ReadFull(br, f.payload); err != nil {
			return
		}
		if err := discard(br, int64(f.Size-keep)); err != nil {
			return
		}
		h.dispatch(p, f)
	}
}

// parseHeader reads a frame's header line.
func parseHeader(line []byte) (frame, error) {
	var f frame
	if err := json.Unmarshal(line, &f); err != nil {
		return frame{}, fmt.Errorf("bad frame header %q: %w", truncate(line, 200), err)
	}
	if f.Size < 0 || f.Kind == "" {
		return frame{}, fmt.Errorf("bad frame header %q: no kind or a negative size", truncate(line, 200))
	}
	return f, nil
}

// broken ends a runtime whose fd 4 no longer follows the protocol.
func (h *Hook) broken(p *proc, err error) {
	h.logger.Warn("code hook runtime broke the protocol: "+err.Error(), "function", h.function, "requestId", p.currentID())
	p.kill()
}

func (h *Hook) dispatch(p *proc, f frame) {
	if f.Kind == "log" {
		text := string(f.payload)
		if f.dropped {
			text += fmt.Sprintf(" … (%s bytes cut)", thousands(f.Size-len(f.payload)))
		}
		h.logger.Log(context.Background(), logLevel(f.Level), text, "function", h.function, "requestId", f.ID)
		return
	}
	p.mu.Lock()
	ch := p.answers
	match := ch != nil && f.ID == p.want
	if match {
		p.answers = nil
	}
	p.mu.Unlock()
	if !match {
		h.logger.Warn("code hook answered a request nobody waits for", "function", h.function, "requestId", f.ID, "kind", f.Kind)
		return
	}
	ch <- f
}

// readOutput logs what the process writes to its real stdout or stderr
// (output that bypassed print/console: child processes, C libraries).
func (h *Hook) readOutput(p *proc, r *os.File, level slog.Level) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLogBytes)
	for sc.Scan() {
		h.logger.Log(context.Background(), level, sc.Text(), "function", h.function, "requestId", p.currentID())
	}
	if sc.Err() != nil {
		_, _ = io.Copy(io.Discard, r)
	}
}

func logLevel(name string) slog.Level {
	switch strings.ToUpper(name) {
	case "DEBUG":
		return slog.LevelDebug
	case "WARN":
		return slog.LevelWarn
	case "ERROR":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// newRequestID returns a random (version 4) UUID, the form of Lambda's
// request ids.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// logStreamName is a log stream name of Lambda's form for a new worker.
func logStreamName() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + hex.EncodeToString(b[:])
}

// Package e2e holds black-box tests: they build the parley binary once,
// run it as a separate process on loopback and talk to it with real
// clients. They import nothing from the module but internal/testserver,
// which starts the Redis, PostgreSQL and dynalite servers a store runs on,
// so they see exactly what a user sees.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// parleyBin is the binary TestMain builds; it is set once before any test
// runs and only read afterwards.
var parleyBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds ./cmd/parley into a temporary folder (the repository
// root is the parent of this package's folder) and runs the tests.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "parley-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "parley")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, "./cmd/parley")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/parley: %v\n%s", err, out)
		return 1
	}
	parleyBin = bin
	return m.Run()
}

// startupLimit bounds how long a server may take to print its address and
// answer /healthz; it only stops a broken server from hanging the test run.
const startupLimit = 60 * time.Second

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// hasFlag reports whether args set the named flag, as "--name V" or
// "--name=V".
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// startServer runs `parley serve args...` with `--addr 127.0.0.1:0` and
// `--store memory:` unless args set those flags, waits until it answers
// /healthz and returns its base URL ("http://127.0.0.1:PORT"). Bot paths in
// args are relative to this folder (e2e/), e.g. "../examples/hello". The
// process is killed when the test ends; when the test failed, its output is
// logged.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	base, _ := startServerEnv(t, nil, args...)
	return base
}

// startServerEnv is startServer with env as the server's whole environment
// (nil: this process's). It also returns the server's stderr, where its
// log goes, for tests that check what the code hooks logged.
func startServerEnv(t *testing.T, env []string, args ...string) (string, *lockedBuffer) {
	t.Helper()
	full := append([]string{"serve"}, args...)
	if !hasFlag(args, "--addr") {
		full = append(full, "--addr", "127.0.0.1:0")
	}
	if !hasFlag(args, "--store") {
		full = append(full, "--store", "memory:")
	}
	cmd := exec.Command(parleyBin, full...)
	cmd.Env = env
	stderr, stdout := &lockedBuffer{}, &lockedBuffer{}
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start parley %s: %v", strings.Join(full, " "), err)
	}
	exited := make(chan struct{})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			stdout.Write([]byte(line + "\n"))
			if rest, ok := strings.CutPrefix(line, "Parley listening on "); ok {
				select {
				case urls <- strings.TrimSpace(rest):
				default:
				}
			}
		}
		io.Copy(stdout, pipe)
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("parley %s\nstdout:\n%s\nstderr:\n%s", strings.Join(full, " "), stdout.String(), stderr.String())
		}
	})

	var base string
	select {
	case base = <-urls:
	case <-exited:
		t.Fatalf("parley serve exited before listening")
	case <-time.After(startupLimit):
		t.Fatalf("parley serve printed no %q line", "Parley listening on")
	}
	waitHealthy(t, base, exited)
	return base, stderr
}

// waitHealthy polls GET /healthz until it answers 200.
func waitHealthy(t *testing.T, base string, exited <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("parley serve exited while waiting for %s/healthz", base)
		case <-ctx.Done():
			t.Fatalf("%s/healthz never answered 200 (last error: %v)", base, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// result is what one run of the parley binary produced.
type result struct {
	Stdout, Stderr string
	Code           int // exit status
}

// runParley runs the parley binary to completion with stdin as its input
// (none when empty) and returns its output and exit status.
func runParley(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, parleyBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		r.Code = exit.ExitCode()
	default:
		t.Fatalf("parley %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, r.Stdout, r.Stderr)
	}
	return r
}

// requireTool returns the path of an external program the test needs. When
// it is missing the test is skipped, except under CI=true, where a missing
// tool means a broken set-up and fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI=true: %v (run make test-deps)", name, err)
		}
		t.Skipf("%s not found: %v (run make test-deps)", name, err)
	}
	return path
}

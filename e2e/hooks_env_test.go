package e2e

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

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

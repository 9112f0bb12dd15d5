package testserver

import (
	"fmt"
	"os/exec"
)

// startProcess runs cmd, which is to listen on addr, waits until it does
// and returns the server; cleanup (may be nil) runs once the process is
// gone, also when it never came up.
func startProcess(name string, cmd *exec.Cmd, addr, url string, cleanup func()) (*Server, error) {
	if cleanup == nil {
		cleanup = func() {}
	}
	var out output
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cleanup()
		return nil, fmt.Errorf("testserver: start %s: %w", name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
		cleanup()
	}
	if err := waitListening(addr, exited); err != nil {
		stop()
		return nil, fmt.Errorf("testserver: %s did not start: %w\n%s", name, err, out.String())
	}
	return &Server{Addr: addr, URL: url, stop: stop}, nil
}

//go:build unix

package process

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the runtime in its own process group, so that a
// timeout or Close also ends the processes its handler started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the runtime's process group.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

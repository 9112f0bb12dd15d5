//go:build !unix

package process

import "os/exec"

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(*exec.Cmd) {}

// killGroup kills the runtime process.
func killGroup(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
}

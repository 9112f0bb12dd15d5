package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		code       int
		stdout     string // substring
		stderr     string // exact, when set
		stderrPart string // substring
	}{
		{name: "version", args: []string{"version"}, stdout: "parley "},
		{name: "validate ok", args: []string{"validate", "../examples/hello"}, stdout: "ok: ../examples/hello (bot HELLOBOT01"},
		{name: "validate needs a path", args: []string{"validate"}, code: 1, stderrPart: "parley: requires at least 1 arg"},
		{name: "unknown command", args: []string{"sing"}, code: 1, stderrPart: `unknown command "sing"`},
		{
			name:   "every config problem on its own line",
			args:   []string{"serve", "--addr", "bad", "--store", "redis:x"},
			code:   1,
			stderr: "parley: addr \"bad\": want HOST:PORT, e.g. 127.0.0.1:8080\nparley: store \"redis:x\": redis: URL has no host; write redis://host:port/db\n",
		},
		{
			name:       "environment is read",
			args:       []string{"serve", "../examples/hello"},
			env:        map[string]string{"PARLEY_ADDR": "0.0.0.0:0"},
			code:       1,
			stderrPart: "refusing to listen on 0.0.0.0:0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Main(tt.args, strings.NewReader(""), &stdout, &stderr, mapEnv(tt.env))
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.stdout)
			}
			if tt.stderr != "" && stderr.String() != tt.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), tt.stderr)
			}
			if !strings.Contains(stderr.String(), tt.stderrPart) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderrPart)
			}
		})
	}
}

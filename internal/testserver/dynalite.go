package testserver

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// StartDynalite starts dynalite, installed by make test-deps under the
// module's .tools/node, on a free loopback port with an in-memory store and
// tables that are ready at once; the caller stops it. Server.URL is the
// endpoint for AWS clients.
func StartDynalite() (*Server, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, &MissingError{Program: "node", Install: "Debian package nodejs"}
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(root, ".tools", "node", "node_modules", "dynalite", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		return nil, &MissingError{Program: "dynalite", Install: "make test-deps installs it into .tools/node"}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(node, cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	return startProcess("dynalite", cmd, addr, "http://"+addr, nil)
}

package testserver

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// StartRedis starts redis-server on a free loopback port, without
// persistence; the caller stops it.
func StartRedis() (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, &MissingError{Program: "redis-server", Install: "Debian package redis-server; scripts/test-deps.sh installs it"}
	}
	dir, err := os.MkdirTemp("", "parley-redis-")
	if err != nil {
		return nil, fmt.Errorf("testserver: %w", err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	return startProcess("redis-server", cmd, addr, "redis://"+addr, func() { os.RemoveAll(dir) })
}

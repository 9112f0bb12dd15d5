package testserver

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// startupLimit bounds how long a server may take to listen; it only keeps a
// broken server from hanging the test run.
const startupLimit = 60 * time.Second

// Server is a running throwaway server.
type Server struct {
	// Addr is where it listens, "127.0.0.1:PORT".
	Addr string
	// URL is the base a client connects to: redis://ADDR,
	// postgres://parley@ADDR/postgres?sslmode=disable or http://ADDR.
	URL string

	once sync.Once
	stop func()
}

// Stop stops the server and removes its data. It may be called more than
// once, and on a nil Server.
func (s *Server) Stop() {
	if s == nil || s.stop == nil {
		return
	}
	s.once.Do(s.stop)
}

// MissingError says that a program a server needs is not installed.
type MissingError struct {
	Program string
	// Install says how to get it.
	Install string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("testserver: %s is not installed (%s)", e.Program, e.Install)
}

// Require ends the test when err, from starting a server, is not nil: a
// missing program skips it, except under CI=true, where it fails like any
// other start-up error.
func Require(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var missing *MissingError
	if errors.As(err, &missing) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if errors.As(err, &missing) {
		t.Fatalf("%v; it is required under CI=true", err)
	}
	t.Fatal(err)
}

// Shared is a server that a package's TestMain starts once for all its
// tests, or why it could not be started.
type Shared struct {
	server *Server
	err    error
}

// Main starts the shared server with start, runs the package's tests, stops
// the server and exits with the tests' status. Call it from TestMain.
func (s *Shared) Main(m *testing.M, start func() (*Server, error)) {
	s.server, s.err = start()
	code := m.Run()
	s.server.Stop()
	os.Exit(code)
}

// Require returns the shared server; when it could not be started, the
// test ends as the package's Require says.
func (s *Shared) Require(t testing.TB) *Server {
	t.Helper()
	Require(t, s.err)
	return s.server
}

// forTest starts a server for one test, stopped when the test ends.
func forTest(t testing.TB, start func() (*Server, error)) *Server {
	t.Helper()
	s, err := start()
	Require(t, err)
	t.Cleanup(s.Stop)
	return s
}

// Redis starts a redis-server for the test.
func Redis(t testing.TB) *Server { t.Helper(); return forTest(t, StartRedis) }

// Postgres starts a PostgreSQL cluster for the test.
func Postgres(t testing.TB) *Server { t.Helper(); return forTest(t, StartPostgres) }

// Dynalite starts dynalite for the test.
func Dynalite(t testing.TB) *Server { t.Helper(); return forTest(t, StartDynalite) }

// freePort returns a loopback port nothing listens on right now. Another
// process could take it before the server binds it; on loopback of a test
// machine that is rare enough not to work around.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testserver: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitListening waits until addr accepts connections, giving up early when
// exited closes (the server died) or after startupLimit.
func waitListening(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startupLimit)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return errors.New("it exited")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on %s after %v: %w", addr, startupLimit, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// moduleRoot is the nearest folder at or above the working directory with
// a go.mod: tests run in their package's folder, and the npm tools live
// under the module root's .tools.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testserver: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testserver: no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// output collects a server's output while it runs, for error messages.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

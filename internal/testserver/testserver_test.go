package testserver_test

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/parleybot/parley/internal/testserver"
)

func TestServers(t *testing.T) {
	tests := []struct {
		name      string
		start     func(testing.TB) *testserver.Server
		urlPrefix string
	}{
		{"redis", testserver.Redis, "redis://127.0.0.1:"},
		{"postgres", testserver.Postgres, "postgres://parley@127.0.0.1:"},
		{"dynalite", testserver.Dynalite, "http://127.0.0.1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.start(t)
			if !strings.HasPrefix(s.URL, tc.urlPrefix) || !strings.Contains(s.URL, s.Addr) {
				t.Errorf("URL = %q, want %s… naming %s", s.URL, tc.urlPrefix, s.Addr)
			}
			c, err := net.Dial("tcp", s.Addr)
			if err != nil {
				t.Fatalf("dial the running server: %v", err)
			}
			c.Close()
			s.Stop()
			s.Stop() // a second Stop, as the test's cleanup does, is harmless
			if c, err := net.Dial("tcp", s.Addr); err == nil {
				c.Close()
				t.Errorf("%s still accepts connections after Stop", s.Addr)
			}
		})
	}
}

func TestStopNil(t *testing.T) {
	var s *testserver.Server
	s.Stop()
}

func TestMissingError(t *testing.T) {
	var err error = &testserver.MissingError{Program: "redis-server", Install: "apt-get install redis-server"}
	var missing *testserver.MissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "redis-server is not installed (apt-get install redis-server)") {
		t.Errorf("MissingError = %q", err)
	}
}

// TestRequire checks the skip outside CI; the failure under CI=true cannot
// be watched from inside the failing test.
func TestRequire(t *testing.T) {
	if os.Getenv("CI") == "true" {
		t.Skip("under CI=true Require fails instead of skipping")
	}
	ran := false
	t.Run("missing", func(t *testing.T) {
		ran = true
		testserver.Require(t, &testserver.MissingError{Program: "x", Install: "y"})
		t.Error("Require returned on a missing program")
	})
	if !ran {
		t.Fatal("subtest did not run")
	}
	testserver.Require(t, nil) // nil lets the test go on
}

//go:build unix

package process_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/process"
)

func TestCloseLeavesNoProcess(t *testing.T) {
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			need(t, rt.interpreter)
			h, err := process.New(rt.handler, process.Options{Dir: "testdata", Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			// Both workers busy at once, so both are started.
			folder := t.TempDir()
			var pids [2]int
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Go(func() {
					resp, err := h.Invoke(context.Background(), event("barrier", map[string]string{"folder": folder}))
					if err != nil {
						t.Errorf("Invoke: %v", err)
						return
					}
					pids[i], _ = strconv.Atoi(resp.SessionState.SessionAttributes["pid"])
				})
			}
			wg.Wait()
			if err := h.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			for _, pid := range pids {
				if pid == 0 {
					t.Fatal("a worker reported no pid")
				}
				if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
					t.Errorf("worker %d after Close: kill(0) = %v, want ESRCH (gone and reaped)", pid, err)
				}
			}
			_, err = h.Invoke(context.Background(), event("context", nil))
			if code := parley.ErrorCodeOf(err); code != parley.ErrDependencyFailed {
				t.Errorf("Invoke after Close: %v, want ErrDependencyFailed", err)
			}
			if err := h.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

package connector_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/channel/connector"
)

// clock is a settable time for the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestMemoryDedup(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	d := connector.NewMemoryDedup(clk.now, time.Minute, 3)
	steps := []struct {
		name    string
		advance time.Duration
		key     string
		want    bool
	}{
		{name: "first", key: "a", want: true},
		{name: "retry", key: "a", want: false},
		{name: "another", key: "b", want: true},
		{name: "retry within the window", advance: 59 * time.Second, key: "a", want: false},
		{name: "expired after the window", advance: time.Second, key: "a", want: true},
		{name: "b expired too", key: "b", want: true},
		{name: "fill to the cap", key: "c", want: true},
		{name: "still remembered at the cap", key: "a", want: false},
		{name: "over the cap drops the oldest", key: "d", want: true},
		{name: "oldest forgotten", key: "a", want: true},
		{name: "newest kept", key: "d", want: false},
	}
	for _, s := range steps {
		clk.add(s.advance)
		got, err := d.FirstSeen(ctx, s.key)
		if err != nil || got != s.want {
			t.Fatalf("%s: FirstSeen(%q) = %v %v, want %v", s.name, s.key, got, err, s.want)
		}
	}
}

func TestMemoryDedupConcurrent(t *testing.T) {
	d := connector.NewMemoryDedup(time.Now, time.Hour, 1000)
	var wg sync.WaitGroup
	firsts := make([]int, 50)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if ok, _ := d.FirstSeen(context.Background(), fmt.Sprint("event-", (i+g)%50)); ok {
					firsts[(i+g)%50]++ // only one goroutine wins each key
				}
			}
		}()
	}
	wg.Wait()
	for i, n := range firsts {
		if n != 1 {
			t.Errorf("event-%d first seen %d times, want 1", i, n)
		}
	}
}

package twilio

import (
	"strconv"
	"strings"
	"sync"

	"github.com/parleybot/parley/channel/connector"
)

// choices remembers the buttons last offered to each sender, so that an
// answer of "2" or of a button's text becomes that button's value. Safe
// for concurrent use.
type choices struct {
	max int // senders remembered; beyond, an arbitrary one is forgotten

	mu      sync.Mutex
	offered map[string][]connector.Button
}

// offer records the buttons of the latest answer to from; none forgets the
// earlier list, so a later "1" is text again.
func (c *choices) offer(from string, buttons []connector.Button) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(buttons) == 0 {
		delete(c.offered, from)
		return
	}
	if c.offered == nil {
		c.offered = map[string][]connector.Button{}
	}
	if _, ok := c.offered[from]; !ok && len(c.offered) >= c.max {
		for k := range c.offered {
			delete(c.offered, k)
			break
		}
	}
	c.offered[from] = buttons
}

// lookup maps body onto an offered button's value: its number ("2", "2)"
// or "2.") or its text, ignoring case and surrounding space.
func (c *choices) lookup(from, body string) (string, bool) {
	c.mu.Lock()
	buttons := c.offered[from]
	c.mu.Unlock()
	s := strings.TrimSpace(body)
	if n, err := strconv.Atoi(strings.TrimRight(s, ").")); err == nil && n >= 1 && n <= len(buttons) {
		return buttons[n-1].Value, true
	}
	for _, b := range buttons {
		if strings.EqualFold(s, strings.TrimSpace(b.Text)) {
			return b.Value, true
		}
	}
	return "", false
}

// keyedLock serialises work per key (a sender), so one sender's turns run
// in order; keys are dropped when unused.
type keyedLock struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu    sync.Mutex
	users int
}

// lock waits for key and returns its unlock function.
func (k *keyedLock) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

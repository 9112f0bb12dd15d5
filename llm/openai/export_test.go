package openai

import (
	"context"
	"time"
)

// SetSleep replaces the wait between retries, so tests see the delays
// without spending them.
func SetSleep(c *Client, sleep func(ctx context.Context, d time.Duration) error) { c.sleep = sleep }

// Backoff exposes the wait before a retry for tests.
var Backoff = backoff

package openai_test

import (
	"testing"
	"time"

	"github.com/parleybot/parley/llm/openai"
)

// FuzzBackoff feeds arbitrary Retry-After headers: the wait is never
// negative and never more than a day.
func FuzzBackoff(f *testing.F) {
	for _, s := range []string{"", "0", "7", " 12 ", "-3", "99999999999999999999", "9223372036854775807", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "soon"} {
		f.Add(3, s)
	}
	f.Fuzz(func(t *testing.T, n int, retryAfter string) {
		if n < 0 || n > 64 {
			return
		}
		if d := openai.Backoff(n, retryAfter); d < 0 || d > 24*time.Hour {
			t.Fatalf("Backoff(%d, %q) = %v", n, retryAfter, d)
		}
	})
}

package sessionbody

import (
	"fmt"
	"math"
	"time"

	"github.com/parleybot/parley"
)

// UnixNano is t in Unix nanoseconds, clamped to int64 so that far-future
// expiry times (beyond 2262) sort last instead of overflowing.
func UnixNano(t time.Time) int64 {
	switch {
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	}
	return t.UnixNano()
}

// Describe names a session in error messages that are only logged.
func Describe(k parley.SessionKey) string {
	return fmt.Sprintf("%q/%q/%q/%q", k.BotID, k.AliasID, k.LocaleID, k.SessionID)
}

// NotFound is the error of a store that has no (unexpired) session for key.
func NotFound(key parley.SessionKey) error {
	return parley.Errorf(parley.ErrNotFound, "session %s not found", key.SessionID)
}

package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
)

// BenchGetPut measures one turn's store traffic, a Get followed by a Put of
// the session it returned, on a Sample-sized session. "serial" runs one
// conversation; "parallel" runs one conversation per goroutine, as a server
// does with many users.
func BenchGetPut(b *testing.B, s parley.SessionStore) {
	ctx := context.Background()
	var conversations atomic.Int64
	// Errors are returned, not reported, because b.Fatal may not be called
	// from RunParallel's goroutines.
	newConversation := func() (parley.SessionKey, error) {
		key := parley.SessionKey{BotID: "BENCHBOT01", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: fmt.Sprint("bench-", conversations.Add(1))}
		sess := Sample(key, time.Now())
		sess.ExpiresAt = time.Now().Add(24 * time.Hour)
		if err := s.Put(ctx, sess); err != nil {
			return key, fmt.Errorf("Put: %w", err)
		}
		return key, nil
	}
	turn := func(key parley.SessionKey) error {
		sess, err := s.Get(ctx, key)
		if err != nil {
			return fmt.Errorf("Get: %w", err)
		}
		sess.Memory.Turns++
		if err := s.Put(ctx, sess); err != nil {
			return fmt.Errorf("Put: %w", err)
		}
		return nil
	}

	b.Run("serial", func(b *testing.B) {
		key, err := newConversation()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := turn(key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			key, err := newConversation()
			if err != nil {
				b.Error(err)
				return
			}
			for pb.Next() {
				if err := turn(key); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

package dynamodb_test

import (
	"context"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/dynamodb"
	"github.com/parleybot/parley/store/storetest"
)

// TestPutWhoseAnswerWasLost has a proxy apply a PutItem at dynalite and then
// answer the client with a 500, as when a connection drops after the write.
// The SDK sends the PutItem again, whose condition now fails on the version
// the first attempt wrote; the store must see that the item is its own
// write and report success, not a conflict for a turn that was stored.
func TestPutWhoseAnswerWasLost(t *testing.T) {
	endpoint := needDynalite(t)
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var loseNextPut atomic.Bool
	var lost atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == "DynamoDB_20120810.PutItem" && loseNextPut.CompareAndSwap(true, false) {
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				t.Errorf("proxied PutItem: status %d: %s", rec.Code, rec.Body)
			}
			lost.Add(1)
			body := `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"answer lost on the way"}`
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(body))), 10))
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, body)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	s, err := dynamodb.Open(context.Background(), storeURL(srv.URL, newTable(), ""), dynamodb.Options{Init: true, Credentials: testCreds})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	key := parley.SessionKey{BotID: "BOT", AliasID: "TSTALIASID", LocaleID: "ko_KR", SessionID: "lost-answer"}
	now := time.Now()
	sess := storetest.Sample(key, now)
	for step := range 2 { // creating the session, then updating it
		loseNextPut.Store(true)
		before := sess.Version
		if err := s.Put(ctx, sess); err != nil {
			t.Fatalf("Put %d with its first answer lost: %v", step+1, err)
		}
		if sess.Version != before+1 {
			t.Errorf("Put %d: version %d, want %d", step+1, sess.Version, before+1)
		}
	}
	if lost.Load() != 2 {
		t.Fatalf("%d answers were lost, want 2: the SDK did not go through the proxy as planned", lost.Load())
	}
	got, err := s.Get(ctx, sess.Key)
	if err != nil || got.Version != sess.Version {
		t.Fatalf("Get: version %v, err %v; want version %d", got, err, sess.Version)
	}
	// A stale write of other content is still a conflict.
	stale := storetest.Sample(key, now)
	stale.Version = 1
	stale.State.SessionAttributes = map[string]string{"from": "another turn"}
	if err := s.Put(ctx, stale); parley.ErrorCodeOf(err) != parley.ErrConflict {
		t.Errorf("stale Put: err = %v, want ErrConflict", err)
	}
}

package kakao_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/channeltest"
)

// gate holds the turns whose text is "slow" until it is opened, so a test
// decides when a turn is late without timing it.
type gate struct {
	once sync.Once
	ch   chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }

func (g *gate) script(req *parley.TurnRequest) []parley.Message {
	if strings.HasPrefix(req.Text, "slow") {
		<-g.ch
	}
	return []parley.Message{text("you said: " + req.Text)}
}

// TestCallbackAfterSixSeconds is the done-when: a turn that takes
// 6 s, with the real 4 s reply timeout, reaches the user through the
// callback URL exactly once.
func TestCallbackAfterSixSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 6 s")
	}
	fake := newCallbackFake(t)
	rt := &channeltest.Runtime{Delay: 6 * time.Second}
	ch := newChannel(t, rt, nil)
	cb := fake.URL("tok-six", false)

	start := time.Now()
	rec := serve(ch, post(skill{user: "u_slow", utterance: "느린 질문", callbackURL: cb}.body()))
	t.Logf("answered in %v", time.Since(start).Round(time.Millisecond))
	r := decode(t, rec.Body.Bytes())
	if rec.Code != http.StatusOK || !r.UseCallback || r.Template != nil || r.Data["text"] == "" {
		t.Fatalf("got %d %s: want useCallback with a waiting text", rec.Code, rec.Body)
	}
	if posts := fake.Posts("tok-six"); len(posts) != 0 {
		t.Fatalf("posted %d times before the turn ended", len(posts))
	}
	fake.WaitPosts("tok-six", 1, 30*time.Second)
	if err := ch.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts("tok-six")
	if len(posts) != 1 {
		t.Fatalf("callback got %d posts, want exactly 1", len(posts))
	}
	t.Logf("callback after %v", time.Since(start).Round(time.Millisecond))
	if got := decode(t, posts[0]).texts(); !slices.Equal(got, []string{"you said: 느린 질문"}) {
		t.Errorf("callback texts %q", got)
	}
	if s := ch.Stats(); s.Accepted != 1 || s.Failed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestCallback covers the callback path without waiting for the real
// timeout: a fast turn with a callback URL answers directly, a late one
// posts once, a FAIL answer (with 200 or 4xx) is not retried, a failed
// turn posts the polite reply.
func TestCallback(t *testing.T) {
	cases := []struct {
		name       string
		utterance  string
		refuse     bool
		failStatus int
		failing    bool
		timeout    string
		wantPosts  int
		wantFailed int64
		wantText   string
	}{
		{"fast turn answers in the response", "fast", false, http.StatusOK, false, "4s", 0, 0, ""},
		{"late turn posts once", "slow one", false, http.StatusOK, false, "50ms", 1, 0, "you said: slow one"},
		{"FAIL with 200 is not retried", "slow two", true, http.StatusOK, false, "50ms", 1, 1, "you said: slow two"},
		{"FAIL with 400 is not retried", "slow three", true, http.StatusBadRequest, false, "50ms", 1, 1, "you said: slow three"},
		{"failed late turn posts a polite reply", "slow four", false, http.StatusOK, true, "50ms", 1, 1, "죄송해요, 처리 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요."},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newCallbackFake(t)
			fake.failStatus = c.failStatus
			g := newGate()
			rt := &channeltest.Runtime{Script: g.script}
			var runtime parley.Runtime = rt
			if c.failing {
				runtime = failAfter{rt}
			}
			ch := newChannel(t, runtime, map[string]string{"replyTimeout": c.timeout})
			token := fmt.Sprint("tok-", i)
			rec := serve(ch, post(skill{user: "u_cb", utterance: c.utterance, callbackURL: fake.URL(token, c.refuse)}.body()))
			r := decode(t, rec.Body.Bytes())
			if c.wantPosts == 0 {
				if r.UseCallback || !slices.Equal(r.texts(), []string{"you said: fast"}) {
					t.Errorf("response %s: want the answer itself", rec.Body)
				}
			} else if !r.UseCallback || r.Data["text"] != "답변을 준비하고 있어요. 잠시만 기다려 주세요." {
				t.Errorf("response %s: want useCallback with the Korean waiting text", rec.Body)
			}
			g.open()
			if err := ch.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			posts := fake.Posts(token)
			if len(posts) != c.wantPosts {
				t.Fatalf("%d posts, want %d", len(posts), c.wantPosts)
			}
			if c.wantPosts > 0 {
				if got := decode(t, posts[0]).texts(); !slices.Equal(got, []string{c.wantText}) {
					t.Errorf("posted texts %q, want %q", got, c.wantText)
				}
			}
			if s := ch.Stats(); s.Failed != c.wantFailed {
				t.Errorf("stats %+v, want %d failed", s, c.wantFailed)
			}
		})
	}
}

// failAfter fails every turn after the script ran (and its gate opened).
type failAfter struct{ *channeltest.Runtime }

func (f failAfter) RecognizeText(ctx context.Context, req *parley.TurnRequest) (*parley.TurnResult, error) {
	if _, err := f.Runtime.RecognizeText(ctx, req); err != nil {
		return nil, err
	}
	return nil, parley.Errorf(parley.ErrDependencyFailed, "lambda timed out")
}

// TestLateAnswerWithoutCallback: with no callback URL, a late turn is
// answered with a holding text and its answer opens the user's next reply.
func TestLateAnswerWithoutCallback(t *testing.T) {
	g := newGate()
	rt := &channeltest.Runtime{Script: g.script}
	ch := newChannel(t, rt, map[string]string{"replyTimeout": "200ms"})

	r := decode(t, serve(ch, post(skill{user: "u_p", utterance: "slow 질문"}.body())).Body.Bytes())
	if got := r.texts(); len(got) != 1 || !strings.Contains(got[0], "잠시 후 아무 메시지나 보내 주시면") {
		t.Fatalf("texts %q: want the Korean holding text", got)
	}
	// Another user is not affected.
	if got := decode(t, serve(ch, post(skill{user: "u_other", utterance: "hi"}.body())).Body.Bytes()).texts(); !slices.Equal(got, []string{"you said: hi"}) {
		t.Errorf("other user got %q", got)
	}
	g.open()
	r = decode(t, serve(ch, post(skill{user: "u_p", utterance: "다음"}.body())).Body.Bytes())
	if got := r.texts(); !slices.Equal(got, []string{"you said: slow 질문", "you said: 다음"}) {
		t.Errorf("next reply %q: want the late answer first", got)
	}
	r = decode(t, serve(ch, post(skill{user: "u_p", utterance: "또"}.body())).Body.Bytes())
	if got := r.texts(); !slices.Equal(got, []string{"you said: 또"}) {
		t.Errorf("reply after %q: the late answer is delivered once", got)
	}
	if err := ch.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestLateAnswerRidesTheCallback: a late answer waiting for the user goes
// out with the next callback.
func TestLateAnswerRidesTheCallback(t *testing.T) {
	fake := newCallbackFake(t)
	g := newGate()
	rt := &channeltest.Runtime{Script: g.script}
	ch := newChannel(t, rt, map[string]string{"replyTimeout": "50ms"})
	serve(ch, post(skill{user: "u_r", utterance: "slow 하나"}.body()))
	rec := serve(ch, post(skill{user: "u_r", utterance: "slow 둘", callbackURL: fake.URL("tok-ride", false)}.body()))
	if !decode(t, rec.Body.Bytes()).UseCallback {
		t.Fatalf("response %s: want useCallback", rec.Body)
	}
	g.open()
	ch.Close(context.Background())
	posts := fake.Posts("tok-ride")
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	if got := decode(t, posts[0]).texts(); !slices.Equal(got, []string{"you said: slow 하나", "you said: slow 둘"}) {
		t.Errorf("posted texts %q", got)
	}
}

// TestCloseCancelsTurns: Close with an ended context cancels the turns in
// flight and reports it.
func TestCloseCancelsTurns(t *testing.T) {
	rt := &channeltest.Runtime{Delay: time.Hour}
	ch := newChannel(t, rt, map[string]string{"replyTimeout": "10ms"})
	serve(ch, post(skill{user: "u_c", utterance: "forever"}.body()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ch.Close(ctx); err == nil {
		t.Fatal("Close returned nil with a turn in flight and an ended context")
	}
}

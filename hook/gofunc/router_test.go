package gofunc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
	"github.com/parleybot/parley/hook/hooktest"
)

// closeWith answers Close with one message naming who answered.
func closeWith(text string) gofunc.HandlerFunc {
	return func(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		return gofunc.Close(ev, parley.IntentFulfilled, gofunc.PlainText(text)), nil
	}
}

func TestRouterDispatch(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(r *gofunc.Router)
		event    func() *parley.CodeHookEvent
		want     string // the message, "" for a Delegate
		wantType parley.DialogActionType
	}{
		{"by session intent", func(r *gofunc.Router) {
			r.Handle("OrderPizza", closeWith("pizza"))
			r.Handle("CheckOrderStatus", closeWith("status"))
		}, event, "pizza", parley.ActionClose},
		{"by top interpretation without a session intent", func(r *gofunc.Router) {
			r.Handle("OrderPizza", closeWith("pizza"))
		}, noSessionIntent, "pizza", parley.ActionClose},
		{"no handler delegates", func(r *gofunc.Router) {
			r.Handle("CheckOrderStatus", closeWith("status"))
		}, event, "", parley.ActionDelegate},
		{"empty router delegates", func(*gofunc.Router) {}, event, "", parley.ActionDelegate},
		{"default handler", func(r *gofunc.Router) {
			r.Handle("CheckOrderStatus", closeWith("status"))
			r.HandleDefault(closeWith("default"))
		}, event, "default", parley.ActionClose},
		{"intent handler before default", func(r *gofunc.Router) {
			r.HandleDefault(closeWith("default"))
			r.Handle("OrderPizza", closeWith("pizza"))
		}, event, "pizza", parley.ActionClose},
		{"no intent anywhere goes to default", func(r *gofunc.Router) {
			r.Handle("OrderPizza", closeWith("pizza"))
			r.HandleDefault(closeWith("default"))
		}, func() *parley.CodeHookEvent {
			ev := noSessionIntent()
			ev.Interpretations = nil
			return ev
		}, "default", parley.ActionClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gofunc.NewRouter()
			tt.setup(r)
			resp, err := r.Invoke(t.Context(), tt.event())
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.SessionState.DialogAction.Type; got != tt.wantType {
				t.Errorf("dialogAction.type = %s, want %s", got, tt.wantType)
			}
			var got string
			if len(resp.Messages) > 0 {
				got = resp.Messages[0].Content
			}
			if got != tt.want {
				t.Errorf("answered %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRouterFailures(t *testing.T) {
	tests := []struct {
		name     string
		handler  gofunc.HandlerFunc
		deadline bool // the handler runs past its context's deadline
		code     parley.ErrorCode
		message  string
		timeout  bool // the error wraps context.DeadlineExceeded
	}{
		{"panic", func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			panic("boom")
		}, false, parley.ErrDependencyFailed, "Code hook panicked in OrderPizza handler: boom", false},
		{"nil map panic", func(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			var m map[string]string
			m["x"] = "y"
			return nil, nil
		}, false, parley.ErrDependencyFailed, "Code hook panicked in OrderPizza handler: assignment to entry in nil map", false},
		{"error", func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, errors.New("table orders not found")
		}, false, parley.ErrDependencyFailed, "Code hook OrderPizza handler failed: table orders not found", false},
		{"coded error keeps its code", func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, parley.Errorf(parley.ErrThrottling, "slow down")
		}, false, parley.ErrThrottling, "slow down", false},
		{"no response", func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			return nil, nil
		}, false, parley.ErrDependencyFailed, "Code hook OrderPizza handler returned no response and no error", false},
		{"deadline", func(ctx context.Context, _ *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, true, parley.ErrDependencyFailed, "Code hook timed out in OrderPizza handler", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gofunc.NewRouter()
			r.Handle("OrderPizza", tt.handler)
			ctx := t.Context()
			if tt.deadline {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, time.Unix(0, 0))
				defer cancel()
			}
			resp, err := r.Invoke(ctx, event())
			if resp != nil {
				t.Errorf("response %+v with the error", resp)
			}
			var e *parley.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *parley.Error", err)
			}
			if e.Code != tt.code || !strings.HasPrefix(e.Message, tt.message) {
				t.Errorf("error %s %q, want %s %q", e.Code, e.Message, tt.code, tt.message)
			}
			if got := errors.Is(err, context.DeadlineExceeded); got != tt.timeout {
				t.Errorf("errors.Is(err, context.DeadlineExceeded) = %t, want %t", got, tt.timeout)
			}
		})
	}
}

// TestRouterRecoversPerCall checks that one panicking invocation leaves the
// router serving.
func TestRouterRecoversPerCall(t *testing.T) {
	r := gofunc.NewRouter()
	r.Handle("OrderPizza", func(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		if gofunc.Slot(ev, "Topping") == "" {
			panic("no topping")
		}
		return gofunc.Delegate(ev), nil
	})
	if _, err := r.Invoke(t.Context(), event()); err == nil {
		t.Fatal("the panicking call succeeded")
	}
	ev := event()
	gofunc.SetSlot(ev, "Topping", "cheese")
	if _, err := r.Invoke(t.Context(), ev); err != nil {
		t.Fatalf("the next call: %v", err)
	}
}

func TestHandleMistakesPanic(t *testing.T) {
	ok := closeWith("ok")
	tests := []struct {
		name string
		do   func(r *gofunc.Router)
	}{
		{"empty intent", func(r *gofunc.Router) { r.Handle("", ok) }},
		{"nil handler", func(r *gofunc.Router) { r.Handle("OrderPizza", nil) }},
		{"duplicate intent", func(r *gofunc.Router) { r.Handle("OrderPizza", ok); r.Handle("OrderPizza", ok) }},
		{"nil default", func(r *gofunc.Router) { r.HandleDefault(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			tt.do(gofunc.NewRouter())
		})
	}
}

func event() *parley.CodeHookEvent { return hooktest.Event("close") }

func BenchmarkRouterInvoke(b *testing.B) {
	r := gofunc.NewRouter()
	r.Handle("CheckOrderStatus", closeWith("status"))
	r.Handle("OrderPizza", func(_ context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		if gofunc.Slot(ev, "Crust") == "stuffed" {
			gofunc.ClearSlot(ev, "Crust")
			return gofunc.ElicitSlot(ev, "Crust", gofunc.PlainText("No stuffed crust today.")), nil
		}
		return gofunc.Delegate(ev), nil
	})
	ev := event()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Invoke(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

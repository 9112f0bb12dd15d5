package engine_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/engine"
)

// switchHook is a code hook a test can replace between turns.
type switchHook struct {
	mu sync.Mutex
	h  parley.CodeHook
}

func (s *switchHook) set(h parley.CodeHook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h = h
}

func (s *switchHook) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	s.mu.Lock()
	h := s.h
	s.mu.Unlock()
	return h.Invoke(ctx, ev)
}

// limitedHook is a hook with its own time limit.
type limitedHook struct {
	parley.CodeHookFunc
	limit time.Duration
}

func (h limitedHook) Timeout() time.Duration { return h.limit }

var _ parley.TimeLimited = limitedHook{}

// hookFixture serves coffeeBot with a dialog code hook on OrderCoffee;
// tune changes the bot and the options before the engine starts.
func hookFixture(t *testing.T, hook parley.CodeHook, tune func(*parley.Bot, *engine.Options)) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), script: coffeeScript(), clock: &clock{now: time.Date(2026, 5, 13, 10, 0, 0, 0, time.UTC)}}
	bot := coffeeBot()
	bot.Locales[0].Intent("OrderCoffee").DialogCodeHook = true
	opts := engine.Options{
		Store:       f.store,
		Trainer:     &trainer{scripts: map[string]*script{"en_US": f.script}},
		Now:         f.clock.Now,
		HookTimeout: 20 * time.Millisecond,
		CodeHook:    func(botID, aliasID, localeID string) parley.CodeHook { return hook },
	}
	if tune != nil {
		tune(bot, &opts)
	}
	eng, err := engine.New(opts, bot)
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	return f
}

func delegating(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	return parley.NopCodeHook.Invoke(ctx, ev)
}

// answering returns a hook that answers the event's delegate response as
// changed by mod.
func answering(mod func(r *parley.CodeHookResponse)) parley.CodeHookFunc {
	return func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		r, _ := parley.NopCodeHook.Invoke(ctx, ev)
		mod(r)
		return r, nil
	}
}

func failing(err error) parley.CodeHookFunc {
	return func(context.Context, *parley.CodeHookEvent) (*parley.CodeHookResponse, error) { return nil, err }
}

func TestHookFailureKeepsTheSession(t *testing.T) {
	tests := []struct {
		name     string
		hook     parley.CodeHook
		wantCode parley.ErrorCode
		wantMsg  string // a substring naming the fault
	}{
		{"hook throws", failing(errors.New("KeyError: 'slots'")), parley.ErrDependencyFailed,
			"Invalid Lambda Response: Received error response from Lambda: Unhandled: KeyError: 'slots'"},
		{"hook times out", parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}), parley.ErrDependencyFailed, "Code hook timed out after 20ms"},
		{"transport timeout keeps its message", parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
			<-ctx.Done()
			return nil, parley.Errorf(parley.ErrDependencyFailed, "Code hook timed out after 20ms (go:slow)")
		}), parley.ErrDependencyFailed, "Code hook timed out after 20ms (go:slow)"},
		{"not JSON", failing(parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: Received invalid response from Lambda: not valid JSON at offset 17")),
			parley.ErrDependencyFailed, "not valid JSON at offset 17"},
		{"process crashed", failing(parley.Errorf(parley.ErrDependencyFailed, "Code hook process exited: exit status 1 (python:hooks/lambda_function.py)")),
			parley.ErrDependencyFailed, "exit status 1"},
		{"oversize", failing(parley.Errorf(parley.ErrDependencyFailed, "Invalid Lambda Response: response is 31,744 bytes, more than the 25,600-byte limit")),
			parley.ErrDependencyFailed, "more than the 25,600-byte limit"},
		{"throttled", failing(parley.Errorf(parley.ErrThrottling, "Rate exceeded")), parley.ErrThrottling, "Rate exceeded"},
		{"nil response", failing(nil), parley.ErrDependencyFailed, "the response is empty"},
		{"dialog action missing", answering(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction = nil }),
			parley.ErrDependencyFailed, "sessionState.dialogAction is required"},
		{"dialog action type missing", answering(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = "" }),
			parley.ErrDependencyFailed, "sessionState.dialogAction.type is required"},
		{"elicit slot without slotToElicit", answering(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = parley.ActionElicitSlot }),
			parley.ErrDependencyFailed, "sessionState.dialogAction.slotToElicit is required"},
		{"elicit an unknown slot", answering(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction = &parley.DialogAction{Type: parley.ActionElicitSlot, SlotToElicit: "Milk"}
		}), parley.ErrDependencyFailed, `intent OrderCoffee has no slot "Milk"`},
		{"unknown intent", answering(func(r *parley.CodeHookResponse) { r.SessionState.Intent.Name = "OrderTea" }),
			parley.ErrDependencyFailed, `intent "OrderTea" does not exist`},
		{"close in progress", answering(func(r *parley.CodeHookResponse) {
			r.SessionState.DialogAction.Type = parley.ActionClose
			r.SessionState.Intent.State = parley.IntentInProgress
		}), parley.ErrDependencyFailed, "sessionState.intent.state must be Fulfilled or Failed"},
		{"elicit intent without messages", answering(func(r *parley.CodeHookResponse) { r.SessionState.DialogAction.Type = parley.ActionElicitIntent }),
			parley.ErrDependencyFailed, "messages are required when dialogAction.type is ElicitIntent"},
		{"slot without interpretedValue", answering(func(r *parley.CodeHookResponse) {
			r.SessionState.Intent.Slots["Size"] = &parley.SlotValue{Value: &parley.Value{OriginalValue: "big"}}
		}), parley.ErrDependencyFailed, "sessionState.intent.slots.Size.value.interpretedValue"},
		{"message without content", answering(func(r *parley.CodeHookResponse) {
			r.Messages = []parley.Message{{ContentType: parley.ContentPlainText}}
		}), parley.ErrDependencyFailed, "messages[0].content"},
		{"context out of range", answering(func(r *parley.CodeHookResponse) {
			r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "ordered", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 99}}}
		}), parley.ErrDependencyFailed, "sessionState.activeContexts[0].timeToLive.turnsToLive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := &switchHook{h: parley.CodeHookFunc(delegating)}
			var logs bytes.Buffer
			f := hookFixture(t, hook, func(_ *parley.Bot, o *engine.Options) {
				o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			ctx := context.Background()
			f.say(t, "s1", "coffee")
			before, err := f.eng.GetSession(ctx, key("s1"))
			if err != nil {
				t.Fatal(err)
			}

			hook.set(tc.hook)
			_, err = f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: key("s1"), Text: "large", RequestID: "req-bad"})
			if parley.ErrorCodeOf(err) != tc.wantCode {
				t.Fatalf("error %v, want %s", err, tc.wantCode)
			}
			if msg := parley.ErrorMessageOf(err); !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("message %q, want it to name the fault: %q", msg, tc.wantMsg)
			}
			after, err := f.eng.GetSession(ctx, key("s1"))
			if err != nil {
				t.Fatal(err)
			}
			// The claim before the hook call and its release move the
			// version on; what the session holds stays.
			after.Version = before.Version
			if !reflect.DeepEqual(after, before) {
				t.Errorf("the session changed:\nbefore %+v\nafter  %+v", before, after)
			}
			log := logs.String()
			for _, want := range []string{"level=WARN", "bot=COFFEEBOT1", "session=s1", "source=DialogCodeHook"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			if strings.Contains(log, "large") {
				t.Errorf("the log holds the user's text:\n%s", log)
			}

			// The next turn continues from the old state.
			hook.set(parley.CodeHookFunc(delegating))
			res := f.say(t, "s1", "large")
			if got := texts(res.Messages); got != "A large coffee for [name]." || res.SessionState.Intent.State != parley.IntentFulfilled {
				t.Errorf("next turn: %q %s", got, res.SessionState.Intent.State)
			}
		})
	}
}

func TestHookResponseHandling(t *testing.T) {
	hook := &switchHook{h: parley.CodeHookFunc(delegating)}
	f := hookFixture(t, hook, nil)
	ctx := context.Background()
	f.say(t, "s1", "coffee")

	hook.set(answering(func(r *parley.CodeHookResponse) {
		r.SessionState.SessionAttributes = map[string]string{"name": "Kim"}
		r.SessionState.ActiveContexts = []parley.ActiveContext{{Name: "ordered", TimeToLive: parley.ContextTimeToLive{TimeToLiveInSeconds: 60, TurnsToLive: 2}}}
		r.RequestAttributes = map[string]string{"trace": "42"}
	}))
	res, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: key("s1"), Text: "large", RequestAttributes: map[string]string{"from": "client"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Messages); got != "A large coffee for Kim." {
		t.Errorf("reply %q", got)
	}
	if res.RequestAttributes["trace"] != "42" || res.RequestAttributes["from"] != "" {
		t.Errorf("requestAttributes %v, want the hook's", res.RequestAttributes)
	}
	if len(res.SessionState.ActiveContexts) != 1 || res.SessionState.ActiveContexts[0].Name != "ordered" {
		t.Errorf("contexts %+v", res.SessionState.ActiveContexts)
	}

	// A response without attributes or contexts keeps the stored ones.
	hook.set(parley.CodeHookFunc(delegating))
	res = f.say(t, "s1", "coffee")
	if res.SessionState.SessionAttributes["name"] != "Kim" || len(res.SessionState.ActiveContexts) != 1 {
		t.Errorf("state %+v", res.SessionState)
	}
}

func TestHookTimeLimits(t *testing.T) {
	tests := []struct {
		name      string
		engine    time.Duration
		own       time.Duration // the hook's TimeLimited limit; 0 = not TimeLimited
		fulfil    time.Duration // the fulfillment updates timeout; 0 = none
		wantLimit time.Duration
	}{
		{"engine default", time.Hour, 0, 0, time.Hour},
		{"the hook's own limit", time.Hour, time.Minute, 0, time.Minute},
		{"the fulfillment's timeout", time.Hour, time.Minute, 2 * time.Minute, 2 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var left time.Duration
			fn := parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
				dl, ok := ctx.Deadline()
				if !ok {
					t.Error("no deadline")
				}
				left = time.Until(dl)
				return delegating(ctx, ev)
			})
			var hook parley.CodeHook = fn
			if tc.own > 0 {
				hook = limitedHook{CodeHookFunc: fn, limit: tc.own}
			}
			f := hookFixture(t, hook, func(b *parley.Bot, o *engine.Options) {
				o.HookTimeout = tc.engine
				if tc.fulfil > 0 {
					b.Locales[0].Intent("Status").Fulfillment.Updates = &parley.FulfillmentUpdates{Timeout: tc.fulfil}
				}
			})
			f.say(t, "s1", "status")
			// The deadline was set from the limit just before the call.
			if left > tc.wantLimit || left < tc.wantLimit-time.Minute/2 {
				t.Errorf("the hook had %v, want the limit %v", left, tc.wantLimit)
			}
		})
	}
}

func TestFulfillmentUpdates(t *testing.T) {
	var mu sync.Mutex
	var pushed []string
	signal := make(chan struct{}, 1)
	progress := func(k parley.SessionKey, msgs []parley.Message) {
		mu.Lock()
		defer mu.Unlock()
		if k != key("s1") {
			t.Errorf("progress for %+v", k)
		}
		pushed = append(pushed, texts(msgs))
		select {
		case signal <- struct{}{}:
		default:
		}
	}
	// The slow hook answers once it has seen the start message and two
	// updates pushed.
	slow := parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		for {
			mu.Lock()
			n := len(pushed)
			mu.Unlock()
			if n >= 3 {
				return delegating(ctx, ev)
			}
			select {
			case <-signal:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	})
	f := hookFixture(t, slow, func(b *parley.Bot, o *engine.Options) {
		o.HookTimeout = time.Minute
		o.Progress = progress
		b.Locales[0].Intent("Status").Fulfillment = &parley.FulfillmentSetting{
			CodeHook:        true,
			SuccessResponse: response("Your order is ready."),
			Updates: &parley.FulfillmentUpdates{
				StartResponse:  response("Checking your order..."),
				StartDelay:     time.Millisecond,
				UpdateResponse: response("Still checking."),
				UpdateEvery:    time.Millisecond,
			},
		}
	})
	res := f.say(t, "s1", "status")
	if got := texts(res.Messages); got != "Your order is ready." {
		t.Errorf("reply %q: the progress messages are not part of the result", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(pushed) < 3 || pushed[0] != "Checking your order..." || pushed[1] != "Still checking." || pushed[2] != "Still checking." {
		t.Errorf("pushed %q", pushed)
	}
}

func TestFulfillmentUpdatesNotPushedForAFastHook(t *testing.T) {
	var calls int
	f := hookFixture(t, parley.CodeHookFunc(delegating), func(b *parley.Bot, o *engine.Options) {
		o.Progress = func(parley.SessionKey, []parley.Message) { calls++ }
		b.Locales[0].Intent("Status").Fulfillment.Updates = &parley.FulfillmentUpdates{
			StartResponse: response("Checking..."), StartDelay: time.Hour,
		}
	})
	f.say(t, "s1", "status")
	if calls != 0 {
		t.Errorf("%d progress calls for a hook that answered before the delay", calls)
	}
}

func TestHookEventCarriesTheRequestID(t *testing.T) {
	var got []string
	f := hookFixture(t, parley.CodeHookFunc(func(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
		got = append(got, ev.InvocationSource+" "+ev.SessionState.OriginatingRequestID)
		return delegating(ctx, ev)
	}), nil)
	ctx := context.Background()
	if _, err := f.eng.RecognizeText(ctx, &parley.TurnRequest{Key: key("s1"), Text: "status", RequestID: "req-1"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.eng.PutSession(ctx, &parley.PutSessionRequest{Key: key("s1"), RequestID: "req-2", SessionState: parley.SessionState{
		DialogAction: &parley.DialogAction{Type: parley.ActionDelegate},
		Intent:       &parley.SessionIntent{Name: "Status"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"FulfillmentCodeHook req-1", "FulfillmentCodeHook req-2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

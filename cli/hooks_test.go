package cli_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/cli"
	"github.com/parleybot/parley/hook/gofunc"
)

func init() {
	// A registered Go hook, so the unknown-name error has one to list.
	gofunc.Register("clitest", gofunc.NewRouter())
}

// fakeHook answers with a Close naming itself and counts its Close calls.
type fakeHook struct {
	name    string
	timeout time.Duration

	mu       sync.Mutex
	closed   int
	deadline time.Duration // time left on the context of the last call
}

func (f *fakeHook) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	f.mu.Lock()
	f.deadline = 0
	if d, ok := ctx.Deadline(); ok {
		f.deadline = time.Until(d)
	}
	f.mu.Unlock()
	state := ev.SessionState
	state.DialogAction = &parley.DialogAction{Type: parley.ActionClose}
	if state.Intent != nil {
		in := *state.Intent
		in.State = parley.IntentFulfilled
		state.Intent = &in
	}
	return &parley.CodeHookResponse{SessionState: state, Messages: []parley.Message{{ContentType: parley.ContentPlainText, Content: f.name}}}, nil
}

func (f *fakeHook) Timeout() time.Duration { return f.timeout }

func (f *fakeHook) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return nil
}

// fakeKinds is a hook table with one kind, "fake:NAME", that records every
// hook it builds and the environment it was given.
type fakeKinds struct {
	mu    sync.Mutex
	built []*fakeHook
	envs  []cli.HookEnv
}

// table returns the hook table: "fake:NAME", and "go:NAME" as well, for
// bot files, whose loader accepts only the real schemes.
func (k *fakeKinds) table() map[string]cli.HookKind {
	fake := cli.HookKind{Usage: "fake:NAME", New: func(uri string, b *parley.CodeHookBinding, env cli.HookEnv) (parley.CodeHook, error) {
		_, name, _ := strings.Cut(uri, ":")
		if name == "broken" {
			return nil, errors.New("broken on purpose")
		}
		k.mu.Lock()
		defer k.mu.Unlock()
		h := &fakeHook{name: name, timeout: b.Timeout}
		k.built = append(k.built, h)
		k.envs = append(k.envs, env)
		return h, nil
	}}
	return map[string]cli.HookKind{"fake": fake, "go": fake}
}

func event(intent string) *parley.CodeHookEvent {
	ev := &parley.CodeHookEvent{InvocationSource: parley.DialogCodeHook}
	if intent != "" {
		ev.SessionState.Intent = &parley.SessionIntent{Name: intent}
	}
	return ev
}

// said returns the first message of a response, or "" for none.
func said(t *testing.T, resp *parley.CodeHookResponse, err error) string {
	t.Helper()
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if len(resp.Messages) == 0 {
		return ""
	}
	return resp.Messages[0].Content
}

func TestBuildHooksErrors(t *testing.T) {
	tests := []struct {
		name    string
		binding parley.CodeHookBinding
		env     map[string]string
		want    []string
	}{
		{name: "unknown scheme lists the known ones", binding: parley.CodeHookBinding{URI: "ftp://hooks.example/x"},
			want: []string{"ftp://hooks.example/x", "unknown kind", "lambda:FUNCTION[:QUALIFIER]", "http(s)://URL", "python:PATH[:HANDLER]", "node:PATH[:HANDLER]", "go:NAME"}},
		{name: "no scheme", binding: parley.CodeHookBinding{URI: "hooks.py"}, want: []string{"hooks.py", "unknown kind"}},
		{name: "unknown scheme in the intent map", binding: parley.CodeHookBinding{Intents: map[string]string{"OrderPizza": "ruby:x.rb"}},
			want: []string{"ruby:x.rb", "unknown kind"}},
		{name: "missing secret variable", binding: parley.CodeHookBinding{URI: "http://127.0.0.1:1/hook", SecretEnv: "PIZZA_HOOK_SECRET"},
			want: []string{"PIZZA_HOOK_SECRET", "not set"}},
		{name: "empty secret variable", binding: parley.CodeHookBinding{URI: "https://127.0.0.1:1/hook", SecretEnv: "PIZZA_HOOK_SECRET"},
			env: map[string]string{"PIZZA_HOOK_SECRET": ""}, want: []string{"PIZZA_HOOK_SECRET"}},
		{name: "unknown Go hook lists the registered ones", binding: parley.CodeHookBinding{URI: "go:nope"},
			want: []string{`"nope"`, "gofunc.Register"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := &parley.Bot{ID: "HOOKBOT001", CodeHooks: []parley.CodeHookBinding{tt.binding}}
			_, err := cli.BuildHooks([]*parley.Bot{bot}, cli.HookOptions{Env: mapEnv(tt.env)})
			if err == nil {
				t.Fatal("BuildHooks: no error")
			}
			for _, w := range append(tt.want, "HOOKBOT001") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestBuildHooksKnownSchemes(t *testing.T) {
	tests := []struct {
		name string
		uri  string
	}{
		{name: "http", uri: "http://127.0.0.1:1/hook"},
		{name: "https", uri: "https://127.0.0.1:1/hook"},
		{name: "go", uri: "go:clitest"},
		{name: "python", uri: "python:scenarios.py"},
		{name: "node", uri: "node:scenarios.js:handler"},
		{name: "lambda", uri: "lambda:PizzaOrders:live"},
		{name: "lambda ARN", uri: "lambda:arn:aws:lambda:us-east-1:123456789012:function:PizzaOrders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Relative handler paths are relative to the bot's folder.
			bot := &parley.Bot{ID: "HOOKBOT001", Source: "../hook/hooktest/testdata", CodeHooks: []parley.CodeHookBinding{{URI: tt.uri}}}
			env := mapEnv(map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret"})
			hooks, err := cli.BuildHooks([]*parley.Bot{bot}, cli.HookOptions{Env: env})
			if err != nil {
				t.Fatalf("BuildHooks: %v", err)
			}
			defer hooks.Close()
			if hooks.For("HOOKBOT001", parley.DraftAliasID, "en_US") == nil {
				t.Error("no hook for the bound bot")
			}
		})
	}
}

func TestBuildHooksBuildsEachURIOnceAndCloses(t *testing.T) {
	kinds := &fakeKinds{}
	bots := []*parley.Bot{
		{ID: "PIZZABOT01", Source: "../examples/pizza/bot.yaml", CodeHooks: []parley.CodeHookBinding{
			{URI: "fake:router", Intents: map[string]string{"OrderPizza": "fake:order", "AddDrink": "fake:order", "CheckOrderStatus": "fake:router"}},
			{AliasID: "PRODALIAS1", URI: "fake:prod"},
		}},
		{ID: "HELLOBOT01", Source: "../examples/hello", CodeHooks: []parley.CodeHookBinding{{LocaleID: "ko_KR", URI: "fake:hello"}}},
		{ID: "PLAINBOT01"},
	}
	hooks, err := cli.BuildHooks(bots, cli.HookOptions{Kinds: kinds.table()})
	if err != nil {
		t.Fatalf("BuildHooks: %v", err)
	}
	var names []string
	for _, h := range kinds.built {
		names = append(names, h.name)
	}
	if want := []string{"router", "order", "prod", "hello"}; !slices.Equal(names, want) {
		t.Errorf("built %v, want %v (one hook per distinct URI of a binding)", names, want)
	}
	dirs := map[string]string{}
	for _, e := range kinds.envs {
		dirs[e.BotID] = e.Dir
	}
	if want := map[string]string{"PIZZABOT01": "../examples/pizza", "HELLOBOT01": "../examples/hello"}; !maps.Equal(dirs, want) {
		t.Errorf("hook folders %v, want %v (the bot's folder)", dirs, want)
	}

	routes := []struct {
		bot, alias, locale, intent string
		want                       string
	}{
		{"PIZZABOT01", parley.DraftAliasID, "en_US", "OrderPizza", "order"},
		{"PIZZABOT01", parley.DraftAliasID, "en_US", "AddDrink", "order"},
		{"PIZZABOT01", parley.DraftAliasID, "en_US", "FallbackIntent", "router"},
		{"PIZZABOT01", "PRODALIAS1", "en_US", "OrderPizza", "prod"},
		{"HELLOBOT01", parley.DraftAliasID, "ko_KR", "HelloIntent", "hello"},
	}
	for _, r := range routes {
		h := hooks.For(r.bot, r.alias, r.locale)
		if h == nil {
			t.Errorf("For(%s, %s, %s) = nil", r.bot, r.alias, r.locale)
			continue
		}
		resp, err := h.Invoke(context.Background(), event(r.intent))
		if got := said(t, resp, err); got != r.want {
			t.Errorf("%s %s/%s intent %s went to %q, want %q", r.bot, r.alias, r.locale, r.intent, got, r.want)
		}
	}
	for _, none := range [][3]string{{"HELLOBOT01", parley.DraftAliasID, "en_US"}, {"PLAINBOT01", parley.DraftAliasID, "en_US"}, {"NOSUCHBOT1", parley.DraftAliasID, "en_US"}} {
		if h := hooks.For(none[0], none[1], none[2]); h != nil {
			t.Errorf("For%v = %v, want nil (no binding)", none, h)
		}
	}

	if err := hooks.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, h := range kinds.built {
		if h.closed != 1 {
			t.Errorf("hook %s closed %d times, want 1", h.name, h.closed)
		}
	}
}

func TestBuildHooksFailureClosesWhatWasBuilt(t *testing.T) {
	kinds := &fakeKinds{}
	bot := &parley.Bot{ID: "PIZZABOT01", CodeHooks: []parley.CodeHookBinding{
		{URI: "fake:ok", Intents: map[string]string{"OrderPizza": "fake:broken"}},
	}}
	if _, err := cli.BuildHooks([]*parley.Bot{bot}, cli.HookOptions{Kinds: kinds.table()}); err == nil || !strings.Contains(err.Error(), "broken on purpose") {
		t.Fatalf("BuildHooks: %v, want the constructor's error", err)
	}
	if len(kinds.built) != 1 || kinds.built[0].closed != 1 {
		t.Errorf("built %d hooks; the good one must be closed once", len(kinds.built))
	}
}

func TestNilHooks(t *testing.T) {
	var hooks *cli.Hooks
	if h := hooks.For("PIZZABOT01", parley.DraftAliasID, "en_US"); h != nil {
		t.Errorf("For on nil Hooks = %v", h)
	}
	if err := hooks.Close(); err != nil {
		t.Errorf("Close on nil Hooks: %v", err)
	}
}

func TestExpandEnv(t *testing.T) {
	env := mapEnv(map[string]string{"HOME": "/home/pat", "EMPTY": "", "PORT": "8000"})
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "us-east-1", want: "us-east-1"},
		{name: "variable", in: "${HOME}/data", want: "/home/pat/data"},
		{name: "two variables", in: "http://${HOST:-localhost}:${PORT}", want: "http://localhost:8000"},
		{name: "default unused", in: "${PORT:-9000}", want: "8000"},
		{name: "default for empty", in: "${EMPTY:-x}", want: "x"},
		{name: "empty without default", in: "[${EMPTY}]", want: "[]"},
		{name: "unset", in: "[${NOPE}]", want: "[]"},
		{name: "bare dollar stays", in: "pa$$word $HOME", want: "pa$$word $HOME"},
		{name: "unclosed stays", in: "x${HOME", want: "x${HOME"},
		{name: "default with colon", in: "${ENDPOINT:-http://localhost:8000}", want: "http://localhost:8000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cli.ExpandEnv(tt.in, env); got != tt.want {
				t.Errorf("ExpandEnv(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRouter(t *testing.T) {
	order := &fakeHook{name: "order", timeout: 2 * time.Second}
	status := &fakeHook{name: "status"}
	def := &fakeHook{name: "default", timeout: time.Second}
	tests := []struct {
		name   string
		router *cli.Router
		intent string
		want   string
	}{
		{name: "intent with a hook", router: &cli.Router{Default: def, Intents: map[string]parley.CodeHook{"OrderPizza": order}}, intent: "OrderPizza", want: "order"},
		{name: "other intent", router: &cli.Router{Default: def, Intents: map[string]parley.CodeHook{"OrderPizza": order}}, intent: "AddDrink", want: "default"},
		{name: "no intent", router: &cli.Router{Default: def, Intents: map[string]parley.CodeHook{"OrderPizza": order}}, want: "default"},
		{name: "no default delegates", router: &cli.Router{Intents: map[string]parley.CodeHook{"OrderPizza": order}}, intent: "AddDrink", want: ""},
		{name: "hook without a limit", router: &cli.Router{Intents: map[string]parley.CodeHook{"CheckOrderStatus": status}}, intent: "CheckOrderStatus", want: "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.router.Invoke(context.Background(), event(tt.intent))
			if got := said(t, resp, err); got != tt.want {
				t.Errorf("went to %q, want %q", got, tt.want)
			}
			if tt.want == "" && (resp.SessionState.DialogAction == nil || resp.SessionState.DialogAction.Type != parley.ActionDelegate) {
				t.Errorf("dialog action %+v, want Delegate", resp.SessionState.DialogAction)
			}
		})
	}
}

func TestRouterTimeLimits(t *testing.T) {
	order := &fakeHook{name: "order", timeout: time.Hour}
	status := &fakeHook{name: "status"}
	def := &fakeHook{name: "default", timeout: time.Minute}
	r := &cli.Router{Default: def, Intents: map[string]parley.CodeHook{"OrderPizza": order, "CheckOrderStatus": status}}
	var _ parley.TimeLimited = r
	if got := r.Timeout(); got != time.Hour {
		t.Errorf("Timeout() = %v, want the longest of its hooks, 1h", got)
	}
	if _, err := r.Invoke(context.Background(), event("AddDrink")); err != nil {
		t.Fatal(err)
	}
	if def.deadline <= 0 || def.deadline > time.Minute {
		t.Errorf("default hook ran with %v left, want its own 1m limit", def.deadline)
	}
	if _, err := r.Invoke(context.Background(), event("CheckOrderStatus")); err != nil {
		t.Fatal(err)
	}
	if status.deadline != 0 {
		t.Errorf("hook without a limit ran with a deadline %v left, want the caller's (none)", status.deadline)
	}
	if got := (&cli.Router{Intents: map[string]parley.CodeHook{"CheckOrderStatus": status}}).Timeout(); got != 0 {
		t.Errorf("Timeout() of hooks without limits = %v, want 0 (the engine default)", got)
	}
}

func TestGoHookGetsBindingTimeout(t *testing.T) {
	bot := &parley.Bot{ID: "HOOKBOT001", CodeHooks: []parley.CodeHookBinding{{URI: "go:clitest", Timeout: 3 * time.Second}}}
	hooks, err := cli.BuildHooks([]*parley.Bot{bot}, cli.HookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tl, ok := hooks.For("HOOKBOT001", parley.DraftAliasID, "en_US").(parley.TimeLimited)
	if !ok || tl.Timeout() != 3*time.Second {
		t.Errorf("go: hook is not limited to the binding's 3s")
	}
}

func TestDescribe(t *testing.T) {
	bot := &parley.Bot{
		ID:      "PIZZABOT01",
		Aliases: []parley.Alias{{ID: "PRODALIAS1", Name: "prod"}},
		Locales: []*parley.Locale{{ID: "en_US"}, {ID: "es_US"}},
		CodeHooks: []parley.CodeHookBinding{
			{LocaleID: "en_US", URI: "python:hooks/lambda_function.py", Intents: map[string]string{"OrderPizza": "go:pizza", "AddDrink": "lambda:Drinks"}},
			{AliasID: "PRODALIAS1", LocaleID: "en_US", URI: "lambda:PizzaOrders:live"},
		},
	}
	var b strings.Builder
	cli.Describe(&b, bot, false)
	want := "  hook TSTALIASID/en_US python:hooks/lambda_function.py (AddDrink → lambda:Drinks, OrderPizza → go:pizza)\n" +
		"  hook PRODALIAS1/en_US lambda:PizzaOrders:live\n"
	if b.String() != want {
		t.Errorf("Describe:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	cli.Describe(&b, bot, true)
	if !strings.Contains(b.String(), "--no-hooks") {
		t.Errorf("Describe with hooks off = %q", b.String())
	}
	b.Reset()
	cli.Describe(&b, &parley.Bot{ID: "PLAINBOT01"}, true)
	if b.String() != "" {
		t.Errorf("Describe of a bot without hooks = %q, want nothing", b.String())
	}
}

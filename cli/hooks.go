package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/gofunc"
	"github.com/parleybot/parley/hook/lambda"
	"github.com/parleybot/parley/hook/process"
	"github.com/parleybot/parley/hook/webhook"
)

// HookKind builds the code hooks of one URI scheme.
type HookKind struct {
	// Usage is how a URI of this kind is written, for help and errors.
	Usage string
	// New builds the hook for uri, one of the URIs of binding b (its URI or
	// one of its per-intent URIs). A hook that holds resources (a worker
	// process) implements io.Closer; Hooks.Close calls it.
	New func(uri string, b *parley.CodeHookBinding, env HookEnv) (parley.CodeHook, error)
}

// HookEnv is what a hook constructor needs besides its binding.
type HookEnv struct {
	BotID  string
	Dir    string // the bot's folder: the base of relative paths in URIs
	Env    Env    // Parley's own environment
	Logger *slog.Logger
}

// HookKinds is the name → constructor table of code hooks, keyed by the
// scheme before the first ":" of a hook URI. A new transport is one entry
// here.
func HookKinds() map[string]HookKind {
	web := HookKind{Usage: "http(s)://URL", New: newWebhook}
	return map[string]HookKind{
		"lambda": {Usage: "lambda:FUNCTION[:QUALIFIER]", New: newLambda},
		"http":   web,
		"https":  web,
		"python": {Usage: "python:PATH[:HANDLER]", New: newProcess},
		"node":   {Usage: "node:PATH[:HANDLER]", New: newProcess},
		"go":     {Usage: "go:NAME", New: newGoFunc},
	}
}

func newLambda(uri string, b *parley.CodeHookBinding, env HookEnv) (parley.CodeHook, error) {
	opts := lambda.Options{Timeout: b.Timeout, MaxResponseBytes: b.MaxResponseBytes, Logger: env.Logger}
	// The SDK reads the process environment itself; these make an Env
	// given to Main (tests, embedders) count too.
	opts.Region, _ = env.Env("AWS_REGION")
	opts.Endpoint, _ = env.Env("AWS_ENDPOINT_URL_LAMBDA")
	return lambda.New(uri, opts)
}

func newWebhook(uri string, b *parley.CodeHookBinding, env HookEnv) (parley.CodeHook, error) {
	opts := webhook.Options{Timeout: b.Timeout, MaxResponseBytes: b.MaxResponseBytes, Logger: env.Logger}
	if b.SecretEnv != "" {
		secret, ok := env.Env(b.SecretEnv)
		if !ok || secret == "" {
			return nil, fmt.Errorf("secretEnv: environment variable %s is not set; it must hold the secret that signs requests to %s", b.SecretEnv, uri)
		}
		opts.Secret = []byte(secret)
	}
	return webhook.New(uri, opts)
}

func newProcess(uri string, b *parley.CodeHookBinding, env HookEnv) (parley.CodeHook, error) {
	vars := make(map[string]string, len(b.Environment))
	for k, v := range b.Environment {
		vars[k] = ExpandEnv(v, env.Env)
	}
	return process.New(uri, process.Options{
		Dir:              env.Dir,
		Timeout:          b.Timeout,
		MaxResponseBytes: b.MaxResponseBytes,
		Environment:      vars,
		Logger:           env.Logger,
	})
}

func newGoFunc(uri string, b *parley.CodeHookBinding, _ HookEnv) (parley.CodeHook, error) {
	name := strings.TrimPrefix(uri, "go:")
	h, ok := gofunc.Lookup(name)
	if !ok {
		registered := "none are registered"
		if names := gofunc.Names(); len(names) > 0 {
			registered = "registered: " + strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("no Go code hook is registered as %q (%s): go: hooks run only in a Go program that registers them "+
			"with gofunc.Register and then calls cli.Main (see examples/pizza-go)", name, registered)
	}
	if b.Timeout > 0 {
		return limited{h, b.Timeout}, nil
	}
	return h, nil
}

// limited gives a hook without a time limit of its own the binding's.
type limited struct {
	parley.CodeHook
	timeout time.Duration
}

var _ parley.TimeLimited = limited{}

func (l limited) Timeout() time.Duration { return l.timeout }

// ExpandEnv replaces ${VAR} and ${VAR:-default} in s with values from env;
// a variable that is unset (or, with a default, empty) gives the default or
// nothing, as in the shell. A bare $ is left alone, so values like
// passwords need no escaping.
func ExpandEnv(s string, env Env) string {
	var b strings.Builder
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			break
		}
		b.WriteString(s[:start])
		expr := s[start+2 : start+end]
		name, def, hasDef := strings.Cut(expr, ":-")
		v, ok := "", false
		if env != nil {
			v, ok = env(name)
		}
		if !ok || (hasDef && v == "") {
			v = def
		}
		b.WriteString(v)
		s = s[start+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// HookOptions configures BuildHooks.
type HookOptions struct {
	Kinds  map[string]HookKind // HookKinds() when nil
	Env    Env                 // secrets and ${VAR} values; nothing is set when nil
	Logger *slog.Logger        // discard when nil
}

// Hooks are the code hooks of a set of bots, built once at start: one per
// distinct URI of each binding, wrapped in a per-intent router where the
// binding has Intents.
type Hooks struct {
	bots  map[string]*parley.Bot
	hooks map[*parley.CodeHookBinding]parley.CodeHook
	built []parley.CodeHook // every hook made, for Close
}

// BuildHooks builds the hooks of every binding of bots. It reports every
// binding that cannot be built at once; then nothing stays open.
func BuildHooks(bots []*parley.Bot, opts HookOptions) (*Hooks, error) {
	kinds := opts.Kinds
	if kinds == nil {
		kinds = HookKinds()
	}
	logger := cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	env := opts.Env
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	h := &Hooks{bots: make(map[string]*parley.Bot), hooks: make(map[*parley.CodeHookBinding]parley.CodeHook)}
	var errs []error
	for _, bot := range bots {
		h.bots[bot.ID] = bot
		he := HookEnv{BotID: bot.ID, Dir: botDir(bot.Source), Env: env}
		for i := range bot.CodeHooks {
			b := &bot.CodeHooks[i]
			made := map[string]parley.CodeHook{}
			build := func(uri string) parley.CodeHook {
				if hook, ok := made[uri]; ok {
					return hook
				}
				he.Logger = logger.With("bot", bot.ID, "hook", uri)
				hook, err := newHook(kinds, uri, b, he)
				if err != nil {
					errs = append(errs, fmt.Errorf("bot %s: code hook %s: %w", bot.ID, uri, err))
					return nil
				}
				made[uri] = hook
				h.built = append(h.built, hook)
				return hook
			}
			var def parley.CodeHook
			if b.URI != "" {
				def = build(b.URI)
			}
			if len(b.Intents) == 0 {
				h.hooks[b] = def
				continue
			}
			r := &Router{Default: def, Intents: make(map[string]parley.CodeHook, len(b.Intents))}
			for _, intent := range slices.Sorted(maps.Keys(b.Intents)) {
				r.Intents[intent] = build(b.Intents[intent])
			}
			h.hooks[b] = r
		}
	}
	if len(errs) > 0 {
		h.Close()
		// Trying a bot out should not need its hooks' toolchain or cloud.
		errs = append(errs, errors.New("(--no-hooks runs the bots without their code hooks)"))
		return nil, errors.Join(errs...)
	}
	return h, nil
}

// newHook builds the hook a URI names with the kind its scheme selects.
func newHook(kinds map[string]HookKind, uri string, b *parley.CodeHookBinding, env HookEnv) (parley.CodeHook, error) {
	scheme, _, ok := strings.Cut(uri, ":")
	kind, known := kinds[scheme]
	if !ok || !known {
		var forms []string
		for _, name := range slices.Sorted(maps.Keys(kinds)) {
			if u := kinds[name].Usage; !slices.Contains(forms, u) {
				forms = append(forms, u)
			}
		}
		return nil, fmt.Errorf("unknown kind of code hook; use %s", strings.Join(forms, ", "))
	}
	return kind.New(uri, b, env)
}

// botDir is the folder of a bot definition loaded from source (a file or a
// folder); "" (the working directory) for bots built in code.
func botDir(source string) string {
	if source == "" {
		return ""
	}
	if fi, err := os.Stat(source); err == nil && fi.IsDir() {
		return source
	}
	return filepath.Dir(source)
}

// For returns the hook that serves a bot alias and locale, or nil when
// none is bound (the engine then delegates); it is engine.Options.CodeHook.
// A nil *Hooks (hooks turned off) serves none.
func (h *Hooks) For(botID, aliasID, localeID string) parley.CodeHook {
	if h == nil {
		return nil
	}
	bot := h.bots[botID]
	if bot == nil {
		return nil
	}
	b := bot.CodeHookBinding(aliasID, localeID)
	if b == nil {
		return nil
	}
	return h.hooks[b]
}

// Describe writes one line per alias and locale of bot that has a hook:
// "  hook TSTALIASID/en_US python:hooks/lambda_function.py (OrderPizza → go:x)".
func Describe(w io.Writer, bot *parley.Bot, off bool) {
	if len(bot.CodeHooks) == 0 {
		return
	}
	if off {
		fmt.Fprintln(w, "  hooks off (--no-hooks): code hook steps delegate to the dialog")
		return
	}
	aliases := []string{parley.DraftAliasID}
	for _, a := range bot.Aliases {
		aliases = append(aliases, a.ID)
	}
	for _, alias := range aliases {
		for _, l := range bot.Locales {
			b := bot.CodeHookBinding(alias, l.ID)
			if b == nil {
				continue
			}
			line := "  hook " + alias + "/" + l.ID + " " + cmp.Or(b.URI, "(none)")
			if len(b.Intents) > 0 {
				var routes []string
				for _, intent := range slices.Sorted(maps.Keys(b.Intents)) {
					routes = append(routes, intent+" → "+b.Intents[intent])
				}
				line += " (" + strings.Join(routes, ", ") + ")"
			}
			fmt.Fprintln(w, line)
		}
	}
}

// Close stops every hook that holds resources (local worker processes).
// A nil *Hooks has none.
func (h *Hooks) Close() error {
	if h == nil {
		return nil
	}
	var errs []error
	for _, hook := range h.built {
		if c, ok := hook.(io.Closer); ok {
			if err := c.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close code hook: %w", err))
			}
		}
	}
	h.built = nil
	return errors.Join(errs...)
}

// Router sends each event to the hook of its intent
// (ev.SessionState.Intent.Name), else to Default: the router Lambda of the
// Lex documentation, built in. With no hook for an event it delegates.
type Router struct {
	Default parley.CodeHook            // nil: delegate
	Intents map[string]parley.CodeHook // intent name → hook
}

var (
	_ parley.CodeHook    = (*Router)(nil)
	_ parley.TimeLimited = (*Router)(nil)
)

// Invoke calls the chosen hook, within that hook's own time limit when it
// has one.
func (r *Router) Invoke(ctx context.Context, ev *parley.CodeHookEvent) (*parley.CodeHookResponse, error) {
	hook := r.pick(ev)
	if hook == nil {
		return parley.NopCodeHook.Invoke(ctx, ev)
	}
	if tl, ok := hook.(parley.TimeLimited); ok && tl.Timeout() > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, tl.Timeout())
		defer cancel()
	}
	return hook.Invoke(ctx, ev)
}

func (r *Router) pick(ev *parley.CodeHookEvent) parley.CodeHook {
	if in := ev.SessionState.Intent; in != nil {
		if h, ok := r.Intents[in.Name]; ok {
			return h
		}
	}
	return r.Default
}

// Timeout is the longest limit among the hooks: the engine asks before it
// knows the intent, so it gets the bound that fits any of them, and Invoke
// applies the chosen hook's own. Zero (the engine default) when none has
// one.
func (r *Router) Timeout() time.Duration {
	var longest time.Duration
	for _, h := range append(slices.Collect(maps.Values(r.Intents)), r.Default) {
		if tl, ok := h.(parley.TimeLimited); ok {
			longest = max(longest, tl.Timeout())
		}
	}
	return longest
}

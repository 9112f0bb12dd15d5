package botdef

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

var (
	bindingKeys = keySet{keys: []string{"alias", "locale", "uri", "intents", "timeoutSeconds", "maxResponseBytes", "environment", "secretEnv"}}
	// stepHookKeys are a step's code hook: Parley's {enabled, invocationLabel}
	// or Lex's {enableCodeHookInvocation, invocationLabel}.
	stepHookKeys = keySet{
		keys:    append([]string{"enabled", "invocationLabel"}, hookGraphKeys...),
		aliases: map[string]string{"enableCodeHookInvocation": "enabled"},
	}
	initialResponseKeys = keySet{
		keys:    append([]string{"messageGroups", "allowInterrupt", "codeHook"}, initialGraphKeys...),
		aliases: map[string]string{"messageGroupsList": "messageGroups"},
	}
	updatesKeys = keySet{keys: []string{"startResponse", "delayInSeconds", "updateResponse", "frequencyInSeconds", "timeoutInSeconds"}}
)

// Bounds of code hook settings.
const (
	maxHookTimeoutSeconds = 900             // Lex's limit for fulfillment updates; the same for every hook call
	minResponseBytes      = 1024            // 1 KB
	maxResponseBytes      = 6 * 1024 * 1024 // 6 MB, Lambda's synchronous payload limit
	maxUpdateSeconds      = 900             // delayInSeconds, frequencyInSeconds, timeoutInSeconds
)

// hookSchemes are the code hook URI schemes Parley has transports for.
var hookSchemes = []string{"lambda", "http", "https", "python", "node", "go"}

// bindingDef is a decoded codeHooks entry with where its parts are, for the
// checks that need the whole bot.
type bindingDef struct {
	b        *parley.CodeHookBinding
	at       pos
	aliasAt  pos
	localeAt pos
	intents  []text // intent names of the intents map
}

// decodeBindings decodes the top-level codeHooks list.
func (d *doc) decodeBindings(raw ast.Node) []*bindingDef {
	var out []*bindingDef
	for _, item := range d.list(raw, `"codeHooks"`) {
		o := d.object(item, "code hook", bindingKeys)
		if o == nil {
			d.nullItem(item, "a code hook")
			continue
		}
		bd := &bindingDef{b: &parley.CodeHookBinding{}, at: d.pos(o.node), aliasAt: d.pos(o.at("alias")), localeAt: d.pos(o.at("locale"))}
		b := bd.b
		b.AliasID = o.str("alias")
		b.LocaleID = o.str("locale")
		if o.require("uri") {
			b.URI = o.str("uri")
			d.checkHookURI(o.at("uri"), b.URI)
		}
		if io := d.resolve(o.value("intents")); io != nil {
			entries, ok := mappingValues(io)
			if !ok {
				d.errorf(o.value("intents"), "intents must be a mapping from intent name to the URI of its hook, got %s", kind(io))
			}
			for _, e := range entries {
				name, ok := d.keyText(e.Key)
				if !ok {
					continue
				}
				uri, ok := d.scalar(e.Value, fmt.Sprintf("the hook of intent %s", name))
				if !ok {
					continue
				}
				d.checkHookURI(e.Value, uri)
				if b.Intents == nil {
					b.Intents = map[string]string{}
				}
				b.Intents[name] = uri
				bd.intents = append(bd.intents, text{name, d.pos(e.Key)})
			}
		}
		if n, ok := o.integer("timeoutSeconds"); ok {
			if n < 1 || n > maxHookTimeoutSeconds {
				d.errorf(o.at("timeoutSeconds"), "timeoutSeconds must be 1–%d, got %d", maxHookTimeoutSeconds, n)
			}
			b.Timeout = time.Duration(n) * time.Second
		}
		if n, ok := o.integer("maxResponseBytes"); ok {
			if n < minResponseBytes || n > maxResponseBytes {
				d.errorf(o.at("maxResponseBytes"), "maxResponseBytes must be %d–%d (1 KB–6 MB), got %d", minResponseBytes, maxResponseBytes, n)
			}
			b.MaxResponseBytes = n
		}
		if eo := d.resolve(o.value("environment")); eo != nil {
			entries, ok := mappingValues(eo)
			if !ok {
				d.errorf(o.value("environment"), "environment must be a mapping from variable name to value, got %s", kind(eo))
			}
			for _, e := range entries {
				name, ok := d.keyText(e.Key)
				if !ok {
					continue
				}
				if !validEnvName(name) {
					d.errorf(e.Key, "environment variable name %q must be letters, digits and _, not starting with a digit", name)
				}
				v, ok := d.scalar(e.Value, fmt.Sprintf("environment variable %s", name))
				if !ok {
					continue
				}
				if b.Environment == nil {
					b.Environment = map[string]string{}
				}
				b.Environment[name] = v
			}
		}
		if o.has("secretEnv") {
			b.SecretEnv = o.str("secretEnv")
			if !validEnvName(b.SecretEnv) {
				d.errorf(o.at("secretEnv"), "secretEnv must name an environment variable (letters, digits and _), got %q", b.SecretEnv)
			}
		}
		out = append(out, bd)
	}
	return out
}

// checkHookURI reports a URI that no transport serves.
func (d *doc) checkHookURI(at ast.Node, uri string) {
	scheme, rest, ok := strings.Cut(uri, ":")
	if !ok || !slices.Contains(hookSchemes, scheme) {
		d.errorf(at, "code hook uri %q must start with lambda:, http://, https://, python:, node: or go:", uri)
		return
	}
	switch scheme {
	case "http", "https":
		if u, err := url.Parse(uri); err != nil || u.Host == "" {
			d.errorf(at, "code hook uri %q is not a valid %s URL with a host", uri, scheme)
		}
	case "lambda":
		if fn, _, _ := strings.Cut(rest, ":"); fn == "" {
			d.errorf(at, "code hook uri %q needs a function name: lambda:FUNCTION[:QUALIFIER]", uri)
		}
	case "python", "node":
		if path, _, _ := strings.Cut(rest, ":"); path == "" {
			d.errorf(at, "code hook uri %q needs the handler file: %s:PATH[:HANDLER]", uri, scheme)
		}
	case "go":
		if rest == "" {
			d.errorf(at, "code hook uri %q needs the name the Go hook was registered under: go:NAME", uri)
		}
	}
}

func validEnvName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

// stepHook decodes a step's code hook: true/false, or {enabled,
// invocationLabel}; nil when it is not enabled.
func (d *doc) stepHook(raw ast.Node, what string) *parley.CodeHookStep {
	if !d.isMapping(raw) {
		if on, ok := d.boolean(raw, what); ok && on {
			return &parley.CodeHookStep{}
		}
		return nil
	}
	o := d.object(raw, what, stepHookKeys)
	if o == nil || !o.require("enabled") || !o.boolean("enabled") {
		return nil
	}
	h := &parley.CodeHookStep{}
	if o.has("invocationLabel") {
		h.InvocationLabel = o.str("invocationLabel")
		if !validName(h.InvocationLabel) {
			d.errorf(o.at("invocationLabel"), "invocationLabel %q must be letters and digits, optionally joined by single _ or - (at most 100)", h.InvocationLabel)
		}
	}
	d.hookGraph(o, h)
	return h
}

// initialResponse decodes an intent's initialResponse: a response, or a
// mapping with a codeHook and optionally messageGroups.
func (d *doc) initialResponse(raw ast.Node, in *parley.Intent) {
	if !d.hasAnyKey(raw, keySet{keys: append([]string{"codeHook"}, initialGraphKeys...)}) {
		in.InitialResponse = d.response(raw, "initialResponse")
		return
	}
	o := d.object(raw, "initialResponse", initialResponseKeys)
	if o == nil {
		return
	}
	if o.has("messageGroups") {
		if groups, ok := d.groups(o.value("messageGroups"), "initialResponse messageGroups"); ok {
			in.InitialResponse = &parley.Response{MessageGroups: groups, AllowInterrupt: o.boolean("allowInterrupt")}
		}
	}
	if o.has("codeHook") {
		in.InitialCodeHook = d.stepHook(o.value("codeHook"), "initialResponse codeHook")
	}
	d.initialGraph(o, in)
}

// updates decodes fulfillment.updates (Lex's fulfillmentUpdatesSpecification,
// flattened).
func (d *doc) updates(raw ast.Node) *parley.FulfillmentUpdates {
	o := d.object(raw, "fulfillment updates", updatesKeys)
	if o == nil {
		return nil
	}
	u := &parley.FulfillmentUpdates{}
	seconds := func(key string) time.Duration {
		n, ok := o.integer(key)
		if !ok {
			return 0
		}
		if n < 1 || n > maxUpdateSeconds {
			d.errorf(o.at(key), "%s must be 1–%d, got %d", key, maxUpdateSeconds, n)
		}
		return time.Duration(n) * time.Second
	}
	if o.has("startResponse") {
		u.StartResponse = d.response(o.value("startResponse"), "startResponse")
		o.require("delayInSeconds")
	}
	if o.has("updateResponse") {
		u.UpdateResponse = d.response(o.value("updateResponse"), "updateResponse")
		o.require("frequencyInSeconds")
	}
	u.StartDelay = seconds("delayInSeconds")
	u.UpdateEvery = seconds("frequencyInSeconds")
	u.Timeout = seconds("timeoutInSeconds")
	return u
}

// checkBindings checks the code hook bindings against the bot: aliases,
// locales and the intents they route, and that no two bindings serve the
// same alias and locale.
func (c *collector) checkBindings(def *botDef) {
	seen := map[[2]string]pos{}
	for _, bd := range def.hooks {
		b := bd.b
		if b.AliasID != "" && !def.bot.HasAlias(b.AliasID) {
			var ids []string
			for _, a := range def.bot.Aliases {
				ids = append(ids, a.ID)
			}
			c.add(bd.aliasAt, "code hook alias %q is not an alias of the bot%s", b.AliasID, suggest(b.AliasID, append(ids, parley.DraftAliasID)))
		}
		var locales []*parley.Locale
		if b.LocaleID != "" {
			loc := def.bot.Locale(b.LocaleID)
			if loc == nil {
				var ids []string
				for _, l := range def.bot.Locales {
					ids = append(ids, l.ID)
				}
				c.add(bd.localeAt, "code hook locale %q is not a locale of the bot%s", b.LocaleID, suggest(b.LocaleID, ids))
			} else {
				locales = []*parley.Locale{loc}
			}
		} else {
			locales = def.bot.Locales
		}
		k := [2]string{b.AliasID, b.LocaleID}
		if first, dup := seen[k]; dup {
			c.add(bd.at, "a second code hook for alias %q and locale %q (first at %s)", orAny(b.AliasID), orAny(b.LocaleID), where(first, bd.at))
		} else {
			seen[k] = bd.at
		}
		if len(locales) == 0 {
			continue
		}
		for _, name := range bd.intents {
			found := false
			var names []string
			for _, l := range locales {
				if l.Intent(name.s) != nil {
					found = true
				}
				for _, in := range l.Intents {
					names = append(names, in.Name)
				}
			}
			if !found {
				c.add(name.at, "code hook intents names %q, which is not an intent of %s%s", name.s, localesOf(b.LocaleID), suggest(name.s, names))
			}
		}
	}
	for _, bd := range def.hooks {
		def.bot.CodeHooks = append(def.bot.CodeHooks, *bd.b)
	}
}

func orAny(id string) string {
	if id == "" {
		return "*"
	}
	return id
}

func localesOf(id string) string {
	if id == "" {
		return "any locale"
	}
	return "locale " + id
}

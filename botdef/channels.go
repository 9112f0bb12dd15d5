package botdef

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

var channelKeys = keySet{keys: []string{"name", "type", "alias", "locale", "settings"}}

// channelTypes are the messaging platforms Parley has connectors for.
var channelTypes = []string{"kakao", "messenger", "slack", "telegram", "line", "twilio"}

// maxChannelName bounds a channel name, which is a URL path segment.
const maxChannelName = 40

// channelDef is a decoded channels entry with where its parts are, for the
// checks that need the whole bot.
type channelDef struct {
	b        *parley.ChannelBinding
	at       pos // the name, or the mapping when it has none
	aliasAt  pos
	localeAt pos
}

// decodeChannels decodes the top-level channels list. Settings values have
// their ${VAR} references expanded here, so a missing secret is reported
// where it is used.
func (d *doc) decodeChannels(raw ast.Node) []*channelDef {
	var out []*channelDef
	for _, item := range d.list(raw, `"channels"`) {
		o := d.object(item, "channel", channelKeys)
		if o == nil {
			d.nullItem(item, "a channel")
			continue
		}
		cd := &channelDef{b: &parley.ChannelBinding{}, at: d.pos(o.node), aliasAt: d.pos(o.at("alias")), localeAt: d.pos(o.at("locale"))}
		b := cd.b
		o.require("name", "type")
		if name, ok := o.text("name"); ok {
			b.Name = name
			cd.at = d.pos(o.at("name"))
			if !validChannelName(name) {
				d.errorf(o.at("name"), "channel name %q must be 1–%d letters, digits, _ or - (it is part of the webhook URL)", name, maxChannelName)
			}
		}
		if typ, ok := o.text("type"); ok {
			b.Type = typ
			if !isChannelType(typ) {
				d.errorf(o.at("type"), "unknown channel type %q%s", typ, suggest(typ, channelTypes))
			}
		}
		b.AliasID = o.str("alias")
		b.LocaleID = o.str("locale")
		if so := d.resolve(o.value("settings")); so != nil {
			entries, ok := mappingValues(so)
			if !ok {
				d.errorf(o.value("settings"), "channel settings must be a mapping from setting name to value, got %s", kind(so))
			}
			// The YAML parser already rejects a key given twice.
			for _, e := range entries {
				key, ok := d.keyText(e.Key)
				if !ok {
					continue
				}
				v, ok := d.scalar(e.Value, fmt.Sprintf("setting %s", key))
				if !ok {
					continue
				}
				v, problems := expandVars(v, d.c.lookupEnv)
				for _, p := range problems {
					d.errorf(e.Value, "setting %s: %s", key, p)
				}
				if b.Settings == nil {
					b.Settings = map[string]string{}
				}
				b.Settings[key] = v
			}
		}
		out = append(out, cd)
	}
	return out
}

// expandVars replaces ${VAR} with the variable's value and ${VAR:-default}
// with the value, or default when the variable is unset or empty; $${ is a
// literal ${. It returns what is wrong with the references, without the
// values (secrets stay out of messages).
func expandVars(s string, lookup func(string) (string, bool)) (string, []string) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	var problems []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), problems
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			problems = append(problems, fmt.Sprintf("unclosed ${ in %q (write $${ for a literal ${)", s[i:]))
			return b.String(), problems
		}
		ref := s[i+2 : i+end]
		s = s[i+end+1:]
		name, def, hasDefault := strings.Cut(ref, ":-")
		if !validEnvName(name) {
			problems = append(problems, fmt.Sprintf("${%s} does not name an environment variable (letters, digits and _, not starting with a digit)", ref))
			continue
		}
		v, ok := lookup(name)
		switch {
		case hasDefault && v == "":
			v = def
		case !ok:
			problems = append(problems, fmt.Sprintf("environment variable %s is not set", name))
		}
		b.WriteString(v)
	}
}

// checkChannels checks the channels against the bot: unique names, aliases
// and locales that exist; it applies the alias and locale defaults.
func (c *collector) checkChannels(def *botDef) {
	seen := map[string]pos{}
	for _, cd := range def.channels {
		b := cd.b
		if b.Name != "" {
			if first, dup := seen[b.Name]; dup {
				c.add(cd.at, "duplicate channel name %q (first at %s)", b.Name, where(first, cd.at))
			} else {
				seen[b.Name] = cd.at
			}
		}
		if b.AliasID == "" {
			b.AliasID = parley.DraftAliasID
		} else if !def.bot.HasAlias(b.AliasID) {
			ids := []string{parley.DraftAliasID}
			for _, a := range def.bot.Aliases {
				ids = append(ids, a.ID)
			}
			c.add(cd.aliasAt, "channel alias %q is not an alias of the bot%s", b.AliasID, suggest(b.AliasID, ids))
		}
		switch {
		case b.LocaleID == "" && len(def.bot.Locales) > 0:
			b.LocaleID = def.bot.Locales[0].ID
		case b.LocaleID != "" && def.bot.Locale(b.LocaleID) == nil:
			var ids []string
			for _, l := range def.bot.Locales {
				ids = append(ids, l.ID)
			}
			c.add(cd.localeAt, "channel locale %q is not a locale of the bot%s", b.LocaleID, suggest(b.LocaleID, ids))
		}
		def.bot.Channels = append(def.bot.Channels, *b)
	}
}

func validChannelName(s string) bool {
	if s == "" || len(s) > maxChannelName {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' && s[i] != '-' {
			return false
		}
	}
	return true
}

func isChannelType(s string) bool {
	for _, t := range channelTypes {
		if t == s {
			return true
		}
	}
	return false
}

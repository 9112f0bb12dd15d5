package parley

import "time"

// DraftAliasID is the alias every bot has: Lex's built-in "TestBotAlias",
// which always points at the draft version.
const DraftAliasID = "TSTALIASID"

// DefaultConfidenceThreshold is the nluConfidenceThreshold a locale gets when
// its definition names none (the value Lex exports by default).
const DefaultConfidenceThreshold = 0.40

// DefaultIdleSessionTTL is the idle time after which a session expires when a
// bot names none (the Lex console default).
const DefaultIdleSessionTTL = 300 * time.Second

// Bot is one bot definition. Field names follow the Lex V2 export so that an
// imported bot is a mapping, not a redesign.
type Bot struct {
	ID             string        // exactly 10 ASCII letters or digits
	Name           string        // display name
	Description    string        // free text
	IdleSessionTTL time.Duration // 60 s – 24 h; DefaultIdleSessionTTL when zero
	Aliases        []Alias       // extra aliases; DraftAliasID is always served
	Locales        []*Locale     // at least one
	// CodeHooks bind code hooks to aliases and locales: Lex's
	// botAliasLocaleSettings, which Lex keeps outside its export.
	CodeHooks []CodeHookBinding
	// Channels connect the bot to messaging platforms (Lex's channel
	// integrations, which also belong to an alias and a locale).
	Channels []ChannelBinding

	// Source is where the definition was loaded from (a file or folder), for
	// messages; empty for bots built in code.
	Source string
}

// ChannelBinding connects a bot's alias and locale to a messaging platform.
// Its webhooks are served under /channels/{botId}/{Name}/.
type ChannelBinding struct {
	Name     string // unique per bot: letters, digits, - and _
	Type     string // the connector: kakao, messenger, slack, telegram, line, twilio
	AliasID  string // DraftAliasID when empty
	LocaleID string // the bot's first locale when empty
	// Settings are the connector's own settings (secrets, API base URLs),
	// with ${ENV} references already expanded. Never log them.
	Settings map[string]string
}

// Alias names a published alias of a bot and the version it serves.
type Alias struct {
	ID   string // 10 ASCII letters or digits
	Name string
	// BotVersion is the numbered version the alias serves ("1", "2", …);
	// "" or "DRAFT" serves the draft, as TSTALIASID does.
	BotVersion string
}

// Locale returns the locale with the given id, or nil.
func (b *Bot) Locale(id string) *Locale {
	for _, l := range b.Locales {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// HasAlias reports whether the bot answers on the alias id.
func (b *Bot) HasAlias(id string) bool {
	if id == DraftAliasID {
		return true
	}
	for _, a := range b.Aliases {
		if a.ID == id {
			return true
		}
	}
	return false
}

// AliasName returns the alias's display name ("TestBotAlias" for the draft).
func (b *Bot) AliasName(id string) string {
	if id == DraftAliasID {
		return "TestBotAlias"
	}
	for _, a := range b.Aliases {
		if a.ID == id {
			return a.Name
		}
	}
	return ""
}

// SessionTTL returns the idle session TTL with the default applied.
func (b *Bot) SessionTTL() time.Duration {
	if b.IdleSessionTTL <= 0 {
		return DefaultIdleSessionTTL
	}
	return b.IdleSessionTTL
}

// Locale is one language of a bot: its intents, slot types and the NLU
// threshold below which FallbackIntent wins.
type Locale struct {
	ID                     string  // Lex locale id: "ko_KR", "en_US", "zh_CN"
	Description            string  // free text
	NLUConfidenceThreshold float64 // 0–1; DefaultConfidenceThreshold when unset by the loader
	TimeZone               string  // IANA zone for relative dates; "" means UTC
	Intents                []*Intent
	SlotTypes              []*SlotType
	Generative             *GenerativeSettings // nil: no LLM, no knowledge base
}

// Intent returns the intent with the given name, or nil.
func (l *Locale) Intent(name string) *Intent {
	for _, in := range l.Intents {
		if in.Name == name {
			return in
		}
	}
	return nil
}

// SlotType returns the custom slot type with the given name, or nil.
func (l *Locale) SlotType(name string) *SlotType {
	for _, st := range l.SlotTypes {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// FallbackIntent returns the locale's AMAZON.FallbackIntent. Loaders add one
// when a definition lacks it, so this is nil only for hand-built locales.
func (l *Locale) FallbackIntent() *Intent {
	for _, in := range l.Intents {
		if in.ParentIntentSignature == FallbackIntentSignature {
			return in
		}
	}
	return nil
}

// Location returns the locale's time zone, UTC when unset or unknown.
func (l *Locale) Location() *time.Location {
	if l.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CodeHookBinding says which code hook serves an alias and locale of a bot.
type CodeHookBinding struct {
	AliasID  string // an alias id, or "" for every alias
	LocaleID string // a locale id, or "" for every locale
	// URI names the hook: "lambda:FUNCTION[:QUALIFIER]", "http(s)://…",
	// "python:PATH[:HANDLER]", "node:PATH[:HANDLER]" or "go:NAME".
	URI string
	// Intents routes single intents to other hooks (the router pattern of
	// the Lex documentation, built in): intent name → URI.
	Intents          map[string]string
	Timeout          time.Duration     // per invocation; zero = 30 s
	MaxResponseBytes int               // zero = 25 KB, Lex's limit
	Environment      map[string]string // variables for local runners (python:, node:)
	// SecretEnv names the environment variable holding the HMAC secret that
	// signs requests to http(s) hooks.
	SecretEnv string
}

// CodeHookBinding returns the binding that serves alias and locale: the
// most specific match, an exact alias and locale before wildcards; nil when
// none does.
func (b *Bot) CodeHookBinding(aliasID, localeID string) *CodeHookBinding {
	var best *CodeHookBinding
	bestRank := -1
	for i := range b.CodeHooks {
		h := &b.CodeHooks[i]
		if (h.AliasID != "" && h.AliasID != aliasID) || (h.LocaleID != "" && h.LocaleID != localeID) {
			continue
		}
		rank := 0
		if h.AliasID != "" {
			rank += 2
		}
		if h.LocaleID != "" {
			rank++
		}
		if rank > bestRank {
			best, bestRank = h, rank
		}
	}
	return best
}

package botdef

import (
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

var (
	botKeys    = keySet{keys: []string{"id", "name", "description", "idleSessionTTLInSeconds", "aliases", "locales", "codeHooks", "channels"}}
	aliasKeys  = keySet{keys: []string{"id", "name", "botVersion"}}
	localeKeys = keySet{
		keys:    []string{"description", "nluConfidenceThreshold", "timeZone", "intents", "slotTypes", "builtInIntents", "generative"},
		aliases: map[string]string{"nluIntentConfidenceThreshold": "nluConfidenceThreshold"},
	}
	intentKeys = keySet{keys: append([]string{
		"name", "description", "parentIntentSignature", "sampleUtterances", "slots", "slotPriorities",
		"initialResponse", "confirmation", "fulfillment", "closingResponse", "inputContexts", "outputContexts",
		"dialogCodeHook",
	}, intentGraphKeys...)}
	confirmationKeys = keySet{
		keys:    append([]string{"prompt", "declinationResponse"}, confirmationGraphKeys...),
		aliases: map[string]string{"promptSpecification": "prompt"},
	}
	fulfillmentKeys = keySet{keys: append([]string{"codeHook", "successResponse", "failureResponse", "timeoutResponse", "updates"}, fulfillmentGraphKeys...)}
	slotKeys        = keySet{
		keys: append([]string{"name", "description", "slotTypeName", "slotConstraint", "priority", "prompt",
			"sampleUtterances", "obfuscationSetting", "defaultValueSpecification", "elicitationCodeHook"}, slotGraphKeys...),
		aliases: map[string]string{"promptSpecification": "prompt"},
	}
	slotPriorityKeys  = keySet{keys: []string{"priority", "slotName"}}
	outputContextKeys = keySet{keys: []string{"name", "timeToLiveInSeconds", "turnsToLive"}}
	inputContextKeys  = keySet{keys: []string{"name"}}
	utteranceKeys     = keySet{keys: []string{"utterance"}}
	codeHookKeys      = keySet{keys: []string{"enabled"}}
	obfuscationKeys   = keySet{keys: []string{"obfuscationSettingType"}}
	defaultValueKeys  = keySet{keys: []string{"defaultValueList"}}
	defaultItemKeys   = keySet{keys: []string{"defaultValue"}}
	slotTypeKeys      = keySet{keys: []string{"name", "description", "resolutionStrategy", "parentSlotTypeSignature", "regexFilter", "values"}}
	regexKeys         = keySet{keys: []string{"pattern"}}
	slotValueKeys     = keySet{keys: []string{"value", "synonyms"}}
)

// Defaults for output contexts that name no lifetime (the Lex console's).
const (
	defaultContextTTLSeconds = 90
	defaultContextTurns      = 5
)

// Bounds of the bot's idle session TTL in seconds.
const (
	minIdleTTL = 60
	maxIdleTTL = 86400
)

// botDef is a decoded bot with where its parts came from, for the checks
// that need the whole bot.
type botDef struct {
	bot      *parley.Bot
	at       pos // the bot mapping
	locales  []*localeDef
	hooks    []*bindingDef
	channels []*channelDef
}

type localeDef struct {
	loc      *parley.Locale
	at       pos
	intents  []*intentDef
	types    []*typeDef
	builtIns []text // builtInIntents entries
}

type intentDef struct {
	in         *parley.Intent
	at         pos // the intent's name, or its mapping when the name is implied
	utterances []text
	slotUtters []text // slot sample utterances
	texts      []text // message texts that may reference slots
	slots      []*slotDef
	priorities []priorityDef
}

type slotDef struct {
	s           *parley.Slot
	at          pos
	typeAt      pos
	priority    int
	hasPriority bool
	priorityAt  pos
}

type priorityDef struct {
	slot     string
	priority int
	slotAt   pos
	at       pos
}

type typeDef struct {
	t  *parley.SlotType
	at pos
}

// decodeBot decodes the bot file's root mapping.
func (d *doc) decodeBot(root ast.Node) *botDef {
	o := d.object(root, "bot", botKeys)
	if o == nil {
		return nil
	}
	def := &botDef{bot: &parley.Bot{}}
	b := def.bot
	o.require("id", "name")
	id, ok := o.text("id")
	b.ID = id
	if ok && !parley.ValidBotID(b.ID) {
		d.errorf(o.at("id"), "bot id must be exactly 10 letters or digits, got %q", b.ID)
	}
	name, ok := o.text("name")
	b.Name = name
	if ok && !validName(b.Name) {
		d.errorf(o.at("name"), "bot name %q must be letters and digits, optionally joined by single _ or - (at most 100)", b.Name)
	}
	b.Description = o.str("description")
	b.IdleSessionTTL = parley.DefaultIdleSessionTTL
	if n, ok := o.integer("idleSessionTTLInSeconds"); ok {
		if n < minIdleTTL || n > maxIdleTTL {
			d.errorf(o.at("idleSessionTTLInSeconds"), "idleSessionTTLInSeconds must be %d–%d, got %d", minIdleTTL, maxIdleTTL, n)
		}
		b.IdleSessionTTL = time.Duration(n) * time.Second
	}
	seenAlias := map[string]pos{}
	for _, item := range o.list("aliases") {
		ao := d.object(item, "alias", aliasKeys)
		if ao == nil {
			d.nullItem(item, "an alias")
			continue
		}
		ao.require("id")
		a := parley.Alias{Name: ao.str("name")}
		var ok bool
		if a.ID, ok = ao.text("id"); ok {
			switch {
			case a.ID == parley.DraftAliasID:
				d.errorf(ao.at("id"), "alias id %s is reserved for the draft alias, which every bot has", parley.DraftAliasID)
			case !parley.ValidBotID(a.ID):
				d.errorf(ao.at("id"), "alias id must be exactly 10 letters or digits, got %q", a.ID)
			}
			if prev, dup := seenAlias[a.ID]; dup {
				d.errorf(ao.at("id"), "duplicate alias id %q (first at line %d)", a.ID, prev.line)
			}
			seenAlias[a.ID] = d.pos(ao.at("id"))
		}
		if a.Name == "" {
			a.Name = a.ID
		} else if !validName(a.Name) {
			d.errorf(ao.at("name"), "alias name %q must be letters and digits, optionally joined by single _ or - (at most 100)", a.Name)
		}
		if v, ok := ao.text("botVersion"); ok && v != "DRAFT" && !validVersion(v) {
			d.errorf(ao.at("botVersion"), "alias botVersion must be DRAFT or a version number (1, 2, …), got %q", v)
		} else if v != "DRAFT" {
			a.BotVersion = v
		}
		b.Aliases = append(b.Aliases, a)
	}
	if o.has("codeHooks") {
		def.hooks = d.decodeBindings(o.value("codeHooks"))
	}
	if o.has("channels") {
		def.channels = d.decodeChannels(o.value("channels"))
	}
	if lo := d.resolve(o.value("locales")); lo != nil {
		entries, ok := mappingValues(lo)
		if !ok {
			d.errorf(o.value("locales"), "locales must be a mapping from locale id (like ko_KR) to its settings, got %s", kind(lo))
		}
		seen := map[string]pos{}
		for _, e := range entries {
			id, ok := d.keyText(e.Key)
			if !ok {
				continue
			}
			if prev, dup := seen[id]; dup {
				d.errorf(e.Key, "locale %s is given twice (first at line %d)", id, prev.line)
				continue
			}
			seen[id] = d.pos(e.Key)
			if !validLocaleID(id) {
				d.errorf(e.Key, "locale id %q must look like xx_YY (ko_KR, en_US, zh_CN)", id)
			}
			loc := &localeDef{loc: &parley.Locale{ID: id, NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}, at: d.pos(e.Key)}
			d.decodeLocale(loc, e.Value)
			def.locales = append(def.locales, loc)
		}
	}
	return def
}

// decodeLocale decodes a locale's settings and any inline intents and slot
// types into loc.
func (d *doc) decodeLocale(loc *localeDef, raw ast.Node) {
	o := d.object(raw, "locale "+loc.loc.ID, localeKeys)
	if o == nil {
		return
	}
	l := loc.loc
	l.Description = o.str("description")
	if f, ok := o.number("nluConfidenceThreshold"); ok {
		if f < 0 || f > 1 {
			d.errorf(o.at("nluConfidenceThreshold"), "nluConfidenceThreshold must be 0–1, got %g", f)
		}
		l.NLUConfidenceThreshold = f
	}
	if o.has("timeZone") {
		l.TimeZone = o.str("timeZone")
		if !validTimeZone(l.TimeZone) {
			d.errorf(o.at("timeZone"), "unknown timeZone %q; use an IANA name such as Asia/Seoul or America/New_York", l.TimeZone)
		}
	}
	for _, item := range o.list("intents") {
		if in := d.decodeIntent(item, ""); in != nil {
			loc.intents = append(loc.intents, in)
		}
	}
	for _, item := range o.list("slotTypes") {
		if t := d.decodeSlotType(item, ""); t != nil {
			loc.types = append(loc.types, t)
		}
	}
	loc.builtIns = append(loc.builtIns, o.strings("builtInIntents")...)
	l.Generative = d.decodeGenerative(o.value("generative"))
}

// decodeIntent decodes one intent. implied is the name to use when the
// mapping has none (the file name in the multi-file layout).
func (d *doc) decodeIntent(raw ast.Node, implied string) *intentDef {
	o := d.object(raw, "intent", intentKeys)
	if o == nil {
		d.nullItem(raw, "an intent")
		return nil
	}
	def := &intentDef{in: &parley.Intent{}, at: d.pos(o.node)}
	in := def.in
	d.texts = &def.texts
	defer func() { d.texts = nil }()

	switch {
	case o.has("name"):
		name, ok := o.text("name")
		in.Name = name
		def.at = d.pos(o.at("name"))
		if ok && !validName(in.Name) {
			d.errorf(o.at("name"), "intent name %q must be letters and digits, optionally joined by single _ or - (at most 100)", in.Name)
		}
	case implied != "":
		in.Name = implied
		if !validName(in.Name) {
			d.errorf(o.node, "intent name %q (from the file name) must be letters and digits, optionally joined by single _ or -; add a name key", in.Name)
		}
	default:
		o.require("name")
	}
	in.Description = o.str("description")
	if o.has("parentIntentSignature") {
		in.ParentIntentSignature = o.str("parentIntentSignature")
		if !builtInIntent(in.ParentIntentSignature) {
			d.errorf(o.at("parentIntentSignature"), "unknown parentIntentSignature %q%s", in.ParentIntentSignature, suggest(in.ParentIntentSignature, builtInIntents))
		}
	}
	for _, item := range o.list("sampleUtterances") {
		if t, ok := d.utterance(item); ok {
			def.utterances = append(def.utterances, t)
			in.SampleUtterances = append(in.SampleUtterances, t.s)
		}
	}
	for _, item := range o.list("slots") {
		if s := d.decodeSlot(item, def); s != nil {
			def.slots = append(def.slots, s)
			in.Slots = append(in.Slots, s.s)
		}
	}
	for _, item := range o.list("slotPriorities") {
		po := d.object(item, "slot priority", slotPriorityKeys)
		if po == nil {
			continue
		}
		if !po.require("priority", "slotName") {
			continue
		}
		n, ok := po.integer("priority")
		if !ok {
			continue
		}
		def.priorities = append(def.priorities, priorityDef{slot: po.str("slotName"), priority: n, slotAt: d.pos(po.at("slotName")), at: d.pos(po.at("priority"))})
	}
	if o.has("initialResponse") {
		d.initialResponse(o.value("initialResponse"), in)
	}
	if co := d.object(o.value("confirmation"), "confirmation", confirmationKeys); co != nil {
		c := &parley.ConfirmationSetting{}
		if co.require("prompt") {
			c.Prompt, _ = d.prompt(co.value("prompt"), "confirmation prompt")
		}
		if co.has("declinationResponse") {
			c.DeclinationResponse = d.response(co.value("declinationResponse"), "declinationResponse")
		}
		d.confirmationGraph(co, c)
		in.Confirmation = c
	}
	if fo := d.object(o.value("fulfillment"), "fulfillment", fulfillmentKeys); fo != nil {
		f := &parley.FulfillmentSetting{CodeHook: fo.boolean("codeHook")}
		for _, r := range []struct {
			key string
			dst **parley.Response
		}{{"successResponse", &f.SuccessResponse}, {"failureResponse", &f.FailureResponse}, {"timeoutResponse", &f.TimeoutResponse}} {
			if fo.has(r.key) {
				*r.dst = d.response(fo.value(r.key), r.key)
			}
		}
		if fo.has("updates") {
			f.Updates = d.updates(fo.value("updates"))
			if !f.CodeHook {
				d.errorf(fo.at("updates"), "fulfillment updates are said while the fulfillment code hook runs; set codeHook: true")
			}
		}
		d.fulfillmentGraph(fo, f)
		in.Fulfillment = f
	}
	if o.has("closingResponse") {
		in.Closing = d.response(o.value("closingResponse"), "closingResponse")
	}
	for _, item := range o.list("inputContexts") {
		at := item
		var name string
		if d.isMapping(item) {
			io := d.object(item, "input context", inputContextKeys)
			if io == nil || !io.require("name") {
				continue
			}
			name, at = io.str("name"), io.at("name")
		} else {
			var ok bool
			if name, ok = d.scalar(item, "an input context"); !ok {
				continue
			}
		}
		if !validContextName(name) {
			d.errorf(at, "context name %q must be letters and digits, optionally joined by single _ (at most %d)", name, parley.MaxContextNameLength)
		}
		in.InputContexts = append(in.InputContexts, name)
	}
	for _, item := range o.list("outputContexts") {
		if c, ok := d.outputContext(item); ok {
			in.OutputContexts = append(in.OutputContexts, c)
		}
	}
	if o.has("dialogCodeHook") {
		if d.isMapping(o.value("dialogCodeHook")) {
			if ho := d.object(o.value("dialogCodeHook"), "dialogCodeHook", codeHookKeys); ho != nil {
				in.DialogCodeHook = ho.boolean("enabled")
			}
		} else {
			in.DialogCodeHook = o.boolean("dialogCodeHook")
		}
	}
	d.intentGraph(o, in)
	return def
}

// utterance decodes a sample utterance: a string or Lex's {utterance: ...}.
func (d *doc) utterance(raw ast.Node) (text, bool) {
	at := raw
	if d.isMapping(raw) {
		uo := d.object(raw, "sample utterance", utteranceKeys)
		if uo == nil || !uo.require("utterance") {
			return text{}, false
		}
		at = uo.at("utterance")
	}
	s, ok := d.scalar(at, "a sample utterance")
	if !ok {
		return text{}, false
	}
	if strings.TrimSpace(s) == "" {
		d.errorf(at, "a sample utterance must not be empty")
		return text{}, false
	}
	return text{s, d.pos(at)}, true
}

func (d *doc) outputContext(raw ast.Node) (parley.OutputContext, bool) {
	c := parley.OutputContext{TimeToLiveInSeconds: defaultContextTTLSeconds, TurnsToLive: defaultContextTurns}
	at := raw
	if d.isMapping(raw) {
		co := d.object(raw, "output context", outputContextKeys)
		if co == nil || !co.require("name") {
			return c, false
		}
		c.Name, at = co.str("name"), co.at("name")
		if n, ok := co.integer("timeToLiveInSeconds"); ok {
			if n < parley.MinContextTTLSeconds || n > parley.MaxContextTTLSeconds {
				d.errorf(co.at("timeToLiveInSeconds"), "timeToLiveInSeconds must be %d–%d, got %d", parley.MinContextTTLSeconds, parley.MaxContextTTLSeconds, n)
			}
			c.TimeToLiveInSeconds = n
		}
		if n, ok := co.integer("turnsToLive"); ok {
			if n < 1 || n > parley.MaxContextTurnsToLive {
				d.errorf(co.at("turnsToLive"), "turnsToLive must be 1–%d, got %d", parley.MaxContextTurnsToLive, n)
			}
			c.TurnsToLive = n
		}
	} else {
		s, ok := d.scalar(raw, "an output context")
		if !ok {
			return c, false
		}
		c.Name = s
	}
	if !validContextName(c.Name) {
		d.errorf(at, "context name %q must be letters and digits, optionally joined by single _ (at most %d)", c.Name, parley.MaxContextNameLength)
	}
	return c, true
}

func (d *doc) decodeSlot(raw ast.Node, intent *intentDef) *slotDef {
	o := d.object(raw, "slot", slotKeys)
	if o == nil {
		d.nullItem(raw, "a slot")
		return nil
	}
	s := &parley.Slot{Required: true}
	def := &slotDef{s: s, at: d.pos(o.node), typeAt: d.pos(o.node)}
	o.require("name", "slotTypeName")
	if name, ok := o.text("name"); ok {
		s.Name = name
		def.at = d.pos(o.at("name"))
		if !validName(s.Name) {
			d.errorf(o.at("name"), "slot name %q must be letters and digits, optionally joined by single _ or - (at most 100)", s.Name)
		}
	}
	s.Description = o.str("description")
	if o.has("slotTypeName") {
		s.SlotTypeName = o.str("slotTypeName")
		def.typeAt = d.pos(o.at("slotTypeName"))
	}
	if o.has("slotConstraint") {
		switch c := o.str("slotConstraint"); c {
		case parley.SlotRequired:
		case parley.SlotOptional:
			s.Required = false
		default:
			d.errorf(o.at("slotConstraint"), "slotConstraint must be Required or Optional, got %q", c)
		}
	}
	if n, ok := o.integer("priority"); ok {
		def.priority, def.hasPriority, def.priorityAt = n, true, d.pos(o.at("priority"))
		if n < 0 {
			d.errorf(o.at("priority"), "priority must not be negative, got %d", n)
		}
	}
	if o.has("prompt") {
		s.Prompt, _ = d.prompt(o.value("prompt"), "prompt of slot "+s.Name)
	} else if s.Required {
		d.errorf(o.node, "required slot %q needs a prompt (or set slotConstraint: Optional)", s.Name)
	}
	for _, item := range o.list("sampleUtterances") {
		if t, ok := d.utterance(item); ok {
			intent.slotUtters = append(intent.slotUtters, t)
			s.SampleUtterances = append(s.SampleUtterances, t.s)
		}
	}
	if o.has("obfuscationSetting") {
		s.Obfuscate = d.obfuscation(o.value("obfuscationSetting"))
	}
	if o.has("defaultValueSpecification") {
		s.DefaultValues = d.defaultValues(o.value("defaultValueSpecification"))
	}
	if o.has("elicitationCodeHook") {
		s.ElicitationCodeHook = d.stepHook(o.value("elicitationCodeHook"), "elicitationCodeHook")
	}
	d.slotGraph(o, s)
	return def
}

// obfuscation decodes obfuscationSetting: DefaultObfuscation or None, as a
// string or as Lex's {obfuscationSettingType}.
func (d *doc) obfuscation(raw ast.Node) bool {
	v, at := "", raw
	if d.isMapping(raw) {
		oo := d.object(raw, "obfuscationSetting", obfuscationKeys)
		if oo == nil || !oo.require("obfuscationSettingType") {
			return false
		}
		v, at = oo.str("obfuscationSettingType"), oo.at("obfuscationSettingType")
	} else if s, ok := d.scalar(raw, `"obfuscationSetting"`); ok {
		v = s
	} else {
		return false
	}
	switch v {
	case "DefaultObfuscation":
		return true
	case "None":
	default:
		d.errorf(at, "obfuscationSetting must be DefaultObfuscation or None, got %q", v)
	}
	return false
}

// defaultValues decodes defaultValueSpecification: a list of strings, or
// Lex's {defaultValueList: [{defaultValue}]}.
func (d *doc) defaultValues(raw ast.Node) []string {
	var items []ast.Node
	if d.isMapping(raw) {
		if vo := d.object(raw, "defaultValueSpecification", defaultValueKeys); vo != nil {
			items = vo.list("defaultValueList")
		}
	} else {
		items = d.list(raw, `"defaultValueSpecification"`)
	}
	var out []string
	for _, item := range items {
		at := item
		if d.isMapping(item) {
			io := d.object(item, "default value", defaultItemKeys)
			if io == nil || !io.require("defaultValue") {
				continue
			}
			at = io.at("defaultValue")
		}
		if v, ok := d.scalar(at, "a default value"); ok {
			out = append(out, v)
		}
	}
	return out
}

// decodeSlotType decodes a custom slot type; implied as in decodeIntent.
func (d *doc) decodeSlotType(raw ast.Node, implied string) *typeDef {
	o := d.object(raw, "slot type", slotTypeKeys)
	if o == nil {
		d.nullItem(raw, "a slot type")
		return nil
	}
	t := &parley.SlotType{ResolutionStrategy: parley.ResolutionOriginalValue}
	def := &typeDef{t: t, at: d.pos(o.node)}
	switch {
	case o.has("name"):
		name, ok := o.text("name")
		t.Name = name
		def.at = d.pos(o.at("name"))
		switch {
		case !ok:
		case strings.HasPrefix(t.Name, "AMAZON."):
			d.errorf(o.at("name"), "slot type name %q: the AMAZON. prefix is reserved for built-in types", t.Name)
		case !validName(t.Name):
			d.errorf(o.at("name"), "slot type name %q must be letters and digits, optionally joined by single _ or - (at most 100)", t.Name)
		}
	case implied != "":
		t.Name = implied
		if !validName(t.Name) {
			d.errorf(o.node, "slot type name %q (from the file name) must be letters and digits, optionally joined by single _ or -; add a name key", t.Name)
		}
	default:
		o.require("name")
	}
	t.Description = o.str("description")
	if o.has("resolutionStrategy") {
		switch s := o.str("resolutionStrategy"); s {
		case parley.ResolutionOriginalValue, "OriginalValue":
			t.ResolutionStrategy = parley.ResolutionOriginalValue
		case parley.ResolutionTopResolution, "TopResolution":
			t.ResolutionStrategy = parley.ResolutionTopResolution
		default:
			d.errorf(o.at("resolutionStrategy"), "resolutionStrategy must be ORIGINAL_VALUE or TOP_RESOLUTION, got %q", s)
		}
	}
	if o.has("parentSlotTypeSignature") {
		t.ParentSlotTypeSignature = o.str("parentSlotTypeSignature")
		if t.ParentSlotTypeSignature != "AMAZON.AlphaNumeric" {
			d.errorf(o.at("parentSlotTypeSignature"), "parentSlotTypeSignature must be AMAZON.AlphaNumeric (the only parent Lex allows), got %q", t.ParentSlotTypeSignature)
		}
	}
	if o.has("regexFilter") {
		at := o.value("regexFilter")
		if d.isMapping(at) {
			if ro := d.object(at, "regexFilter", regexKeys); ro != nil && ro.require("pattern") {
				t.RegexFilter, at = ro.str("pattern"), ro.at("pattern")
			}
		} else {
			t.RegexFilter = o.str("regexFilter")
		}
		if t.ParentSlotTypeSignature == "" {
			d.errorf(at, "regexFilter needs parentSlotTypeSignature: AMAZON.AlphaNumeric")
		}
		if n := len(t.RegexFilter); n < 1 || n > 300 {
			d.errorf(at, "regexFilter must be 1–300 characters long, got %d", n)
		}
	}
	for _, item := range o.list("values") {
		v, ok := d.slotValue(item)
		if ok {
			t.Values = append(t.Values, v)
		}
	}
	if !o.has("values") && t.ParentSlotTypeSignature == "" {
		d.errorf(o.node, "slot type %q needs values (or parentSlotTypeSignature with regexFilter)", t.Name)
	}
	return def
}

// slotValue decodes a value: a string, or {value, synonyms}.
func (d *doc) slotValue(raw ast.Node) (parley.SlotTypeValue, bool) {
	var v parley.SlotTypeValue
	if !d.isMapping(raw) {
		s, ok := d.scalar(raw, "a slot type value")
		v.Value = s
		if ok && strings.TrimSpace(s) == "" {
			d.errorf(raw, "a slot type value must not be empty")
			return v, false
		}
		return v, ok
	}
	o := d.object(raw, "slot type value", slotValueKeys)
	if o == nil || !o.require("value") {
		return v, false
	}
	v.Value = o.str("value")
	for _, syn := range o.strings("synonyms") {
		v.Synonyms = append(v.Synonyms, syn.s)
	}
	return v, true
}

// validName checks Lex's resource name pattern ^([0-9a-zA-Z][_-]?){1,100}$.
func validName(s string) bool {
	alnums := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c):
			alnums++
		case (c == '_' || c == '-') && i > 0 && isAlnum(s[i-1]):
		default:
			return false
		}
	}
	return alnums >= 1 && alnums <= 100
}

// validContextName checks Lex's context name pattern ^([A-Za-z0-9]_?)+$
// and length.
func validContextName(s string) bool {
	if s == "" || len(s) > parley.MaxContextNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && !(c == '_' && i > 0 && isAlnum(s[i-1])) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// validLocaleID checks the xx_YY form of Lex locale ids.
func validLocaleID(s string) bool {
	return len(s) == 5 && s[2] == '_' &&
		s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
		s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z'
}

func validTimeZone(s string) bool {
	if s == "" || s == "Local" {
		return false
	}
	_, err := time.LoadLocation(s)
	return err == nil
}

// builtInIntents are the parent signatures Parley knows.
var builtInIntents = []string{
	parley.FallbackIntentSignature, parley.CancelIntentSignature, parley.HelpIntentSignature,
	parley.StartOverIntentSignature, parley.StopIntentSignature, parley.RepeatIntentSignature,
}

func builtInIntent(sig string) bool {
	for _, s := range builtInIntents {
		if s == sig {
			return true
		}
	}
	return false
}

// builtInSlotTypes are the AMAZON.* slot types the NLU resolves: every
// built-in Lex V2 lists (lex-v2.md §5).
var builtInSlotTypes = []string{
	"AMAZON.Number", "AMAZON.Confirmation", "AMAZON.Date", "AMAZON.Time", "AMAZON.Duration",
	"AMAZON.FirstName", "AMAZON.EmailAddress", "AMAZON.PhoneNumber", "AMAZON.AlphaNumeric",
	"AMAZON.Percentage", "AMAZON.FreeFormInput", "AMAZON.LastName", "AMAZON.City",
	"AMAZON.Country", "AMAZON.State", "AMAZON.StreetName", "AMAZON.Currency",
	"AMAZON.UKPostalCode",
}

// builtInSlotTypeMissing says why a built-in slot type cannot be used in a
// locale, or "" when it can. Lex has no AMAZON.AlphaNumeric for Korean and
// AMAZON.UKPostalCode only for en_GB. (AMAZON.Currency, which some Lex
// pages list for English and Spanish only, is accepted everywhere: Parley
// reads Korean and Chinese amounts.)
func builtInSlotTypeMissing(name, localeID string) string {
	switch {
	case name == "AMAZON.AlphaNumeric" && strings.HasPrefix(strings.ToLower(localeID), "ko"):
		return fmt.Sprintf("slot type %s is not available in locale %s (Lex has no AlphaNumeric for Korean; use a custom slot type)", name, localeID)
	case name == "AMAZON.UKPostalCode" && localeID != "en_GB":
		return fmt.Sprintf("slot type %s is only available in locale en_GB, not in %s", name, localeID)
	}
	return ""
}

// validVersion reports whether v is a version number as Lex writes them: a
// positive decimal without leading zeros.
func validVersion(v string) bool {
	if v == "" || v[0] == '0' || len(v) > 9 {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

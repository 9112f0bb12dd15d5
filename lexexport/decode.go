package lexexport

import (
	"encoding/json"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// sidecarName is the file beside Manifest.json that carries what Lex keeps
// outside its exports.
const sidecarName = "Parley.json"

// knownLanguages are the language prefixes Parley's NLU has rules for; other
// locales are tokenised as English.
var knownLanguages = []string{"ko", "en", "zh", "ja"}

type localeFiles struct {
	dir       string // folder name under BotLocales
	locale    *file
	intents   []*file
	slots     map[string][]*file // lower-case intent folder → slot files
	slotTypes []*file
}

// decode maps the files of one export to a bot.
func decode(files []file) (*parley.Bot, []Warning, error) {
	d := &decoder{}
	var manifest, botFile, side *file
	for i := range files {
		f := &files[i]
		switch strings.ToLower(path.Base(f.name)) {
		case "manifest.json":
			if manifest == nil || depth(f.name) < depth(manifest.name) {
				manifest = f
			}
		case "bot.json":
			if botFile == nil || depth(f.name) < depth(botFile.name) {
				botFile = f
			}
		}
	}
	if botFile == nil {
		return nil, nil, parley.Errorf(parley.ErrValidation, "lexexport: no Bot.json in the export: is this a Lex V2 LexJson export?")
	}
	root := path.Dir(path.Dir(botFile.name))
	if manifest != nil {
		root = path.Dir(manifest.name)
	}
	rel := func(name string) string {
		if root == "." {
			return name
		}
		return strings.TrimPrefix(name, root+"/")
	}
	for i := range files {
		files[i].name = rel(files[i].name)
	}
	if manifest == nil {
		d.warn(botFile.name, "", "the export has no Manifest.json; read as LexJson")
	} else {
		d.manifest(manifest)
	}
	botDir := path.Dir(botFile.name)

	var locales []*localeFiles
	byDir := map[string]*localeFiles{}
	for i := range files {
		f := &files[i]
		if f == botFile || f == manifest {
			continue
		}
		if strings.EqualFold(f.name, sidecarName) {
			side = f
			continue
		}
		parts := strings.Split(f.name, "/")
		if !strings.EqualFold(path.Join(parts[:min(len(parts), strings.Count(botDir, "/")+1)]...), botDir) ||
			len(parts) < strings.Count(botDir, "/")+4 || !strings.EqualFold(parts[strings.Count(botDir, "/")+1], "BotLocales") {
			d.warn(f.name, "", "not part of the bot's layout; ignored")
			continue
		}
		p := parts[strings.Count(botDir, "/")+2:] // locale dir and below
		lf := byDir[strings.ToLower(p[0])]
		if lf == nil {
			lf = &localeFiles{dir: p[0], slots: map[string][]*file{}}
			byDir[strings.ToLower(p[0])] = lf
			locales = append(locales, lf)
		}
		lower := strings.ToLower(strings.Join(p[1:], "/"))
		switch {
		case lower == "botlocale.json":
			lf.locale = f
		case len(p) == 4 && strings.EqualFold(p[1], "Intents") && strings.EqualFold(p[3], "Intent.json"):
			lf.intents = append(lf.intents, f)
		case len(p) == 6 && strings.EqualFold(p[1], "Intents") && strings.EqualFold(p[3], "Slots") && strings.EqualFold(p[5], "Slot.json"):
			k := strings.ToLower(p[2])
			lf.slots[k] = append(lf.slots[k], f)
		case len(p) == 4 && strings.EqualFold(p[1], "SlotTypes") && strings.EqualFold(p[3], "SlotType.json"):
			lf.slotTypes = append(lf.slotTypes, f)
		case len(p) == 3 && strings.EqualFold(p[1], "CustomVocabulary"):
			d.warn(f.name, "", "custom vocabulary is a speech-recognition setting; Parley reads text and ignores it")
		default:
			d.warn(f.name, "", "not part of the bot's layout; ignored")
		}
	}

	b := d.bot(botFile)
	if d.err != nil {
		return nil, d.warnings, d.err
	}
	for _, lf := range locales {
		if loc := d.locale(lf); loc != nil {
			b.Locales = append(b.Locales, loc)
		}
		if d.err != nil {
			return nil, d.warnings, d.err
		}
	}
	if len(b.Locales) == 0 {
		d.fail(botFile.name, "", "the export has no locale (no BotLocales/<locale>/BotLocale.json)")
	}
	if side != nil {
		d.sidecar(side, b)
	}
	if d.err != nil {
		return nil, d.warnings, d.err
	}
	return b, d.warnings, nil
}

func depth(name string) int { return strings.Count(name, "/") }

// object parses a file that must hold one JSON object.
func (d *decoder) object(f *file) *node {
	var v any
	if err := json.Unmarshal(f.data, &v); err != nil {
		d.fail(f.name, "", "invalid JSON: %v", err)
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(f.name, "", "expected a JSON object, got %s", kind(v))
		return nil
	}
	return newNode(d, f.name, "", m)
}

func (d *decoder) manifest(f *file) {
	n := d.object(f)
	if n == nil {
		return
	}
	md := n.child("metaData", "metadata")
	if md == nil {
		n.finish()
		return
	}
	md.skip("schemaVersion")
	if ff := md.str("fileFormat"); ff != "" && !strings.EqualFold(ff, "LexJson") {
		d.fail(f.name, md.at("fileFormat"), "Parley reads LexJson exports, got %q", ff)
	}
	switch rt := strings.ToUpper(md.str("resourceType")); rt {
	case "", "BOT", "BOT_LOCALE", "BOTLOCALE":
	default:
		d.fail(f.name, md.at("resourceType"), "Parley reads bot and bot-locale exports, got %q", rt)
	}
	md.finish()
	n.finish()
}

func (d *decoder) bot(f *file) *parley.Bot {
	n := d.object(f)
	if n == nil {
		return nil
	}
	b := &parley.Bot{
		Name:           n.str("name", "botName"),
		ID:             n.str("identifier", "botId"),
		Description:    n.str("description"),
		IdleSessionTTL: parley.DefaultIdleSessionTTL,
	}
	if ttl, ok := n.num("idleSessionTTLInSeconds"); ok {
		b.IdleSessionTTL = time.Duration(ttl) * time.Second
	}
	n.skip("version", "roleArn")
	if dp := n.child("dataPrivacy"); dp != nil {
		if dp.flagOr(false, "childDirected") {
			d.warn(f.name, dp.at("childDirected"), "the bot is marked child-directed (COPPA); Parley keeps no such flag, so make sure your deployment complies")
		}
		dp.finish()
	}
	if b.Name == "" {
		d.fail(f.name, "name", "the bot has no name")
	}
	if !parley.ValidBotID(b.ID) {
		id := botIDFrom(b.Name)
		d.warn(f.name, "identifier", "%q is not a 10-character bot id; using %q", b.ID, id)
		b.ID = id
	}
	n.finish()
	return b
}

// botIDFrom makes a Lex-shaped bot id from a bot name.
func botIDFrom(name string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(name) {
		if sb.Len() == 10 {
			break
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		}
	}
	for sb.Len() < 10 {
		sb.WriteByte('0')
	}
	return sb.String()
}

func (d *decoder) locale(lf *localeFiles) *parley.Locale {
	if lf.locale == nil {
		d.fail(path.Join("BotLocales", lf.dir), "", "the locale folder has no BotLocale.json")
		return nil
	}
	n := d.object(lf.locale)
	if n == nil {
		return nil
	}
	loc := &parley.Locale{
		ID:                     n.str("identifier", "localeId"),
		Description:            n.str("description"),
		NLUConfidenceThreshold: parley.DefaultConfidenceThreshold,
	}
	if loc.ID == "" {
		loc.ID = lf.dir
	}
	if t, ok := n.num("nluConfidenceThreshold", "nluIntentConfidenceThreshold"); ok {
		loc.NLUConfidenceThreshold = t
	}
	n.skip("name", "localeName", "version")
	n.unsupported("voiceSettings", "speech output (Polly voice) is not supported; Parley answers in text")
	n.unsupported("generativeAISettings", "Lex generative AI settings are not read; configure Parley's generative answers in Parley.json or the YAML")
	n.unsupported("speechRecognitionSettings", "speech recognition is not supported; Parley reads text")
	n.unsupported("speechDetectionSensitivity", "speech recognition is not supported; Parley reads text")
	n.finish()
	lang := strings.ToLower(strings.SplitN(strings.ReplaceAll(loc.ID, "-", "_"), "_", 2)[0])
	if !slices.Contains(knownLanguages, lang) {
		d.warn(lf.locale.name, "identifier", "Parley's NLU has no rules for the language of %s; it is read with English tokenisation and built-in types, so expect weaker recognition", loc.ID)
	}
	for _, f := range lf.slotTypes {
		if st := d.slotType(f); st != nil {
			loc.SlotTypes = append(loc.SlotTypes, st)
		}
	}
	for _, f := range lf.intents {
		in := d.intent(f, lf.slots[strings.ToLower(path.Base(path.Dir(f.name)))])
		if in != nil {
			loc.Intents = append(loc.Intents, in)
		}
	}
	if loc.FallbackIntent() == nil && loc.Intent(parley.FallbackIntentName) == nil {
		d.warn(lf.locale.name, "", "the locale has no FallbackIntent; an empty one is added")
		loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	}
	return loc
}

func (d *decoder) slotType(f *file) *parley.SlotType {
	n := d.object(f)
	if n == nil {
		return nil
	}
	st := &parley.SlotType{
		Name:                    n.str("name", "slotTypeName"),
		Description:             n.str("description"),
		ParentSlotTypeSignature: n.str("parentSlotTypeSignature"),
	}
	if st.Name == "" {
		st.Name = path.Base(path.Dir(f.name))
	}
	n.skip("identifier", "slotTypeId")
	for _, v := range n.list("slotTypeValues") {
		var val parley.SlotTypeValue
		if sv := v.child("sampleValue"); sv != nil {
			val.Value = sv.str("value")
			sv.finish()
		}
		for _, syn := range v.list("synonyms") {
			val.Synonyms = append(val.Synonyms, syn.str("value"))
			syn.finish()
		}
		v.finish()
		st.Values = append(st.Values, val)
	}
	if vs := n.child("valueSelectionSetting"); vs != nil {
		switch rs := vs.str("resolutionStrategy"); rs {
		case parley.ResolutionOriginalValue, "OriginalValue":
			st.ResolutionStrategy = parley.ResolutionOriginalValue
		case parley.ResolutionTopResolution, "TopResolution":
			st.ResolutionStrategy = parley.ResolutionTopResolution
		case "":
		default:
			d.warn(f.name, vs.at("resolutionStrategy"), "resolution strategy %s is not supported; the type accepts any value (ORIGINAL_VALUE)", rs)
			st.ResolutionStrategy = parley.ResolutionOriginalValue
		}
		if rf := vs.child("regexFilter"); rf != nil {
			st.RegexFilter = rf.str("pattern")
			rf.finish()
		}
		vs.unsupported("advancedRecognitionSetting", "advanced (audio) recognition is not supported")
		vs.finish()
	}
	n.unsupported("compositeSlotTypeSetting", "composite slot types are not supported yet; slots of this type get no sub-slots")
	n.unsupported("externalSourceSetting", "grammar slot types from S3 are not supported")
	n.finish()
	return st
}

func (d *decoder) intent(f *file, slotFiles []*file) *parley.Intent {
	n := d.object(f)
	if n == nil {
		return nil
	}
	in := &parley.Intent{
		Name:                  n.str("name", "intentName"),
		Description:           n.str("description"),
		ParentIntentSignature: n.str("parentIntentSignature"),
	}
	if in.Name == "" {
		in.Name = path.Base(path.Dir(f.name))
	}
	n.skip("identifier", "intentId")
	in.SampleUtterances = utterances(n)
	if dc := n.child("dialogCodeHook"); dc != nil {
		in.DialogCodeHook = dc.flagOr(false, "enabled")
		dc.finish()
	}

	if ir := n.child("initialResponseSetting"); ir != nil {
		in.InitialResponse = d.response(ir.child("initialResponse"))
		if ch := ir.child("codeHook"); ch != nil {
			active, enabled := ch.flagOr(true, "isActive", "active"), ch.flagOr(false, "enableCodeHookInvocation")
			if active && enabled {
				in.InitialCodeHook = &parley.CodeHookStep{InvocationLabel: ch.str("invocationLabel")}
			} else {
				ch.skip("invocationLabel")
			}
			postCodeHook(ch)
			ch.finish()
		}
		graph(ir, "conditional", "nextStep")
		ir.finish()
	}

	if cs := n.child("intentConfirmationSetting"); cs != nil {
		prompt := cs.child("promptSpecification", "confirmationPrompt")
		decl := d.response(cs.child("declinationResponse", "rejectionStatement"))
		if active := cs.flagOr(true, "isActive", "active"); active && prompt != nil {
			in.Confirmation = &parley.ConfirmationSetting{Prompt: d.prompt(prompt), DeclinationResponse: decl}
		} else if prompt != nil {
			d.warn(f.name, cs.at("isActive"), "the confirmation is inactive; not imported")
			prompt.skipAll()
		}
		cs.unsupported("confirmationResponse", "a response on confirmation is not played yet (step graph)")
		cs.unsupported("failureResponse", "a response when confirmation fails is not played yet (step graph)")
		graph(cs, "confirmationNextStep", "confirmationConditional", "declinationNextStep", "declinationConditional", "failureNextStep", "failureConditional")
		stepHook(cs, "codeHook", in.DialogCodeHook)
		stepHook(cs, "elicitationCodeHook", in.DialogCodeHook)
		cs.finish()
	} else if p := n.child("confirmationPrompt"); p != nil {
		// The developer guide's spelling: prompt and rejection on the intent.
		in.Confirmation = &parley.ConfirmationSetting{Prompt: d.prompt(p), DeclinationResponse: d.response(n.child("rejectionStatement"))}
	}

	if fc := n.child("fulfillmentCodeHook"); fc != nil {
		enabled, active := fc.flagOr(false, "enabled"), fc.flagOr(true, "isActive", "active")
		fs := &parley.FulfillmentSetting{CodeHook: enabled && active}
		if ps := fc.child("postFulfillmentStatusSpecification"); ps != nil {
			fs.SuccessResponse = d.response(ps.child("successResponse"))
			fs.FailureResponse = d.response(ps.child("failureResponse"))
			fs.TimeoutResponse = d.response(ps.child("timeoutResponse"))
			graph(ps, "successNextStep", "successConditional", "failureNextStep", "failureConditional", "timeoutNextStep", "timeoutConditional")
			ps.finish()
		}
		if us := fc.child("fulfillmentUpdatesSpecification"); us != nil {
			if us.flagOr(false, "active", "isActive") {
				u := &parley.FulfillmentUpdates{}
				if t, ok := us.num("timeoutInSeconds"); ok {
					u.Timeout = time.Duration(t) * time.Second
				}
				if sr := us.child("startResponse"); sr != nil {
					u.StartDelay = time.Duration(sr.integer("delayInSeconds")) * time.Second
					u.StartResponse = d.response(sr)
				}
				if ur := us.child("updateResponse"); ur != nil {
					u.UpdateEvery = time.Duration(ur.integer("frequencyInSeconds")) * time.Second
					u.UpdateResponse = d.response(ur)
				}
				fs.Updates = u
			} else {
				us.skipAll()
			}
			us.finish()
		}
		fc.finish()
		in.Fulfillment = fs
	}

	if cl := n.child("intentClosingSetting"); cl != nil {
		resp := cl.child("closingResponse")
		if cl.flagOr(true, "isActive", "active") {
			in.Closing = d.response(resp)
		} else if resp != nil {
			d.warn(f.name, cl.at("isActive"), "the closing response is inactive; not imported")
			resp.skipAll()
		}
		graph(cl, "conditional", "nextStep")
		cl.finish()
	}

	for _, c := range n.list("inputContexts") {
		in.InputContexts = append(in.InputContexts, c.str("name"))
		c.finish()
	}
	for _, c := range n.list("outputContexts") {
		in.OutputContexts = append(in.OutputContexts, parley.OutputContext{
			Name:                c.str("name"),
			TimeToLiveInSeconds: c.integer("timeToLiveInSeconds"),
			TurnsToLive:         c.integer("turnsToLive"),
		})
		c.finish()
	}

	type prio struct {
		at   int
		seen bool
	}
	prios := map[string]prio{}
	for _, p := range n.list("slotPriorities") {
		name := p.str("slotName", "slotId")
		prios[name] = prio{at: p.integer("priority"), seen: true}
		p.finish()
	}
	for _, sf := range slotFiles {
		if s := d.slot(sf, in.DialogCodeHook); s != nil {
			in.Slots = append(in.Slots, s)
		}
	}
	slices.SortStableFunc(in.Slots, func(a, b *parley.Slot) int {
		pa, pb := prios[a.Name], prios[b.Name]
		switch {
		case pa.seen != pb.seen:
			if pa.seen {
				return -1
			}
			return 1
		default:
			return pa.at - pb.at
		}
	})
	for _, s := range in.Slots {
		if !prios[s.Name].seen && len(prios) > 0 {
			d.warn(f.name, "slotPriorities", "slot %s has no priority; it is elicited after the others", s.Name)
		}
	}
	n.unsupported("kendraConfiguration", "AMAZON.KendraSearchIntent is not supported; use Parley's knowledge base (generative answers)")
	n.unsupported("qnAIntentConfiguration", "AMAZON.QnAIntent is not supported; use Parley's knowledge base (generative answers)")
	n.unsupported("bedrockAgentIntentConfiguration", "Bedrock agent intents are not supported")
	n.unsupported("qInConnectIntentConfiguration", "Q in Connect intents are not supported")
	n.finish()
	return in
}

// skipAll marks every key read: for settings that are off, whose content
// was already reported as a whole.
func (n *node) skipAll() {
	for k := range n.m {
		n.used[k] = true
	}
}

func utterances(n *node) []string {
	var out []string
	for _, u := range n.list("sampleUtterances") {
		out = append(out, u.str("utterance"))
		u.finish()
	}
	return out
}

func (d *decoder) slot(f *file, dialogHook bool) *parley.Slot {
	n := d.object(f)
	if n == nil {
		return nil
	}
	s := &parley.Slot{
		Name:         n.str("name", "slotName"),
		Description:  n.str("description"),
		SlotTypeName: n.str("slotTypeName", "slotTypeId"),
	}
	if s.Name == "" {
		s.Name = path.Base(path.Dir(f.name))
	}
	n.skip("identifier", "slotId")
	if ob := n.child("obfuscationSetting"); ob != nil {
		s.Obfuscate = ob.str("obfuscationSettingType") == "DefaultObfuscation"
		ob.finish()
	}
	constraint := n.str("slotConstraint")
	if ve := n.child("valueElicitationSetting", "slotValueElicitationSetting"); ve != nil {
		if c := ve.str("slotConstraint"); c != "" {
			constraint = c
		}
		if p := ve.child("promptSpecification"); p != nil {
			s.Prompt = d.prompt(p)
		}
		s.SampleUtterances = utterances(ve)
		if dv := ve.child("defaultValueSpecification", "defaultValueSpec"); dv != nil {
			for _, v := range dv.list("defaultValueList") {
				s.DefaultValues = append(s.DefaultValues, v.str("defaultValue"))
				v.finish()
			}
			dv.finish()
		}
		ve.unsupported("waitAndContinueSpecification", "wait-and-continue is not supported yet")
		if sc := ve.child("slotCaptureSetting"); sc != nil {
			if eh := sc.child("elicitationCodeHook"); eh != nil {
				if eh.flagOr(false, "enableCodeHookInvocation") {
					s.ElicitationCodeHook = &parley.CodeHookStep{InvocationLabel: eh.str("invocationLabel")}
				} else {
					eh.skip("invocationLabel")
				}
				eh.finish()
			}
			stepHook(sc, "codeHook", dialogHook)
			sc.unsupported("captureResponse", "a response after the slot is captured is not played yet (step graph)")
			sc.unsupported("failureResponse", "a response when the slot cannot be captured is not played yet (step graph)")
			graph(sc, "captureNextStep", "captureConditional", "failureNextStep", "failureConditional")
			sc.finish()
		}
		ve.finish()
	}
	switch constraint {
	case parley.SlotRequired:
		s.Required = true
	case parley.SlotOptional, "":
	default:
		d.fail(f.name, "valueElicitationSetting.slotConstraint", "expected Required or Optional, got %q", constraint)
	}
	if mv := n.child("multipleValuesSetting"); mv != nil {
		if mv.flagOr(false, "allowMultipleValues") {
			d.warn(f.name, mv.at("allowMultipleValues"), "multi-value slots are not supported; the slot takes one value")
		}
		mv.finish()
	}
	if b, _ := n.flag("allowMutlipleValues", "allowMultipleValues"); b {
		d.warn(f.name, "allowMultipleValues", "multi-value slots are not supported; the slot takes one value")
	}
	n.unsupported("subSlotSetting", "composite slots (sub-slots) are not supported yet")
	n.finish()
	return s
}

func (d *decoder) prompt(n *node) parley.PromptSpecification {
	p := parley.PromptSpecification{
		MaxRetries:               n.integer("maxRetries"),
		MessageSelectionStrategy: n.str("messageSelectionStrategy"),
		AllowInterrupt:           n.flagOr(false, "allowInterrupt"),
		MessageGroups:            d.groups(n),
	}
	n.unsupported("promptAttemptsSpecification", "per-attempt input settings (speech, DTMF, timeouts) are not supported; Parley reads text")
	n.finish()
	return p
}

// response maps a response object; nil stays nil.
func (d *decoder) response(n *node) *parley.Response {
	if n == nil {
		return nil
	}
	r := &parley.Response{AllowInterrupt: n.flagOr(false, "allowInterrupt"), MessageGroups: d.groups(n)}
	n.finish()
	return r
}

func (d *decoder) groups(n *node) []parley.MessageGroup {
	var out []parley.MessageGroup
	for _, g := range n.list("messageGroupsList", "messageGroupList", "messageGroups") {
		var mg parley.MessageGroup
		if m := g.child("message"); m != nil {
			mg.Message = d.message(m)
		}
		for _, v := range g.list("variations") {
			mg.Variations = append(mg.Variations, d.message(v))
		}
		g.finish()
		out = append(out, mg)
	}
	return out
}

func (d *decoder) message(n *node) parley.Message {
	var msg parley.Message
	set := func(ct string, m parley.Message) {
		if msg.ContentType != "" {
			d.warn(n.file, n.path, "the message has more than one content; %s is kept, %s is ignored", msg.ContentType, ct)
			return
		}
		msg = m
	}
	if pt := n.child("plainTextMessage"); pt != nil {
		set(parley.ContentPlainText, parley.Message{ContentType: parley.ContentPlainText, Content: pt.str("value")})
		pt.finish()
	}
	if ss := n.child("ssmlMessage"); ss != nil {
		set(parley.ContentSSML, parley.Message{ContentType: parley.ContentSSML, Content: ss.str("value")})
		ss.finish()
	}
	if cp := n.child("customPayload"); cp != nil {
		set(parley.ContentCustomPayload, parley.Message{ContentType: parley.ContentCustomPayload, Content: cp.str("value")})
		cp.finish()
	}
	if ic := n.child("imageResponseCard"); ic != nil {
		card := &parley.ImageResponseCard{Title: ic.str("title"), Subtitle: ic.str("subtitle"), ImageURL: ic.str("imageUrl")}
		for _, b := range ic.list("buttons") {
			card.Buttons = append(card.Buttons, parley.Button{Text: b.str("text"), Value: b.str("value")})
			b.finish()
		}
		ic.finish()
		set(parley.ContentImageResponseCard, parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: card})
	}
	if msg.ContentType == "" {
		d.fail(n.file, n.path, "the message has no content (plainTextMessage, ssmlMessage, customPayload or imageResponseCard)")
	}
	n.finish()
	return msg
}

// Next-step actions that the default order takes anyway: a step graph made
// only of these runs the same on Parley.
var defaultActions = []string{"", "ElicitSlot", "InvokeDialogCodeHook", "ConfirmIntent", "FulfillIntent", "CloseIntent", "EndConversation"}

// graph reads the step-graph keys of a step (next steps and conditionals),
// which Parley's dialog does not run yet, and warns about each that would
// change the conversation.
func graph(n *node, keys ...string) {
	for _, k := range keys {
		c := n.child(k)
		if c == nil {
			continue
		}
		c.skipAll()
		if strings.HasSuffix(strings.ToLower(k), "conditional") {
			if !c.flagOr(true, "isActive", "active") {
				continue
			}
			branches, _ := c.m["conditionalBranches"].([]any)
			var conds []string
			for _, b := range branches {
				bm, _ := b.(map[string]any)
				cm, _ := bm["condition"].(map[string]any)
				if e, ok := cm["expressionString"].(string); ok {
					conds = append(conds, e)
				}
			}
			n.d.warn(n.file, n.at(k), "conditional branches are not run yet; Parley follows the default order (conditions: %s)", strings.Join(conds, "; "))
			continue
		}
		da, _ := c.m["dialogAction"].(map[string]any)
		typ, _ := da["type"].(string)
		var why []string
		if !slices.Contains(defaultActions, typ) {
			s := typ
			if im, _ := c.m["intent"].(map[string]any); im != nil {
				if name, ok := im["name"].(string); ok && name != "" {
					s += " " + name
				}
			}
			why = append(why, "next step "+s)
		}
		if !empty(c.m["sessionAttributes"]) {
			why = append(why, "sets session attributes "+summary(c.m["sessionAttributes"]))
		}
		if im, _ := c.m["intent"].(map[string]any); im != nil && !empty(im["slots"]) {
			why = append(why, "sets slots "+summary(im["slots"]))
		}
		if sup, _ := da["suppressNextMessage"].(bool); sup {
			why = append(why, "suppresses the next message")
		}
		if len(why) > 0 {
			n.d.warn(n.file, n.at(k), "%s: not run yet; Parley follows the default order", strings.Join(why, ", "))
		}
	}
}

// postCodeHook reads a code hook step's outcomes.
func postCodeHook(ch *node) {
	ps := ch.child("postCodeHookSpecification")
	if ps == nil {
		return
	}
	for _, k := range []string{"successResponse", "failureResponse", "timeoutResponse"} {
		ps.unsupported(k, "a response after this code hook is not played yet (step graph)")
	}
	graph(ps, "successNextStep", "successConditional", "failureNextStep", "failureConditional", "timeoutNextStep", "timeoutConditional")
	ps.finish()
}

// stepHook reads a code hook at a step that Parley has no own switch for:
// with the intent's dialog code hook on, the hook runs on every turn anyway,
// so only a label or a hook without the intent switch is worth a warning.
func stepHook(n *node, key string, dialogHook bool) {
	ch := n.child(key)
	if ch == nil {
		return
	}
	active, enabled := ch.flagOr(true, "isActive", "active"), ch.flagOr(false, "enableCodeHookInvocation")
	on := active && enabled
	label := ch.str("invocationLabel")
	switch {
	case on && !dialogHook:
		n.d.warn(n.file, n.at(key), "a code hook at this step is not invoked: Parley calls the dialog code hook on every turn or not at all, and the intent's dialogCodeHook is off")
	case on && label != "":
		n.d.warn(n.file, ch.at("invocationLabel"), "the invocation label %q is not sent at this step; Parley sends labels only for the initial response and slot elicitation hooks", label)
	}
	postCodeHook(ch)
	ch.finish()
}

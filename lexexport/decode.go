package lexexport

import (
	"cmp"
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
		p, ok := underLocales(f.name, botDir)
		if !ok {
			d.warn(f.name, "", "not part of the bot's layout; ignored")
			continue
		}
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

// underLocales splits a file's path below botDir/BotLocales/: the locale
// folder and what is inside it; false when the file lies elsewhere.
func underLocales(name, botDir string) ([]string, bool) {
	parts := strings.Split(name, "/")
	base := 0
	if botDir != "." {
		base = strings.Count(botDir, "/") + 1
	}
	if len(parts) < base+3 || !strings.EqualFold(strings.Join(parts[:base], "/"), strings.TrimPrefix(botDir, ".")) ||
		!strings.EqualFold(parts[base], "BotLocales") {
		return nil, false
	}
	return parts[base+1:], true
}

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
	// ORIGINAL_VALUE is Lex's default, as botdef's.
	st.ResolutionStrategy = cmp.Or(st.ResolutionStrategy, parley.ResolutionOriginalValue)
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
		in.InitialCodeHook = d.codeHook(ir.child("codeHook"))
		in.InitialNext = d.step(ir.child("nextStep"))
		in.InitialConditional = d.conditional(ir.child("conditional"))
		ir.finish()
	}

	if cs := n.child("intentConfirmationSetting"); cs != nil {
		prompt := cs.child("promptSpecification", "confirmationPrompt")
		decl := d.response(cs.child("declinationResponse", "rejectionStatement"))
		c := &parley.ConfirmationSetting{
			DeclinationResponse:    decl,
			Confirmed:              d.outcome(cs, "confirmation"),
			DeclinationNext:        d.step(cs.child("declinationNextStep")),
			DeclinationConditional: d.conditional(cs.child("declinationConditional")),
			Failure:                d.outcome(cs, "failure"),
			CodeHook:               d.codeHook(cs.child("codeHook")),
			ElicitationCodeHook:    d.elicitationHook(cs.child("elicitationCodeHook")),
		}
		if active := cs.flagOr(true, "isActive", "active"); active && prompt != nil {
			c.Prompt = d.prompt(prompt)
			in.Confirmation = c
		} else if prompt != nil {
			d.warn(f.name, cs.at("isActive"), "the confirmation is inactive; not imported")
			prompt.skipAll()
		}
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
			fs.SuccessNext, fs.SuccessConditional = d.step(ps.child("successNextStep")), d.conditional(ps.child("successConditional"))
			fs.FailureNext, fs.FailureConditional = d.step(ps.child("failureNextStep")), d.conditional(ps.child("failureConditional"))
			fs.TimeoutNext, fs.TimeoutConditional = d.step(ps.child("timeoutNextStep")), d.conditional(ps.child("timeoutConditional"))
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
		in.ClosingNext = d.step(cl.child("nextStep"))
		in.ClosingConditional = d.conditional(cl.child("conditional"))
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
		if s := d.slot(sf); s != nil {
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

func (d *decoder) slot(f *file) *parley.Slot {
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
			s.ElicitationCodeHook = d.elicitationHook(sc.child("elicitationCodeHook"))
			s.CaptureCodeHook = d.codeHook(sc.child("codeHook"))
			s.CaptureSuccess = d.outcome(sc, "capture")
			s.CaptureFailure = d.outcome(sc, "failure")
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
		MessageSelectionStrategy: cmp.Or(n.str("messageSelectionStrategy"), "Random"),
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

// step maps a DialogState (a next step); nil when it is absent or empty.
func (d *decoder) step(n *node) *parley.DialogStep {
	if n == nil || empty(n.m) {
		if n != nil {
			n.skipAll()
		}
		return nil
	}
	st := &parley.DialogStep{}
	if da := n.child("dialogAction"); da != nil {
		st.Type = parley.StepType(da.str("type"))
		st.SlotToElicit = da.str("slotToElicit")
		st.SuppressNextMessage = da.flagOr(false, "suppressNextMessage")
		da.unsupported("intentsInScope", "intents in scope (Amazon Connect) are not supported; every intent can be recognised")
		da.finish()
	}
	if in := n.child("intent"); in != nil {
		st.Intent = in.str("name")
		if sl := in.child("slots"); sl != nil {
			names := make([]string, 0, len(sl.m))
			for k := range sl.m {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, name := range names {
				if st.Slots == nil {
					st.Slots = map[string]*parley.SlotValue{}
				}
				st.Slots[name] = nil
				ov := sl.child(name)
				if ov == nil {
					continue
				}
				ov.skip("shape")
				if v := ov.child("value"); v != nil {
					if _, iv := v.get("interpretedValue"); iv != nil {
						s := v.str("interpretedValue")
						st.Slots[name] = parley.ScalarSlot(s, s, s)
					}
					v.finish()
				}
				ov.unsupported("values", "multi-value slot values are not supported; the slot is cleared")
				ov.finish()
			}
			sl.finish()
		}
		in.finish()
	}
	if sa := n.child("sessionAttributes"); sa != nil {
		keys := make([]string, 0, len(sa.m))
		for k := range sa.m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if st.SessionAttributes == nil {
				st.SessionAttributes = map[string]string{}
			}
			st.SessionAttributes[k] = sa.str(k)
		}
		sa.finish()
	}
	n.finish()
	return st
}

// conditional maps a ConditionalSpecification; nil when absent.
func (d *decoder) conditional(n *node) *parley.Conditional {
	if n == nil {
		return nil
	}
	c := &parley.Conditional{Active: n.flagOr(true, "isActive", "active")}
	for _, b := range n.list("conditionalBranches") {
		br := parley.ConditionalBranch{Name: b.str("name"), Response: d.response(b.child("response")), Next: d.step(b.child("nextStep"))}
		if cond := b.child("condition"); cond != nil {
			br.Condition = cond.str("expressionString")
			cond.finish()
		}
		b.finish()
		c.Branches = append(c.Branches, br)
	}
	if db := n.child("defaultBranch"); db != nil {
		c.Default = parley.StepOutcome{Response: d.response(db.child("response")), Next: d.step(db.child("nextStep"))}
		db.finish()
	}
	n.finish()
	return c
}

// outcome maps prefixResponse, prefixNextStep and prefixConditional of n.
func (d *decoder) outcome(n *node, prefix string) parley.StepOutcome {
	return parley.StepOutcome{
		Response:    d.response(n.child(prefix + "Response")),
		Next:        d.step(n.child(prefix + "NextStep")),
		Conditional: d.conditional(n.child(prefix + "Conditional")),
	}
}

// codeHook maps a DialogCodeHookInvocationSetting (a code hook step with its
// outcomes); nil when absent or switched off.
func (d *decoder) codeHook(n *node) *parley.CodeHookStep {
	if n == nil {
		return nil
	}
	active, enabled := n.flagOr(true, "isActive", "active"), n.flagOr(false, "enableCodeHookInvocation", "enabled")
	h := &parley.CodeHookStep{InvocationLabel: n.str("invocationLabel")}
	if ps := n.child("postCodeHookSpecification"); ps != nil {
		h.Success = d.outcome(ps, "success")
		h.Failure = d.outcome(ps, "failure")
		h.Timeout = d.outcome(ps, "timeout")
		ps.finish()
	}
	n.finish()
	configured := h.InvocationLabel != "" || !h.Success.IsZero() || !h.Failure.IsZero() || !h.Timeout.IsZero()
	switch {
	case !active:
		if configured {
			d.warn(n.file, n.path, "the code hook step is switched off (isActive false); its invocation label and outcomes are not imported")
		}
		return nil
	case !enabled:
		if !h.Success.IsZero() {
			d.warn(n.file, n.path, "the code hook step calls no Lambda (enableCodeHookInvocation false); Lex still takes its success outcome, which is not imported")
		} else if configured {
			d.warn(n.file, n.path, "the code hook step calls no Lambda (enableCodeHookInvocation false); its invocation label and outcomes are not imported")
		}
		return nil
	}
	return h
}

// elicitationHook maps an ElicitationCodeHookInvocationSetting.
func (d *decoder) elicitationHook(n *node) *parley.CodeHookStep {
	if n == nil {
		return nil
	}
	enabled := n.flagOr(false, "enableCodeHookInvocation", "enabled")
	label := n.str("invocationLabel")
	n.finish()
	if !enabled {
		return nil
	}
	return &parley.CodeHookStep{InvocationLabel: label}
}

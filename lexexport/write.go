package lexexport

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"path"

	"github.com/parleybot/parley"
)

// obj is one JSON object of the export; encoding/json writes its keys in
// name order, and nulls are written as Lex writes them.
type obj = map[string]any

// Write writes bot as a Lex V2 LexJson export zip: Manifest.json, the bot
// folder with Bot.json, and per locale its BotLocale.json, intents with
// their slots, and slot types. Settings Lex does not export (code-hook
// bindings, aliases, time zones, generative answers) go to Parley.json;
// channels are not written, because their settings hold secrets.
func Write(bot *parley.Bot, w io.Writer) error {
	zw := zip.NewWriter(w)
	put := func(name string, v any) error {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("lexexport: write %s: %w", name, err)
		}
		fw, err := zw.Create(name)
		if err != nil {
			return fmt.Errorf("lexexport: write %s: %w", name, err)
		}
		if _, err := fw.Write(data); err != nil {
			return fmt.Errorf("lexexport: write %s: %w", name, err)
		}
		return nil
	}
	if err := put("Manifest.json", obj{"metaData": obj{"schemaVersion": "1", "fileFormat": "LexJson", "resourceType": "BOT"}}); err != nil {
		return err
	}
	dir := bot.Name
	if err := put(path.Join(dir, "Bot.json"), obj{
		"name":                    bot.Name,
		"identifier":              bot.ID,
		"version":                 "DRAFT",
		"description":             nullable(bot.Description),
		"dataPrivacy":             obj{"childDirected": false},
		"idleSessionTTLInSeconds": int(bot.SessionTTL().Seconds()),
	}); err != nil {
		return err
	}
	for _, loc := range bot.Locales {
		ld := path.Join(dir, "BotLocales", loc.ID)
		if err := put(path.Join(ld, "BotLocale.json"), obj{
			"name":                   loc.ID,
			"identifier":             loc.ID,
			"version":                nil,
			"description":            nullable(loc.Description),
			"voiceSettings":          nil,
			"nluConfidenceThreshold": loc.NLUConfidenceThreshold,
		}); err != nil {
			return err
		}
		for _, st := range loc.SlotTypes {
			if err := put(path.Join(ld, "SlotTypes", st.Name, "SlotType.json"), slotTypeJSON(st)); err != nil {
				return err
			}
		}
		for _, in := range loc.Intents {
			id := path.Join(ld, "Intents", in.Name)
			if err := put(path.Join(id, "Intent.json"), intentJSON(in)); err != nil {
				return err
			}
			for _, s := range in.Slots {
				if err := put(path.Join(id, "Slots", s.Name, "Slot.json"), slotJSON(s)); err != nil {
					return err
				}
			}
		}
	}
	if s := sidecarOf(bot); s != nil {
		if err := put(sidecarName, s); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("lexexport: write: %w", err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func slotTypeJSON(st *parley.SlotType) obj {
	var values []obj
	for _, v := range st.Values {
		var syns []obj
		for _, s := range v.Synonyms {
			syns = append(syns, obj{"value": s})
		}
		values = append(values, obj{"sampleValue": obj{"value": v.Value}, "synonyms": syns})
	}
	strategy := st.ResolutionStrategy
	if strategy == "" {
		strategy = parley.ResolutionOriginalValue
	}
	var regex any
	if st.RegexFilter != "" {
		regex = obj{"pattern": st.RegexFilter}
	}
	return obj{
		"name":                    st.Name,
		"identifier":              nil,
		"description":             nullable(st.Description),
		"slotTypeValues":          values,
		"parentSlotTypeSignature": nullable(st.ParentSlotTypeSignature),
		"valueSelectionSetting":   obj{"resolutionStrategy": strategy, "regexFilter": regex, "advancedRecognitionSetting": nil},
	}
}

func intentJSON(in *parley.Intent) obj {
	var utts []obj
	for _, u := range in.SampleUtterances {
		utts = append(utts, obj{"utterance": u})
	}
	var prios []obj
	for i, s := range in.Slots {
		prios = append(prios, obj{"priority": i + 1, "slotName": s.Name})
	}
	var initial any
	if in.InitialResponse != nil || in.InitialCodeHook != nil || in.InitialNext != nil || in.InitialConditional != nil {
		initial = obj{
			"initialResponse": responseJSON(in.InitialResponse),
			"codeHook":        codeHookJSON(in.InitialCodeHook),
			"conditional":     conditionalJSON(in.InitialConditional),
			"nextStep":        stepJSON(in.InitialNext),
		}
	}
	var confirmation any
	if c := in.Confirmation; c != nil {
		cm := obj{
			"isActive":               true,
			"promptSpecification":    promptJSON(c.Prompt),
			"declinationResponse":    responseJSON(c.DeclinationResponse),
			"declinationNextStep":    stepJSON(c.DeclinationNext),
			"declinationConditional": conditionalJSON(c.DeclinationConditional),
			"codeHook":               codeHookJSON(c.CodeHook),
			"elicitationCodeHook":    elicitationHookJSON(c.ElicitationCodeHook),
		}
		outcomeJSON(cm, "confirmation", c.Confirmed)
		outcomeJSON(cm, "failure", c.Failure)
		confirmation = cm
	}
	var fulfillment any
	if f := in.Fulfillment; f != nil {
		var post any
		if f.SuccessResponse != nil || f.FailureResponse != nil || f.TimeoutResponse != nil ||
			f.SuccessNext != nil || f.SuccessConditional != nil || f.FailureNext != nil || f.FailureConditional != nil || f.TimeoutNext != nil || f.TimeoutConditional != nil {
			pm := obj{}
			outcomeJSON(pm, "success", parley.StepOutcome{Response: f.SuccessResponse, Next: f.SuccessNext, Conditional: f.SuccessConditional})
			outcomeJSON(pm, "failure", parley.StepOutcome{Response: f.FailureResponse, Next: f.FailureNext, Conditional: f.FailureConditional})
			outcomeJSON(pm, "timeout", parley.StepOutcome{Response: f.TimeoutResponse, Next: f.TimeoutNext, Conditional: f.TimeoutConditional})
			post = pm
		}
		var updates any
		if u := f.Updates; u != nil {
			up := obj{"active": true, "timeoutInSeconds": nil, "startResponse": nil, "updateResponse": nil}
			if u.Timeout > 0 {
				up["timeoutInSeconds"] = int(u.Timeout.Seconds())
			}
			if u.StartResponse != nil {
				up["startResponse"] = obj{"delayInSeconds": int(u.StartDelay.Seconds()), "allowInterrupt": u.StartResponse.AllowInterrupt, "messageGroups": groupsJSON(u.StartResponse.MessageGroups)}
			}
			if u.UpdateResponse != nil {
				up["updateResponse"] = obj{"frequencyInSeconds": int(u.UpdateEvery.Seconds()), "allowInterrupt": u.UpdateResponse.AllowInterrupt, "messageGroups": groupsJSON(u.UpdateResponse.MessageGroups)}
			}
			updates = up
		}
		fulfillment = obj{"enabled": f.CodeHook, "isActive": true, "postFulfillmentStatusSpecification": post, "fulfillmentUpdatesSpecification": updates}
	}
	var closing any
	if in.Closing != nil || in.ClosingNext != nil || in.ClosingConditional != nil {
		closing = obj{"isActive": true, "closingResponse": responseJSON(in.Closing), "conditional": conditionalJSON(in.ClosingConditional), "nextStep": stepJSON(in.ClosingNext)}
	}
	var inputs, outputs []obj
	for _, c := range in.InputContexts {
		inputs = append(inputs, obj{"name": c})
	}
	for _, c := range in.OutputContexts {
		outputs = append(outputs, obj{"name": c.Name, "timeToLiveInSeconds": c.TimeToLiveInSeconds, "turnsToLive": c.TurnsToLive})
	}
	return obj{
		"name":                      in.Name,
		"identifier":                nil,
		"description":               nullable(in.Description),
		"parentIntentSignature":     nullable(in.ParentIntentSignature),
		"sampleUtterances":          utts,
		"slotPriorities":            prios,
		"initialResponseSetting":    initial,
		"intentConfirmationSetting": confirmation,
		"intentClosingSetting":      closing,
		"inputContexts":             inputs,
		"outputContexts":            outputs,
		"kendraConfiguration":       nil,
		"dialogCodeHook":            obj{"enabled": in.DialogCodeHook},
		"fulfillmentCodeHook":       fulfillment,
	}
}

func slotJSON(s *parley.Slot) obj {
	constraint := parley.SlotOptional
	if s.Required {
		constraint = parley.SlotRequired
	}
	var utts []obj
	for _, u := range s.SampleUtterances {
		utts = append(utts, obj{"utterance": u})
	}
	var defaults any
	if len(s.DefaultValues) > 0 {
		var list []obj
		for _, v := range s.DefaultValues {
			list = append(list, obj{"defaultValue": v})
		}
		defaults = obj{"defaultValueList": list}
	}
	var capture any
	if s.ElicitationCodeHook != nil || s.CaptureCodeHook != nil || !s.CaptureSuccess.IsZero() || !s.CaptureFailure.IsZero() {
		cm := obj{"elicitationCodeHook": elicitationHookJSON(s.ElicitationCodeHook), "codeHook": codeHookJSON(s.CaptureCodeHook)}
		outcomeJSON(cm, "capture", s.CaptureSuccess)
		outcomeJSON(cm, "failure", s.CaptureFailure)
		capture = cm
	}
	var obfuscation any
	if s.Obfuscate {
		obfuscation = obj{"obfuscationSettingType": "DefaultObfuscation"}
	}
	return obj{
		"name":               s.Name,
		"identifier":         nil,
		"description":        nullable(s.Description),
		"slotTypeName":       s.SlotTypeName,
		"obfuscationSetting": obfuscation,
		"valueElicitationSetting": obj{
			"slotConstraint":               constraint,
			"promptSpecification":          optionalPrompt(s.Prompt),
			"sampleUtterances":             utts,
			"defaultValueSpecification":    defaults,
			"waitAndContinueSpecification": nil,
			"slotCaptureSetting":           capture,
		},
		"multipleValuesSetting": nil,
	}
}

// optionalPrompt writes a slot's prompt, or null for a slot without one (an
// optional slot that is only filled when volunteered).
func optionalPrompt(p parley.PromptSpecification) any {
	if len(p.MessageGroups) == 0 && p.MaxRetries == 0 && p.MessageSelectionStrategy == "" && !p.AllowInterrupt {
		return nil
	}
	return promptJSON(p)
}

func promptJSON(p parley.PromptSpecification) obj {
	return obj{
		"messageGroupsList":        groupsJSON(p.MessageGroups),
		"maxRetries":               p.MaxRetries,
		"allowInterrupt":           p.AllowInterrupt,
		"messageSelectionStrategy": nullable(p.MessageSelectionStrategy),
	}
}

func responseJSON(r *parley.Response) any {
	if r == nil {
		return nil
	}
	return obj{"messageGroupsList": groupsJSON(r.MessageGroups), "allowInterrupt": r.AllowInterrupt}
}

func groupsJSON(groups []parley.MessageGroup) []obj {
	out := []obj{}
	for _, g := range groups {
		var vars []obj
		for _, v := range g.Variations {
			vars = append(vars, messageJSON(v))
		}
		out = append(out, obj{"message": messageJSON(g.Message), "variations": vars})
	}
	return out
}

func messageJSON(m parley.Message) obj {
	o := obj{"plainTextMessage": nil, "ssmlMessage": nil, "customPayload": nil, "imageResponseCard": nil}
	switch m.ContentType {
	case parley.ContentSSML:
		o["ssmlMessage"] = obj{"value": m.Content}
	case parley.ContentCustomPayload:
		o["customPayload"] = obj{"value": m.Content}
	case parley.ContentImageResponseCard:
		if c := m.ImageResponseCard; c != nil {
			var buttons []obj
			for _, b := range c.Buttons {
				buttons = append(buttons, obj{"text": b.Text, "value": b.Value})
			}
			o["imageResponseCard"] = obj{"title": c.Title, "subtitle": nullable(c.Subtitle), "imageUrl": nullable(c.ImageURL), "buttons": buttons}
		}
	default:
		o["plainTextMessage"] = obj{"value": m.Content}
	}
	return o
}

// outcomeJSON sets prefixResponse, prefixNextStep and prefixConditional.
func outcomeJSON(o obj, prefix string, out parley.StepOutcome) {
	o[prefix+"Response"] = responseJSON(out.Response)
	o[prefix+"NextStep"] = stepJSON(out.Next)
	o[prefix+"Conditional"] = conditionalJSON(out.Conditional)
}

func stepJSON(st *parley.DialogStep) any {
	if st == nil {
		return nil
	}
	var slots obj
	for name, v := range st.Slots {
		if slots == nil {
			slots = obj{}
		}
		var iv any
		if v != nil && v.Value != nil {
			iv = v.Value.InterpretedValue
		}
		slots[name] = obj{"shape": "Scalar", "value": obj{"interpretedValue": iv}, "values": nil}
	}
	var attrs obj
	for k, v := range st.SessionAttributes {
		if attrs == nil {
			attrs = obj{}
		}
		attrs[k] = v
	}
	return obj{
		"dialogAction":      obj{"type": nullable(string(st.Type)), "slotToElicit": nullable(st.SlotToElicit), "suppressNextMessage": st.SuppressNextMessage},
		"intent":            obj{"name": nullable(st.Intent), "slots": slots},
		"sessionAttributes": attrs,
	}
}

func conditionalJSON(c *parley.Conditional) any {
	if c == nil {
		return nil
	}
	var branches []obj
	for _, b := range c.Branches {
		branches = append(branches, obj{
			"name":      b.Name,
			"condition": obj{"expressionString": b.Condition},
			"response":  responseJSON(b.Response),
			"nextStep":  stepJSON(b.Next),
		})
	}
	return obj{
		"isActive":            c.Active,
		"conditionalBranches": branches,
		"defaultBranch":       obj{"response": responseJSON(c.Default.Response), "nextStep": stepJSON(c.Default.Next)},
	}
}

func codeHookJSON(h *parley.CodeHookStep) any {
	if h == nil {
		return nil
	}
	post := obj{}
	outcomeJSON(post, "success", h.Success)
	outcomeJSON(post, "failure", h.Failure)
	outcomeJSON(post, "timeout", h.Timeout)
	return obj{"isActive": true, "enableCodeHookInvocation": true, "invocationLabel": nullable(h.InvocationLabel), "postCodeHookSpecification": post}
}

func elicitationHookJSON(h *parley.CodeHookStep) any {
	if h == nil {
		return nil
	}
	return obj{"enableCodeHookInvocation": true, "invocationLabel": nullable(h.InvocationLabel)}
}

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
	if in.InitialResponse != nil || in.InitialCodeHook != nil {
		var hook any
		if in.InitialCodeHook != nil {
			hook = obj{"isActive": true, "enableCodeHookInvocation": true, "invocationLabel": nullable(in.InitialCodeHook.InvocationLabel), "postCodeHookSpecification": nil}
		}
		initial = obj{"initialResponse": responseJSON(in.InitialResponse), "codeHook": hook, "conditional": nil, "nextStep": nil}
	}
	var confirmation any
	if c := in.Confirmation; c != nil {
		confirmation = obj{"isActive": true, "promptSpecification": promptJSON(c.Prompt), "declinationResponse": responseJSON(c.DeclinationResponse)}
	}
	var fulfillment any
	if f := in.Fulfillment; f != nil {
		var post any
		if f.SuccessResponse != nil || f.FailureResponse != nil || f.TimeoutResponse != nil {
			post = obj{"successResponse": responseJSON(f.SuccessResponse), "failureResponse": responseJSON(f.FailureResponse), "timeoutResponse": responseJSON(f.TimeoutResponse)}
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
	if in.Closing != nil {
		closing = obj{"isActive": true, "closingResponse": responseJSON(in.Closing), "conditional": nil, "nextStep": nil}
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
	if s.ElicitationCodeHook != nil {
		capture = obj{"elicitationCodeHook": obj{"enableCodeHookInvocation": true, "invocationLabel": nullable(s.ElicitationCodeHook.InvocationLabel)}}
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
			"promptSpecification":          promptJSON(s.Prompt),
			"sampleUtterances":             utts,
			"defaultValueSpecification":    defaults,
			"waitAndContinueSpecification": nil,
			"slotCaptureSetting":           capture,
		},
		"multipleValuesSetting": nil,
	}
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

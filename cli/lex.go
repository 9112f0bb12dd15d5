package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/lexexport"
)

// loadBot loads a bot from a Parley definition or, when path is a Lex V2
// export (a .zip or an unzipped export folder), through lexexport, logging
// what of the export Parley does not run.
func loadBot(path string, opts botdef.Options, log *slog.Logger) (*parley.Bot, error) {
	if !lexexport.IsExport(path) {
		return botdef.LoadWith(path, opts)
	}
	bot, ws, err := lexexport.Read(path)
	if err != nil {
		return nil, err
	}
	if log != nil {
		for _, g := range groupWarnings(ws) {
			log.Warn("lex export: "+g.message, "bot", bot.Name, "at", g.first, "places", g.count)
		}
	}
	return bot, nil
}

// warningGroup is one warning message with where it first occurs: a Lex
// export often repeats the same setting on every slot.
type warningGroup struct {
	message, first string
	count          int
}

func groupWarnings(ws []lexexport.Warning) []warningGroup {
	var out []warningGroup
	at := map[string]int{}
	for _, w := range ws {
		// Group by the message without its specifics after the first colon
		// of the path's JSON part: the field name is what repeats.
		key := w.Message
		if i, ok := at[key]; ok {
			out[i].count++
			continue
		}
		at[key] = len(out)
		out = append(out, warningGroup{message: w.Message, first: w.Path, count: 1})
	}
	return out
}

// validateExport reads a Lex export and prints its warnings and a summary;
// it reports whether the export can be served.
func validateExport(out io.Writer, path string) bool {
	bot, ws, err := lexexport.Read(path)
	if err != nil {
		fmt.Fprintln(out, err)
		return false
	}
	for _, w := range ws {
		fmt.Fprintf(out, "%s: warning: %s\n", w.Path, w.Message)
	}
	intents, slotTypes := 0, 0
	for _, l := range bot.Locales {
		intents += len(l.Intents)
		slotTypes += len(l.SlotTypes)
	}
	fmt.Fprintf(out, "ok: %s (Lex export, bot %s, %s, %s, %s, %s)\n", path, bot.ID,
		plural(len(bot.Locales), "locale"), plural(intents, "intent"), plural(slotTypes, "slot type"), plural(len(ws), "warning"))
	return true
}

func newImportLexCommand() *cobra.Command {
	var outDir string
	cmd := &cobra.Command{
		Use:   "import-lex EXPORT --out DIR",
		Short: "Convert a Lex V2 export to Parley's bot folder",
		Long: "import-lex reads an Amazon Lex V2 export (the LexJson .zip from the console, or the\n" +
			"unzipped folder) and writes it as a Parley bot folder: bot.yaml and one file per\n" +
			"intent and slot type under locales/. What Parley does not run yet is printed as a\n" +
			"warning and kept as comments at the top of bot.yaml. parley serve runs an export\n" +
			"without converting it; convert when you want to keep editing the bot as YAML.",
		Example: "  parley import-lex MyBot-DRAFT-ABCDEFGHIJ-LexJson.zip --out mybot\n  parley validate mybot",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" {
				return errors.New("--out DIR is required")
			}
			bot, ws, err := lexexport.Read(args[0])
			if err != nil {
				return err
			}
			for _, w := range ws {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: warning: %s\n", w.Path, w.Message)
			}
			if err := writeBotFolder(bot, ws, args[0], outDir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (bot %s, %s, %s)\n", outDir, bot.ID, plural(len(bot.Locales), "locale"), plural(len(ws), "warning"))
			return nil
		},
	}
	cmd.Flags().StringVar(&outDir, "out", "", "the folder to write (must not hold a bot.yaml yet)")
	return cmd
}

func newExportLexCommand(env Env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export-lex BOT_PATH --out bot.zip",
		Short: "Write a bot as a Lex V2 export zip",
		Long: "export-lex writes a bot as an Amazon Lex V2 LexJson export, ready for the Lex\n" +
			"console's Import. Settings Lex keeps outside its exports (code hooks, aliases,\n" +
			"time zones, generative answers) go to Parley.json in the zip, so that parley\n" +
			"serve and import-lex read the zip back unchanged; channels are not written,\n" +
			"because their settings hold secrets.",
		Example: "  parley export-lex examples/pizza --out pizza.zip",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("--out FILE is required")
			}
			bot, err := loadBot(args[0], botOptions(env), nil)
			if err != nil {
				return reportProblems(cmd.ErrOrStderr(), err)
			}
			var buf bytes.Buffer
			if err := lexexport.Write(bot, &buf); err != nil {
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("export-lex: %w", err)
			}
			if len(bot.Channels) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: the bot's %s are not written (their settings hold secrets)\n", args[0], plural(len(bot.Channels), "channel"))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (bot %s, %s)\n", out, bot.ID, plural(len(bot.Locales), "locale"))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "the zip file to write")
	return cmd
}

// writeBotFolder writes bot in botdef's folder layout (FORMAT.md).
func writeBotFolder(bot *parley.Bot, ws []lexexport.Warning, source, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "bot.yaml")); err == nil {
		return fmt.Errorf("import-lex: %s already holds a bot.yaml; choose another --out", dir)
	}
	var header strings.Builder
	fmt.Fprintf(&header, "# Imported from the Lex V2 export %s by parley import-lex.\n", filepath.Base(source))
	if len(ws) > 0 {
		fmt.Fprintf(&header, "# What Parley does not run yet (%s):\n", plural(len(ws), "warning"))
		for _, w := range ws {
			fmt.Fprintf(&header, "#   %s: %s\n", w.Path, strings.ReplaceAll(w.Message, "\n", " "))
		}
	}
	top := yaml.MapSlice{{Key: "id", Value: bot.ID}, {Key: "name", Value: bot.Name}}
	top = add(top, "description", bot.Description)
	top = append(top, yaml.MapItem{Key: "idleSessionTTLInSeconds", Value: int(bot.SessionTTL().Seconds())})
	if len(bot.Aliases) > 0 {
		var as []yaml.MapSlice
		for _, a := range bot.Aliases {
			as = append(as, add(yaml.MapSlice{{Key: "id", Value: a.ID}, {Key: "name", Value: a.Name}}, "botVersion", a.BotVersion))
		}
		top = append(top, yaml.MapItem{Key: "aliases", Value: as})
	}
	if len(bot.CodeHooks) > 0 {
		var hs []yaml.MapSlice
		for _, h := range bot.CodeHooks {
			m := add(add(yaml.MapSlice{}, "alias", h.AliasID), "locale", h.LocaleID)
			m = append(m, yaml.MapItem{Key: "uri", Value: h.URI})
			if len(h.Intents) > 0 {
				m = append(m, yaml.MapItem{Key: "intents", Value: h.Intents})
			}
			if h.Timeout > 0 {
				m = append(m, yaml.MapItem{Key: "timeoutSeconds", Value: int(h.Timeout.Seconds())})
			}
			if h.MaxResponseBytes > 0 {
				m = append(m, yaml.MapItem{Key: "maxResponseBytes", Value: h.MaxResponseBytes})
			}
			if len(h.Environment) > 0 {
				m = append(m, yaml.MapItem{Key: "environment", Value: h.Environment})
			}
			hs = append(hs, add(m, "secretEnv", h.SecretEnv))
		}
		top = append(top, yaml.MapItem{Key: "codeHooks", Value: hs})
	}
	locales := yaml.MapSlice{}
	for _, loc := range bot.Locales {
		m := yaml.MapSlice{{Key: "nluConfidenceThreshold", Value: loc.NLUConfidenceThreshold}}
		m = add(add(m, "timeZone", loc.TimeZone), "description", loc.Description)
		if g := loc.Generative; g != nil {
			m = append(m, yaml.MapItem{Key: "generative", Value: generativeYAML(g)})
		}
		locales = append(locales, yaml.MapItem{Key: loc.ID, Value: m})
		ld := filepath.Join(dir, "locales", loc.ID)
		for _, st := range loc.SlotTypes {
			if err := writeYAML(filepath.Join(ld, "slotTypes", st.Name+".yaml"), "", slotTypeYAML(st)); err != nil {
				return err
			}
		}
		for _, in := range loc.Intents {
			if err := writeYAML(filepath.Join(ld, "intents", in.Name+".yaml"), "", intentYAML(in)); err != nil {
				return err
			}
		}
	}
	top = append(top, yaml.MapItem{Key: "locales", Value: locales})
	return writeYAML(filepath.Join(dir, "bot.yaml"), header.String(), top)
}

func writeYAML(path, header string, v any) error {
	data, err := yaml.MarshalWithOptions(v, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return fmt.Errorf("import-lex: %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("import-lex: %w", err)
	}
	if err := os.WriteFile(path, append([]byte(header), data...), 0o644); err != nil {
		return fmt.Errorf("import-lex: %w", err)
	}
	return nil
}

// add appends key: value unless the value is empty.
func add(m yaml.MapSlice, key string, value string) yaml.MapSlice {
	if value == "" {
		return m
	}
	return append(m, yaml.MapItem{Key: key, Value: value})
}

func generativeYAML(g *parley.GenerativeSettings) yaml.MapSlice {
	var m yaml.MapSlice
	if f := g.Fallback; f != nil {
		fm := add(yaml.MapSlice{}, "systemPrompt", f.SystemPrompt)
		if f.HistoryTurns > 0 {
			fm = append(fm, yaml.MapItem{Key: "historyTurns", Value: f.HistoryTurns})
		}
		if f.MaxTokens > 0 {
			fm = append(fm, yaml.MapItem{Key: "maxTokens", Value: f.MaxTokens})
		}
		m = append(m, yaml.MapItem{Key: "fallback", Value: fm})
	}
	if kb := g.KnowledgeBase; kb != nil {
		m = append(m, yaml.MapItem{Key: "knowledgeBase", Value: yaml.MapSlice{{Key: "folder", Value: kb.Folder}, {Key: "minScore", Value: kb.MinScore}, {Key: "passages", Value: kb.Passages}}})
	}
	if a := g.Assist; a != nil {
		m = append(m, yaml.MapItem{Key: "assist", Value: yaml.MapSlice{{Key: "low", Value: a.Low}, {Key: "high", Value: a.High}}})
	}
	m = append(m,
		yaml.MapItem{Key: "budget", Value: yaml.MapSlice{{Key: "perSession", Value: g.Budget.PerSession}, {Key: "perDay", Value: g.Budget.PerDay}}},
		yaml.MapItem{Key: "redact", Value: yaml.MapSlice{{Key: "obfuscatedSlots", Value: g.Redact.ObfuscatedSlots}, {Key: "emails", Value: g.Redact.Emails}, {Key: "phones", Value: g.Redact.Phones}}},
	)
	return m
}

func slotTypeYAML(st *parley.SlotType) yaml.MapSlice {
	m := add(add(yaml.MapSlice{{Key: "name", Value: st.Name}}, "description", st.Description), "resolutionStrategy", st.ResolutionStrategy)
	m = add(add(m, "parentSlotTypeSignature", st.ParentSlotTypeSignature), "regexFilter", st.RegexFilter)
	if len(st.Values) > 0 {
		var vs []yaml.MapSlice
		for _, v := range st.Values {
			vm := yaml.MapSlice{{Key: "value", Value: v.Value}}
			if len(v.Synonyms) > 0 {
				vm = append(vm, yaml.MapItem{Key: "synonyms", Value: v.Synonyms})
			}
			vs = append(vs, vm)
		}
		m = append(m, yaml.MapItem{Key: "values", Value: vs})
	}
	return m
}

func intentYAML(in *parley.Intent) yaml.MapSlice {
	m := add(add(yaml.MapSlice{{Key: "name", Value: in.Name}}, "description", in.Description), "parentIntentSignature", in.ParentIntentSignature)
	if len(in.SampleUtterances) > 0 {
		m = append(m, yaml.MapItem{Key: "sampleUtterances", Value: in.SampleUtterances})
	}
	if len(in.Slots) > 0 {
		var ss []yaml.MapSlice
		for i, s := range in.Slots {
			ss = append(ss, slotYAML(s, i+1))
		}
		m = append(m, yaml.MapItem{Key: "slots", Value: ss})
	}
	if in.InitialResponse != nil || in.InitialCodeHook != nil || in.InitialNext != nil || in.InitialConditional != nil {
		var ir yaml.MapSlice
		if in.InitialResponse != nil {
			ir = responseYAML(in.InitialResponse)
		}
		ir = addHook(ir, "codeHook", in.InitialCodeHook)
		ir = addStep(ir, "nextStep", in.InitialNext)
		ir = addConditional(ir, "conditional", in.InitialConditional)
		m = append(m, yaml.MapItem{Key: "initialResponse", Value: ir})
	}
	if c := in.Confirmation; c != nil {
		cm := yaml.MapSlice{{Key: "prompt", Value: promptYAML(c.Prompt)}}
		if c.DeclinationResponse != nil {
			cm = append(cm, yaml.MapItem{Key: "declinationResponse", Value: responseYAML(c.DeclinationResponse)})
		}
		cm = addOutcome(cm, "confirmation", c.Confirmed)
		cm = addStep(cm, "declinationNextStep", c.DeclinationNext)
		cm = addConditional(cm, "declinationConditional", c.DeclinationConditional)
		cm = addOutcome(cm, "failure", c.Failure)
		cm = addHook(cm, "codeHook", c.CodeHook)
		cm = addHook(cm, "elicitationCodeHook", c.ElicitationCodeHook)
		m = append(m, yaml.MapItem{Key: "confirmation", Value: cm})
	}
	if f := in.Fulfillment; f != nil {
		fm := yaml.MapSlice{{Key: "codeHook", Value: f.CodeHook}}
		for _, r := range []struct {
			key  string
			resp *parley.Response
		}{{"successResponse", f.SuccessResponse}, {"failureResponse", f.FailureResponse}, {"timeoutResponse", f.TimeoutResponse}} {
			if r.resp != nil {
				fm = append(fm, yaml.MapItem{Key: r.key, Value: responseYAML(r.resp)})
			}
		}
		if u := f.Updates; u != nil {
			var um yaml.MapSlice
			if u.StartResponse != nil {
				um = append(um, yaml.MapItem{Key: "startResponse", Value: responseYAML(u.StartResponse)}, yaml.MapItem{Key: "delayInSeconds", Value: int(u.StartDelay.Seconds())})
			}
			if u.UpdateResponse != nil {
				um = append(um, yaml.MapItem{Key: "updateResponse", Value: responseYAML(u.UpdateResponse)}, yaml.MapItem{Key: "frequencyInSeconds", Value: int(u.UpdateEvery.Seconds())})
			}
			if u.Timeout > 0 {
				um = append(um, yaml.MapItem{Key: "timeoutInSeconds", Value: int(u.Timeout.Seconds())})
			}
			fm = append(fm, yaml.MapItem{Key: "updates", Value: um})
		}
		fm = addConditional(addStep(fm, "successNextStep", f.SuccessNext), "successConditional", f.SuccessConditional)
		fm = addConditional(addStep(fm, "failureNextStep", f.FailureNext), "failureConditional", f.FailureConditional)
		fm = addConditional(addStep(fm, "timeoutNextStep", f.TimeoutNext), "timeoutConditional", f.TimeoutConditional)
		m = append(m, yaml.MapItem{Key: "fulfillment", Value: fm})
	}
	if in.Closing != nil {
		m = append(m, yaml.MapItem{Key: "closingResponse", Value: responseYAML(in.Closing)})
	}
	m = addConditional(addStep(m, "closingNextStep", in.ClosingNext), "closingConditional", in.ClosingConditional)
	if len(in.InputContexts) > 0 {
		m = append(m, yaml.MapItem{Key: "inputContexts", Value: in.InputContexts})
	}
	if len(in.OutputContexts) > 0 {
		var cs []yaml.MapSlice
		for _, c := range in.OutputContexts {
			cs = append(cs, yaml.MapSlice{{Key: "name", Value: c.Name}, {Key: "timeToLiveInSeconds", Value: c.TimeToLiveInSeconds}, {Key: "turnsToLive", Value: c.TurnsToLive}})
		}
		m = append(m, yaml.MapItem{Key: "outputContexts", Value: cs})
	}
	return append(m, yaml.MapItem{Key: "dialogCodeHook", Value: in.DialogCodeHook})
}

func slotYAML(s *parley.Slot, priority int) yaml.MapSlice {
	constraint := parley.SlotOptional
	if s.Required {
		constraint = parley.SlotRequired
	}
	m := add(yaml.MapSlice{{Key: "name", Value: s.Name}}, "description", s.Description)
	m = append(m,
		yaml.MapItem{Key: "slotTypeName", Value: s.SlotTypeName},
		yaml.MapItem{Key: "slotConstraint", Value: constraint},
		yaml.MapItem{Key: "priority", Value: priority},
		yaml.MapItem{Key: "prompt", Value: promptYAML(s.Prompt)},
	)
	if len(s.SampleUtterances) > 0 {
		m = append(m, yaml.MapItem{Key: "sampleUtterances", Value: s.SampleUtterances})
	}
	if s.Obfuscate {
		m = append(m, yaml.MapItem{Key: "obfuscationSetting", Value: "DefaultObfuscation"})
	}
	if len(s.DefaultValues) > 0 {
		m = append(m, yaml.MapItem{Key: "defaultValueSpecification", Value: s.DefaultValues})
	}
	m = addHook(m, "elicitationCodeHook", s.ElicitationCodeHook)
	m = addOutcome(m, "capture", s.CaptureSuccess)
	m = addOutcome(m, "failure", s.CaptureFailure)
	return addHook(m, "captureCodeHook", s.CaptureCodeHook)
}

// addHook appends a code hook step with its outcomes (botdef's
// {enabled, invocationLabel, successNextStep, …}).
func addHook(m yaml.MapSlice, key string, h *parley.CodeHookStep) yaml.MapSlice {
	if h == nil {
		return m
	}
	hm := add(yaml.MapSlice{{Key: "enabled", Value: true}}, "invocationLabel", h.InvocationLabel)
	hm = addOutcome(hm, "success", h.Success)
	hm = addOutcome(hm, "failure", h.Failure)
	hm = addOutcome(hm, "timeout", h.Timeout)
	return append(m, yaml.MapItem{Key: key, Value: hm})
}

// addOutcome appends prefixResponse, prefixNextStep and prefixConditional.
func addOutcome(m yaml.MapSlice, prefix string, o parley.StepOutcome) yaml.MapSlice {
	if o.Response != nil {
		m = append(m, yaml.MapItem{Key: prefix + "Response", Value: responseYAML(o.Response)})
	}
	return addConditional(addStep(m, prefix+"NextStep", o.Next), prefix+"Conditional", o.Conditional)
}

func addStep(m yaml.MapSlice, key string, st *parley.DialogStep) yaml.MapSlice {
	if st == nil {
		return m
	}
	return append(m, yaml.MapItem{Key: key, Value: stepYAML(st)})
}

// stepYAML writes a next step in Lex's DialogState shape, which botdef reads.
func stepYAML(st *parley.DialogStep) yaml.MapSlice {
	action := add(yaml.MapSlice{}, "type", string(st.Type))
	action = add(action, "slotToElicit", st.SlotToElicit)
	if st.SuppressNextMessage {
		action = append(action, yaml.MapItem{Key: "suppressNextMessage", Value: true})
	}
	m := yaml.MapSlice{{Key: "dialogAction", Value: action}}
	if st.Intent != "" || len(st.Slots) > 0 {
		im := add(yaml.MapSlice{}, "name", st.Intent)
		if len(st.Slots) > 0 {
			var slots yaml.MapSlice
			for _, name := range slices.Sorted(maps.Keys(st.Slots)) {
				var v any
				if sv := st.Slots[name]; sv != nil && sv.Value != nil {
					v = yaml.MapSlice{{Key: "value", Value: yaml.MapSlice{{Key: "interpretedValue", Value: sv.Value.InterpretedValue}}}}
				}
				slots = append(slots, yaml.MapItem{Key: name, Value: v})
			}
			im = append(im, yaml.MapItem{Key: "slots", Value: slots})
		}
		m = append(m, yaml.MapItem{Key: "intent", Value: im})
	}
	if len(st.SessionAttributes) > 0 {
		var attrs yaml.MapSlice
		for _, k := range slices.Sorted(maps.Keys(st.SessionAttributes)) {
			attrs = append(attrs, yaml.MapItem{Key: k, Value: st.SessionAttributes[k]})
		}
		m = append(m, yaml.MapItem{Key: "sessionAttributes", Value: attrs})
	}
	return m
}

func addConditional(m yaml.MapSlice, key string, c *parley.Conditional) yaml.MapSlice {
	if c == nil {
		return m
	}
	cm := yaml.MapSlice{{Key: "active", Value: c.Active}}
	if len(c.Branches) > 0 {
		var bs []yaml.MapSlice
		for _, b := range c.Branches {
			bm := yaml.MapSlice{{Key: "name", Value: b.Name}, {Key: "condition", Value: b.Condition}}
			if b.Response != nil {
				bm = append(bm, yaml.MapItem{Key: "response", Value: responseYAML(b.Response)})
			}
			bs = append(bs, addStep(bm, "nextStep", b.Next))
		}
		cm = append(cm, yaml.MapItem{Key: "conditionalBranches", Value: bs})
	}
	var dm yaml.MapSlice
	if c.Default.Response != nil {
		dm = append(dm, yaml.MapItem{Key: "response", Value: responseYAML(c.Default.Response)})
	}
	if dm = addStep(dm, "nextStep", c.Default.Next); len(dm) > 0 {
		cm = append(cm, yaml.MapItem{Key: "defaultBranch", Value: dm})
	}
	return append(m, yaml.MapItem{Key: key, Value: cm})
}

func promptYAML(p parley.PromptSpecification) yaml.MapSlice {
	m := yaml.MapSlice{
		{Key: "messageGroups", Value: groupsYAML(p.MessageGroups)},
		{Key: "maxRetries", Value: p.MaxRetries},
		{Key: "allowInterrupt", Value: p.AllowInterrupt},
	}
	return add(m, "messageSelectionStrategy", p.MessageSelectionStrategy)
}

func responseYAML(r *parley.Response) yaml.MapSlice {
	return yaml.MapSlice{{Key: "messageGroups", Value: groupsYAML(r.MessageGroups)}, {Key: "allowInterrupt", Value: r.AllowInterrupt}}
}

func groupsYAML(groups []parley.MessageGroup) []yaml.MapSlice {
	out := []yaml.MapSlice{}
	for _, g := range groups {
		gm := yaml.MapSlice{{Key: "message", Value: messageYAML(g.Message)}}
		if len(g.Variations) > 0 {
			var vs []yaml.MapSlice
			for _, v := range g.Variations {
				vs = append(vs, messageYAML(v))
			}
			gm = append(gm, yaml.MapItem{Key: "variations", Value: vs})
		}
		out = append(out, gm)
	}
	return out
}

func messageYAML(msg parley.Message) yaml.MapSlice {
	switch msg.ContentType {
	case parley.ContentSSML:
		return yaml.MapSlice{{Key: "ssml", Value: msg.Content}}
	case parley.ContentCustomPayload:
		return yaml.MapSlice{{Key: "customPayload", Value: msg.Content}}
	case parley.ContentImageResponseCard:
		c := msg.ImageResponseCard
		if c == nil {
			c = &parley.ImageResponseCard{}
		}
		cm := add(add(yaml.MapSlice{{Key: "title", Value: c.Title}}, "subtitle", c.Subtitle), "imageUrl", c.ImageURL)
		if len(c.Buttons) > 0 {
			var bs []yaml.MapSlice
			for _, b := range c.Buttons {
				bs = append(bs, yaml.MapSlice{{Key: "text", Value: b.Text}, {Key: "value", Value: b.Value}})
			}
			cm = append(cm, yaml.MapItem{Key: "buttons", Value: bs})
		}
		return yaml.MapSlice{{Key: "imageResponseCard", Value: cm}}
	}
	return yaml.MapSlice{{Key: "plainText", Value: msg.Content}}
}

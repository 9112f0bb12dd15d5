package botdef

import (
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml/ast"
	"github.com/parleybot/parley"
)

var (
	generativeKeys    = keySet{keys: []string{"fallback", "knowledgeBase", "assist", "budget", "redact"}}
	llmFallbackKeys   = keySet{keys: []string{"systemPrompt", "historyTurns", "maxTokens"}}
	knowledgeBaseKeys = keySet{keys: []string{"folder", "minScore", "passages"}}
	assistKeys        = keySet{keys: []string{"low", "high"}}
	budgetKeys        = keySet{keys: []string{"perSession", "perDay"}}
	redactKeys        = keySet{keys: []string{"obfuscatedSlots", "emails", "phones"}}
)

// Bounds and defaults of a locale's generative settings.
const (
	defaultMinScore = 0.3
	maxHistoryTurns = 50
	maxPassages     = 20
)

// decodeGenerative decodes a locale's generative section. A section given
// with no value (fallback:) turns the feature on with its defaults. The
// knowledge base's folder is relative to the file's folder, made absolute,
// and must exist.
func (d *doc) decodeGenerative(raw ast.Node) *parley.GenerativeSettings {
	o := d.object(raw, "generative", generativeKeys)
	if o == nil {
		return nil
	}
	gs := &parley.GenerativeSettings{}
	if _, ok := o.values["fallback"]; ok {
		gs.Fallback = &parley.LLMFallback{}
		if f := d.object(o.value("fallback"), "fallback", llmFallbackKeys); f != nil {
			gs.Fallback.SystemPrompt = f.str("systemPrompt")
			gs.Fallback.HistoryTurns = d.boundedInt(f, "historyTurns", 1, maxHistoryTurns)
			gs.Fallback.MaxTokens = d.boundedInt(f, "maxTokens", 1, 1<<20)
		}
	}
	if _, ok := o.values["knowledgeBase"]; ok {
		gs.KnowledgeBase = d.knowledgeBase(o)
	}
	if _, ok := o.values["assist"]; ok {
		gs.Assist = d.assist(o)
	}
	if b := d.object(o.value("budget"), "budget", budgetKeys); b != nil {
		gs.Budget.PerSession = d.boundedInt(b, "perSession", 0, 1<<30)
		gs.Budget.PerDay = d.boundedInt(b, "perDay", 0, 1<<30)
	}
	if r := d.object(o.value("redact"), "redact", redactKeys); r != nil {
		gs.Redact = parley.RedactSettings{ObfuscatedSlots: r.boolean("obfuscatedSlots"), Emails: r.boolean("emails"), Phones: r.boolean("phones")}
	}
	return gs
}

func (d *doc) knowledgeBase(o *object) *parley.KnowledgeBaseSettings {
	kb := &parley.KnowledgeBaseSettings{MinScore: defaultMinScore}
	k := d.object(o.value("knowledgeBase"), "knowledgeBase", knowledgeBaseKeys)
	if k == nil {
		if d.resolveQuiet(o.value("knowledgeBase")) == nil {
			d.errorf(o.at("knowledgeBase"), "knowledgeBase is missing required key %q", "folder")
		}
		return kb
	}
	if k.require("folder") {
		if folder, ok := k.text("folder"); ok {
			kb.Folder = d.folder(k.at("folder"), folder)
		}
	}
	if f, ok := k.number("minScore"); ok {
		if f < 0 || f > 1 {
			d.errorf(k.at("minScore"), "minScore must be 0–1, got %g", f)
		}
		kb.MinScore = f
	}
	kb.Passages = d.boundedInt(k, "passages", 1, maxPassages)
	return kb
}

// folder resolves a knowledge base's folder against the file's folder and
// reports one that is not there.
func (d *doc) folder(at ast.Node, folder string) string {
	p := folder
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(d.file), p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		d.errorf(at, "knowledgeBase folder %q: %v (it is relative to this file's folder)", folder, unwrapPathError(err))
	case !info.IsDir():
		d.errorf(at, "knowledgeBase folder %q is a file; name the folder that holds the documents", folder)
	}
	return p
}

func (d *doc) assist(o *object) *parley.AssistSettings {
	a := d.object(o.value("assist"), "assist", assistKeys)
	if a == nil {
		if d.resolveQuiet(o.value("assist")) == nil {
			d.errorf(o.at("assist"), "assist is missing required keys \"low\" and \"high\"")
		}
		return nil
	}
	if !a.require("low", "high") {
		return nil
	}
	low, okLow := a.number("low")
	high, okHigh := a.number("high")
	if !okLow || !okHigh {
		return nil
	}
	if low < 0 || high > 1 || low >= high {
		d.errorf(a.node, "assist needs 0 ≤ low < high ≤ 1, got low %g and high %g", low, high)
	}
	return &parley.AssistSettings{Low: low, High: high}
}

// boundedInt reads an optional whole number in [lo, hi]; 0 when absent.
func (d *doc) boundedInt(o *object, key string, lo, hi int) int {
	n, ok := o.integer(key)
	if !ok {
		return 0
	}
	if n < lo || n > hi {
		d.errorf(o.at(key), "%s must be %d–%d, got %d", key, lo, hi, n)
	}
	return n
}

package lexexport

import (
	"bytes"
	"encoding/json"

	"github.com/parleybot/parley"
)

// sidecar is Parley.json: the settings of a bot that a Lex export has no
// place for. Channels are left out on purpose: their settings hold expanded
// secrets, which do not belong in a file meant to be shared or uploaded.
type sidecar struct {
	Aliases   []parley.Alias           `json:"aliases,omitempty"`
	CodeHooks []parley.CodeHookBinding `json:"codeHooks,omitempty"`
	Locales   map[string]*localeExtra  `json:"locales,omitempty"`
}

type localeExtra struct {
	TimeZone   string                     `json:"timeZone,omitempty"`
	Generative *parley.GenerativeSettings `json:"generative,omitempty"`
}

func sidecarOf(b *parley.Bot) *sidecar {
	s := &sidecar{Aliases: b.Aliases, CodeHooks: b.CodeHooks}
	for _, l := range b.Locales {
		if l.TimeZone == "" && l.Generative == nil {
			continue
		}
		if s.Locales == nil {
			s.Locales = map[string]*localeExtra{}
		}
		s.Locales[l.ID] = &localeExtra{TimeZone: l.TimeZone, Generative: l.Generative}
	}
	if len(s.Aliases) == 0 && len(s.CodeHooks) == 0 && len(s.Locales) == 0 {
		return nil
	}
	return s
}

func (d *decoder) sidecar(f *file, b *parley.Bot) {
	var s sidecar
	dec := json.NewDecoder(bytes.NewReader(f.data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		d.fail(f.name, "", "invalid Parley settings: %v", err)
		return
	}
	b.Aliases = s.Aliases
	b.CodeHooks = s.CodeHooks
	for id, extra := range s.Locales {
		loc := b.Locale(id)
		if loc == nil || extra == nil {
			d.warn(f.name, "locales."+id, "no such locale in the export; ignored")
			continue
		}
		loc.TimeZone = extra.TimeZone
		loc.Generative = extra.Generative
	}
}

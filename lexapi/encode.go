package lexapi

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/parleybot/parley"
)

// wireState is SessionState as Lex answers it: sessionAttributes is always
// present ({} when empty), unlike the root type, whose omitempty serves
// stores and hooks.
type wireState struct {
	DialogAction         *parley.DialogAction   `json:"dialogAction,omitempty"`
	Intent               *parley.SessionIntent  `json:"intent,omitempty"`
	ActiveContexts       []parley.ActiveContext `json:"activeContexts,omitempty"`
	SessionAttributes    map[string]string      `json:"sessionAttributes"`
	OriginatingRequestID string                 `json:"originatingRequestId,omitempty"`
	RuntimeHints         *parley.RuntimeHints   `json:"runtimeHints,omitempty"`
}

// recognizeTextOutput is RecognizeText's response body.
type recognizeTextOutput struct {
	Messages          []parley.Message        `json:"messages,omitempty"`
	SessionState      wireState               `json:"sessionState"`
	Interpretations   []parley.Interpretation `json:"interpretations,omitempty"`
	RequestAttributes map[string]string       `json:"requestAttributes,omitempty"`
	SessionID         string                  `json:"sessionId"`
}

// getSessionOutput is GetSession's response body.
type getSessionOutput struct {
	SessionID       string                  `json:"sessionId"`
	Messages        []parley.Message        `json:"messages,omitempty"`
	Interpretations []parley.Interpretation `json:"interpretations,omitempty"`
	SessionState    wireState               `json:"sessionState"`
}

// toWireState copies s into Lex's response shape; the copy never shares a
// map or slice with s, so engine-owned values are not modified.
func toWireState(s parley.SessionState) wireState {
	w := wireState{
		DialogAction:         s.DialogAction,
		Intent:               toWireIntent(s.Intent),
		SessionAttributes:    s.SessionAttributes,
		OriginatingRequestID: s.OriginatingRequestID,
		RuntimeHints:         s.RuntimeHints,
	}
	if w.SessionAttributes == nil {
		w.SessionAttributes = map[string]string{}
	}
	if len(s.ActiveContexts) > 0 {
		w.ActiveContexts = make([]parley.ActiveContext, len(s.ActiveContexts))
		for i, c := range s.ActiveContexts {
			// contextAttributes is required on the wire, {} when empty.
			if c.ContextAttributes == nil {
				c.ContextAttributes = map[string]string{}
			}
			w.ActiveContexts[i] = c
		}
	}
	return w
}

// toWireIntent copies in with every slot map present ({} for an intent
// without slots) and every resolvedValues a list, as Lex sends them;
// unfilled slots stay nil and so encode as JSON null.
func toWireIntent(in *parley.SessionIntent) *parley.SessionIntent {
	if in == nil {
		return nil
	}
	out := *in
	out.Slots = toWireSlots(in.Slots)
	return &out
}

func toWireSlots(slots map[string]*parley.SlotValue) map[string]*parley.SlotValue {
	out := make(map[string]*parley.SlotValue, len(slots))
	for name, v := range slots {
		out[name] = toWireSlot(v)
	}
	return out
}

func toWireSlot(v *parley.SlotValue) *parley.SlotValue {
	if v == nil {
		return nil
	}
	out := *v
	if v.Value != nil {
		val := *v.Value
		if val.ResolvedValues == nil {
			val.ResolvedValues = []string{}
		}
		out.Value = &val
	}
	if v.Values != nil {
		out.Values = make([]*parley.SlotValue, len(v.Values))
		for i, item := range v.Values {
			out.Values[i] = toWireSlot(item)
		}
	}
	if v.SubSlots != nil {
		out.SubSlots = toWireSlots(v.SubSlots)
	}
	return &out
}

func toWireInterpretations(in []parley.Interpretation) []parley.Interpretation {
	if len(in) == 0 {
		return nil
	}
	out := make([]parley.Interpretation, len(in))
	for i, it := range in {
		it.Intent = *toWireIntent(&it.Intent)
		if it.InterpretationSource == "" {
			it.InterpretationSource = "Lex"
		}
		out[i] = it
	}
	return out
}

// writeJSON answers 200 with v as the JSON body.
func writeJSON(w http.ResponseWriter, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("lexapi: encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

// gzipBase64 is Lex's header encoding: the bytes, gzip-compressed, then
// standard base64. Writers come from a pool because each one allocates
// hundreds of kilobytes of compression state, far more than the headers.
func (h *handler) gzipBase64(data []byte) string {
	zw, _ := h.gzipWriters.Get().(*gzip.Writer)
	if zw == nil {
		// BestSpeed: the headers are small, and latency matters more than
		// a few bytes.
		zw, _ = gzip.NewWriterLevel(nil, gzip.BestSpeed)
	}
	defer h.gzipWriters.Put(zw)
	var buf bytes.Buffer
	zw.Reset(&buf)
	// Writes to a bytes.Buffer cannot fail.
	zw.Write(data)
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// setJSONHeader puts v into header name as JSON → gzip → base64.
func (h *handler) setJSONHeader(hd http.Header, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("lexapi: encode %s: %w", name, err)
	}
	hd.Set(name, h.gzipBase64(data))
	return nil
}

package lexapi

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// Options configures the handler. The zero value is usable.
type Options struct {
	// Logger receives failed requests (errors for 5xx, debug for 4xx);
	// nil discards.
	Logger *slog.Logger
}

// handler serves the Lex V2 runtime operations against one Runtime.
type handler struct {
	rt  parley.Runtime
	log *slog.Logger
	// gzipWriters holds *gzip.Writer values for the header encoding.
	gzipWriters sync.Pool
}

// op is one operation: it writes a successful answer itself and returns an
// error for the caller to encode as Lex does.
type op func(w http.ResponseWriter, r *http.Request, reqID string) error

// sessionPath is the path template every operation lives under.
const sessionPath = "/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}"

// The plain-text content type, Lex's default for text-only answers.
const textPlain = "text/plain; charset=utf-8"

// NewHandler returns an http.Handler that serves the Lex V2 runtime API on
// Lex's paths (/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/
// sessions/{sessionId}[/text|/utterance]) against rt. Every answer carries
// x-amzn-RequestId and Date; errors are Lex's JSON exceptions.
func NewHandler(rt parley.Runtime, opts Options) http.Handler {
	h := &handler{rt: rt, log: opts.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+sessionPath+"/text", h.serve(h.recognizeText))
	mux.Handle("POST "+sessionPath+"/utterance", h.serve(h.recognizeUtterance))
	mux.Handle("POST "+sessionPath, h.serve(h.putSession))
	mux.Handle("GET "+sessionPath, h.serve(h.getSession))
	mux.Handle("DELETE "+sessionPath, h.serve(h.deleteSession))
	mux.Handle("/", h.serve(h.unknownOperation))
	return mux
}

// serve wraps an operation with the headers every answer carries and Lex's
// error encoding.
func (h *handler) serve(f op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := newRequestID()
		hd := w.Header()
		hd.Set("X-Amzn-RequestId", reqID)
		hd.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		if err := f(w, r, reqID); err != nil {
			h.writeError(w, r, reqID, err)
		}
	})
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func sessionKey(r *http.Request) parley.SessionKey {
	return parley.SessionKey{
		BotID:     r.PathValue("botId"),
		AliasID:   r.PathValue("botAliasId"),
		LocaleID:  r.PathValue("localeId"),
		SessionID: r.PathValue("sessionId"),
	}
}

func (h *handler) unknownOperation(_ http.ResponseWriter, r *http.Request, _ string) error {
	return parley.Errorf(parley.ErrNotFound, "no Lex V2 runtime operation matches %s %s", r.Method, r.URL.Path)
}

// readJSON reads a JSON request body into v, within the size limit.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(body, v, "request body", "")
}

// recognizeTextInput is RecognizeText's request body.
type recognizeTextInput struct {
	Text              string               `json:"text"`
	SessionState      *parley.SessionState `json:"sessionState"`
	RequestAttributes map[string]string    `json:"requestAttributes"`
}

func (h *handler) recognizeText(w http.ResponseWriter, r *http.Request, reqID string) error {
	var in recognizeTextInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	req := &parley.TurnRequest{
		Key:               sessionKey(r),
		Text:              in.Text,
		SessionState:      in.SessionState,
		RequestAttributes: in.RequestAttributes,
		InputMode:         parley.InputText,
		RequestID:         reqID,
	}
	if err := validateTurn(req); err != nil {
		return err
	}
	res, err := h.rt.RecognizeText(r.Context(), req)
	if err != nil {
		return err
	}
	out := recognizeTextOutput{
		Messages:          res.Messages,
		SessionState:      toWireState(res.SessionState),
		Interpretations:   toWireInterpretations(res.Interpretations),
		RequestAttributes: res.RequestAttributes,
		SessionID:         req.Key.SessionID,
	}
	out.SessionState.OriginatingRequestID = reqID
	return writeJSON(w, out)
}

func validateTurn(req *parley.TurnRequest) error {
	if err := req.Validate(); err != nil {
		return err
	}
	return checkState("sessionState", req.SessionState)
}

// putSessionInput is PutSession's request body; a nil SessionState means
// the required member was missing.
type putSessionInput struct {
	SessionState      *parley.SessionState `json:"sessionState"`
	Messages          []parley.Message     `json:"messages"`
	RequestAttributes map[string]string    `json:"requestAttributes"`
}

func (h *handler) putSession(w http.ResponseWriter, r *http.Request, reqID string) error {
	var in putSessionInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	// The Go SDK sends this header as "Responsecontenttype"; Header.Get
	// matches header names case-insensitively.
	contentType, err := responseContentType("ResponseContentType", r.Header.Get("ResponseContentType"))
	if err != nil {
		return err
	}
	key := sessionKey(r)
	if err := key.Validate(); err != nil {
		return err
	}
	if in.SessionState == nil {
		return invalid("sessionState: is required")
	}
	req := &parley.PutSessionRequest{
		Key:               key,
		SessionState:      *in.SessionState,
		Messages:          in.Messages,
		RequestAttributes: in.RequestAttributes,
		RequestID:         reqID,
	}
	if err := req.Validate(); err != nil {
		return err
	}
	if err := checkState("sessionState", &req.SessionState); err != nil {
		return err
	}
	if err := checkMessages("messages", req.Messages); err != nil {
		return err
	}
	res, err := h.rt.PutSession(r.Context(), req)
	if err != nil {
		return err
	}
	state := toWireState(res.SessionState)
	state.OriginatingRequestID = reqID
	hd := w.Header()
	if len(res.Messages) > 0 {
		if err := h.setJSONHeader(hd, "x-amz-lex-messages", res.Messages); err != nil {
			return err
		}
	}
	if err := h.setJSONHeader(hd, "x-amz-lex-session-state", state); err != nil {
		return err
	}
	if res.RequestAttributes != nil {
		if err := h.setJSONHeader(hd, "x-amz-lex-request-attributes", res.RequestAttributes); err != nil {
			return err
		}
	}
	hd.Set("x-amz-lex-session-id", key.SessionID)
	hd.Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	return nil
}

// responseContentType checks a requested response content type: text only,
// since Parley synthesises no speech. header names the request header in
// messages.
func responseContentType(header, value string) (string, error) {
	if strings.TrimSpace(value) == "" {
		return textPlain, nil
	}
	mt, _, err := mime.ParseMediaType(value)
	if err != nil {
		return "", invalid("%s: not a valid media type %q: %s", header, value, err.Error())
	}
	if strings.HasPrefix(mt, "audio/") {
		return "", parley.Errorf(parley.ErrUnsupported, "%s: audio output is not supported (got %q); use text/plain; charset=utf-8", header, value)
	}
	if mt != "text/plain" {
		return "", invalid("%s: must be text/plain; charset=utf-8, got %q", header, value)
	}
	return value, nil
}

func (h *handler) getSession(w http.ResponseWriter, r *http.Request, _ string) error {
	key := sessionKey(r)
	if err := key.Validate(); err != nil {
		return err
	}
	s, err := h.rt.GetSession(r.Context(), key)
	if err != nil {
		return err
	}
	return writeJSON(w, getSessionOutput{
		SessionID:       key.SessionID,
		Messages:        s.Messages,
		Interpretations: toWireInterpretations(s.Interpretations),
		SessionState:    toWireState(s.State),
	})
}

func (h *handler) deleteSession(w http.ResponseWriter, r *http.Request, _ string) error {
	key := sessionKey(r)
	if err := key.Validate(); err != nil {
		return err
	}
	if err := h.rt.DeleteSession(r.Context(), key); err != nil {
		return err
	}
	return writeJSON(w, key)
}

func (h *handler) recognizeUtterance(w http.ResponseWriter, r *http.Request, reqID string) error {
	if err := requestContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	contentType, err := responseContentType("Response-Content-Type", r.Header.Get("Response-Content-Type"))
	if err != nil {
		return err
	}
	stateHeader, attrsHeader := r.Header.Get(headerSessionState), r.Header.Get(headerRequestAttrs)
	if n := len(stateHeader) + len(attrsHeader); n > maxRequestHeaders {
		return invalid("%s and %s: together at most %d bytes, got %d", headerSessionState, headerRequestAttrs, maxRequestHeaders, n)
	}
	var state *parley.SessionState
	if err := decodeHeaderJSON(stateHeader, &state, headerSessionState, "sessionState"); err != nil {
		return err
	}
	var attrs map[string]string
	if err := decodeHeaderJSON(attrsHeader, &attrs, headerRequestAttrs, "requestAttributes"); err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return invalid("inputStream: text input must be UTF-8")
	}
	text := string(body)
	if n := parley.UTF16Len(text); n < 1 || n > parley.MaxTextLength {
		return invalid("inputStream: length must be 1–%d characters, got %d", parley.MaxTextLength, n)
	}
	req := &parley.TurnRequest{
		Key:               sessionKey(r),
		Text:              text,
		SessionState:      state,
		RequestAttributes: attrs,
		InputMode:         parley.InputText,
		RequestID:         reqID,
	}
	if err := validateTurn(req); err != nil {
		return err
	}
	res, err := h.rt.RecognizeText(r.Context(), req)
	if err != nil {
		return err
	}
	out := toWireState(res.SessionState)
	out.OriginatingRequestID = reqID
	transcript := res.InputTranscript
	if transcript == "" {
		transcript = text
	}
	hd := w.Header()
	hd.Set("x-amz-lex-input-mode", parley.InputText)
	if len(res.Messages) > 0 {
		if err := h.setJSONHeader(hd, "x-amz-lex-messages", res.Messages); err != nil {
			return err
		}
	}
	if its := toWireInterpretations(res.Interpretations); its != nil {
		if err := h.setJSONHeader(hd, "x-amz-lex-interpretations", its); err != nil {
			return err
		}
	}
	if err := h.setJSONHeader(hd, "x-amz-lex-session-state", out); err != nil {
		return err
	}
	if res.RequestAttributes != nil {
		if err := h.setJSONHeader(hd, "x-amz-lex-request-attributes", res.RequestAttributes); err != nil {
			return err
		}
	}
	hd.Set("x-amz-lex-input-transcript", h.gzipBase64([]byte(transcript)))
	hd.Set("x-amz-lex-session-id", req.Key.SessionID)
	hd.Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	return nil
}

// requestContentType accepts text input only; audio gets a clear error
// instead of a confusing recognition failure.
func requestContentType(value string) error {
	if strings.TrimSpace(value) == "" {
		return invalid("Content-Type: is required; send text/plain; charset=utf-8")
	}
	mt, params, err := mime.ParseMediaType(value)
	if err != nil {
		return invalid("Content-Type: not a valid media type %q: %s", value, err.Error())
	}
	if strings.HasPrefix(mt, "audio/") {
		return parley.Errorf(parley.ErrUnsupported, "Content-Type: audio input is not supported (got %q); send text as text/plain; charset=utf-8", value)
	}
	if mt != "text/plain" {
		return invalid("Content-Type: must be text/plain; charset=utf-8, got %q", value)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return invalid("Content-Type: charset must be utf-8, got %q", cs)
	}
	return nil
}

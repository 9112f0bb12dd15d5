package webchat

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/parleybot/parley"
)

// MaxRequestBytes bounds a POST /chat body. The longest valid text (1024
// UTF-16 units, each escaped as \uXXXX) fits several times over.
const MaxRequestBytes = 64 << 10

// chatRequest is the body of POST /chat.
type chatRequest struct {
	Text      string `json:"text"`
	SessionID string `json:"sessionId"`
	BotID     string `json:"botId"`
	LocaleID  string `json:"localeId"`
}

// chatResponse is the answer to POST /chat: the turn reduced to what a chat
// page needs. Intent and State are null when no intent is active; Slots maps
// every slot of the intent to its interpreted value, null when unfilled.
type chatResponse struct {
	SessionID string             `json:"sessionId"`
	Messages  []parley.Message   `json:"messages"`
	Intent    *string            `json:"intent"`
	State     *string            `json:"state"`
	Slots     map[string]*string `json:"slots"`
}

// errorBody is the JSON shape of every /chat failure.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    parley.ErrorCode `json:"code"`
	Message string           `json:"message"`
}

func (h *handler) serveChat(w http.ResponseWriter, r *http.Request) {
	// Requiring JSON also keeps cross-site form posts out: a page elsewhere
	// cannot send this content type without a CORS preflight.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		h.fail(w, http.StatusUnsupportedMediaType, parley.Errorf(parley.ErrUnsupported, "Content-Type must be application/json"))
		return
	}
	req, status, err := decodeChatRequest(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		h.fail(w, status, err)
		return
	}
	turn, err := h.turnRequest(req)
	if err != nil {
		h.fail(w, 0, err)
		return
	}
	if wantsStream(r) {
		h.serveStream(w, r, turn)
		return
	}
	res, err := h.rt.RecognizeText(r.Context(), turn)
	if err != nil && r.Context().Err() != nil {
		// The client hung up or timed out and the turn stopped with it;
		// nobody reads an answer, and it is not the server's failure.
		h.log.Info("webchat: client went away before the answer", "err", err)
		return
	}
	if err != nil {
		h.fail(w, 0, err)
		return
	}
	if res.SessionID == "" {
		res.SessionID = turn.Key.SessionID
	}
	h.writeJSON(w, http.StatusOK, toChatResponse(res))
}

// decodeChatRequest reads one JSON object and nothing after it. On failure
// it returns the HTTP status and a validation error that says what is wrong.
func decodeChatRequest(body io.Reader) (chatRequest, int, error) {
	var req chatRequest
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil {
		// A second value, even valid JSON, means the client sent something
		// other than the one object we document.
		var extra json.RawMessage
		if err = dec.Decode(&extra); err == io.EOF {
			return req, 0, nil
		} else if err == nil {
			return req, http.StatusBadRequest, parley.Errorf(parley.ErrValidation, "request body: unexpected data after the JSON object")
		}
	}
	var (
		tooLarge   *http.MaxBytesError
		syntaxErr  *json.SyntaxError
		typeErr    *json.UnmarshalTypeError
		problem    string
		statusCode = http.StatusBadRequest
	)
	switch {
	case errors.As(err, &tooLarge):
		statusCode = http.StatusRequestEntityTooLarge
		problem = fmt.Sprintf("request body: larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, io.EOF):
		problem = "request body: empty, expected a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		problem = "request body: truncated JSON"
	case errors.As(err, &syntaxErr):
		problem = fmt.Sprintf("request body: invalid JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.As(err, &typeErr) && typeErr.Field != "":
		problem = fmt.Sprintf("%s: must be a string, got JSON %s", typeErr.Field, typeErr.Value)
	case errors.As(err, &typeErr):
		problem = fmt.Sprintf("request body: must be a JSON object, got JSON %s", typeErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one.
		problem = "request body: " + strings.TrimPrefix(err.Error(), "json: ") +
			`; known fields are "text", "sessionId", "botId", "localeId"`
	default:
		problem = "request body: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return chatRequest{}, statusCode, parley.Errorf(parley.ErrValidation, "%s", problem)
}

// turnRequest applies the documented defaults: the only bot, the bot's
// first locale, a fresh session id, and the draft alias.
func (h *handler) turnRequest(req chatRequest) (*parley.TurnRequest, error) {
	bot, err := h.pickBot(req.BotID)
	if err != nil {
		return nil, err
	}
	locale := req.LocaleID
	if locale == "" {
		if len(bot.Locales) == 0 {
			return nil, parley.Errorf(parley.ErrNotFound, "botId: bot %s has no locales", bot.ID)
		}
		locale = bot.Locales[0].ID
	} else if bot.Locale(locale) == nil {
		return nil, parley.Errorf(parley.ErrNotFound, "localeId: bot %s has no locale %q (it has %s)", bot.ID, locale, localeList(bot))
	}
	session := req.SessionID
	if session == "" {
		// rand.Text is base32 ([A-Z2-7]), inside Lex's session id pattern.
		session = "web-" + rand.Text()
	}
	turn := &parley.TurnRequest{
		Key:       parley.SessionKey{BotID: bot.ID, AliasID: parley.DraftAliasID, LocaleID: locale, SessionID: session},
		Text:      req.Text,
		InputMode: parley.InputText,
	}
	if err := turn.Validate(); err != nil {
		return nil, err
	}
	return turn, nil
}

func (h *handler) pickBot(id string) (*parley.Bot, error) {
	bots := h.bots.Bots()
	if id == "" {
		switch len(bots) {
		case 0:
			return nil, parley.Errorf(parley.ErrNotFound, "botId: no bots are served")
		case 1:
			return bots[0], nil
		default:
			ids := make([]string, len(bots))
			for i, b := range bots {
				ids[i] = b.ID
			}
			return nil, parley.Errorf(parley.ErrValidation, "botId: required when several bots are served (%s)", strings.Join(ids, ", "))
		}
	}
	for _, b := range bots {
		if b.ID == id {
			return b, nil
		}
	}
	if !parley.ValidBotID(id) {
		return nil, parley.Errorf(parley.ErrValidation, "botId: must be exactly 10 letters or digits, got %q", id)
	}
	return nil, parley.Errorf(parley.ErrNotFound, "botId: no bot %q is served", id)
}

func localeList(b *parley.Bot) string {
	ids := make([]string, len(b.Locales))
	for i, l := range b.Locales {
		ids[i] = l.ID
	}
	return strings.Join(ids, ", ")
}

func toChatResponse(res *parley.TurnResult) chatResponse {
	out := chatResponse{SessionID: res.SessionID, Messages: res.Messages, Slots: map[string]*string{}}
	if out.Messages == nil {
		out.Messages = []parley.Message{}
	}
	if in := res.SessionState.Intent; in != nil && in.Name != "" {
		name := in.Name
		out.Intent = &name
		if in.State != "" {
			state := string(in.State)
			out.State = &state
		}
		for slot, v := range in.Slots {
			out.Slots[slot] = interpreted(v)
		}
	}
	return out
}

// interpreted flattens a slot to one string: a scalar's interpreted value,
// or a list's values joined by ", "; nil when nothing is filled.
func interpreted(v *parley.SlotValue) *string {
	if v == nil {
		return nil
	}
	if v.Value != nil {
		s := v.Value.InterpretedValue
		return &s
	}
	var parts []string
	for _, item := range v.Values {
		if p := interpreted(item); p != nil {
			parts = append(parts, *p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	s := strings.Join(parts, ", ")
	return &s
}

// statusOf is the one table from error codes to HTTP statuses for /chat.
func statusOf(code parley.ErrorCode) int {
	switch code {
	case parley.ErrValidation:
		return http.StatusBadRequest
	case parley.ErrAccessDenied:
		return http.StatusForbidden
	case parley.ErrNotFound:
		return http.StatusNotFound
	case parley.ErrConflict:
		return http.StatusConflict
	case parley.ErrUnsupported:
		return http.StatusUnsupportedMediaType
	case parley.ErrDependencyFailed:
		return http.StatusFailedDependency
	case parley.ErrThrottling:
		return http.StatusTooManyRequests
	case parley.ErrBadGateway:
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

// fail writes err as the JSON error body; status 0 means "from the code".
// Messages of coded errors are user-safe; anything else is logged and
// reported generically.
func (h *handler) fail(w http.ResponseWriter, status int, err error) {
	code := parley.ErrorCodeOf(err)
	if status == 0 {
		status = statusOf(code)
	}
	if status >= 500 {
		h.log.Error("webchat: turn failed", "code", code, "err", err)
	} else {
		h.log.Debug("webchat: request rejected", "code", code, "err", err)
	}
	h.writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: parley.ErrorMessageOf(err)}})
}

package webchat

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/parleybot/parley"
)

// eventStream is the media type of Server-Sent Events.
const eventStream = "text/event-stream"

// wantsStream reports whether the client accepts Server-Sent Events for
// POST /chat. EventSource cannot POST, so the page asks with fetch and an
// Accept header naming the stream.
func wantsStream(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == eventStream {
			return true
		}
	}
	return false
}

// deltaEvent is the data of an "event: delta": the next piece of an answer
// the language model is producing.
type deltaEvent struct {
	Text string `json:"text"`
}

// sse writes Server-Sent Events, flushing each so that the page sees it at
// once.
type sse struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

// start sends the stream's headers.
func (s *sse) start() {
	if s.started {
		return
	}
	s.started = true
	setSecurityHeaders(s.w)
	s.w.Header().Set("Content-Type", eventStream+"; charset=utf-8")
	s.w.Header().Set("Cache-Control", "no-store")
	// Proxies such as nginx would otherwise hold the events back.
	s.w.Header().Set("X-Accel-Buffering", "no")
	s.w.WriteHeader(http.StatusOK)
}

// send writes one event whose data is v as JSON on one line.
func (s *sse) send(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("webchat: encode %s event: %w", event, err)
	}
	s.start()
	if _, err := fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return fmt.Errorf("webchat: write %s event: %w", event, err)
	}
	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("webchat: flush %s event: %w", event, err)
	}
	return nil
}

// serveStream runs the turn with its generated answer streamed as "delta"
// events, then sends the whole answer as a "done" event in the JSON shape
// of POST /chat, or an "error" event in the shape of its error body.
func (h *handler) serveStream(w http.ResponseWriter, r *http.Request, turn *parley.TurnRequest) {
	s := &sse{w: w, rc: http.NewResponseController(w)}
	// The headers go out first, so that a slow model does not leave the
	// page waiting for any response at all.
	s.start()
	if err := s.rc.Flush(); err != nil {
		h.log.Debug("webchat: flush stream headers", "err", err)
	}
	turn.Stream = func(delta string) error {
		if delta == "" {
			return nil
		}
		return s.send("delta", deltaEvent{Text: delta})
	}
	res, err := h.rt.RecognizeText(r.Context(), turn)
	if err != nil {
		code := parley.ErrorCodeOf(err)
		if statusOf(code) >= 500 {
			h.log.Error("webchat: turn failed", "code", code, "err", err)
		} else {
			h.log.Debug("webchat: request rejected", "code", code, "err", err)
		}
		if werr := s.send("error", errorBody{Error: errorDetail{Code: code, Message: parley.ErrorMessageOf(err)}}); werr != nil {
			h.log.Debug("webchat: write stream", "err", werr)
		}
		return
	}
	if res.SessionID == "" {
		res.SessionID = turn.Key.SessionID
	}
	if err := s.send("done", toChatResponse(res)); err != nil {
		h.log.Debug("webchat: write stream", "err", err)
	}
}

package connector

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Inbound describes what a webhook endpoint accepts; ReadBody enforces it
// in the order of channels.md §0.1, before any authentication or parsing.
type Inbound struct {
	Methods      []string // e.g. POST; others get 405 with Allow
	ContentTypes []string // media types without parameters; others get 415
	MaxBytes     int64    // larger bodies get 413, unread
}

// ReadBody checks the method, content type and size of r and returns its
// raw bytes, exactly as the platform sent (and signed) them. On a failed
// check it has already answered (405, 415 or 413, no detail), counted the
// rejection and returns ok false.
func (in Inbound) ReadBody(w http.ResponseWriter, r *http.Request, counters *Counters) (body []byte, ok bool) {
	if !contains(in.Methods, r.Method) {
		w.Header().Set("Allow", strings.Join(in.Methods, ", "))
		Reject(w, counters, http.StatusMethodNotAllowed)
		return nil, false
	}
	if len(in.ContentTypes) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || !contains(in.ContentTypes, strings.ToLower(mt)) {
			Reject(w, counters, http.StatusUnsupportedMediaType)
			return nil, false
		}
	}
	if r.ContentLength > in.MaxBytes {
		Reject(w, counters, http.StatusRequestEntityTooLarge)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, in.MaxBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			Reject(w, counters, http.StatusRequestEntityTooLarge)
		} else {
			Reject(w, counters, http.StatusBadRequest)
		}
		return nil, false
	}
	return body, true
}

// Reject answers a refused request with status and an empty body, and
// counts it.
func Reject(w http.ResponseWriter, counters *Counters, status int) {
	counters.Reject()
	w.Header().Set("Content-Length", strconv.Itoa(0))
	w.WriteHeader(status)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

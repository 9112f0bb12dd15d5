package lexapi

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/parleybot/parley"
)

// Size limits of request input. Lex bounds the text to 1024 characters and a
// Lambda's session state to 12 KB, so 64 KB of JSON is far above any valid
// request while still stopping a client from streaming megabytes at us.
const (
	maxBodyBytes       = 64 << 10
	maxDecodedHeader   = 64 << 10 // a gunzipped session-state or attributes header
	maxRequestHeaders  = 12 << 10 // x-amz-lex-session-state + x-amz-lex-request-attributes, as Lex
	headerSessionState = "x-amz-lex-session-state"
	headerRequestAttrs = "x-amz-lex-request-attributes"
)

func invalid(format string, args ...any) *parley.Error {
	return parley.Errorf(parley.ErrValidation, format, args...)
}

// readBody reads the whole request body, refusing more than maxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, invalid("request body exceeds %d bytes", maxBodyBytes)
		}
		return nil, fmt.Errorf("lexapi: read request body: %w", err)
	}
	return data, nil
}

// decodeJSON decodes one JSON value from data into v and turns every
// decoding failure into a ValidationException that names the problem: the
// offset of a syntax error, or the field whose JSON type is wrong. what
// names the input in messages ("request body", a header name); prefix is
// put before field paths (e.g. "sessionState" for the session-state
// header). Unknown keys are ignored, as Lex does. Empty input decodes as {}.
func decodeJSON(data []byte, v any, what, prefix string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return jsonError(err, what, prefix)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("%s: malformed JSON: unexpected data after the JSON value at offset %d", what, dec.InputOffset())
	}
	return nil
}

func jsonError(err error, what, prefix string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalid("%s: malformed JSON at offset %d: %s", what, syntax.Offset, syntax.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("%s: malformed JSON: unexpected end of input", what)
	case errors.As(err, &typ):
		field := typ.Field
		switch {
		case field == "" && prefix == "":
			field = what
		case field == "":
			field = prefix
		case prefix != "":
			field = prefix + "." + field
		}
		return invalid("%s: must be %s, got JSON %s", field, jsonKind(typ.Type), typ.Value)
	default:
		return invalid("%s: malformed JSON: %s", what, err.Error())
	}
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// decodeHeaderJSON reads a RecognizeUtterance request header that should
// hold JSON → gzip → base64. Clients are inconsistent (the Go SDK leaves the
// encoding to the caller), so it is decoded leniently: a value that starts
// like a JSON object is taken as raw JSON; anything else is base64 (padded
// or not), gunzipped when the bytes carry the gzip magic.
func decodeHeaderJSON(value string, v any, header, prefix string) error {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil
	}
	data := []byte(value)
	if value[0] != '{' {
		var err error
		data, err = base64.StdEncoding.DecodeString(value)
		if err != nil {
			if data, err = base64.RawStdEncoding.DecodeString(value); err != nil {
				return invalid("%s: must be base64-encoded gzip of JSON: %s", header, err.Error())
			}
		}
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return invalid("%s: not valid gzip data: %s", header, err.Error())
		}
		plain, err := io.ReadAll(io.LimitReader(zr, maxDecodedHeader+1))
		if err != nil {
			return invalid("%s: not valid gzip data: %s", header, err.Error())
		}
		if len(plain) > maxDecodedHeader {
			return invalid("%s: decompressed value exceeds %d bytes", header, maxDecodedHeader)
		}
		data = plain
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return invalid("%s: empty after decoding", header)
	}
	return decodeJSON(data, v, header, prefix)
}

package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// errorBodyBytes bounds how much of an error response goes into the message.
const errorBodyBytes = 200

// decodeResponse decodes a 2xx body. The error says what is wrong and where,
// in the decoder's words; it does not check Lex's shape rules.
func decodeResponse(body []byte) (*parley.CodeHookResponse, error) {
	var out parley.CodeHookResponse
	err := json.Unmarshal(body, &out)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return nil, fmt.Errorf("not valid JSON at offset %d: %v", syntax.Offset, syntax)
	case err == nil && firstByte(body) != '{':
		// null decodes into a struct without complaint.
		return nil, fmt.Errorf("not a JSON object but %s", jsonKind(firstByte(body)))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return nil, fmt.Errorf("not a JSON object but %s", typ.Value)
		}
		return nil, fmt.Errorf("wrong type at offset %d: %s is %s, want %v", typ.Offset, typ.Field, typ.Value, typ.Type)
	case err != nil:
		return nil, err
	}
	return &out, nil
}

// firstByte returns the first non-space byte of b, or 0.
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// jsonKind names the JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// errorDetail renders an error response body for the message: a Lambda
// style {"errorType","errorMessage"} object as "errorType: errorMessage",
// anything else as its first bytes.
func errorDetail(body []byte) string {
	var le struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &le) == nil && (le.ErrorType != "" || le.ErrorMessage != "") {
		s := le.ErrorMessage
		if le.ErrorType != "" && s != "" {
			s = le.ErrorType + ": " + s
		} else if s == "" {
			s = le.ErrorType
		}
		return string(truncate([]byte(s), errorBodyBytes))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty body"
	}
	return string(truncate(bytes.TrimSpace(body), errorBodyBytes))
}

// truncate cuts b to at most n bytes on a rune boundary, marking the cut.
func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return append(b[:cut:cut], "…"...)
}

// thousands formats n with comma separators: 25600 → "25,600".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return neg + string(b)
}

package lambda

import (
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// functionError is the payload Lambda returns when a function throws or
// its runtime dies (X-Amz-Function-Error set).
type functionError struct {
	ErrorMessage string            `json:"errorMessage"`
	ErrorType    string            `json:"errorType"`
	StackTrace   []json.RawMessage `json:"stackTrace"`
}

// describeFunctionError renders a function error payload as
// "<errorType>: <errorMessage> (<file> line <n>)", the frame being the first
// one of the stack trace that names a source line. A payload that is not
// Lambda's error object is quoted as it is (cut short).
func describeFunctionError(payload []byte) string {
	var fe functionError
	if err := json.Unmarshal(payload, &fe); err != nil || fe.ErrorMessage == "" && fe.ErrorType == "" {
		return strconv.Quote(string(truncate(payload, 200)))
	}
	s := fe.ErrorMessage
	if fe.ErrorType != "" {
		s = fe.ErrorType + ": " + fe.ErrorMessage
	}
	for _, raw := range fe.StackTrace {
		if frame := describeFrame(raw); frame != "" {
			return s + " (" + frame + ")"
		}
	}
	return s
}

// describeFrame returns "file line n" for one stack trace entry, or "" when
// it names no source line. The runtimes write their frames differently:
//
//	Python:  `  File "/var/task/lambda_function.py", line 12, in lambda_handler\n    …`
//	Node.js: `    at Runtime.handler (file:///var/task/index.mjs:3:9)`
//	Go:      {"path": "/var/task/main.go", "line": 12, "label": "handler"}
//
// Node's first entry repeats the error itself ("Error: boom"), which is why
// the caller looks for the first entry that is a frame.
func describeFrame(raw json.RawMessage) string {
	var obj struct {
		Path string `json:"path"`
		Line int    `json:"line"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Path != "" {
		return fmt.Sprintf("%s line %d", path.Base(obj.Path), obj.Line)
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "File \""); ok {
		file, rest, ok := strings.Cut(rest, "\", line ")
		if !ok {
			return ""
		}
		line, _, _ := strings.Cut(rest, ",")
		if _, err := strconv.Atoi(line); err != nil {
			return ""
		}
		return path.Base(file) + " line " + line
	}
	if rest, ok := strings.CutPrefix(s, "at "); ok {
		if i := strings.LastIndexByte(rest, '('); i >= 0 {
			rest = strings.TrimSuffix(rest[i+1:], ")")
		}
		// rest is PATH:LINE:COLUMN.
		loc, _, ok := cutLast(rest, ':')
		if !ok {
			return ""
		}
		file, line, ok := cutLast(loc, ':')
		if !ok {
			return ""
		}
		if _, err := strconv.Atoi(line); err != nil {
			return ""
		}
		return path.Base(file) + " line " + line
	}
	return ""
}

func cutLast(s string, sep byte) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

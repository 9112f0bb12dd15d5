package process_test

import (
	"errors"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/process"
)

func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{`{"kind":"result","id":"a","size":12}`, `{"kind":"log","level":"INFO","size":3}`, `{}`, `{"size":-1}`, `nope`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		kind, _, size, err := process.ParseHeader(line)
		if err == nil && (kind == "" || size < 0) {
			t.Errorf("ParseHeader(%q) accepted kind %q size %d", line, kind, size)
		}
	})
}

func FuzzDecode(f *testing.F) {
	h, err := process.New("python:py/lambda_function.py", process.Options{Dir: "testdata"})
	if err != nil {
		f.Skip(err)
	}
	defer h.Close()
	for _, s := range []string{`{"sessionState":{"dialogAction":{"type":"Close"}}}`, `"not json"`, `null`, `{"sessionState":1}`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := h.Decode(body)
		var e *parley.Error
		if err != nil && (!errors.As(err, &e) || e.Code != parley.ErrDependencyFailed) {
			t.Errorf("Decode(%q) = %v, want nil or ErrDependencyFailed", body, err)
		}
	})
}

func FuzzNew(f *testing.F) {
	for _, s := range []string{"python:py/lambda_function.py", "node:node/index.js:handler", "python:", "x", "node:a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		h, err := process.New(uri, process.Options{Dir: "testdata"})
		if err == nil {
			h.Close()
			return
		}
		if code := parley.ErrorCodeOf(err); code != parley.ErrValidation && code != parley.ErrInternal {
			t.Errorf("New(%q) error code %s", uri, code)
		}
	})
}

package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/hook/hooktest"
	"github.com/parleybot/parley/hook/webhook"
)

// answer is a transport that answers every request with a fixed status
// and body, so the fuzzer reaches the response parser without a network.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: a.status,
		Status:     http.StatusText(a.status),
		Header:     http.Header{"Location": {"/elsewhere"}},
		Body:       io.NopCloser(bytes.NewReader(a.body)),
		// Unknown length, like a chunked answer: the limit must hold
		// without a Content-Length to trust.
		ContentLength: -1,
		Request:       r,
	}, nil
}

// FuzzResponse feeds arbitrary answers to Invoke: each is either a decoded
// response (only from a 2xx JSON object within the size limit) or a
// DependencyFailedException with a message.
func FuzzResponse(f *testing.F) {
	ok, err := hooktest.Respond(context.Background(), hooktest.Event("close"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(200, ok)
	f.Add(200, []byte(`{"sessionState": oops}`))
	f.Add(200, []byte(`null`))
	f.Add(200, []byte(`{"sessionState":{"intent":"X"}}`))
	f.Add(500, []byte(`{"errorType":"KeyError","errorMessage":"'slots'"}`))
	f.Add(502, []byte("\xff\xfe bad gateway"))
	f.Add(302, []byte(""))
	f.Add(200, bytes.Repeat([]byte("é"), 20000))
	const limit = 1024
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			t.Skip()
		}
		h, err := webhook.New("http://hooks.invalid/hook", webhook.Options{
			MaxResponseBytes: limit,
			Client:           &http.Client{Transport: answer{status, body}},
		})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := h.Invoke(context.Background(), hooktest.Event("close"))
		if err != nil {
			want := parley.ErrDependencyFailed
			if status == http.StatusTooManyRequests {
				want = parley.ErrThrottling
			}
			if parley.ErrorCodeOf(err) != want || parley.ErrorMessageOf(err) == "" {
				t.Fatalf("error %v is not a %s with a message", err, want)
			}
			return
		}
		if status < 200 || status > 299 || len(body) > limit {
			t.Fatalf("status %d, %d bytes accepted", status, len(body))
		}
		var want parley.CodeHookResponse
		if err := json.Unmarshal(body, &want); err != nil || resp == nil {
			t.Fatalf("accepted %q, which does not decode: %v", body, err)
		}
	})
}

package eval_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/parleybot/parley/eval"
)

func TestReadJSONL(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []eval.Example
		wantErr string // exact
	}{
		{
			name: "slots in code points, value filled in",
			in:   `{"text": "내일 7시에 깨워줘", "intent": "alarm_set", "slots": [{"slot": "time", "start": 3, "end": 5}]}` + "\n",
			want: []eval.Example{{Text: "내일 7시에 깨워줘", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 3, End: 5, Value: "7시"}}}},
		},
		{
			name: "BOM, CRLF, blank lines, no final newline, unknown fields",
			in:   "\xef\xbb\xbf{\"text\":\"hi\",\"intent\":\"greet\",\"id\":7}\r\n\r\n  \n{\"text\":\"bye\",\"intent\":\"FallbackIntent\"}",
			want: []eval.Example{{Text: "hi", Intent: "greet"}, {Text: "bye", Intent: "FallbackIntent"}},
		},
		{name: "empty input"},
		{
			name:    "syntax error column",
			in:      `{"text":"a","intent":"b"}` + "\n" + `{"text":"hi", "intent":}`,
			wantErr: "d.jsonl:2:24: invalid character '}' looking for beginning of value",
		},
		{
			name:    "column counts code points",
			in:      `{"text":"날씨","intent":날씨}`,
			wantErr: "d.jsonl:1:23: invalid character 'ë' looking for beginning of value",
		},
		{name: "trailing garbage", in: `{"text":"a","intent":"b"} x`, wantErr: "d.jsonl:1:27: invalid character 'x' after top-level value"},
		{name: "wrong type", in: `{"text": 3, "intent":"a"}`, wantErr: `d.jsonl:1:10: "text" must be string, not number`},
		{name: "not an object", in: `[1]`, wantErr: "d.jsonl:1:1: want a JSON object, not array"},
		{name: "missing text", in: `  {"intent":"b"}`, wantErr: `d.jsonl:1:3: "text" is missing or empty`},
		{name: "missing intent", in: `{"text":"b"}`, wantErr: `d.jsonl:1:1: "intent" is missing or empty`},
		{
			name:    "span outside the text",
			in:      `{"text":"날씨","intent":"w","slots":[{"slot":"x","start":1,"end":3}]}`,
			wantErr: "d.jsonl:1:1: slot 1 (x): span [1,3) is not inside the 2 code points of the text",
		},
		{
			name:    "empty span",
			in:      `{"text":"ab","intent":"w","slots":[{"slot":"x","start":1,"end":1}]}`,
			wantErr: "d.jsonl:1:1: slot 1 (x): span [1,1) is not inside the 2 code points of the text",
		},
		{
			name:    "value is not the span's text",
			in:      `{"text":"play jazz","intent":"p","slots":[{"slot":"g","start":5,"end":9,"value":"rock"}]}`,
			wantErr: `d.jsonl:1:1: slot 1 (g): value "rock" is not the text of span [5,9), which is "jazz"`,
		},
		{
			name:    "slot without a name",
			in:      `{"text":"play jazz","intent":"p","slots":[{"start":5,"end":9}]}`,
			wantErr: `d.jsonl:1:1: slot 1: "slot" is missing or empty`,
		},
		{
			name:    "overlapping spans",
			in:      `{"text":"play jazz","intent":"p","slots":[{"slot":"b","start":5,"end":9},{"slot":"a","start":0,"end":6}]}`,
			wantErr: "d.jsonl:1:1: slots a and b overlap",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eval.ReadJSONL(strings.NewReader(tt.in), "d.jsonl")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWriteJSONL(t *testing.T) {
	exs := []eval.Example{
		{Text: "wake me at 7 & <8>", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 12, Value: "7"}}},
		{Text: "날씨 어때", Intent: "FallbackIntent"},
	}
	var buf bytes.Buffer
	if err := eval.WriteJSONL(&buf, exs); err != nil {
		t.Fatal(err)
	}
	want := `{"text":"wake me at 7 & <8>","intent":"alarm_set","slots":[{"slot":"time","start":11,"end":12,"value":"7"}]}` + "\n" +
		`{"text":"날씨 어때","intent":"FallbackIntent"}` + "\n"
	if buf.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := eval.ReadJSONL(&buf, "round trip")
	if err != nil || !reflect.DeepEqual(back, exs) {
		t.Errorf("read back %+v, %v; want %+v", back, err, exs)
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"text": "wake me up at 7 am", "intent": "alarm_set", "slots": [{"slot": "time", "start": 14, "end": 18, "value": "7 am"}]}`)
	f.Add("{\"text\":\"내일\",\"intent\":\"a\",\"slots\":[{\"slot\":\"d\",\"start\":0,\"end\":2}]}\n\n{\"text\":\"x\",\"intent\":\"FallbackIntent\"}")
	f.Add(`{"text":"a","intent":}`)
	f.Add("\xef\xbb\xbf[1]\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		exs, err := eval.ReadJSONL(strings.NewReader(in), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error %q does not start with the file name", err)
			}
			return
		}
		for _, ex := range exs {
			text := []rune(ex.Text)
			for _, s := range ex.Slots {
				if s.Start < 0 || s.End > len(text) || s.Start >= s.End || string(text[s.Start:s.End]) != s.Value {
					t.Fatalf("accepted a bad span %+v of %q", s, ex.Text)
				}
			}
		}
		var buf bytes.Buffer
		if err := eval.WriteJSONL(&buf, exs); err != nil {
			t.Fatal(err)
		}
		back, err := eval.ReadJSONL(&buf, "again")
		if err != nil {
			t.Fatalf("cannot read back what was written: %v\n%s", err, buf.String())
		}
		if len(back) != len(exs) {
			t.Fatalf("read back %d examples, want %d", len(back), len(exs))
		}
		for i := range exs {
			if !reflect.DeepEqual(back[i], exs[i]) && !(len(back[i].Slots) == 0 && len(exs[i].Slots) == 0) {
				t.Fatalf("example %d changed: %+v → %+v", i, exs[i], back[i])
			}
		}
	})
}

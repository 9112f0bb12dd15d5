package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/cli"
)

func TestEval(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	train := write("train.jsonl", `{"text":"order a pizza","intent":"order"}
{"text":"i want a pizza","intent":"order"}
{"text":"a large pizza please","intent":"order","slots":[{"slot":"size","start":2,"end":7}]}
{"text":"where is my order","intent":"status"}
{"text":"order status","intent":"status"}
{"text":"is my pizza coming","intent":"status"}
`)
	test := write("test.jsonl", `{"text":"a small pizza please","intent":"order","slots":[{"slot":"size","start":2,"end":7}]}
{"text":"where is my pizza","intent":"status"}
{"text":"sing me a song","intent":"FallbackIntent"}
`)
	valid := write("valid.jsonl", `{"text":"one pizza please","intent":"order"}
{"text":"what is the weather","intent":"FallbackIntent"}
`)
	bad := write("bad.jsonl", `{"text":"a","intent":"b"}
{"text":"a","intent":"b","slots":[{"slot":"x","start":0,"end":5}]}
`)
	report := filepath.Join(dir, "r.html")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{name: "cross-validation of a bot", args: []string{"eval", "../examples/pizza", "--folds", "3", "--seed", "2"},
			stdout: []string{"../examples/pizza (en_US), 3-fold cross-validation, seed 2\naccuracy ", "OrderPizza"}},
		{name: "labelled files", args: []string{"eval", "--train", train, "--test", test, "--report", report},
			stdout: []string{"accuracy ", "in-scope accuracy ", "OOS recall ", "slot F1 "}},
		{name: "tuned threshold", args: []string{"eval", "--train", train, "--test", test, "--valid", valid, "--tune-threshold"},
			stdout: []string{"accuracy "}, stderr: "tuned threshold on " + valid},
		{name: "bad JSONL", args: []string{"eval", "--train", bad, "--test", test}, code: 1,
			stderr: "parley: " + bad + ":2:1: slot 1 (x): span [0,5) is not inside the 1 code points of the text\n"},
		{name: "missing file", args: []string{"eval", "--train", filepath.Join(dir, "none.jsonl"), "--test", test}, code: 1, stderr: "none.jsonl"},
		{name: "bot and files", args: []string{"eval", "../examples/pizza", "--train", train}, code: 1, stderr: "either BOT_PATH or --train"},
		{name: "test file missing", args: []string{"eval", "--train", train}, code: 1, stderr: "--train FILE and --test FILE"},
		{name: "tune without valid", args: []string{"eval", "--train", train, "--test", test, "--tune-threshold"}, code: 1, stderr: "needs --valid"},
		{name: "threshold out of range", args: []string{"eval", "--train", train, "--test", test, "--threshold", "2"}, code: 1, stderr: "want a number in [0,1]"},
		{name: "threshold and tuning", args: []string{"eval", "--train", train, "--test", test, "--valid", valid, "--threshold", "0.5", "--tune-threshold"}, code: 1, stderr: "exclude each other"},
		{name: "unknown locale", args: []string{"eval", "../examples/pizza", "--locale", "ko_KR"}, code: 1, stderr: "parley: bot PIZZABOT01 has no locale ko_KR\n"},
		{name: "bad bot", args: []string{"eval", filepath.Join(dir, "nobot")}, code: 1, stderr: "nobot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Main(tt.args, strings.NewReader(""), &stdout, &stderr, mapEnv(nil))
			if code != tt.code {
				t.Fatalf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr.String())
			}
		})
	}
	page, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(page), `id="heatmap"`) {
		t.Errorf("HTML report: %v, %d bytes", err, len(page))
	}

	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"eval", "--train", train, "--test", test, "--json"}, strings.NewReader(""), &stdout, &stderr, mapEnv(nil)); code != 0 {
		t.Fatalf("--json: exit status %d: %s", code, stderr.String())
	}
	var rep struct {
		N      int  `json:"n"`
		HasOOS bool `json:"hasOOS"`
		SlotN  int  `json:"slotN"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.N != 3 || !rep.HasOOS || rep.SlotN != 1 {
		t.Errorf("--json printed %+v, %v:\n%s", rep, err, stdout.String())
	}
}

// The tests are in package main because a command cannot be imported.
package main

import (
	"strings"
	"testing"

	"github.com/parleybot/parley/eval"
)

func TestSubsample(t *testing.T) {
	exs := make([]eval.Example, 10)
	for i := range exs {
		exs[i].Text = string(rune('a' + i))
	}
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"half takes every other", 5, "acegi"},
		{"a third spreads over the whole set", 3, "adg"},
		{"as many keeps all", 10, "abcdefghij"},
		{"more keeps all", 20, "abcdefghij"},
		{"zero keeps all", 0, "abcdefghij"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got strings.Builder
			for _, ex := range subsample(exs, tt.n) {
				got.WriteString(ex.Text)
			}
			if got.String() != tt.want {
				t.Errorf("subsample(%d) = %q, want %q", tt.n, got.String(), tt.want)
			}
		})
	}
}

func TestParseNLPJS(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    score
		wantErr bool
	}{
		{
			name: "one line",
			out:  `{"engine":"nlpjs","accuracy":0.5,"train_seconds":2,"parses_per_second":100}` + "\n",
			want: score{Accuracy: 0.5, TrainSeconds: 2, ParsesPerSecond: 100},
		},
		{
			name: "log lines before the result",
			out:  "Epoch 1 loss 0.3\n\n" + `{"accuracy":1,"in_scope_accuracy":0.9,"oos_recall":0.2,"has_oos":true}` + "\n\n",
			want: score{Accuracy: 1, InScopeAccuracy: 0.9, OOSRecall: 0.2, HasOOS: true},
		},
		{name: "no result", out: "Epoch 1 loss 0.3\n", wantErr: true},
		{name: "empty", out: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNLPJS([]byte(tt.out))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseNLPJS = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Errorf("parseNLPJS = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	sum := summary{NodeNLP: "4.27.0", Node: "v20", Results: []result{
		{
			Dataset: "A", Split: "a/x/seed0", Train: 10, Test: 4, TestTotal: 8,
			Parley:       &score{Accuracy: 0.9, InScopeAccuracy: 0.8, OOSRecall: 0.7, HasOOS: true, TrainSeconds: 0.1, ParsesPerSecond: 5000},
			NLPJS:        &score{Accuracy: 0.8, InScopeAccuracy: 0.9, OOSRecall: 0.1, HasOOS: true, TrainSeconds: 5, ParsesPerSecond: 250},
			TrainSpeedup: 50, ParseSpeedup: 20,
		},
		{
			Dataset: "B", Split: "b/y/seed0", Train: 10, Test: 4, TestTotal: 4,
			Parley:       &score{Accuracy: 0.5, TrainSeconds: 1, ParsesPerSecond: 100},
			NLPJS:        &score{Accuracy: 0.6, TrainSeconds: 2, ParsesPerSecond: 200},
			TrainSpeedup: 2, ParseSpeedup: 0.5,
		},
		{Dataset: "C", Split: "c/z/seed0", Missing: true},
	}}
	var b strings.Builder
	if err := writeTable(&b, sum); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"node-nlp 4.27.0",
		"4*", "0.900", "0.800", "50.0×", "5000", "250", "20.0×", "0.5×",
		"Parley more accurate on 1/2; training >= 10× faster on 1/2; parsing >= 10× faster on 1/2",
		"A: * test subsampled evenly to 4 of 8",
		"A: in-scope acc / OOS recall: Parley 0.800 / 0.700, NLP.js 0.900 / 0.100",
		"C: split c/z/seed0 missing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "B: in-scope") {
		t.Errorf("table has out-of-scope figures for a split without any:\n%s", out)
	}
}

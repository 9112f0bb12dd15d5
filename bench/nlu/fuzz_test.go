package nlubench_test

import (
	"strings"
	"testing"

	nlubench "github.com/parleybot/parley/bench/nlu"
	"github.com/parleybot/parley/eval"
)

func FuzzParseHWUAnnotation(f *testing.F) {
	for _, s := range []string{"wake me [date : tomorrow] at [time : six]", "[a:b]", "[ : x]", "x [y", "][:]", "  [t : v ]  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ex := nlubench.ParseHWUAnnotation(s, "i")
		checkSpans(t, "hwu", []eval.Example{ex})
	})
}

func FuzzParseXSID(f *testing.F) {
	f.Add(xsidFixture)
	f.Add("# text = a b\n# intent = x\n1\ta\tx\tI-s\n2\tb\tx\tB-s\n")
	f.Fuzz(func(t *testing.T, s string) {
		exs, err := nlubench.ParseXSID(strings.NewReader(s), "fuzz")
		if err == nil {
			checkSpans(t, "xsid", exs)
		}
	})
}

func FuzzParseJointSplit(f *testing.F) {
	f.Add("add abba to my list", "O B-artist O B-owner I-owner", "AddToPlaylist")
	f.Add("a  b", "I-x I-y", "X")
	f.Fuzz(func(t *testing.T, in, out, label string) {
		exs, err := nlubench.ParseJointSplit(strings.NewReader(in), strings.NewReader(out), strings.NewReader(label), "fuzz")
		if err == nil {
			checkSpans(t, "joint", exs)
		}
	})
}

func FuzzParseSnipsQueries(f *testing.F) {
	f.Add(`{"PlayMusic": [{"data": [{"text": "play "}, {"text": " abba ", "entity": "artist"}]}]}`)
	f.Add("{\"X\": [{\"data\": [{\"text\": \"\xff\", \"entity\": \"e\"}]}]}")
	f.Fuzz(func(t *testing.T, s string) {
		exs, err := nlubench.ParseSnipsQueries(strings.NewReader(s), "fuzz")
		if err == nil {
			checkSpans(t, "snips", exs)
		}
	})
}

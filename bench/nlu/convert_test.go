package nlubench_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	nlubench "github.com/parleybot/parley/bench/nlu"
	"github.com/parleybot/parley/eval"
)

// checkSpans asserts the format's invariant: every span lies inside the
// text (in code points) and its value is the text it covers.
func checkSpans(t *testing.T, where string, exs []eval.Example) {
	t.Helper()
	for i, ex := range exs {
		rs := []rune(ex.Text)
		for _, s := range ex.Slots {
			if s.Start < 0 || s.End > len(rs) || s.Start >= s.End {
				t.Fatalf("%s #%d %q: span %+v out of range", where, i, ex.Text, s)
			}
			if got := string(rs[s.Start:s.End]); got != s.Value {
				t.Fatalf("%s #%d %q: span %+v covers %q", where, i, ex.Text, s, got)
			}
		}
	}
}

func texts(exs []eval.Example) []string {
	out := make([]string, len(exs))
	for i, ex := range exs {
		out[i] = ex.Text
	}
	return out
}

func TestParseHWUAnnotation(t *testing.T) {
	tests := []struct {
		name, in string
		want     eval.Example
	}{
		{"plain", "what alarms are set", eval.Example{Text: "what alarms are set", Intent: "i"}},
		{"two slots", "wake me [date : tomorrow] at [time : six am] please", eval.Example{Text: "wake me tomorrow at six am please", Intent: "i",
			Slots: []eval.SlotSpan{{Slot: "date", Start: 8, End: 16, Value: "tomorrow"}, {Slot: "time", Start: 20, End: 26, Value: "six am"}}}},
		{"no spaces around colon", "[place_name:paris] weather", eval.Example{Text: "paris weather", Intent: "i",
			Slots: []eval.SlotSpan{{Slot: "place_name", Start: 0, End: 5, Value: "paris"}}}},
		{"unclosed bracket stays text", "how is [company's stock", eval.Example{Text: "how is [company's stock", Intent: "i"}},
		{"bracket without colon stays text", "say [hi] now", eval.Example{Text: "say [hi] now", Intent: "i"}},
		{"leading space shifts spans", "  play [artist : abba]", eval.Example{Text: "play abba", Intent: "i",
			Slots: []eval.SlotSpan{{Slot: "artist", Start: 5, End: 9, Value: "abba"}}}},
		{"non-ascii offsets in code points", "café [food_type : crème brûlée]", eval.Example{Text: "café crème brûlée", Intent: "i",
			Slots: []eval.SlotSpan{{Slot: "food_type", Start: 5, End: 17, Value: "crème brûlée"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nlubench.ParseHWUAnnotation(tt.in, "i")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseHWUCSV(t *testing.T) {
	in := "answerid;scenario;intent;answer_annotation;answer_from_anno;answer_from_user\n" +
		"1;alarm;set;\"wake me at [time : seven]\";\"wake me at seven\";\"x\"\n" +
		"2;iot;hue_lightoff;\"lights off\";\"lights off\";\"x\"\n"
	got, err := nlubench.ParseHWUCSV(strings.NewReader(in), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Example{
		{Text: "wake me at seven", Intent: "alarm_set", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 16, Value: "seven"}}},
		{Text: "lights off", Intent: "iot_hue_lightoff"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := nlubench.ParseHWUCSV(strings.NewReader("a;b\n1;2\n"), "bad.csv"); err == nil {
		t.Error("a file without the scenario/intent/annotation columns parsed")
	}
}

func TestParseHWUFewShot(t *testing.T) {
	got, err := nlubench.ParseHWUFewShot(strings.NewReader("alarm_query,exampleSentence,what alarms are set\nqa_maths,exampleSentence,\"what is 2,5 plus 1\"\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Example{{Text: "what alarms are set", Intent: "alarm_query"}, {Text: "what is 2,5 plus 1", Intent: "qa_maths"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseCLINC(t *testing.T) {
	in := `{"train":[["t1","balance"]],"oos_train":[["o1","oos"]],"val":[["v1","balance"]],"oos_val":[["o2","oos"]],"test":[["x1","balance"]],"oos_test":[["o3","oos"]]}`
	train, valid, test, err := nlubench.ParseCLINC(strings.NewReader(in), "c")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		got  []eval.Example
		want []eval.Example
	}{
		{"train", train, []eval.Example{{Text: "t1", Intent: "balance"}, {Text: "o1", Intent: nlubench.Fallback}}},
		{"valid", valid, []eval.Example{{Text: "v1", Intent: "balance"}, {Text: "o2", Intent: nlubench.Fallback}}},
		{"test", test, []eval.Example{{Text: "x1", Intent: "balance"}, {Text: "o3", Intent: nlubench.Fallback}}},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	if _, _, _, err := nlubench.ParseCLINC(strings.NewReader(`{"train":[]}`), "c"); err == nil {
		t.Error("a file without val/test lists parsed")
	}
}

func TestParseSnipsQueries(t *testing.T) {
	in := "{\"PlayMusic\": [{\"data\": [{\"text\": \"play \"}, {\"text\": \"Caf\xe9 Tacuba \", \"entity\": \"artist\"}, {\"text\": \"now\"}]}]}"
	got, err := nlubench.ParseSnipsQueries(strings.NewReader(in), "f")
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Example{{Text: "play Caf\uFFFD Tacuba now", Intent: "PlayMusic",
		Slots: []eval.SlotSpan{{Slot: "artist", Start: 5, End: 16, Value: "Caf\uFFFD Tacuba"}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if !utf8.ValidString(got[0].Text) {
		t.Error("text is not valid UTF-8")
	}
}

func TestParseJointSplit(t *testing.T) {
	got, err := nlubench.ParseJointSplit(
		strings.NewReader("add abba to my road trip playlist \n"),
		strings.NewReader("O B-artist O B-playlist_owner B-playlist I-playlist O \n"),
		strings.NewReader("AddToPlaylist\n"), "j")
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Example{{Text: "add abba to my road trip playlist", Intent: "AddToPlaylist", Slots: []eval.SlotSpan{
		{Slot: "artist", Start: 4, End: 8, Value: "abba"},
		{Slot: "playlist_owner", Start: 12, End: 14, Value: "my"},
		{Slot: "playlist", Start: 15, End: 24, Value: "road trip"},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := nlubench.ParseJointSplit(strings.NewReader("a b\n"), strings.NewReader("O\n"), strings.NewReader("X\n"), "j"); err == nil {
		t.Error("a line with fewer tags than tokens parsed")
	}
}

const xsidFixture = `# id = 1
# text-en = Is it going to rain today?
# text = 今天会下雨吗？
# intent = weather/find
1	今天	weather/find	B-datetime
2	会	weather/find	O
3	下雨	weather/find	B-weather/attribute
4	吗？	weather/find	O

# id = 2
# text = 设置闹钟在上午5点
# intent = alarm/set_alarm
1	设置	alarm/set_alarm	O
2	闹钟	alarm/set_alarm	O
3	在	alarm/set_alarm	O
4	上午	alarm/set_alarm	B-datetime
5	5点	alarm/set_alarm	I-datetime
`

func TestParseXSID(t *testing.T) {
	got, err := nlubench.ParseXSID(strings.NewReader(xsidFixture), "zh")
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Example{
		{Text: "今天会下雨吗？", Intent: "weather/find", Slots: []eval.SlotSpan{
			{Slot: "datetime", Start: 0, End: 2, Value: "今天"}, {Slot: "weather/attribute", Start: 3, End: 5, Value: "下雨"}}},
		{Text: "设置闹钟在上午5点", Intent: "alarm/set_alarm", Slots: []eval.SlotSpan{{Slot: "datetime", Start: 5, End: 9, Value: "上午5点"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	bad := strings.Replace(xsidFixture, "2\t会", "2\t不", 1)
	if _, err := nlubench.ParseXSID(strings.NewReader(bad), "zh"); err == nil {
		t.Error("a token missing from the text parsed")
	}
}

func TestParaKQCDraws(t *testing.T) {
	var b strings.Builder
	for block := range 4 {
		for i := range 10 {
			topic := block % 2 // interleaved, as in the real file
			b.WriteString(strings.Join([]string{string(rune('0' + topic)), "1", "문장 " + string(rune('a'+block)) + string(rune('0'+i))}, "\t") + "\r\n")
		}
	}
	sents, err := nlubench.ParseParaKQC(strings.NewReader(b.String()), "p")
	if err != nil {
		t.Fatal(err)
	}
	three := nlubench.DrawParaKQC(sents, "0", 3, 1)
	five := nlubench.DrawParaKQC(sents, "0", 5, 1)
	tests := []struct {
		name      string
		got, want int
	}{
		{"3-shot train", len(three.Train), 2 * 3},
		{"3-shot valid", len(three.Valid), 2 * 2},
		{"test", len(three.Test), 2 * 5},
		{"5-shot train", len(five.Train), 2 * 5},
		{"5-shot valid", len(five.Valid), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d examples, want %d", tt.name, tt.got, tt.want)
		}
	}
	if !reflect.DeepEqual(three.Test, five.Test) {
		t.Error("the test part depends on k")
	}
	for _, ex := range three.Train {
		if !slices.Contains(texts(five.Train), ex.Text) {
			t.Errorf("3-shot example %q not in the 5-shot set", ex.Text)
		}
		if slices.Contains(texts(three.Test), ex.Text) || slices.Contains(texts(three.Valid), ex.Text) {
			t.Errorf("training example %q also held out", ex.Text)
		}
	}
	for _, ex := range slices.Concat(three.Train, three.Test) {
		if ex.Intent != "p0000" && ex.Intent != "p0002" {
			t.Errorf("example %q of intent %s is not in topic 0", ex.Text, ex.Intent)
		}
	}
	if again := nlubench.DrawParaKQC(sents, "0", 3, 1); !reflect.DeepEqual(again, three) {
		t.Error("the same seed drew a different split")
	}
	if other := nlubench.DrawParaKQC(sents, "0", 3, 2); reflect.DeepEqual(other.Test, three.Test) {
		t.Error("another seed drew the same test set")
	}
	if _, err := nlubench.ParseParaKQC(strings.NewReader("0\t1\tonly one\n"), "p"); err == nil {
		t.Error("a file that is not whole blocks of 10 parsed")
	}
}

func TestFoldXSID(t *testing.T) {
	var zh, en []eval.Example
	for i := range 23 {
		zh = append(zh, eval.Example{Text: "zh" + string(rune('a'+i)), Intent: "i"})
		en = append(en, eval.Example{Text: "en" + string(rune('a'+i)), Intent: "i"})
	}
	seen := map[string]int{}
	for fold := range nlubench.XSIDFolds {
		z, e := nlubench.FoldXSID(zh, "zh", fold), nlubench.FoldXSID(en, "en", fold)
		if len(z.Train)+len(z.Test) != len(zh) {
			t.Fatalf("fold %d: %d+%d examples, want %d", fold, len(z.Train), len(z.Test), len(zh))
		}
		for i, ex := range z.Test {
			seen[ex.Text]++
			if e.Test[i].Text != "en"+ex.Text[2:] {
				t.Errorf("fold %d: zh and en folds differ (%s vs %s)", fold, ex.Text, e.Test[i].Text)
			}
		}
	}
	for _, ex := range zh {
		if seen[ex.Text] != 1 {
			t.Errorf("%s is in %d test folds, want 1", ex.Text, seen[ex.Text])
		}
	}
}

func TestDrawSnips(t *testing.T) {
	pools := map[string][]eval.Example{}
	for _, intent := range nlubench.SnipsIntents() {
		for i := range 100 {
			pools[intent] = append(pools[intent], eval.Example{Text: intent + string(rune('A'+i)), Intent: intent})
		}
	}
	test := []eval.Example{{Text: "held out", Intent: "PlayMusic"}}
	ten, twenty := nlubench.DrawSnips(pools, test, 10, 0), nlubench.DrawSnips(pools, test, 20, 0)
	if len(ten.Train) != 70 || len(twenty.Train) != 140 || len(ten.Valid) != 7*30 {
		t.Fatalf("sizes train %d/%d valid %d", len(ten.Train), len(twenty.Train), len(ten.Valid))
	}
	for _, ex := range ten.Train {
		if !slices.Contains(texts(twenty.Train), ex.Text) {
			t.Errorf("%s drawn at 10 but not at 20", ex.Text)
		}
		if slices.Contains(texts(ten.Valid), ex.Text) {
			t.Errorf("%s is both training and validation", ex.Text)
		}
	}
	if !reflect.DeepEqual(nlubench.DrawSnips(pools, test, 10, 0), ten) {
		t.Error("the same seed drew a different split")
	}
	if reflect.DeepEqual(nlubench.DrawSnips(pools, test, 10, 1).Train, ten.Train) {
		t.Error("another seed drew the same training set")
	}
	if !reflect.DeepEqual(ten.Test, test) {
		t.Error("the test part is not the validate files")
	}
}

func TestSplitRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := &nlubench.Split{Benchmark: "b", Setting: "s", Seed: 3,
		Train: []eval.Example{{Text: "wake me at seven", Intent: "alarm", Slots: []eval.SlotSpan{{Slot: "time", Start: 11, End: 16, Value: "seven"}}}},
		Test:  []eval.Example{{Text: "bye", Intent: nlubench.Fallback}}}
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := nlubench.ReadSplit(dir, "b", "s", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("read back %+v, want %+v", got, s)
	}
	seeds, err := nlubench.Seeds(dir, "b", "s")
	if err != nil || !reflect.DeepEqual(seeds, []int{3}) {
		t.Errorf("Seeds = %v, %v; want [3]", seeds, err)
	}
	if _, err := nlubench.ReadSplit(filepath.Join(dir, "none"), "b", "s", 3); err == nil {
		t.Error("a missing split was read")
	}
}

// TestSharedData converts the real datasets and checks the published split
// sizes, the protocol's draw counts and the span invariant everywhere.
func TestSharedData(t *testing.T) {
	data := sharedData(t)
	want := map[string][3]int{ // train, valid, test
		"hwu64/full/seed0":           {9960, 0, 1076},
		"hwu64/10shot/seed0":         {640, 0, 1076},
		"hwu64/30shot/seed0":         {1908, 0, 5518},
		"clinc150/full/seed0":        {15100, 3100, 5500},
		"clinc150/small/seed0":       {7600, 3100, 5500},
		"snips2017/10/seed2":         {70, 210, 700},
		"snips2017/20/seed0":         {140, 210, 700},
		"snips2017/70/seed1":         {490, 210, 700},
		"snips2017/full/seed0":       {13084, 700, 700},
		"parakqc/topic0-3shot/seed4": {750, 500, 1250},
		"parakqc/topic1-5shot/seed0": {1250, 0, 1250},
		"xsid/zh-fold0/seed0":        {240, 0, 60},
		"xsid/en-fold4/seed0":        {240, 0, 60},
	}
	counts := map[string]int{}
	for _, d := range nlubench.Datasets() {
		splits, err := d.Convert(filepath.Join(data, d.Folder))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range splits {
			key := s.Benchmark + "/" + s.Setting + "/seed" + string(rune('0'+s.Seed))
			counts[s.Benchmark]++
			for _, part := range [][]eval.Example{s.Train, s.Valid, s.Test} {
				checkSpans(t, key, part)
			}
			if w, ok := want[key]; ok {
				if got := [3]int{len(s.Train), len(s.Valid), len(s.Test)}; got != w {
					t.Errorf("%s: train/valid/test %v, want %v", key, got, w)
				}
			}
		}
	}
	wantCounts := map[string]int{"hwu64": 3, "clinc150": 2, "snips2017": 3*3 + 1, "parakqc": 2 * 2 * 5, "xsid": 2 * 5}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("splits per benchmark %v, want %v", counts, wantCounts)
	}
}

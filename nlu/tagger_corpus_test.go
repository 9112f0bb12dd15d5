package nlu_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/nlu"
)

// slotSpan is a labelled slot value: byte offsets into the text.
type slotSpan struct {
	slot       string
	start, end int
}

// slotExample is one labelled utterance of a slot-filling corpus.
type slotExample struct {
	text, intent string
	spans        []slotSpan
}

var snipsDir = filepath.Join("..", "..", "shared", "nlu", "snips-2017", "custom-intent-engines")

var snipsIntents = []string{"AddToPlaylist", "BookRestaurant", "GetWeather", "PlayMusic", "RateBook", "SearchCreativeWork", "SearchScreeningEvent"}

// loadSnipsPool reads the 300-query training pool of one SNIPS-2017 intent
// (never validate_<Intent>.json: that is the benchmark's test set).
func loadSnipsPool(tb testing.TB, intent string) []slotExample {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(snipsDir, intent, "train_"+intent+".json"))
	if err != nil {
		tb.Skipf("SNIPS-2017 not available: %v", err)
	}
	raw = bytes.ToValidUTF8(raw, []byte("?"))
	var doc map[string][]struct {
		Data []struct {
			Text   string `json:"text"`
			Entity string `json:"entity"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatalf("decode %s: %v", intent, err)
	}
	var out []slotExample
	for _, q := range doc[intent] {
		ex := slotExample{intent: intent}
		for _, c := range q.Data {
			if c.Entity != "" && strings.TrimSpace(c.Text) != "" {
				lead := len(c.Text) - len(strings.TrimLeft(c.Text, " "))
				v := strings.TrimSpace(c.Text)
				ex.spans = append(ex.spans, slotSpan{slot: c.Entity, start: len(ex.text) + lead, end: len(ex.text) + lead + len(v)})
			}
			ex.text += c.Text
		}
		out = append(out, ex)
	}
	return out
}

// loadHWUSlots reads HWU64 fold 1's training part with its slot labels
// ("[type : value]" inline in answer_annotation).
func loadHWUSlots(tb testing.TB) []slotExample {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "nlu", "hwu64", "kfold1", "trainset")
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		tb.Skipf("HWU64 not available: %v", err)
	}
	var out []slotExample
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(raw))
		r.Comma = ';'
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		for _, rec := range recs[1:] {
			if len(rec) < 4 {
				continue
			}
			out = append(out, parseHWUAnnotation(rec[1]+"_"+rec[2], rec[3]))
		}
	}
	return out
}

func parseHWUAnnotation(intent, ann string) slotExample {
	ex := slotExample{intent: intent}
	var b strings.Builder
	for {
		i := strings.IndexByte(ann, '[')
		j := strings.IndexByte(ann, ']')
		if i < 0 || j < i {
			b.WriteString(ann)
			break
		}
		b.WriteString(ann[:i])
		typ, val, ok := strings.Cut(ann[i+1:j], ":")
		typ, val = strings.TrimSpace(typ), strings.TrimSpace(val)
		if ok && val != "" {
			ex.spans = append(ex.spans, slotSpan{slot: typ, start: b.Len(), end: b.Len() + len(val)})
		}
		b.WriteString(val)
		ann = ann[j+1:]
	}
	ex.text = b.String()
	return ex
}

// slotName makes a label a valid Lex slot name.
func slotName(label string) string {
	var b strings.Builder
	for _, r := range label {
		if r < 128 && (r == '_' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slotBot builds a one-locale bot the way labelled data becomes one: one
// intent per label, every slot span replaced by its {Slot} placeholder and
// one ORIGINAL_VALUE slot type per slot name holding every training value.
func slotBot(train []slotExample) *parley.Bot {
	loc := &parley.Locale{ID: "en_US", NLUConfidenceThreshold: parley.DefaultConfidenceThreshold}
	intents := map[string]*parley.Intent{}
	types := map[string]*parley.SlotType{}
	seen := map[string]bool{}
	for _, ex := range train {
		in := intents[ex.intent]
		if in == nil {
			in = &parley.Intent{Name: slotName(ex.intent)}
			intents[ex.intent] = in
			loc.Intents = append(loc.Intents, in)
		}
		var b strings.Builder
		pos := 0
		for _, sp := range ex.spans {
			name := slotName(sp.slot)
			b.WriteString(ex.text[pos:sp.start])
			b.WriteString("{" + name + "}")
			pos = sp.end
			st := types[name]
			if st == nil {
				st = &parley.SlotType{Name: name + "Type", ResolutionStrategy: parley.ResolutionOriginalValue}
				types[name] = st
				loc.SlotTypes = append(loc.SlotTypes, st)
			}
			if v := ex.text[sp.start:sp.end]; !seen[name+"\x00"+strings.ToLower(v)] {
				seen[name+"\x00"+strings.ToLower(v)] = true
				st.Values = append(st.Values, parley.SlotTypeValue{Value: v})
			}
			if in.Slot(name) == nil {
				in.Slots = append(in.Slots, &parley.Slot{Name: name, SlotTypeName: st.Name})
			}
		}
		b.WriteString(ex.text[pos:])
		in.SampleUtterances = append(in.SampleUtterances, b.String())
	}
	loc.Intents = append(loc.Intents, &parley.Intent{Name: parley.FallbackIntentName, ParentIntentSignature: parley.FallbackIntentSignature})
	return &parley.Bot{ID: "SLOTBOT001", Name: "slots", Locales: []*parley.Locale{loc}}
}

// slotScore counts exact (slot, span) matches, CoNLL style. A predicted
// value's span is where its original text occurs in the input.
type slotScore struct{ tp, fp, fn int }

func (s slotScore) f1() float64 {
	if s.tp == 0 {
		return 0
	}
	p := float64(s.tp) / float64(s.tp+s.fp)
	r := float64(s.tp) / float64(s.tp+s.fn)
	return 2 * p * r / (p + r)
}

// scoreSlots interprets every test utterance and scores the slots of the
// top intent that is not the fallback.
func scoreSlots(t *testing.T, ip parley.Interpreter, test []slotExample) slotScore {
	var s slotScore
	for _, ex := range test {
		u := interpret(t, ip, parley.Query{Text: ex.text})
		gold := map[slotSpan]bool{}
		for _, sp := range ex.spans {
			gold[slotSpan{slotName(sp.slot), sp.start, sp.end}] = true
		}
		pred := map[slotSpan]bool{}
		for _, m := range u.Intents {
			if m.Fallback || (os.Getenv("GOLDINTENT") != "" && m.Name != slotName(ex.intent)) {
				continue
			}
			for name, sv := range m.Slots {
				if sv == nil || sv.Value == nil || sv.Value.OriginalValue == "" {
					continue
				}
				if i := strings.Index(ex.text, sv.Value.OriginalValue); i >= 0 {
					pred[slotSpan{name, i, i + len(sv.Value.OriginalValue)}] = true
				} else {
					s.fp++
				}
			}
			break
		}
		for p := range pred {
			if gold[p] {
				s.tp++
			} else {
				s.fp++
			}
		}
		for g := range gold {
			if !pred[g] {
				s.fn++
			}
		}
	}
	return s
}

// TestSNIPSSlotValidation reports slot F1 on a validation part carved out
// of the SNIPS-2017 training pools (per intent a seeded shuffle: the last
// 100 queries are validation, k of the first 200 train), for k = 10, 20
// and 70 over two draws. It asserts only a floor; the numbers are for the
// log.
func TestSNIPSSlotValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six bots")
	}
	pools := map[string][]slotExample{}
	for _, in := range snipsIntents {
		pools[in] = loadSnipsPool(t, in)
	}
	for _, k := range []int{10, 20, 70} {
		var total slotScore
		var trainTime time.Duration
		for seed := range uint64(2) {
			var train, valid []slotExample
			for i, in := range snipsIntents {
				pool := slices.Clone(pools[in])
				rng := rand.New(rand.NewPCG(seed, uint64(i)))
				rng.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
				train = append(train, pool[:k]...)
				valid = append(valid, pool[len(pool)-100:]...)
			}
			bot := slotBot(train)
			start := time.Now()
			ip, err := nlu.New().Train(bot, bot.Locales[0])
			trainTime += time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			s := scoreSlots(t, ip, valid)
			total.tp += s.tp
			total.fp += s.fp
			total.fn += s.fn
		}
		t.Logf("SNIPS-2017 validation, %d per intent: slot F1 %.3f (tp %d fp %d fn %d), train %v per bot",
			k, total.f1(), total.tp, total.fp, total.fn, trainTime/2)
		// Floors a few points under the measured 0.50 / 0.60 / 0.70.
		if floor := map[int]float64{10: 0.46, 20: 0.55, 70: 0.65}[k]; total.f1() < floor {
			t.Errorf("k=%d: slot F1 %.3f, want at least %.2f", k, total.f1(), floor)
		}
	}
}

// TestHWU64SlotValidation reports entity F1 on HWU64 fold 1: every tenth
// training utterance is held out for validation, the rest trains.
func TestHWU64SlotValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a 64-intent bot on 9,000 utterances")
	}
	all := loadHWUSlots(t)
	var train, valid []slotExample
	for i, ex := range all {
		if i%10 == 9 {
			valid = append(valid, ex)
		} else {
			train = append(train, ex)
		}
	}
	bot := slotBot(train)
	start := time.Now()
	ip, err := nlu.New().Train(bot, bot.Locales[0])
	if err != nil {
		t.Fatal(err)
	}
	trainTime := time.Since(start)
	start = time.Now()
	s := scoreSlots(t, ip, valid)
	perParse := time.Since(start) / time.Duration(len(valid))
	t.Logf("HWU64 validation (%d train, %d valid): entity F1 %.3f (tp %d fp %d fn %d), train %v, %v per parse",
		len(train), len(valid), s.f1(), s.tp, s.fp, s.fn, trainTime, perParse)
	if s.f1() < 0.52 { // measured 0.556
		t.Errorf("entity F1 %.3f, want at least 0.52", s.f1())
	}
}

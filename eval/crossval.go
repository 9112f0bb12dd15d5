package eval

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley"
)

// utterance is a sample utterance of a bot filled into a labelled example.
type utterance struct {
	intent int // index into the locale's intents
	index  int // index into the intent's sample utterances
	ex     Example
}

// CrossValidate evaluates a bot on its own sample utterances: each
// utterance becomes an example (fillUtterance), the utterances of every
// intent are shuffled with seed and dealt round-robin over folds
// (stratified, continuing the deal from one intent to the next so folds
// stay balanced), and each fold is tested on a copy of the locale trained
// without it. An intent with fewer than two utterances is always trained
// and never tested. The report pools the predictions of all folds;
// TrainTime is the mean per fold. It fails with ErrValidation when folds <
// 2 or no intent has two utterances, ErrNotFound for an unknown locale.
func CrossValidate(ctx context.Context, tr parley.Trainer, bot *parley.Bot, localeID string, folds int, seed int64, opts Options) (*Report, error) {
	loc := bot.Locale(localeID)
	if loc == nil {
		return nil, parley.Errorf(parley.ErrNotFound, "bot %s has no locale %s", bot.ID, localeID)
	}
	if folds < 2 {
		return nil, parley.Errorf(parley.ErrValidation, "cross-validation needs at least 2 folds, not %d", folds)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	fold := map[[2]int]int{} // (intent, utterance) → fold
	deal := 0
	var all []utterance
	for i, in := range loc.Intents {
		if in.IsFallback() || len(in.SampleUtterances) < 2 {
			continue
		}
		order := rng.Perm(len(in.SampleUtterances))
		for _, j := range order {
			fold[[2]int{i, j}] = deal % folds
			deal++
			all = append(all, utterance{intent: i, index: j, ex: fillUtterance(loc, in, in.SampleUtterances[j], j)})
		}
	}
	if len(all) == 0 {
		return nil, parley.Errorf(parley.ErrValidation, "bot %s locale %s has no intent with two sample utterances to cross-validate", bot.ID, localeID)
	}
	var runs []run
	for f := range folds {
		var test []Example
		for _, u := range all {
			if fold[[2]int{u.intent, u.index}] == f {
				test = append(test, u.ex)
			}
		}
		if len(test) == 0 {
			continue
		}
		trainLoc := *loc
		trainLoc.Intents = make([]*parley.Intent, len(loc.Intents))
		for i, in := range loc.Intents {
			c := *in
			c.SampleUtterances = nil
			for j, u := range in.SampleUtterances {
				if f2, tested := fold[[2]int{i, j}]; !tested || f2 != f {
					c.SampleUtterances = append(c.SampleUtterances, u)
				}
			}
			trainLoc.Intents[i] = &c
		}
		trainBot := *bot
		trainBot.Locales = slices.Clone(bot.Locales)
		for i, l := range trainBot.Locales {
			if l == loc {
				trainBot.Locales[i] = &trainLoc
			}
		}
		r, err := predict(ctx, tr, &trainBot, &trainLoc, test, opts.Now)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	rep := score(runs, threshold(loc, opts))
	rep.Folds = folds
	return rep, nil
}

// fillUtterance turns a sample utterance into an example: each {Slot}
// placeholder becomes a value of the slot's type (for a custom type its
// values in turn, chosen by the utterance's index n; for a built-in a
// canonical phrase in the locale's language) and its span is recorded.
func fillUtterance(loc *parley.Locale, in *parley.Intent, utt string, n int) Example {
	ex := Example{Intent: in.Name}
	var text []rune
	rest := utt
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			break
		}
		name := rest[open+1 : open+end]
		text = append(text, []rune(rest[:open])...)
		value := slotExample(loc, in.Slot(name), n)
		if value == "" {
			value = name
		} else {
			ex.Slots = append(ex.Slots, SlotSpan{Slot: name, Start: len(text), End: len(text) + len([]rune(value)), Value: value})
		}
		text = append(text, []rune(value)...)
		rest = rest[open+end+1:]
	}
	text = append(text, []rune(rest)...)
	ex.Text = string(text)
	return ex
}

// builtinExamples are canonical phrases of built-in slot types by
// language; English is the fallback for a language without one.
var builtinExamples = map[string]map[string]string{
	"en": {
		"AMAZON.Number": "3", "AMAZON.Date": "tomorrow", "AMAZON.Time": "7 pm",
		"AMAZON.Duration": "2 hours", "AMAZON.Percentage": "10 percent",
		"AMAZON.City": "Seattle", "AMAZON.Country": "France", "AMAZON.State": "Texas",
		"AMAZON.FirstName": "John", "AMAZON.LastName": "Smith",
		"AMAZON.EmailAddress": "jane@example.com", "AMAZON.PhoneNumber": "555 0100",
		"AMAZON.Confirmation": "yes", "AMAZON.AlphaNumeric": "A123",
		"AMAZON.StreetName": "Main Street", "AMAZON.PostalCode": "98101",
		"AMAZON.FreeFormInput": "something else", "AMAZON.UKPostalCode": "SW1A 1AA",
	},
	"ko": {
		"AMAZON.Number": "3", "AMAZON.Date": "내일", "AMAZON.Time": "오후 7시",
		"AMAZON.Duration": "2시간", "AMAZON.Percentage": "10퍼센트",
		"AMAZON.City": "서울", "AMAZON.Country": "프랑스",
		"AMAZON.FirstName": "민준", "AMAZON.LastName": "김",
		"AMAZON.Confirmation": "네",
	},
	"zh": {
		"AMAZON.Number": "3", "AMAZON.Date": "明天", "AMAZON.Time": "晚上7点",
		"AMAZON.Duration": "两个小时", "AMAZON.Percentage": "百分之十",
		"AMAZON.City": "北京", "AMAZON.Country": "法国",
		"AMAZON.FirstName": "伟", "AMAZON.LastName": "王",
		"AMAZON.Confirmation": "是的",
	},
}

// slotExample is the value fillUtterance puts in for a slot, "" for an
// unknown slot.
func slotExample(loc *parley.Locale, slot *parley.Slot, n int) string {
	if slot == nil {
		return ""
	}
	if st := loc.SlotType(slot.SlotTypeName); st != nil {
		if len(st.Values) > 0 {
			return st.Values[n%len(st.Values)].Value
		}
		slot = &parley.Slot{SlotTypeName: st.ParentSlotTypeSignature}
	}
	lang, _, _ := strings.Cut(loc.ID, "_")
	if v, ok := builtinExamples[lang][slot.SlotTypeName]; ok {
		return v
	}
	if v, ok := builtinExamples["en"][slot.SlotTypeName]; ok {
		return v
	}
	return "A123"
}

// TuneThreshold trains the bot's locale once, interprets the validation
// examples, and returns the threshold that maximises in-scope accuracy plus
// OOS recall under re-ranking (Options.Threshold). The candidates are the
// midpoints between consecutive distinct scores of the best in-scope
// hypotheses, half the lowest and the midpoint of the highest and 1; ties
// go to the higher in-scope accuracy, then to the lower threshold. It fails
// with ErrValidation unless the validation data has both in-scope and
// FallbackIntent examples.
func TuneThreshold(ctx context.Context, tr parley.Trainer, bot *parley.Bot, localeID string, validation []Example) (float64, error) {
	loc := bot.Locale(localeID)
	if loc == nil {
		return 0, parley.Errorf(parley.ErrNotFound, "bot %s has no locale %s", bot.ID, localeID)
	}
	var inN, oosN int
	for _, ex := range validation {
		if ex.Intent == parley.FallbackIntentName {
			oosN++
		} else {
			inN++
		}
	}
	if inN == 0 || oosN == 0 {
		return 0, parley.Errorf(parley.ErrValidation, "tuning the threshold needs in-scope and FallbackIntent validation examples (have %d and %d)", inN, oosN)
	}
	r, err := predict(ctx, tr, bot, loc, validation, time.Time{})
	if err != nil {
		return 0, err
	}
	var scores []float64
	for _, p := range r.preds {
		if p.top != "" {
			scores = append(scores, p.score)
		}
	}
	slices.Sort(scores)
	scores = slices.Compact(scores)
	var candidates []float64
	if len(scores) > 0 {
		candidates = append(candidates, scores[0]/2)
		for i := 1; i < len(scores); i++ {
			candidates = append(candidates, (scores[i-1]+scores[i])/2)
		}
		candidates = append(candidates, (scores[len(scores)-1]+1)/2)
	}
	best, bestSum, bestIn := 0.0, -1.0, -1.0
	for _, t := range candidates {
		if t <= 0 || t > 1 {
			continue
		}
		var inHit, oosHit int
		for i := range r.preds {
			p := &r.preds[i]
			got, _ := p.predicted(t)
			switch {
			case p.gold == parley.FallbackIntentName && got == parley.FallbackIntentName:
				oosHit++
			case p.gold != parley.FallbackIntentName && got == p.gold:
				inHit++
			}
		}
		in, oos := ratio(inHit, inN), ratio(oosHit, oosN)
		if in+oos > bestSum || in+oos == bestSum && in > bestIn {
			best, bestSum, bestIn = t, in+oos, in
		}
	}
	if bestSum < 0 {
		return 0, parley.Errorf(parley.ErrValidation, "no in-scope hypothesis scored above 0 on the validation data")
	}
	return best, nil
}

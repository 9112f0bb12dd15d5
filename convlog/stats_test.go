package convlog_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/convlog"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case and punctuation", "  Hello,   WORLD!! ", "hello world"},
		{"korean keeps syllables", "피자 주문할래요?!", "피자 주문할래요"},
		{"jamo marks stay", "ㅎㅎ 안녕~", "ㅎㅎ 안녕"},
		{"a masked slot", "my card is {CardNumber}", "my card is cardnumber"},
		{"only symbols", "?!...", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := convlog.Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		similar bool
	}{
		{"same text", "I want a pizza", "i want a pizza!", true},
		{"a word more", "I want a pizza", "i want pizza please", true},
		{"korean rephrased ending", "피자 주문할래요", "피자 주문하고 싶어요", true},
		{"korean spacing", "피자주문할래요", "피자 주문 할래요", true},
		{"korean different topic", "피자 주문할래요", "오늘 날씨 어때요", false},
		{"english different topic", "what is the weather", "i want a pizza", false},
		{"one shared word", "check my balance", "cancel my order", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := convlog.Similarity(tc.a, tc.b)
			if (got >= convlog.SimilarityThreshold) != tc.similar {
				t.Errorf("Similarity(%q, %q) = %.2f, want similar=%v (threshold %.2f)", tc.a, tc.b, got, tc.similar, convlog.SimilarityThreshold)
			}
			if back := convlog.Similarity(tc.b, tc.a); back != got {
				t.Errorf("not symmetric: %.3f and %.3f", got, back)
			}
		})
	}
}

func TestGroupUtterances(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []convlog.Group
	}{
		{"empty", nil, []convlog.Group{}},
		{
			"korean rephrasings group, most frequent first",
			[]string{"오늘 날씨 어때요", "피자 주문할래요", "피자 주문할래요!", "피자 주문하고 싶어요", "피자주문할래요", "환불해 주세요"},
			[]convlog.Group{
				{Count: 4, Distinct: 3, Examples: []string{"피자 주문할래요", "피자 주문하고 싶어요"}},
				{Count: 1, Distinct: 1, Examples: []string{"오늘 날씨 어때요"}},
				{Count: 1, Distinct: 1, Examples: []string{"환불해 주세요"}},
			},
		},
		{
			"english",
			[]string{"what's the weather", "What is the weather?", "i want a pizza", "whats the weather today", "what's the weather"},
			[]convlog.Group{
				{Count: 4, Distinct: 3, Examples: []string{"what's the weather", "What is the weather?"}},
				{Count: 1, Distinct: 1, Examples: []string{"i want a pizza"}},
			},
		},
		{"blank texts are left out", []string{"", "  ", "?!"}, []convlog.Group{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := convlog.GroupUtterances(tc.texts, 2)
			if !slices.EqualFunc(got, tc.want, func(a, b convlog.Group) bool {
				return a.Count == b.Count && a.Distinct == b.Distinct && slices.Equal(a.Examples, b.Examples)
			}) {
				t.Errorf("groups = %+v\nwant     %+v", got, tc.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	var s convlog.Summary
	records := []convlog.Record{
		rec(day1, "a", "Greet", "안녕"),
		rec(day1.Add(time.Second), "a", "OrderPizza", "피자 주문"),
		rec(day1.Add(2*time.Second), "a", parley.FallbackIntentName, "날씨 어때"),
		rec(day1.Add(3*time.Second), "b", "Greet", "안녕하세요"),
		rec(day1.Add(4*time.Second), "b", parley.FallbackIntentName, "날씨 어때요"),
		rec(day1.Add(5*time.Second), "c", parley.FallbackIntentName, "환불"),
	}
	failed := rec(day1.Add(6*time.Second), "c", "", "boom")
	failed.Error = &convlog.Error{Code: string(parley.ErrDependencyFailed), Message: "hook failed"}
	put := convlog.Record{Timestamp: day1.Add(7 * time.Second), OperationName: convlog.OpPutSession, SessionID: "d", Intent: "Greet"}
	records = append(records, failed, put)
	for i := range records {
		s.Add(&records[i])
	}
	st := s.Stats(1, 3)
	if st.Turns != 8 || st.Sessions != 4 || st.Errors != 1 || st.Utterances != 6 || st.Missed != 3 || st.FallbackRate != 0.5 {
		t.Errorf("stats = %+v", st)
	}
	if !st.From.Equal(day1) || !st.To.Equal(day1.Add(7*time.Second)) {
		t.Errorf("from %v to %v", st.From, st.To)
	}
	wantIntents := []convlog.IntentCount{{parley.FallbackIntentName, 3, 0.5}, {"Greet", 2, 2.0 / 6}, {"OrderPizza", 1, 1.0 / 6}}
	if !slices.Equal(st.Intents, wantIntents) {
		t.Errorf("intents = %+v, want %+v", st.Intents, wantIntents)
	}
	if len(st.MissedGroups) != 1 || st.MissedGroups[0].Count != 2 || !slices.Equal(st.MissedGroups[0].Examples, []string{"날씨 어때", "날씨 어때요"}) {
		t.Errorf("top missed group = %+v", st.MissedGroups)
	}
}

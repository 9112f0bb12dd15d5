package kb_test

import (
	"slices"
	"testing"

	"github.com/parleybot/parley/kb"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // every one of these terms, in any order
		notWant []string
	}{
		{name: "english lower-cased and stemmed", in: "Configured RETRIES, timeouts and running", want: []string{"configur", "retry", "timeout", "run"}, notWant: []string{"and", "Configured"}},
		{name: "english forms meet", in: "configure retry timeout runs", want: []string{"configur", "retry", "timeout", "run"}},
		{name: "english stop words dropped", in: "What is the default?", want: []string{"default"}, notWant: []string{"what", "is", "the"}},
		{name: "digits and identifiers", in: "HTTP/2 h2c ko_KR", want: []string{"http", "2", "h2c", "ko", "kr"}},
		{name: "korean object particle", in: "파라미터를", want: []string{"파라미터", "파라", "라미", "미터"}, notWant: []string{"파라미터를", "터를"}},
		{name: "korean topic particle", in: "파라미터는", want: []string{"파라미터"}, notWant: []string{"파라미터는"}},
		{name: "korean compound particle", in: "채팅에서는", want: []string{"채팅"}},
		{name: "korean ending", in: "설정하려면", want: []string{"설정"}, notWant: []string{"설정하려면"}},
		{name: "korean short word keeps its syllables", in: "결과", want: []string{"결과"}},
		{name: "korean question words dropped", in: "어떻게 연결하나요", want: []string{"연결"}, notWant: []string{"어떻게"}},
		{name: "korean joined spelling", in: "웹채팅", want: []string{"웹채팅", "웹채", "채팅"}},
		{name: "korean spaced spelling gives the same bigrams", in: "웹 채팅", want: []string{"웹", "채팅", "웹채"}},
		{name: "korean after latin", in: "Lex에 대해", want: []string{"lex"}, notWant: []string{"에", "대해"}},
		{name: "chinese unigrams and bigrams", in: "知识库问答", want: []string{"知", "识", "库", "知识", "识库", "库问", "问答"}},
		{name: "chinese function characters only in bigrams", in: "我的问题", want: []string{"问", "题", "问题", "我的"}, notWant: []string{"我", "的"}},
		{name: "full-width folded", in: "ＡＰＩ　키를", want: []string{"api", "키"}},
		{name: "punctuation only", in: "?!… —", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kb.Tokenize(tt.in)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Tokenize(%q) = %q, missing %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("Tokenize(%q) = %q, has %q", tt.in, got, w)
				}
			}
			if tt.want == nil && len(got) != 0 {
				t.Errorf("Tokenize(%q) = %q, want none", tt.in, got)
			}
		})
	}
}

// TestTokenizeVariantsMeet checks pairs of spellings that must share terms
// for retrieval to find one from the other.
func TestTokenizeVariantsMeet(t *testing.T) {
	tests := []struct {
		name, a, b string
		shared     []string
	}{
		{name: "particles", a: "파라미터를", b: "파라미터", shared: []string{"파라미터", "파라", "라미", "미터"}},
		{name: "other particle", a: "파라미터는", b: "파라미터", shared: []string{"파라미터"}},
		{name: "spacing", a: "웹채팅", b: "웹 채팅", shared: []string{"웹채", "채팅"}},
		{name: "spacing with particles", a: "웹채팅에서", b: "웹 채팅을", shared: []string{"웹채", "채팅"}},
		{name: "english plural", a: "passages", b: "passage", shared: []string{"passag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := kb.Tokenize(tt.a), kb.Tokenize(tt.b)
			for _, w := range tt.shared {
				if !slices.Contains(a, w) || !slices.Contains(b, w) {
					t.Errorf("%q → %q and %q → %q do not share %q", tt.a, a, tt.b, b, w)
				}
			}
		})
	}
}

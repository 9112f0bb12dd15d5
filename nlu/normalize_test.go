package nlu_test

import (
	"slices"
	"testing"

	"github.com/parleybot/parley/nlu"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full width latin and space", "ＨＥＬＬＯ　Ｗｏｒｌｄ！", "hello world"},
		{"full width digits", "피자 ３판", "피자 3판"},
		{"nfkc circled number", "①번", "1번"},
		{"half width katakana", "ｶﾀｶﾅ", "カタカナ"},
		{"case folding", "PiZZa Order", "pizza order"},
		{"punctuation and emoji", "안녕!!! 😀 반가워~", "안녕 반가워"},
		{"apostrophes vanish", "I'd like what’s", "id like whats"},
		{"whitespace collapse", "  order \t a\n pizza  ", "order a pizza"},
		{"compatibility jamo kept", "ㅋㅋ 좋아", "ᄏᄏ 좋아"},
		{"chinese", "我想在北京租车。", "我想在北京租车"},
		{"empty", "?!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nlu.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestJamo(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []rune
	}{
		{"syllable with final", "안", []rune{0x110B, 0x1161, 0x11AB}},
		{"syllable without final", "가", []rune{0x1100, 0x1161}},
		{"latin untouched", "a가", []rune{'a', 0x1100, 0x1161}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nlu.JamoRunes(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("JamoRunes(%q) = %U, want %U", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripParticle(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"에서", "서울에서", "서울"},
		{"이랑 after consonant", "태연이랑", "태연"},
		{"을 after consonant", "태연을", "태연"},
		{"이 after consonant", "태연이", "태연"},
		{"가 after vowel", "민수가", "민수"},
		{"를 after vowel", "민수를", "민수"},
		{"입니다", "홍길동입니다", "홍길동"},
		{"이에요", "홍길동이에요", "홍길동"},
		{"로 after vowel", "라지로", "라지"},
		{"로 after ㄹ", "물로", "물"},
		{"으로 after consonant", "집으로", "집"},
		{"name ending in 은 kept", "다은", "다은"},
		{"name ending in 은 kept 2", "지은", "지은"},
		{"one syllable kept", "이", "이"},
		{"no particle", "안녕", "안녕"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nlu.StripParticle(tt.in); got != tt.want {
				t.Errorf("StripParticle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKoreanStems(t *testing.T) {
	got := nlu.KoreanStems("태연이랑")
	for _, want := range []string{"태연이랑", "태연이", "태연"} {
		if !slices.Contains(got, want) {
			t.Errorf("KoreanStems(태연이랑) = %q, missing %q", got, want)
		}
	}
}

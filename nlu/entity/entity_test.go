package entity_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleybot/parley/nlu/entity"
)

// ref is Wednesday 2026-05-13 10:00 in Seoul; a fixed zone needs no tzdata.
var ref = time.Date(2026, 5, 13, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))

// tc is one table case. Each want entry is "text=value", where text is the
// matched span as said and value the interpretedValue; ambiguous matches
// list every candidate as "text=v1|v2". No want entries means no match.
type tc struct {
	typ, locale, in string
	want            []string
}

func runCases(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.typ[7:]+"/"+c.locale+"/"+c.in, func(t *testing.T) {
			ms := entity.Find(c.typ, c.locale, c.in, ref)
			checkInvariants(t, c.in, ms)
			got := make([]string, len(ms))
			for k, m := range ms {
				got[k] = m.Text + "=" + strings.Join(m.Resolved, "|")
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("Find(%s, %s, %q)\n got %q\nwant %q", c.typ, c.locale, c.in, got, c.want)
			}
		})
	}
}

// checkInvariants holds for every Find result on any input.
func checkInvariants(t *testing.T, text string, ms []entity.Match) {
	t.Helper()
	prevEnd := 0
	for _, m := range ms {
		if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
			t.Fatalf("bad span [%d,%d) after %d in %q", m.Start, m.End, prevEnd, text)
		}
		if m.Text != text[m.Start:m.End] {
			t.Fatalf("Text %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		if m.Value == "" || len(m.Resolved) == 0 || m.Resolved[0] != m.Value {
			t.Fatalf("bad value %q / resolved %q", m.Value, m.Resolved)
		}
		if m.Ambiguous != (len(m.Resolved) > 1) {
			t.Fatalf("Ambiguous=%v with %d candidates", m.Ambiguous, len(m.Resolved))
		}
		prevEnd = m.End
	}
}

var allTypes = []string{
	"AMAZON.Number", "AMAZON.Percentage", "AMAZON.Date", "AMAZON.Time",
	"AMAZON.Duration", "AMAZON.Confirmation", "AMAZON.EmailAddress",
	"AMAZON.PhoneNumber", "AMAZON.AlphaNumeric", "AMAZON.FirstName",
	"AMAZON.FreeFormInput", "AMAZON.LastName", "AMAZON.City", "AMAZON.Country",
	"AMAZON.State", "AMAZON.StreetName", "AMAZON.Currency", "AMAZON.UKPostalCode",
}

func TestSupported(t *testing.T) {
	for _, typ := range allTypes {
		if !entity.Supported(typ) {
			t.Errorf("Supported(%q) = false", typ)
		}
	}
	for _, typ := range []string{"AMAZON.Airport", "AMAZON.SearchQuery", "Number", "City", ""} {
		if entity.Supported(typ) {
			t.Errorf("Supported(%q) = true", typ)
		}
	}
	if ms := entity.Find("AMAZON.Airport", "en_US", "Seattle", ref); ms != nil {
		t.Errorf("unsupported type matched: %v", ms)
	}
}

// TestAvailable pins which built-ins Lex offers per locale: no AlphaNumeric
// in Korean, UK postcodes only in en_GB, everything else everywhere.
func TestAvailable(t *testing.T) {
	cases := []struct {
		typ, locale string
		want        bool
	}{
		{"AMAZON.AlphaNumeric", "en_US", true},
		{"AMAZON.AlphaNumeric", "zh_CN", true},
		{"AMAZON.AlphaNumeric", "ko_KR", false},
		{"AMAZON.UKPostalCode", "en_GB", true},
		{"AMAZON.UKPostalCode", "en-GB", true},
		{"AMAZON.UKPostalCode", "en_US", false},
		{"AMAZON.UKPostalCode", "ko_KR", false},
		{"AMAZON.Currency", "en_US", true},
		{"AMAZON.Currency", "ko_KR", true},
		{"AMAZON.Currency", "zh_CN", true},
		{"AMAZON.City", "ko_KR", true},
		{"AMAZON.LastName", "zh_CN", true},
		{"AMAZON.Airport", "en_US", false},
	}
	for _, c := range cases {
		t.Run(c.typ+"/"+c.locale, func(t *testing.T) {
			if got := entity.Available(c.typ, c.locale); got != c.want {
				t.Errorf("Available(%q, %q) = %v, want %v", c.typ, c.locale, got, c.want)
			}
		})
	}
	if ms := entity.Find("AMAZON.AlphaNumeric", "ko_KR", "AB123", ref); ms != nil {
		t.Errorf("AlphaNumeric in ko_KR matched: %v", ms)
	}
	if ms := entity.Find("AMAZON.UKPostalCode", "en_US", "SW1A 1AA", ref); ms != nil {
		t.Errorf("UKPostalCode in en_US matched: %v", ms)
	}
}

func TestFreeFormInput(t *testing.T) {
	runCases(t, []tc{
		{"AMAZON.FreeFormInput", "en_US", "  I'd like a window seat, please!  ", []string{"I'd like a window seat, please!=I'd like a window seat, please!"}},
		{"AMAZON.FreeFormInput", "ko_KR", "창가 자리로 주세요", []string{"창가 자리로 주세요=창가 자리로 주세요"}},
		{"AMAZON.FreeFormInput", "en_US", "   ", nil},
	})
}

// TestOffsetsWithFullWidth checks that offsets point into the text as given,
// not into a normalised copy.
func TestOffsetsWithFullWidth(t *testing.T) {
	text := "피자 ３판 주세요"
	ms := entity.Find("AMAZON.Number", "ko_KR", text, ref)
	if len(ms) != 1 || ms[0].Text != "３" || ms[0].Value != "3" || ms[0].Start != len("피자 ") {
		t.Fatalf("got %+v", ms)
	}
}

// TestLocaleFallback: locales without rules of their own use English rules.
func TestLocaleFallback(t *testing.T) {
	runCases(t, []tc{
		{"AMAZON.Number", "ja_JP", "３個", []string{"３=3"}},
		{"AMAZON.Number", "fr_FR", "twenty one", []string{"twenty one=21"}},
		{"AMAZON.Time", "en_GB", "3pm", []string{"3pm=15:00"}},
	})
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"one hundred twenty three point four five", "세 판이요", "삼천오백 원", "下午三点半",
		"next friday at 3:30 pm", "john at example dot com", "+1 (509) 555-1212",
		"제 이름은 홍길동입니다", "一个半小时", "２０２６-０３-０５", "\xff\xfe3시", "百分之二十五",
		"an hour and a half", "다음 주 금요일 오후 세시 반", "я 3",
		"123 Main Street", "세종대로 110", "我住在南京东路123号", "$1,250.75", "삼천 오백 원",
		"三块五毛", "sw1a1aa", "从上海到首尔", "서울에서 부산까지", "홍길동이요", "我姓欧阳", "ㅇㅋ",
		"맞습니당", "New York", "人民币", "₩", "3 dollars and", "논현로 28", "ㄴ",
	} {
		f.Add(s)
	}
	locales := []string{"en_US", "ko_KR", "zh_CN", "en_GB"}
	f.Fuzz(func(t *testing.T, text string) {
		for _, typ := range allTypes {
			for _, loc := range locales {
				checkInvariants(t, text, entity.Find(typ, loc, text, ref))
			}
		}
	})
}

func BenchmarkFind(b *testing.B) {
	inputs := []struct{ typ, loc, text string }{
		{"AMAZON.Date", "en_US", "book a table for next friday at 7pm please"},
		{"AMAZON.Time", "ko_KR", "다음 주 금요일 오후 세시 반에 예약해 주세요"},
		{"AMAZON.Number", "zh_CN", "我要订两千五百个，谢谢"},
		{"AMAZON.Duration", "en_US", "for five hours and ten minutes"},
	}
	var bytes int64
	for _, in := range inputs {
		bytes += int64(len(in.text))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			entity.Find(in.typ, in.loc, in.text, ref)
		}
	}
}

func TestFindEmptyInput(t *testing.T) {
	for _, typ := range allTypes {
		for _, text := range []string{"", " ", "。", "🙂"} {
			// Free-form input keeps anything that is not blank, emoji included.
			if typ == "AMAZON.FreeFormInput" && strings.TrimSpace(text) != "" {
				continue
			}
			if ms := entity.Find(typ, "ko_KR", text, ref); ms != nil {
				t.Errorf("Find(%s, %q) = %+v, want nil", typ, text, ms)
			}
		}
	}
}

func TestFindNeverPanicsOnInvalidUTF8(t *testing.T) {
	text := "3\xff시 \xc0오후"
	if utf8.ValidString(text) {
		t.Fatal("test input should be invalid UTF-8")
	}
	for _, typ := range allTypes {
		checkInvariants(t, text, entity.Find(typ, "ko_KR", text, ref))
	}
}

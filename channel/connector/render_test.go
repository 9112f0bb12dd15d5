package connector_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/channel/connector"
)

func plain(s string) parley.Message {
	return parley.Message{ContentType: parley.ContentPlainText, Content: s}
}

func card(title, subtitle, image string, buttons ...parley.Button) parley.Message {
	return parley.Message{ContentType: parley.ContentImageResponseCard, ImageResponseCard: &parley.ImageResponseCard{
		Title: title, Subtitle: subtitle, ImageURL: image, Buttons: buttons,
	}}
}

func TestPlan(t *testing.T) {
	yes, no := parley.Button{Text: "네", Value: "yes"}, parley.Button{Text: "아니요", Value: "no"}
	site := parley.Button{Text: "사이트", Value: "https://example.com/a"}
	tests := []struct {
		name string
		typ  string
		msgs []parley.Message
		want connector.Reply
	}{
		{name: "nothing", typ: "kakao"},
		{
			name: "texts in order, empty ones dropped",
			typ:  "kakao",
			msgs: []parley.Message{plain("안녕하세요"), plain(""), plain("무엇을 도와드릴까요?")},
			want: connector.Reply{Parts: []connector.Part{{Text: "안녕하세요"}, {Text: "무엇을 도와드릴까요?"}}},
		},
		{
			name: "a content type left empty is text",
			typ:  "slack",
			msgs: []parley.Message{{Content: "hi"}},
			want: connector.Reply{Parts: []connector.Part{{Text: "hi"}}},
		},
		{
			name: "SSML loses its tags and decodes entities",
			typ:  "line",
			msgs: []parley.Message{{ContentType: parley.ContentSSML, Content: `<speak>Tom &amp; Jerry <break time="1s"/>say   &lt;hi&gt;</speak>`}},
			want: connector.Reply{Parts: []connector.Part{{Text: "Tom & Jerry say <hi>"}}},
		},
		{
			name: "SSML with only tags says nothing",
			typ:  "line",
			msgs: []parley.Message{{ContentType: parley.ContentSSML, Content: `<speak><break time="1s"/></speak>`}},
		},
		{
			name: "a final plain card with value buttons becomes quick replies",
			typ:  "kakao",
			msgs: []parley.Message{plain("주문할까요?"), card("확인해 주세요", "", "", yes, no)},
			want: connector.Reply{
				Parts:        []connector.Part{{Text: "주문할까요?"}, {Text: "확인해 주세요"}},
				QuickReplies: []connector.Button{{Text: "네", Value: "yes"}, {Text: "아니요", Value: "no"}},
			},
		},
		{
			name: "a plain card that is not last stays a card",
			typ:  "kakao",
			msgs: []parley.Message{card("확인해 주세요", "", "", yes, no), plain("끝")},
			want: connector.Reply{Parts: []connector.Part{
				{Cards: []connector.Card{{Title: "확인해 주세요", Buttons: []connector.Button{{Text: "네", Value: "yes"}, {Text: "아니요", Value: "no"}}}}},
				{Text: "끝"},
			}},
		},
		{
			name: "a final card with a subtitle stays a card",
			typ:  "messenger",
			msgs: []parley.Message{card("Size", "pick one", "", yes)},
			want: connector.Reply{Parts: []connector.Part{{Cards: []connector.Card{{Title: "Size", Subtitle: "pick one", Buttons: []connector.Button{{Text: "네", Value: "yes"}}}}}}},
		},
		{
			name: "a final card with a link button stays a card",
			typ:  "messenger",
			msgs: []parley.Message{card("More", "", "", yes, site)},
			want: connector.Reply{Parts: []connector.Part{{Cards: []connector.Card{{Title: "More", Buttons: []connector.Button{
				{Text: "네", Value: "yes"}, {Text: "사이트", Value: "https://example.com/a", URL: "https://example.com/a"},
			}}}}}},
		},
		{
			name: "a final card without buttons stays a card",
			typ:  "telegram",
			msgs: []parley.Message{card("Just a title", "", "")},
			want: connector.Reply{Parts: []connector.Part{{Cards: []connector.Card{{Title: "Just a title"}}}}},
		},
		{
			name: "consecutive image cards become one carousel",
			typ:  "kakao",
			msgs: []parley.Message{
				plain("추천 곡이에요"),
				card("A", "a", "https://img/a.png", site),
				card("B", "b", "https://img/b.png"),
				card("C", "c", "https://img/c.png"),
			},
			want: connector.Reply{Parts: []connector.Part{
				{Text: "추천 곡이에요"},
				{Cards: []connector.Card{
					{Title: "A", Subtitle: "a", ImageURL: "https://img/a.png", Buttons: []connector.Button{{Text: "사이트", Value: "https://example.com/a", URL: "https://example.com/a"}}},
					{Title: "B", Subtitle: "b", ImageURL: "https://img/b.png"},
					{Title: "C", Subtitle: "c", ImageURL: "https://img/c.png"},
				}},
			}},
		},
		{
			name: "text between image cards breaks the carousel",
			typ:  "kakao",
			msgs: []parley.Message{card("A", "", "https://img/a.png"), plain("그리고"), card("B", "", "https://img/b.png")},
			want: connector.Reply{Parts: []connector.Part{
				{Cards: []connector.Card{{Title: "A", ImageURL: "https://img/a.png"}}},
				{Text: "그리고"},
				{Cards: []connector.Card{{Title: "B", ImageURL: "https://img/b.png"}}},
			}},
		},
		{
			name: "cards without images are not grouped",
			typ:  "kakao",
			msgs: []parley.Message{card("A", "x", ""), card("B", "y", "")},
			want: connector.Reply{Parts: []connector.Part{
				{Cards: []connector.Card{{Title: "A", Subtitle: "x"}}},
				{Cards: []connector.Card{{Title: "B", Subtitle: "y"}}},
			}},
		},
		{
			name: "an image card after a plain card starts its own part",
			typ:  "kakao",
			msgs: []parley.Message{card("A", "x", ""), card("B", "", "https://img/b.png")},
			want: connector.Reply{Parts: []connector.Part{
				{Cards: []connector.Card{{Title: "A", Subtitle: "x"}}},
				{Cards: []connector.Card{{Title: "B", ImageURL: "https://img/b.png"}}},
			}},
		},
		{
			name: "image carousel then a final plain card: carousel and quick replies",
			typ:  "kakao",
			msgs: []parley.Message{card("A", "", "https://img/a.png"), card("B", "", "https://img/b.png"), card("더 볼까요?", "", "", yes, no)},
			want: connector.Reply{
				Parts: []connector.Part{
					{Cards: []connector.Card{{Title: "A", ImageURL: "https://img/a.png"}, {Title: "B", ImageURL: "https://img/b.png"}}},
					{Text: "더 볼까요?"},
				},
				QuickReplies: []connector.Button{{Text: "네", Value: "yes"}, {Text: "아니요", Value: "no"}},
			},
		},
		{
			name: "a card message without a card is skipped",
			typ:  "slack",
			msgs: []parley.Message{{ContentType: parley.ContentImageResponseCard}, plain("after")},
			want: connector.Reply{Parts: []connector.Part{{Text: "after"}}},
		},
		{
			name: "custom payload for this type is native",
			typ:  "slack",
			msgs: []parley.Message{{ContentType: parley.ContentCustomPayload, Content: `{"slack": {"blocks": [{"type": "divider"}]}, "kakao": {"x": 1}}`}},
			want: connector.Reply{Parts: []connector.Part{{Custom: json.RawMessage(`{"blocks": [{"type": "divider"}]}`)}}},
		},
		{
			name: "custom payload for another type is shown as text",
			typ:  "line",
			msgs: []parley.Message{{ContentType: parley.ContentCustomPayload, Content: `{"slack": {"blocks": []}}`}},
			want: connector.Reply{Parts: []connector.Part{{Text: `{"slack": {"blocks": []}}`}}},
		},
		{
			// A connector may read null as "nothing to send on this platform".
			name: "custom payload null for this type is passed on",
			typ:  "messenger",
			msgs: []parley.Message{{ContentType: parley.ContentCustomPayload, Content: `{"messenger": null}`}},
			want: connector.Reply{Parts: []connector.Part{{Custom: json.RawMessage(`null`)}}},
		},
		{
			name: "custom payload that is not JSON is text",
			typ:  "kakao",
			msgs: []parley.Message{{ContentType: parley.ContentCustomPayload, Content: "그냥 글"}},
			want: connector.Reply{Parts: []connector.Part{{Text: "그냥 글"}}},
		},
		{
			name: "empty custom payload says nothing",
			typ:  "kakao",
			msgs: []parley.Message{{ContentType: parley.ContentCustomPayload}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := connector.Plan(tt.typ, tt.msgs)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Plan =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestStripSSML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"<speak>안녕하세요</speak>", "안녕하세요"},
		{"<speak>a<break/>b</speak>", "a b"},
		{`<speak><prosody rate="slow">천천히</prosody>   말해요</speak>`, "천천히 말해요"},
		{"<speak>&quot;q&quot; &apos;a&apos; &amp;lt;</speak>", `"q" 'a' &lt;`},
	}
	for _, tt := range tests {
		if got := connector.StripSSML(tt.in); got != tt.want {
			t.Errorf("StripSSML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{name: "empty", in: "", max: 5},
		{name: "fits", in: "안녕하세요", max: 5, want: []string{"안녕하세요"}},
		{name: "hangul without spaces cut by runes", in: "가나다라마바사", max: 3, want: []string{"가나다", "라마바", "사"}},
		{name: "prefers a space", in: "안녕 하세요 반가워요", max: 8, want: []string{"안녕 하세요", "반가워요"}},
		{name: "prefers a newline over a later space", in: "첫 줄\n둘째 줄 이에요", max: 9, want: []string{"첫 줄", "둘째 줄 이에요"}},
		{name: "whitespace at the cut is dropped", in: "ab   \n\n  cd", max: 3, want: []string{"ab", "cd"}},
		{name: "emoji are runes", in: "😀😀😀😀", max: 2, want: []string{"😀😀", "😀😀"}},
		{name: "mixed scripts", in: "노래 Song 歌曲 추천", max: 7, want: []string{"노래 Song", "歌曲 추천"}},
		{name: "one rune per piece", in: "가 나", max: 1, want: []string{"가", "나"}},
		{name: "leading newline is not a cut point", in: "\n가나다라", max: 2, want: []string{"\n가", "나다", "라"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := connector.SplitText(tt.in, tt.max)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			checkPieces(t, tt.in, tt.max, got)
		})
	}
}

// checkPieces asserts SplitText's promises: no piece is empty or longer
// than max runes, no rune is cut, and nothing but the whitespace at the
// cuts is lost.
func checkPieces(t *testing.T, in string, max int, pieces []string) {
	t.Helper()
	for _, p := range pieces {
		if p == "" || utf8.RuneCountInString(p) > max {
			t.Fatalf("piece %q of %q: empty or over %d runes", p, in, max)
		}
		if utf8.ValidString(in) && !utf8.ValidString(p) {
			t.Fatalf("piece %q of %q cuts a rune", p, in)
		}
	}
	squeeze := func(s string) string {
		return strings.NewReplacer(" ", "", "\n", "").Replace(s)
	}
	if got, want := squeeze(strings.Join(pieces, "")), squeeze(in); got != want {
		t.Fatalf("pieces %q lose text of %q", pieces, in)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"짧은 글", 10, "짧은 글"},
		{"정확히다섯", 5, "정확히다섯"},
		{"여섯글자예요", 5, "여섯글자…"},
		{"가나다", 1, "가"},
		{"가나다", 0, ""},
		{"😀😀😀", 2, "😀…"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		got := connector.Truncate(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > max(tt.max, 0) {
			t.Errorf("Truncate(%q, %d) = %q: invalid or too long", tt.in, tt.max, got)
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("안녕하세요 반갑습니다\n오늘 날씨가 좋네요", 7)
	f.Add("a b c d e f", 1)
	f.Add("\n\n\n", 2)
	f.Add("😀 😀\xff😀", 3)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 5000 {
			return
		}
		checkPieces(t, s, max, connector.SplitText(s, max))
		if tr := connector.Truncate(s, max); utf8.RuneCountInString(tr) > max || !strings.HasPrefix(s, strings.TrimSuffix(tr, "…")) {
			t.Fatalf("Truncate(%q, %d) = %q", s, max, tr)
		}
	})
}

func FuzzPlan(f *testing.F) {
	f.Add("kakao", "PlainText", "안녕", "제목", "", "", "네", "yes", 2)
	f.Add("slack", "CustomPayload", `{"slack":{"blocks":[]}}`, "", "", "", "", "", 1)
	f.Add("line", "SSML", "<speak>a &amp; b</speak>", "T", "S", "https://i/x.png", "go", "https://x", 3)
	f.Add("telegram", "ImageResponseCard", "", "T", "", "https://i/x.png", "a", "b", 4)
	f.Fuzz(func(t *testing.T, typ, contentType, content, title, subtitle, image, btnText, btnValue string, n int) {
		n = n%6 + 1
		if n < 1 {
			n += 6
		}
		var msgs []parley.Message
		for i := range n {
			m := parley.Message{ContentType: contentType, Content: content}
			if i%2 == 1 || contentType == parley.ContentImageResponseCard {
				m = card(title, subtitle, image, parley.Button{Text: btnText, Value: btnValue})
			}
			msgs = append(msgs, m)
		}
		r := connector.Plan(typ, msgs)
		cards := 0
		for _, p := range r.Parts {
			kinds := 0
			if p.Text != "" {
				kinds++
			}
			if len(p.Cards) > 0 {
				kinds++
				cards += len(p.Cards)
			}
			if p.Custom != nil {
				kinds++
				if !json.Valid(p.Custom) {
					t.Fatalf("custom part %q is not JSON", p.Custom)
				}
			}
			if kinds > 1 {
				t.Fatalf("part %+v is more than one kind", p)
			}
		}
		if cards+len(r.Parts) == 0 && len(r.QuickReplies) > 0 {
			t.Fatalf("quick replies %+v without a part", r.QuickReplies)
		}
		if len(r.Parts) > len(msgs) || cards > len(msgs) {
			t.Fatalf("%d messages gave %d parts and %d cards", len(msgs), len(r.Parts), cards)
		}
	})
}

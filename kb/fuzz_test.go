package kb_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley/kb"
)

func FuzzChunk(f *testing.F) {
	f.Add("doc.md", "# T\n\npara\n\n## U\n\n```\ncode\n```\n| a |\n|---|\n<!-- c")
	f.Add("page.html", "<html><title>x</title><script>y</script><h2>H</h2><p>a &amp; b<br>c</p><!-- d")
	f.Add("page.htm", "<h1 a='>'>x</h1><scr<b>ipt><<>></</")
	f.Add("notes.txt", "Title\n\n파라미터를 설정합니다. 知识库。 "+strings.Repeat("word ", 300))
	f.Add("x.md", "Setext\n===\n\n---\n\n"+strings.Repeat("知识库问答", 200))
	f.Fuzz(func(t *testing.T, source, doc string) {
		for _, p := range kb.Chunk(source, []byte(doc)) {
			if p.Source != source {
				t.Fatalf("source %q, want %q", p.Source, source)
			}
			if strings.TrimSpace(p.Text) == "" {
				t.Fatalf("empty passage %+v", p)
			}
			if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) {
				t.Fatalf("invalid UTF-8 in %+v", p)
			}
		}
	})
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"파라미터를 설정하려면?", "웹 채팅", "Configured retries", "知识库问答", "ＡＰＩ　키", "\xff\xfe", "ᄀᄁ ㄱ 가"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := kb.Tokenize(s)
		for _, tok := range got {
			if tok == "" || strings.ContainsFunc(tok, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }) || !utf8.ValidString(tok) {
				t.Fatalf("Tokenize(%q) has bad term %q", s, tok)
			}
		}
		if again := kb.Tokenize(s); !slices.Equal(got, again) {
			t.Fatalf("Tokenize(%q) not deterministic: %q then %q", s, got, again)
		}
	})
}

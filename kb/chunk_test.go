package kb_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleybot/parley/kb"
)

func TestChunkMarkdownHeadings(t *testing.T) {
	doc := "# Guide\n\nIntro text.\n\n## Install\n\nRun [the installer](https://x.example/i).\n\n" +
		"```sh\nmake build\n```\n\n### Linux\n\nUse apt.\n\n## Use\n\nJust talk.\n\nSetext\n------\n\nUnder setext.\n\n" +
		"<!-- hidden\ncomment -->\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	got := kb.Chunk("docs/guide.md", []byte(doc))
	want := []struct{ title, text string }{
		{"Guide", "Intro text."},
		{"Install", "Run the installer.\n\nmake build"},
		{"Linux", "Use apt."},
		{"Use", "Just talk."},
		{"Setext", "Under setext.\n\n| a | b |\n| 1 | 2 |"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d passages, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Source != "docs/guide.md" || got[i].Title != w.title || got[i].Text != w.text {
			t.Errorf("passage %d = {%q %q %q}, want {docs/guide.md %q %q}", i, got[i].Source, got[i].Title, got[i].Text, w.title, w.text)
		}
	}
}

func TestChunkTitles(t *testing.T) {
	tests := []struct {
		name, source, doc, title string
	}{
		{name: "text first line", source: "faq.txt", doc: "Frequently asked\n\nQuestion one? Answer.", title: "Frequently asked"},
		{name: "text without heading", source: "notes.txt", doc: "A long first paragraph\nthat spans lines.", title: "notes"},
		{name: "markdown before first heading", source: "a/b.md", doc: "Preface.\n\n# Later", title: "Later"},
		{name: "markdown without heading", source: "a/plain.md", doc: "Just text.", title: "plain"},
		{name: "html title element", source: "p.html", doc: "<html><head><title>Page &amp; more</title></head><body><p>Body.</p></body></html>", title: "Page & more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kb.Chunk(tt.source, []byte(tt.doc))
			if len(got) == 0 {
				t.Fatal("no passages")
			}
			if got[len(got)-1].Title != tt.title {
				t.Errorf("title %q, want %q", got[len(got)-1].Title, tt.title)
			}
		})
	}
}

func TestChunkHTML(t *testing.T) {
	doc := `<!DOCTYPE html><html><head><title>T</title>
<style>body { color: red }</style><script>var secret = "scriptword";</script></head>
<body><nav><a href="/">navword</a></nav>
<!-- commentword -->
<h1>Main <em>heading</em></h1>
<p>First   paragraph
spans lines &amp; has &lt;entities&gt;.</p>
<ul><li>one</li><li>two</li></ul>
<H2 class="x">Second</H2>
<div>Line<br>break</div><p>Odd < sign and <b>bold</b>.</p>
<SCRIPT type="text/javascript">alert("shout")</SCRIPT>
</body></html>`
	got := kb.Chunk("page.htm", []byte(doc))
	all := ""
	for _, p := range got {
		all += p.Title + "\n" + p.Text + "\n"
	}
	for _, bad := range []string{"scriptword", "color", "navword", "commentword", "shout", "<p>", "<em>", "&amp;"} {
		if strings.Contains(all, bad) {
			t.Errorf("passages keep %q:\n%s", bad, all)
		}
	}
	if len(got) != 2 {
		t.Fatalf("got %d passages, want 2: %+v", len(got), got)
	}
	if got[0].Title != "Main heading" || got[0].Text != "First paragraph spans lines & has <entities>.\n\n- one\n\n- two" {
		t.Errorf("first passage = %q / %q", got[0].Title, got[0].Text)
	}
	if got[1].Title != "Second" || got[1].Text != "Line\nbreak\n\nOdd < sign and bold." {
		t.Errorf("second passage = %q / %q", got[1].Title, got[1].Text)
	}
}

// measure mirrors the package's size units: words of spaced scripts, or
// 2.5 Hangul/Han characters.
func measure(s string) float64 {
	words, cjk := 0, 0
	for _, f := range strings.Fields(s) {
		word := false
		for _, r := range f {
			switch {
			case r >= 0xAC00 && r <= 0xD7A3, r >= 0x4E00 && r <= 0x9FFF:
				cjk++
			case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
				word = true
			}
		}
		if word {
			words++
		}
	}
	return float64(words) + float64(cjk)/2.5
}

func TestChunkLongSections(t *testing.T) {
	var en []string
	for i := range 120 {
		en = append(en, "Sentence number "+strings.Repeat("x", i%7+1)+" tells the reader something useful.")
	}
	ko := strings.Repeat("파라미터를 설정하면 봇이 더 정확하게 답합니다. ", 80)
	zh := strings.Repeat("知识库把文档切成段落并建立索引", 100) // no spaces, no full stops
	tests := []struct {
		name, source, doc string
		minPassages       int
	}{
		{name: "english paragraph", source: "en.md", doc: "# Long\n\n" + strings.Join(en, " "), minPassages: 3},
		{name: "many english paragraphs", source: "en.md", doc: "# Long\n\n" + strings.Join(en, "\n\n"), minPassages: 3},
		{name: "korean", source: "ko.md", doc: "# 길다\n\n" + ko, minPassages: 3},
		{name: "chinese without spaces", source: "zh.txt", doc: "标题\n\n" + zh, minPassages: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kb.Chunk(tt.source, []byte(tt.doc))
			if len(got) < tt.minPassages {
				t.Fatalf("got %d passages, want at least %d", len(got), tt.minPassages)
			}
			for i, p := range got {
				if u := measure(p.Text); u > 250 {
					t.Errorf("passage %d measures %.0f units, over 250: %.80q…", i, u, p.Text)
				}
				if i < len(got)-1 && measure(p.Text) < 100 {
					t.Errorf("passage %d measures %.0f units, under 100", i, measure(p.Text))
				}
				if p.Title == "" {
					t.Errorf("passage %d has no title", i)
				}
			}
		})
	}
}

// TestChunkOverlap checks that consecutive passages cut from one section
// share a sentence, and that no text is lost.
func TestChunkOverlap(t *testing.T) {
	var sents []string
	for i := range 60 {
		sents = append(sents, "Fact "+strings.Repeat("a", i%5+1)+" number "+string(rune('A'+i%26))+" is stated here in words.")
	}
	got := kb.Chunk("o.md", []byte("# O\n\n"+strings.Join(sents, " ")))
	if len(got) < 2 {
		t.Fatalf("got %d passages, want at least 2", len(got))
	}
	for i := 1; i < len(got); i++ {
		prev := got[i-1].Text
		lastSentence := prev[strings.LastIndex(prev[:len(prev)-1], ". ")+2:]
		if !strings.HasPrefix(got[i].Text, lastSentence) {
			t.Errorf("passage %d does not open with the last sentence of the one before (%q)", i, lastSentence)
		}
	}
	joined := ""
	for _, p := range got {
		joined += p.Text + " "
	}
	for _, s := range sents {
		if !strings.Contains(joined, s) {
			t.Errorf("sentence %q lost", s)
		}
	}
}

func TestChunkInvalidUTF8(t *testing.T) {
	got := kb.Chunk("bad.txt", []byte("Title\n\nok \xff\xfe text"))
	for _, p := range got {
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) {
			t.Errorf("invalid UTF-8 in %+v", p)
		}
	}
}

package kb

import (
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley"
)

// Passage sizes, in units of one word of a spaced script or 2.5 CJK
// characters (so 100–250 units is about 100–250 English words or 250–600
// Korean or Chinese characters). A passage closes once it holds minUnits and
// the next piece would take it past targetUnits, and always before it would
// pass maxUnits. When a section is cut into several passages, the last
// sentence of one (if at most overlapUnits) opens the next, so an answer
// that straddles the cut is still found whole in one of them.
const (
	minUnits     = 100
	targetUnits  = 200
	maxUnits     = 250
	overlapUnits = 40
	cjkPerUnit   = 2.5
)

// block is a heading (level 1–6) or a paragraph (level 0) of a document.
type block struct {
	level int
	text  string
}

// chunk is a passage with the headings above it, which are indexed with it
// but not shown.
type chunk struct {
	parley.Passage
	context string
}

// Chunk splits one document into passages, in document order. source is
// the document's path relative to the knowledge base's folder; its
// extension picks the format: .md and .markdown are Markdown, .html and
// .htm HTML, anything else plain text. Each passage's Title is the nearest
// heading above it, or the document's title (an HTML <title>, its first
// heading, the first line of a text file that looks like one, or the file's
// name). HTML keeps its headings and visible text; the content of script,
// style, nav and similar elements is dropped.
func Chunk(source string, data []byte) []parley.Passage {
	chunks := chunkDoc(source, data)
	out := make([]parley.Passage, len(chunks))
	for i, c := range chunks {
		out[i] = c.Passage
	}
	return out
}

func chunkDoc(source string, data []byte) []chunk {
	src := strings.ToValidUTF8(string(data), "\uFFFD")
	src = strings.TrimPrefix(src, "\uFEFF")
	var (
		blocks []block
		title  string
	)
	switch strings.ToLower(path.Ext(source)) {
	case ".md", ".markdown":
		blocks = markdownBlocks(src)
	case ".html", ".htm":
		blocks, title = htmlBlocks(src)
	default:
		blocks = textBlocks(src)
	}
	if title == "" {
		for _, b := range blocks {
			if b.level > 0 {
				title = b.text
				break
			}
		}
	}
	if title == "" {
		title = strings.ToValidUTF8(strings.TrimSuffix(path.Base(source), path.Ext(source)), "\uFFFD")
	}

	var (
		out      []chunk
		headings [7]string // headings[l] is the open heading of level l
		paras    []string
	)
	emit := func() {
		if len(paras) == 0 {
			return
		}
		near, ctx := title, []string{}
		for _, h := range headings[1:] {
			if h != "" {
				near = h
				ctx = append(ctx, h)
			}
		}
		for _, text := range pack(paras) {
			out = append(out, chunk{
				Passage: parley.Passage{Source: source, Title: near, Text: text},
				context: strings.Join(ctx, "\n"),
			})
		}
		paras = nil
	}
	for _, b := range blocks {
		if b.level == 0 {
			paras = append(paras, b.text)
			continue
		}
		emit()
		headings[b.level] = b.text
		for l := b.level + 1; l < len(headings); l++ {
			headings[l] = ""
		}
	}
	emit()
	return out
}

// markdownBlocks reads the headings (ATX "#" and setext underlines) and
// paragraphs of a Markdown document. Fenced code stays one paragraph, as
// written; links keep their text; tables keep their rows.
func markdownBlocks(src string) []block {
	var (
		blocks  []block
		para    []string
		fence   string
		comment bool
	)
	flush := func() {
		if t := strings.TrimSpace(strings.Join(para, "\n")); t != "" {
			blocks = append(blocks, block{text: t})
		}
		para = nil
	}
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
				flush()
			} else {
				para = append(para, line)
			}
			continue
		case comment:
			comment = !strings.Contains(trimmed, "-->")
			continue
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			flush()
			fence = trimmed[:3]
			continue
		case strings.HasPrefix(trimmed, "<!--"):
			comment = !strings.Contains(trimmed, "-->")
			continue
		case trimmed == "":
			flush()
			continue
		}
		if level, text := atxHeading(trimmed); level > 0 {
			flush()
			if text != "" {
				blocks = append(blocks, block{level: level, text: text})
			}
			continue
		}
		if c := underline(trimmed); c != 0 {
			if c == '|' {
				continue // a table's separator row; the rows stay together
			}
			if len(para) == 1 && (c == '=' || c == '-') {
				level := 1
				if c == '-' {
					level = 2
				}
				blocks = append(blocks, block{level: level, text: cleanInline(strings.TrimSpace(para[0]))})
				para = nil
			} else {
				flush() // a thematic break
			}
			continue
		}
		para = append(para, cleanInline(line))
	}
	flush()
	return blocks
}

// atxHeading returns the level and text of a "# Heading" line, or 0.
func atxHeading(line string) (int, string) {
	level := 0
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(line) && line[level] != ' ' && line[level] != '\t') {
		return 0, ""
	}
	text := strings.TrimSpace(line[level:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	return level, cleanInline(text)
}

// underline returns the repeated character of a line made only of '=', '-',
// '*', '_' (with spaces) or of a table separator ('|', '-', ':'), or 0.
func underline(line string) byte {
	if len(line) < 2 {
		return 0
	}
	if strings.Trim(line, "|-: ") == "" && strings.Contains(line, "|") && strings.Contains(line, "-") {
		return '|'
	}
	c := line[0]
	if !strings.ContainsRune("=-*_", rune(c)) || strings.Trim(line, string(c)+" ") != "" {
		return 0
	}
	return c
}

// mdLink matches a Markdown link or image, keeping its text.
var mdLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

func cleanInline(s string) string {
	if !strings.Contains(s, "](") {
		return s
	}
	return mdLink.ReplaceAllString(s, "$1")
}

// textBlocks reads a plain-text file: paragraphs are separated by blank
// lines, and a short first line standing alone is the document's heading.
func textBlocks(src string) []block {
	var blocks []block
	for i, p := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i == 0 && !strings.Contains(p, "\n") && utf8.RuneCountInString(p) <= 80 {
			blocks = append(blocks, block{level: 1, text: p})
			continue
		}
		blocks = append(blocks, block{text: p})
	}
	return blocks
}

// piece is a paragraph, or a sentence or line of a long one, with what
// separated it from the piece before it.
type piece struct {
	text  string
	sep   string
	units float64
}

// pack cuts the paragraphs of one section into passage texts.
func pack(paras []string) []string {
	var pieces []piece
	for _, p := range paras {
		u := units(p)
		if u <= maxUnits {
			pieces = append(pieces, piece{text: p, sep: "\n\n", units: u})
			continue
		}
		sep := "\n\n"
		for _, line := range strings.Split(p, "\n") {
			for _, s := range sentences(line) {
				for _, part := range hardSplit(s) {
					pieces = append(pieces, piece{text: part, sep: sep, units: units(part)})
					sep = " "
				}
			}
			sep = "\n"
		}
	}

	var (
		out  []string
		cur  []piece
		curU float64
	)
	join := func() string {
		var b strings.Builder
		for i, p := range cur {
			if i > 0 {
				b.WriteString(p.sep)
			}
			b.WriteString(p.text)
		}
		return b.String()
	}
	for _, p := range pieces {
		if len(cur) > 0 && (curU+p.units > maxUnits || curU >= minUnits && curU+p.units > targetUnits) {
			out = append(out, join())
			last := cur[len(cur)-1]
			overlap := len(cur) > 1 && last.units <= overlapUnits && last.units+p.units <= maxUnits
			cur, curU = nil, 0
			if overlap {
				cur, curU = []piece{last}, last.units
			}
		}
		cur = append(cur, p)
		curU += p.units
	}
	if len(cur) > 0 {
		out = append(out, join())
	}
	return out
}

// units measures text for chunking: one per word that has letters or
// digits of a spaced script, plus one per 2.5 Hangul or Han characters.
func units(s string) float64 {
	words, cjk := 0, 0
	for _, f := range strings.Fields(s) {
		word := false
		for _, r := range f {
			switch classOf(r) {
			case classHangul, classHan:
				cjk++
			case classWord:
				word = true
			}
		}
		if word {
			words++
		}
	}
	return float64(words) + float64(cjk)/cjkPerUnit
}

// sentences splits a line after ., ! or ? followed by a space, and after
// the CJK full stops, which need none.
func sentences(line string) []string {
	var out []string
	start := 0
	for i, r := range line {
		end := -1
		switch r {
		case '。', '！', '？':
			end = i + utf8.RuneLen(r)
		case '.', '!', '?':
			if i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' {
				end = i + 1
			}
		}
		if end > 0 {
			if s := strings.TrimSpace(line[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
	}
	if s := strings.TrimSpace(line[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// hardSplit cuts a sentence longer than maxUnits at word boundaries, and a
// word longer than that (unspaced Chinese) every maxUnits×2.5 characters.
func hardSplit(s string) []string {
	if units(s) <= maxUnits {
		return []string{s}
	}
	var (
		out  []string
		cur  []string
		curU float64
	)
	add := func(w string, u float64) {
		if len(cur) > 0 && curU+u > maxUnits {
			out = append(out, strings.Join(cur, " "))
			cur, curU = nil, 0
		}
		cur = append(cur, w)
		curU += u
	}
	for _, f := range strings.Fields(s) {
		if u := units(f); u <= maxUnits {
			add(f, u)
			continue
		}
		rs := []rune(f)
		step := (maxUnits - 1) * 5 / 2 // (maxUnits-1)×cjkPerUnit runes: a unit spare for a spaced word glued on
		for i := 0; i < len(rs); i += step {
			part := string(rs[i:min(i+step, len(rs))])
			add(part, units(part))
		}
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

package kb

import (
	"html"
	"strings"
)

// htmlBlocks reads an HTML page into headings and paragraphs. It is a small
// tolerant scanner, not a full HTML parser: tags are dropped, the content of
// script, style and similar elements is skipped, block-level elements end a
// paragraph, h1–h6 become headings and entities are decoded. Broken markup
// never fails; it only yields less tidy text. It also returns the page's
// <title>.
func htmlBlocks(src string) (blocks []block, title string) {
	var (
		text      strings.Builder
		heading   int // level of the open h1–h6, 0 outside
		inTitle   bool
		pageTitle strings.Builder
	)
	flush := func() {
		t := collapseSpace(html.UnescapeString(text.String()))
		text.Reset()
		if t == "" {
			return
		}
		if heading > 0 {
			blocks = append(blocks, block{level: heading, text: t})
			return
		}
		blocks = append(blocks, block{text: t})
	}
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := strings.IndexByte(src[i:], '<')
			if j < 0 {
				j = len(src) - i
			}
			// Line breaks in the source are only layout; <br> and
			// blocks make the real ones.
			chunk := strings.Map(unwrap, src[i:i+j])
			if inTitle {
				pageTitle.WriteString(chunk)
			} else {
				text.WriteString(chunk)
			}
			i += j
			continue
		}
		switch {
		case strings.HasPrefix(src[i:], "<!--"):
			i = skipPast(src, i+4, "-->")
			continue
		case strings.HasPrefix(src[i:], "<!") || strings.HasPrefix(src[i:], "<?"):
			i = skipPast(src, i+2, ">")
			continue
		}
		name, closing, end := readTag(src, i)
		if name == "" { // a lone '<' is text
			text.WriteByte('<')
			i++
			continue
		}
		i = end
		switch {
		case !closing && skipContent[name]:
			i = skipElement(src, i, name)
		case name == "title":
			inTitle = !closing
		case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
			flush()
			heading = 0
			if !closing {
				heading = int(name[1] - '0')
			}
		case name == "br":
			text.WriteByte('\n')
		case blockTags[name]:
			flush()
			if name == "li" && !closing {
				text.WriteString("- ")
			}
		default:
			// An inline tag separates words only where the page had space.
		}
	}
	flush()
	return blocks, collapseSpace(html.UnescapeString(pageTitle.String()))
}

func unwrap(r rune) rune {
	if r == '\n' || r == '\r' {
		return ' '
	}
	return r
}

// skipContent are elements whose content is not text a reader sees.
var skipContent = setOf("script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "nav")

// blockTags end a paragraph when they open or close.
var blockTags = setOf("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead",
	"tbody", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
	"hr", "figure", "figcaption", "form", "body", "html", "details", "summary", "address", "td", "th")

// readTag reads the tag starting at src[i] == '<' and returns its lower-case
// name, whether it is a closing tag, and the index after its '>'. A '<' that
// does not start a tag returns an empty name.
func readTag(src string, i int) (name string, closing bool, end int) {
	j := i + 1
	if j < len(src) && src[j] == '/' {
		closing = true
		j++
	}
	k := j
	for k < len(src) && isTagNameByte(src[k]) {
		k++
	}
	if k == j || !isASCIILetter(src[j]) {
		return "", false, i + 1
	}
	name = strings.ToLower(src[j:k])
	var quote byte
	for ; k < len(src); k++ {
		c := src[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, k + 1
		}
	}
	return name, closing, len(src)
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isTagNameByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':'
}

// skipPast returns the index after the first sep at or after i, or len(s).
func skipPast(s string, i int, sep string) int {
	if i > len(s) {
		return len(s)
	}
	j := strings.Index(s[i:], sep)
	if j < 0 {
		return len(s)
	}
	return i + j + len(sep)
}

// skipElement returns the index after the closing tag of name, searched
// case-insensitively from i, or len(src) when it is never closed.
func skipElement(src string, i int, name string) int {
	for {
		j := strings.Index(src[i:], "</")
		if j < 0 {
			return len(src)
		}
		i += j + 2
		if len(src)-i >= len(name) && strings.EqualFold(src[i:i+len(name)], name) {
			return skipPast(src, i, ">")
		}
	}
}

// collapseSpace trims s and folds each run of white space into one space,
// keeping a line break where the run had one.
func collapseSpace(s string) string {
	var b strings.Builder
	space, newline := false, false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' {
			space = true
			newline = newline || r == '\n'
			continue
		}
		if space && b.Len() > 0 {
			if newline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		space, newline = false, false
		b.WriteRune(r)
	}
	return b.String()
}

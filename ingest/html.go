package ingest

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// maxPage bounds the bytes of one HTML page or text block read into memory.
const maxPage = 64 << 20

// ParseHTML reads one web page (a saved ad, forum thread or dark-web page)
// into one item of kind Options.Kind (default "page"): the visible text with
// tags, scripts and styles removed, the title, links as "link" entities,
// images as attachments and the first <time datetime> as its time. The
// locator is the byte range of the <body> element, or of the whole file.
func ParseHTML(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatHTML}
	data, err := io.ReadAll(io.LimitReader(r, maxPage+1))
	if err != nil {
		return rep, fmt.Errorf("ingest html: %w", err)
	}
	if len(data) > maxPage {
		data = data[:maxPage]
		rep.problem("bytes:"+strconv.Itoa(maxPage), "page larger than %d MB; the rest was not read", maxPage>>20)
	}
	doc := htmlText(data)
	it := Item{Kind: firstNonEmpty(opt.Kind, KindPage), Title: doc.title, Text: doc.text, Attachments: doc.images,
		Chat: Chat{Platform: "web"}, Locator: "bytes:" + strconv.Itoa(doc.body0) + "-" + strconv.Itoa(doc.body1)}
	for _, l := range doc.links {
		it.Entities = append(it.Entities, Entity{Type: "link", Text: l})
	}
	if doc.datetime != "" {
		if t, ok := parseLooseTime(doc.datetime, &opt); ok {
			it.Time = t
		}
	}
	rep.Items++
	return rep, fn(it)
}

// htmlDoc is what the tokenizer keeps of a page.
type htmlDoc struct {
	text, title  string
	body0, body1 int // byte range of <body>...</body>, or the whole page
	links        []string
	images       []string
	datetime     string
}

// htmlBlock are elements that break the text into lines.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"tr": true, "article": true, "section": true, "header": true, "footer": true, "ul": true, "ol": true, "table": true,
	"main": true, "nav": true, "aside": true, "blockquote": true, "pre": true, "hr": true, "dt": true, "dd": true, "title": true,
	"td": true, "th": true, "form": true, "body": true,
}

// htmlSkip are elements whose content is not visible text.
var htmlSkip = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true}

// htmlText tokenizes a page: a small, forgiving scanner rather than a full
// HTML5 parser (golang.org/x/net/html is not a dependency).
func htmlText(b []byte) htmlDoc {
	doc := htmlDoc{body0: 0, body1: len(b)}
	var text, title bytes.Buffer
	inTitle, sawBody, closedBody := false, false, false
	for i := 0; i < len(b); {
		if b[i] != '<' {
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				j = len(b) - i
			}
			dst := &text
			if inTitle {
				dst = &title
			}
			dst.WriteString(html.UnescapeString(string(b[i : i+j])))
			i += j
			continue
		}
		tag, end := scanTag(b, i)
		switch {
		case end == i+1: // a stray '<' is text
			text.WriteByte('<')
		case tag.name == "body" && !tag.closing && !sawBody:
			doc.body0, sawBody = i, true
		case tag.name == "body" && tag.closing && sawBody && !closedBody:
			doc.body1, closedBody = end, true
		case tag.name == "title":
			inTitle = !tag.closing
		case tag.name == "a" && tag.attrs["href"] != "":
			doc.links = append(doc.links, tag.attrs["href"])
		case tag.name == "img" && tag.attrs["src"] != "":
			doc.images = append(doc.images, tag.attrs["src"])
		case tag.name == "time" && doc.datetime == "":
			doc.datetime = tag.attrs["datetime"]
		}
		if htmlBlock[tag.name] {
			text.WriteByte('\n')
		}
		if htmlSkip[tag.name] && !tag.closing && !tag.selfClosing {
			end = skipElement(b, end, tag.name)
		}
		i = end
	}
	doc.text, doc.title = tidyText(text.String()), strings.Join(strings.Fields(title.String()), " ")
	return doc
}

// htmlTag is one scanned tag.
type htmlTag struct {
	name                 string
	closing, selfClosing bool
	attrs                map[string]string
}

// scanTag reads the tag, comment or declaration at b[i] == '<' and returns
// it with the index after it. A stray '<' is a one-byte "tag" with no name.
func scanTag(b []byte, i int) (htmlTag, int) {
	var t htmlTag
	switch {
	case hasAt(b, i, "<!--"):
		if j := bytes.Index(b[i+4:], []byte("-->")); j >= 0 {
			return t, i + 4 + j + 3
		}
		return t, len(b)
	case hasAt(b, i, "<!"), hasAt(b, i, "<?"):
		if j := bytes.IndexByte(b[i:], '>'); j >= 0 {
			return t, i + j + 1
		}
		return t, len(b)
	}
	j := i + 1
	if j < len(b) && b[j] == '/' {
		t.closing = true
		j++
	}
	k := j
	for k < len(b) && (isAlnum(b[k]) || b[k] == '-') {
		k++
	}
	if k == j {
		return t, i + 1 // "a < b" in text
	}
	t.name = strings.ToLower(string(b[j:k]))
	return t, t.scanAttrs(b, k)
}

// scanAttrs reads attributes up to '>' and returns the index after it.
func (t *htmlTag) scanAttrs(b []byte, i int) int {
	for i < len(b) {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return i
		}
		switch b[i] {
		case '>':
			return i + 1
		case '/':
			t.selfClosing = true
			i++
			continue
		}
		k := i
		for i < len(b) && !isSpace(b[i]) && b[i] != '=' && b[i] != '>' && b[i] != '/' {
			i++
		}
		key := strings.ToLower(string(b[k:i]))
		if i == k {
			i++
			continue
		}
		val := ""
		if i < len(b) && b[i] == '=' {
			val, i = attrValue(b, i+1)
		}
		if t.attrs == nil {
			t.attrs = map[string]string{}
		}
		if _, dup := t.attrs[key]; !dup {
			t.attrs[key] = html.UnescapeString(val)
		}
	}
	return i
}

// attrValue reads a quoted or bare attribute value at b[i].
func attrValue(b []byte, i int) (string, int) {
	if i < len(b) && (b[i] == '"' || b[i] == '\'') {
		q := b[i]
		if j := bytes.IndexByte(b[i+1:], q); j >= 0 {
			return string(b[i+1 : i+1+j]), i + j + 2
		}
		return string(b[i+1:]), len(b)
	}
	k := i
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' {
		i++
	}
	return string(b[k:i]), i
}

// skipElement returns the index after "</name>" from i (case-insensitive).
func skipElement(b []byte, i int, name string) int {
	closing := []byte("</" + name)
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return len(b)
		}
		i += j
		if len(b)-i >= len(closing) && bytes.EqualFold(b[i:i+len(closing)], closing) {
			_, end := scanTag(b, i)
			return end
		}
		i++
	}
	return len(b)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// tidyText collapses spaces within lines and drops empty lines.
func tidyText(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return strings.Join(out, "\n")
}

package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// contextBytes is how much text the identifier context shows on each side
// of the identifier.
const contextBytes = 120

// highlight returns the record text around the bytes a statement's locator
// points at ("line:12#bytes:5-17": bytes 5 to 17 of the record's text),
// HTML-escaped, with the identifier in <mark>. It returns false when the
// locator has no byte range or the range does not fit the text (the record
// changed, or the range splits a character); callers then show the plain
// snippet.
func highlight(text, locator string) (template.HTML, bool) {
	a, b, ok := byteRange(locator)
	if !ok || a >= b || b > len(text) || !utf8.RuneStart(text[a]) || (b < len(text) && !utf8.RuneStart(text[b])) {
		return "", false
	}
	from, to := max(0, a-contextBytes), min(len(text), b+contextBytes)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	var sb strings.Builder
	if from > 0 {
		sb.WriteString("…")
	}
	sb.WriteString(html.EscapeString(text[from:a]))
	sb.WriteString("<mark>" + html.EscapeString(text[a:b]) + "</mark>")
	sb.WriteString(html.EscapeString(text[b:to]))
	if to < len(text) {
		sb.WriteString("…")
	}
	return template.HTML(sb.String()), true // every piece of text is escaped above
}

// byteRange reads the "#bytes:a-b" suffix of a locator.
func byteRange(locator string) (a, b int, ok bool) {
	i := strings.LastIndex(locator, "#bytes:")
	if i < 0 {
		return 0, 0, false
	}
	lo, hi, found := strings.Cut(locator[i+len("#bytes:"):], "-")
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || a < 0 {
		return 0, 0, false
	}
	return a, b, true
}

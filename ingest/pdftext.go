package ingest

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// pdfText collects a page's text; it starts new lines as the content
// stream moves down and separates words where TJ kerning leaves a gap.
type pdfText struct {
	strings.Builder
}

// newline ends the current line (once).
func (t *pdfText) newline() {
	s := t.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		t.WriteByte('\n')
	}
}

// space adds a word gap (once).
func (t *pdfText) space() {
	s := t.String()
	if s != "" && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\n") {
		t.WriteByte(' ')
	}
}

// tjGap is the TJ displacement (thousandths of a text unit, negative moves
// right) above which a gap counts as a space between words.
const tjGap = -200

// contentText runs the text operators of a content stream. Operands are
// kept on a stack that each operator clears, as PDF readers do.
func (d *pdfDoc) contentText(t *pdfText, stream []byte, res map[string]any, depth int) {
	l := &pdfLexer{b: stream}
	var ops []any
	for {
		v, ok := l.value(0)
		if !ok {
			return
		}
		op, isOp := v.(pdfKeyword)
		if !isOp || op == "true" || op == "false" || op == "null" {
			if len(ops) < 64 {
				ops = append(ops, v)
			}
			continue
		}
		d.textOp(t, l, string(op), ops, res, depth)
		ops = ops[:0]
	}
}

// textOp applies one operator.
func (d *pdfDoc) textOp(t *pdfText, l *pdfLexer, op string, ops []any, res map[string]any, depth int) {
	last := func() any {
		if len(ops) == 0 {
			return nil
		}
		return ops[len(ops)-1]
	}
	switch op {
	case "Tj":
		showString(t, last())
	case "'", "\"":
		t.newline()
		showString(t, last())
	case "TJ":
		arr, _ := last().([]any)
		for _, e := range arr {
			if n, ok := e.(float64); ok && n < tjGap {
				t.space()
			}
			showString(t, e)
		}
	case "T*", "ET":
		t.newline()
	case "Td", "TD":
		if len(ops) == 2 {
			if ty, _ := ops[1].(float64); ty != 0 {
				t.newline()
			} else if tx, _ := ops[0].(float64); tx > 0 {
				t.space()
			}
		}
	case "Tm":
		t.newline()
	case "ID": // inline image data: skip to EI
		skipInlineImage(l)
	case "Do":
		d.drawForm(t, last(), res, depth)
	}
}

// drawForm reads the text of a form XObject.
func (d *pdfDoc) drawForm(t *pdfText, name any, res map[string]any, depth int) {
	n, ok := name.(pdfName)
	if !ok || depth >= maxPDFXObjects || res == nil {
		return
	}
	ref := d.dict(res["XObject"])[string(n)]
	form := d.dict(ref)
	if form == nil || form["Subtype"] != pdfName("Form") {
		return
	}
	data, ok := d.decode(ref)
	if !ok {
		return
	}
	inner := d.dict(form["Resources"])
	if inner == nil {
		inner = res
	}
	d.contentText(t, data, inner, depth+1)
}

// skipInlineImage moves past the data of an inline image ("ID" ... "EI").
func skipInlineImage(l *pdfLexer) {
	for l.pos+2 < len(l.b) {
		if isPDFSpace(l.b[l.pos]) && l.b[l.pos+1] == 'E' && l.b[l.pos+2] == 'I' &&
			(l.pos+3 == len(l.b) || isPDFSpace(l.b[l.pos+3])) {
			l.pos += 3
			return
		}
		l.pos++
	}
	l.pos = len(l.b)
}

// showString appends a string operand.
func showString(t *pdfText, v any) {
	if s, ok := v.(pdfString); ok {
		t.WriteString(pdfDecode(s))
	}
}

// winAnsi80 maps WinAnsi bytes 0x80..0x9F (0: undefined).
var winAnsi80 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// pdfDecode reads string bytes as UTF-16BE (with its BOM) or WinAnsi.
func pdfDecode(s []byte) string {
	if len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 0x80 && c < 0xA0:
			if r := winAnsi80[c-0x80]; r != 0 {
				b.WriteRune(r)
			}
		case c < 0x20 && c != '\t' && c != '\n':
			// control bytes carry no text
		case c < utf8.RuneSelf:
			b.WriteByte(c)
		default:
			b.WriteRune(rune(c)) // Latin-1 range
		}
	}
	return b.String()
}

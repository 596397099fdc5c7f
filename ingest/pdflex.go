package ingest

import "strconv"

// PDF values as the lexer returns them: float64 (numbers), pdfName,
// pdfString, pdfKeyword (operators, true, false, null), pdfRef, []any
// (arrays) and map[string]any (dictionaries, keyed by name without "/").
type (
	pdfName    string
	pdfString  []byte
	pdfKeyword string
	pdfRef     struct{ num, gen int }
)

// maxPDFDepth bounds nesting of arrays and dictionaries.
const maxPDFDepth = 32

// pdfLexer reads PDF tokens from b.
type pdfLexer struct {
	b   []byte
	pos int
}

// isPDFSpace reports PDF white space.
func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// isPDFDelim reports PDF delimiters.
func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// skipSpace skips white space and comments.
func (l *pdfLexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isPDFSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// token returns the next token: a value, or a pdfKeyword for "[", "]",
// "<<", ">>" and bare words. ok is false at the end.
func (l *pdfLexer) token() (any, bool) {
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, false
	}
	c := l.b[l.pos]
	switch {
	case c == '(':
		return l.literal(), true
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<', c == '>' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '>':
		l.pos += 2
		return pdfKeyword(l.b[l.pos-2 : l.pos]), true
	case c == '<':
		return l.hex(), true
	case c == '[' || c == ']' || c == '{' || c == '}' || c == ')' || c == '>':
		l.pos++
		return pdfKeyword(l.b[l.pos-1 : l.pos]), true
	case c == '/':
		l.pos++
		return pdfName(l.word()), true
	}
	w := l.word()
	if n, err := strconv.ParseFloat(string(w), 64); err == nil && (w[0] == '-' || w[0] == '+' || w[0] == '.' || w[0] >= '0' && w[0] <= '9') {
		return n, true
	}
	return pdfKeyword(w), true
}

// word reads regular characters (at least one, so the lexer always moves).
func (l *pdfLexer) word() []byte {
	start := l.pos
	for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
		l.pos++
	}
	if l.pos == start && l.pos < len(l.b) && l.b[l.pos] != '/' {
		l.pos++
	}
	return l.b[start:l.pos]
}

// literal reads a (string) with nesting and escapes.
func (l *pdfLexer) literal() pdfString {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return out
			}
		case '\\':
			out = l.escape(out)
			continue
		case '\r': // end-of-line sequences read as \n
			if l.pos < len(l.b) && l.b[l.pos] == '\n' {
				l.pos++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// escape reads the escape after a backslash in a literal string.
func (l *pdfLexer) escape(out []byte) []byte {
	if l.pos >= len(l.b) {
		return out
	}
	c := l.b[l.pos]
	l.pos++
	switch c {
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case 't':
		return append(out, '\t')
	case 'b':
		return append(out, '\b')
	case 'f':
		return append(out, '\f')
	case '\r':
		if l.pos < len(l.b) && l.b[l.pos] == '\n' {
			l.pos++
		}
		return out // line continuation
	case '\n':
		return out
	}
	if c >= '0' && c <= '7' {
		v := int(c - '0')
		for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
			v = v*8 + int(l.b[l.pos]-'0')
			l.pos++
		}
		return append(out, byte(v))
	}
	return append(out, c) // \( \) \\ and unknown escapes: the character
}

// hex reads a <hex string>; an odd final digit is followed by 0.
func (l *pdfLexer) hex() pdfString {
	l.pos++ // <
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.b) && l.b[l.pos] != '>' {
		c := l.b[l.pos]
		l.pos++
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if l.pos < len(l.b) {
		l.pos++ // >
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}

// value reads one complete value: arrays, dictionaries and "N G R"
// references are assembled. ok is false at the end.
func (l *pdfLexer) value(depth int) (any, bool) {
	tok, ok := l.token()
	if !ok {
		return nil, false
	}
	switch t := tok.(type) {
	case float64:
		return l.maybeRef(t), true
	case pdfKeyword:
		switch {
		case t == "[" && depth < maxPDFDepth:
			return l.array(depth + 1), true
		case t == "<<" && depth < maxPDFDepth:
			return l.dict(depth + 1), true
		}
	}
	return tok, true
}

// maybeRef turns "num gen R" into a pdfRef, else leaves the number.
func (l *pdfLexer) maybeRef(n float64) any {
	save := l.pos
	if g, ok := l.token(); ok {
		if gen, isNum := g.(float64); isNum {
			if r, ok := l.token(); ok && r == pdfKeyword("R") && n >= 0 && n == float64(int(n)) && gen >= 0 {
				return pdfRef{int(n), int(gen)}
			}
		}
	}
	l.pos = save
	return n
}

// array reads values up to "]".
func (l *pdfLexer) array(depth int) []any {
	var out []any
	for {
		v, ok := l.value(depth)
		if !ok || v == pdfKeyword("]") {
			return out
		}
		out = append(out, v)
	}
}

// dict reads name/value pairs up to ">>".
func (l *pdfLexer) dict(depth int) map[string]any {
	out := map[string]any{}
	for {
		k, ok := l.value(depth)
		if !ok || k == pdfKeyword(">>") {
			return out
		}
		name, isName := k.(pdfName)
		if !isName {
			continue
		}
		v, ok := l.value(depth)
		if !ok || v == pdfKeyword(">>") {
			return out
		}
		out[string(name)] = v
	}
}

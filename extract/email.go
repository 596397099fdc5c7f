package extract

import (
	"bytes"
	"strings"
)

func isLocalByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isLabelByte(c byte) bool { return isAlnum(c) || c == '-' }

// localStart walks left from end over e-mail local-part bytes.
func localStart(b []byte, end int) int {
	k := end
	for k > 0 && isLocalByte(b[k-1]) && end-k < 64 {
		k--
	}
	for k < end && (b[k] == '.' || b[k] == '-') {
		k++
	}
	return k
}

// scanEmails finds plainly written addresses: local@domain.tld.
func (s *scan) scanEmails() {
	b := s.text
	for _, a32 := range s.idx.at {
		a := int(a32)
		l := localStart(b, a)
		if l == a {
			continue
		}
		end, dom, ok := plainDomain(b, a+1)
		if !ok || s.claimed(l, end) {
			continue
		}
		s.emit(KindEmail, l, end, strings.ToLower(string(b[l:a]))+"@"+dom, "", true, "")
	}
}

// plainDomain reads "label(.label)+" at b[p:], returning the end, the
// lower-case domain and whether it ends in a plausible top-level label.
func plainDomain(b []byte, p int) (int, string, bool) {
	k := p
	for k < len(b) && (isLabelByte(b[k]) || b[k] == '.') && k-p < 253 {
		k++
	}
	for k > p && (b[k-1] == '.' || b[k-1] == '-') {
		k--
	}
	d := strings.ToLower(string(b[p:k]))
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || strings.Contains(d, "..") || !isAlphaString(d[dot+1:]) || len(d)-dot-1 < 2 {
		return 0, "", false
	}
	return k, d, true
}

func isAlphaString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) {
			return false
		}
	}
	return s != ""
}

func indexByteFrom(b []byte, from int, c byte) int {
	if from >= len(b) {
		return -1
	}
	if k := bytes.IndexByte(b[from:], c); k >= 0 {
		return from + k
	}
	return -1
}

// atConnector recognises the written forms of "@" at b[i:] and returns
// their length and whether the form is strong (unambiguous) or weak ("at").
func atConnector(b []byte, i int) (n int, strong bool) {
	switch b[i] {
	case '[', '(', '{':
		for _, w := range []string{"at", "arroba", "@"} {
			if hasPrefixFold(b, i+1, w) && i+1+len(w) < len(b) && closes(b[i], b[i+1+len(w)]) {
				return len(w) + 2, true
			}
		}
	case 'a', 'A':
		if wordAt(b, i, "arroba") {
			return 6, true
		}
		if wordAt(b, i, "at") {
			return 2, false
		}
	case '@':
		if i > 0 && b[i-1] == ' ' && i+1 < len(b) && b[i+1] == ' ' {
			return 1, true
		}
	}
	return 0, false
}

func closes(open, c byte) bool {
	return open == '[' && c == ']' || open == '(' && c == ')' || open == '{' && c == '}'
}

// dotConnector recognises "." or its written forms at b[i:] (with the
// spaces around word forms) and returns where the next label starts.
func dotConnector(b []byte, i int) (next int, word bool) {
	if i < len(b) && b[i] == '.' {
		return i + 1, false
	}
	k := i
	for k < len(b) && b[k] == ' ' && k-i < 2 {
		k++
	}
	if k == len(b) {
		return 0, false
	}
	n := 0
	switch b[k] {
	case '[', '(', '{':
		for _, w := range []string{"dot", "punto", "."} {
			if hasPrefixFold(b, k+1, w) && k+1+len(w) < len(b) && closes(b[k], b[k+1+len(w)]) {
				n = len(w) + 2
			}
		}
	default:
		if k > i && (wordAt(b, k, "punto") || wordAt(b, k, "dot")) {
			n = len("dot")
			if lower(b[k]) == 'p' {
				n = len("punto")
			}
		}
	}
	if n == 0 {
		return 0, false
	}
	k += n
	e := k
	for e < len(b) && b[e] == ' ' && e-k < 2 {
		e++
	}
	if e == k && !(b[k-1] == ']' || b[k-1] == ')' || b[k-1] == '}') {
		return 0, false
	}
	return e, true
}

func readLabel(b []byte, p int) int {
	k := p
	for k < len(b) && isLabelByte(b[k]) && k-p < 63 {
		k++
	}
	return k
}

// obfDomain reads a domain whose dots may be written as words.
func obfDomain(b []byte, p int) (end int, dom string, dots int) {
	e := readLabel(b, p)
	if e == p {
		return 0, "", 0
	}
	var d strings.Builder
	d.Write(b[p:e])
	last := strings.ToLower(string(b[p:e]))
	for dots < 8 {
		q, word := dotConnector(b, e)
		if q == 0 {
			break
		}
		e2 := readLabel(b, q)
		if e2 == q {
			break
		}
		lab := strings.ToLower(string(b[q:e2]))
		if dots > 0 && knownTLD(last) && !knownTLD(lab) {
			break
		}
		if word && !isAlphaString(lab) && dots > 0 {
			break
		}
		d.WriteByte('.')
		d.Write(b[q:e2])
		e, last = e2, lab
		dots++
	}
	return e, strings.ToLower(d.String()), dots
}

// scanObfuscatedEmails finds "juan arroba example punto com",
// "juan [at] example [dot] org" and mixed forms.
func (s *scan) scanObfuscatedEmails() {
	b := s.text
	for _, i32 := range s.idx.atForm {
		i := int(i32)
		c := b[i]
		n, strong := atConnector(b, i)
		if n == 0 {
			continue
		}
		le := i
		for le > 0 && b[le-1] == ' ' && i-le < 2 {
			le--
		}
		l := localStart(b, le)
		if l == le || (le == i && !(c == '[' || c == '(' || c == '{')) {
			continue
		}
		p := i + n
		for p < len(b) && b[p] == ' ' && p-i-n < 2 {
			p++
		}
		end, dom, dots := obfDomain(b, p)
		if dots == 0 {
			continue
		}
		tld := dom[strings.LastIndexByte(dom, '.')+1:]
		if !isAlphaString(tld) || len(tld) < 2 || (!strong && !knownTLD(tld)) || s.claimed(l, end) {
			continue
		}
		s.emit(KindEmail, l, end, strings.ToLower(string(b[l:le]))+"@"+dom, ObfAtDot, true, "")
	}
}

// atForms are the spellings of "@" the index looks for; the match
// position is then checked by atConnector.
var atForms = []string{" at ", " At ", " AT ", "arroba", "Arroba", "ARROBA", "at]", "at)", "at}", "AT]", "AT)", " @ "}

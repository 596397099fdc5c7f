package reports

import "strconv"

// jw builds indented JSON into a byte slice and reports the byte offset of
// every string it writes, so selectors can point at their exact position.
// Only '"', '\\' and control characters are escaped: non-ASCII text and
// emoji are written as raw UTF-8, as most providers' exporters do.
type jw struct {
	b     []byte
	stack []bool // per open container: has it an element yet
}

// sep writes the comma, newline and indentation before a member or item.
func (w *jw) sep() {
	n := len(w.stack)
	if n == 0 {
		return
	}
	if w.stack[n-1] {
		w.b = append(w.b, ',')
	}
	w.stack[n-1] = true
	w.b = append(w.b, '\n')
	for range n {
		w.b = append(w.b, ' ', ' ')
	}
}

// open starts an object ('{') or array ('[').
func (w *jw) open(c byte) {
	w.b = append(w.b, c)
	w.stack = append(w.stack, false)
}

// close ends the innermost container with c ('}' or ']').
func (w *jw) close(c byte) {
	n := len(w.stack)
	had := w.stack[n-1]
	w.stack = w.stack[:n-1]
	if had {
		w.b = append(w.b, '\n')
		for range n - 1 {
			w.b = append(w.b, ' ', ' ')
		}
	}
	w.b = append(w.b, c)
}

// key starts an object member; the value follows with a value method.
func (w *jw) key(k string) {
	w.sep()
	w.str(k)
	w.b = append(w.b, ':', ' ')
}

// item starts an array element; the value follows with a value method.
func (w *jw) item() { w.sep() }

// str writes a JSON string and returns the offset of its first content byte.
func (w *jw) str(s string) int64 {
	w.b = append(w.b, '"')
	off := int64(len(w.b))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			w.b = append(w.b, '\\', c)
		case c == '\n':
			w.b = append(w.b, '\\', 'n')
		case c < 0x20:
			w.b = append(w.b, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			w.b = append(w.b, c)
		}
	}
	w.b = append(w.b, '"')
	return off
}

// int writes an integer.
func (w *jw) int(n int64) { w.b = strconv.AppendInt(w.b, n, 10) }

// bool writes true or false.
func (w *jw) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

package money

import "strings"

// splitLine splits one CSV line on sep, honouring double quotes (a quoted
// field may hold sep; "" is a literal quote). It reuses dst. It reports
// false for an unterminated quote, which the caller turns into a line error.
func splitLine(dst []string, line string, sep byte) ([]string, bool) {
	dst = dst[:0]
	for {
		if len(line) > 0 && line[0] == '"' {
			f, rest, ok := quoted(line[1:])
			if !ok {
				return dst, false
			}
			dst = append(dst, f)
			if rest == "" {
				return dst, true
			}
			if rest[0] != sep {
				return dst, false
			}
			line = rest[1:]
			continue
		}
		i := strings.IndexByte(line, sep)
		if i < 0 {
			return append(dst, line), true
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

// quoted reads a quoted field body up to its closing quote.
func quoted(s string) (string, string, bool) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return "", "", false
		}
		if i+1 < len(s) && s[i+1] == '"' {
			b.WriteString(s[:i+1])
			s = s[i+2:]
			continue
		}
		if b.Len() == 0 {
			return s[:i], s[i+1:], true
		}
		b.WriteString(s[:i])
		return b.String(), s[i+1:], true
	}
}

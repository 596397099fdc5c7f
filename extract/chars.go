package extract

// Byte classes used by the hand-written scanners.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlpha(c byte) bool { return isLower(c) || isUpper(c) }

func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func isHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }

// isWordByte reports whether c continues a word: ASCII letters, digits, '_'
// and any byte of a multi-byte UTF-8 letter (accented words such as "número").
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' || c >= 0x80 }

func lower(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether b[i:] starts with the lower-case ASCII word w.
func hasPrefixFold(b []byte, i int, w string) bool {
	if len(b)-i < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		if lower(b[i+k]) != w[k] {
			return false
		}
	}
	return true
}

// wordAt reports whether the lower-case ASCII word w stands alone at b[i:].
func wordAt(b []byte, i int, w string) bool {
	if !hasPrefixFold(b, i, w) {
		return false
	}
	if i > 0 && isWordByte(b[i-1]) {
		return false
	}
	e := i + len(w)
	return e == len(b) || !isWordByte(b[e])
}

// lineBounds returns the start and end of the line holding i, at most
// 512 bytes away (minified JSON can be one line of megabytes).
func lineBounds(b []byte, i int) (int, int) {
	a := i
	for a > 0 && b[a-1] != '\n' && i-a < 512 {
		a--
	}
	e := i
	for e < len(b) && b[e] != '\n' && e-i < 512 {
		e++
	}
	return a, e
}

package ingest

import "time"

// waStamp is the parsed start of a WhatsApp message line: date fields in the
// order written (a/b/y), clock, AM/PM marker and where the rest begins.
type waStamp struct {
	a, b, y    int
	h, m, s    int
	pm, am     bool // a 12-hour marker was present
	esMarker   bool // the Spanish "a. m." / "p. m." form
	ymd        bool // year first ("2024-03-12"): no day/month question
	ios        bool // "[date, time] " rather than "date, time - "
	yearDigits int
	rest       int // index of the text after the stamp
}

// Marks WhatsApp and editors put around stamps and texts.
const (
	lrmMark  = "\u200e"
	rlmMark  = "\u200f"
	bomMark  = "\ufeff"
	nnbsp    = "\u202f"
	nbsp     = "\u00a0"
	maxDigit = 4
)

// skipMarks skips U+200E, U+200F and a BOM at b[i:].
func skipMarks(b []byte, i int) int {
	for {
		switch {
		case hasAt(b, i, lrmMark), hasAt(b, i, rlmMark), hasAt(b, i, bomMark):
			i += 3
		default:
			return i
		}
	}
}

// hasAt reports whether b[i:] starts with s.
func hasAt(b []byte, i int, s string) bool {
	return i >= 0 && len(b)-i >= len(s) && string(b[i:i+len(s)]) == s
}

// digits reads 1..max decimal digits at b[i:].
func digits(b []byte, i, max int) (n, j int, ok bool) {
	j = i
	for j < len(b) && j-i < max && b[j] >= '0' && b[j] <= '9' {
		n = n*10 + int(b[j]-'0')
		j++
	}
	return n, j, j > i
}

// skipSpace skips ASCII spaces, U+00A0 and U+202F.
func skipSpace(b []byte, i int) int {
	for {
		switch {
		case i < len(b) && b[i] == ' ':
			i++
		case hasAt(b, i, nnbsp):
			i += 3
		case hasAt(b, i, nbsp):
			i += 2
		default:
			return i
		}
	}
}

// parseWAStamp parses the stamp that starts a message line. Lines that do not
// start with a complete stamp are continuation lines.
func parseWAStamp(line []byte) (st waStamp, ok bool) {
	i := skipMarks(line, 0)
	if i < len(line) && line[i] == '[' {
		st.ios = true
		i++
	}
	i, ok = st.date(line, i)
	if !ok {
		return st, false
	}
	if i < len(line) && line[i] == ',' {
		i++
	}
	if i >= len(line) || line[i] != ' ' {
		return st, false
	}
	if i, ok = st.clock(line, i+1); !ok {
		return st, false
	}
	i = st.marker(line, i)
	switch {
	case st.ios && hasAt(line, i, "] "):
		st.rest = i + 2
	case !st.ios && hasAt(line, i, " - "):
		st.rest = i + 3
	default:
		return st, false
	}
	return st, true
}

// date reads "a/b/y" with '/', '.' or '-' as separator, or "y-m-d".
func (st *waStamp) date(b []byte, i int) (int, bool) {
	var ok bool
	j := i
	if st.a, i, ok = digits(b, i, 4); !ok || i >= len(b) {
		return i, false
	}
	if i-j == 4 {
		return st.yearFirst(b, i)
	}
	if i-j > 2 {
		return i, false
	}
	sep := b[i]
	if sep != '/' && sep != '.' && sep != '-' {
		return i, false
	}
	if st.b, i, ok = digits(b, i+1, 2); !ok || i >= len(b) || b[i] != sep {
		return i, false
	}
	j = i + 1
	if st.y, i, ok = digits(b, j, maxDigit); !ok || (i-j != 2 && i-j != 4) {
		return i, false
	}
	st.yearDigits = i - j
	if st.yearDigits == 2 {
		st.y += 2000
	}
	return i, true
}

// yearFirst reads the "-m-d" (or "/m/d", ".m.d") after a four-digit year in st.a.
func (st *waStamp) yearFirst(b []byte, i int) (int, bool) {
	sep := b[i]
	if sep != '/' && sep != '.' && sep != '-' {
		return i, false
	}
	var ok bool
	st.y, st.ymd, st.yearDigits = st.a, true, 4
	if st.b, i, ok = digits(b, i+1, 2); !ok || i >= len(b) || b[i] != sep {
		return i, false
	}
	st.a, i, ok = digits(b, i+1, 2)
	return i, ok
}

// clock reads "H:MM" or "H:MM:SS".
func (st *waStamp) clock(b []byte, i int) (int, bool) {
	var ok bool
	if st.h, i, ok = digits(b, i, 2); !ok || i >= len(b) || b[i] != ':' {
		return i, false
	}
	j := i + 1
	if st.m, i, ok = digits(b, j, 2); !ok || i-j != 2 {
		return i, false
	}
	if i < len(b) && b[i] == ':' {
		j = i + 1
		if st.s, i, ok = digits(b, j, 2); !ok || i-j != 2 {
			return i, false
		}
	}
	return i, st.h < 24 && st.m < 60 && st.s < 61
}

// marker reads an optional AM/PM marker ("PM", "pm", "p.m.", "p. m.") after
// spaces; it returns i unchanged when there is none.
func (st *waStamp) marker(b []byte, i int) int {
	j := skipSpace(b, i)
	if j == i || j >= len(b) {
		return i
	}
	c := b[j] | 0x20
	if c != 'a' && c != 'p' {
		return i
	}
	k := j + 1
	switch {
	case k < len(b) && b[k]|0x20 == 'm':
		k++
	case k < len(b) && b[k] == '.':
		k = skipSpace(b, k+1)
		if k >= len(b) || b[k]|0x20 != 'm' {
			return i
		}
		k++
		if k < len(b) && b[k] == '.' {
			k++
		}
		st.esMarker = true
	default:
		return i
	}
	st.pm, st.am = c == 'p', c == 'a'
	return k
}

// time returns the stamp's time in loc, reading the date day-first or not;
// false when the date does not exist.
func (st *waStamp) time(dayFirst bool, loc *time.Location) (time.Time, bool) {
	d, mo := st.a, st.b
	if !dayFirst && !st.ymd {
		d, mo = st.b, st.a
	}
	h := st.h
	if st.am || st.pm {
		if h < 1 || h > 12 {
			return time.Time{}, false
		}
		h %= 12
		if st.pm {
			h += 12
		}
	}
	if mo < 1 || mo > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(st.y, time.Month(mo), d, h, st.m, st.s, 0, loc)
	if t.Day() != d {
		return time.Time{}, false // 31/02 and the like
	}
	return t, true
}

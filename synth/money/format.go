package money

import "strconv"

// Amounts are integer minor units (cents, satoshi, token base units) and
// times are "naive" Unix seconds: the scenario's wall clock read as UTC, so
// that formatting never needs a time zone.

// pow10 holds 10^0..10^18.
var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// appendDecimal formats v minor units with dec decimals, decimal separator
// decSep and, when thouSep != 0, thousands grouping.
func appendDecimal(b []byte, v int64, dec int, decSep, thouSep byte) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	whole, frac := v/pow10[dec], v%pow10[dec]
	if thouSep == 0 || whole < 1000 {
		b = strconv.AppendInt(b, whole, 10)
	} else {
		b = appendGrouped(b, whole, thouSep)
	}
	if dec == 0 {
		return b
	}
	b = append(b, decSep)
	return appendPadded(b, frac, dec)
}

// appendGrouped writes whole with a separator every three digits.
func appendGrouped(b []byte, whole int64, sep byte) []byte {
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], whole, 10)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, sep)
		}
		b = append(b, d)
	}
	return b
}

// appendPadded writes v as exactly width digits with leading zeros.
func appendPadded(b []byte, v int64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, byte('0'+v/pow10[i]%10))
	}
	return b
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func civil(days int64) (y, m, d int) {
	z := days + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if mp >= 10 {
		m = int(mp - 9)
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

// clock formats naive Unix seconds, caching the date of the last day seen
// (streams are time-ordered, so the cache almost always hits).
type clock struct {
	day     int64
	y, m, d int
}

// date returns the civil date of t.
func (c *clock) date(t int64) (int, int, int) {
	day := floorDiv(t, 86400)
	if day != c.day || c.y == 0 {
		c.day = day
		c.y, c.m, c.d = civil(day)
	}
	return c.y, c.m, c.d
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// appendYMDSlash writes "YYYY/MM/DD HH:MM" (AMLworld).
func (c *clock) appendAML(b []byte, t int64) []byte {
	y, m, d := c.date(t)
	b = appendPadded(b, int64(y), 4)
	b = append(b, '/')
	b = appendPadded(b, int64(m), 2)
	b = append(b, '/')
	b = appendPadded(b, int64(d), 2)
	b = append(b, ' ')
	sec := t - floorDiv(t, 86400)*86400
	b = appendPadded(b, sec/3600, 2)
	b = append(b, ':')
	return appendPadded(b, sec/60%60, 2)
}

// appendDMY writes "DD/MM/YYYY".
func (c *clock) appendDMY(b []byte, t int64) []byte {
	y, m, d := c.date(t)
	b = appendPadded(b, int64(d), 2)
	b = append(b, '/')
	b = appendPadded(b, int64(m), 2)
	b = append(b, '/')
	return appendPadded(b, int64(y), 4)
}

// appendMDY writes "MM/DD/YYYY".
func (c *clock) appendMDY(b []byte, t int64) []byte {
	y, m, d := c.date(t)
	b = appendPadded(b, int64(m), 2)
	b = append(b, '/')
	b = appendPadded(b, int64(d), 2)
	b = append(b, '/')
	return appendPadded(b, int64(y), 4)
}

// appendISO writes "YYYY-MM-DDTHH:MM:SSZ".
func (c *clock) appendISO(b []byte, t int64) []byte {
	y, m, d := c.date(t)
	b = appendPadded(b, int64(y), 4)
	b = append(b, '-')
	b = appendPadded(b, int64(m), 2)
	b = append(b, '-')
	b = appendPadded(b, int64(d), 2)
	b = append(b, 'T')
	sec := t - floorDiv(t, 86400)*86400
	b = appendPadded(b, sec/3600, 2)
	b = append(b, ':')
	b = appendPadded(b, sec/60%60, 2)
	b = append(b, ':')
	b = appendPadded(b, sec%60, 2)
	return append(b, 'Z')
}

// parseDecimal reads an exact decimal such as "10000.00" into minor units
// with dec decimals.
func parseDecimal(s string, dec int) (int64, bool) {
	whole, frac, _ := cutByte(s, '.')
	if whole == "" || len(frac) > dec {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, false
		}
		f *= pow10[dec-len(frac)]
	}
	return w*pow10[dec] + f, true
}

// cutByte splits s around the first c.
func cutByte(s string, c byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

const hexDigits = "0123456789abcdef"

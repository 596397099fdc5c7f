package extract

import (
	"strconv"
)

// Token kinds of a digit run.
const (
	tAscii = iota + 1
	tUni
	tEmoji
	tWord
)

// run is a candidate number: digit tokens joined by separators, with the
// digits normalised to ASCII and the shape kept for plausibility checks.
type run struct {
	start, end int
	d          [24]byte
	nd         int
	plus       bool
	counts     [5]int // tokens per kind
	es, en     int    // number words per language
	groups     [24]uint8
	ng         int
	seps       [8]bool // ' ', '-', '.', ',', '(', ')', '*'
	overflow   bool
	ntok       int // tokens read
}

func sepIndex(c byte) int {
	switch c {
	case ' ':
		return 0
	case '-':
		return 1
	case '.':
		return 2
	case ',':
		return 3
	case '(':
		return 4
	case ')':
		return 5
	case '*':
		return 6
	}
	return -1
}

func (r *run) add(d byte) {
	if r == nil {
		return
	}
	if r.nd == len(r.d) {
		r.overflow = true
		return
	}
	r.d[r.nd] = d
	r.nd++
}

// keycap returns the length of the emoji keycap marks after a digit at
// b[i] ("\uFE0F\u20E3" or "\u20E3"), 0 when there are none.
func keycap(b []byte, i int) int {
	k := i + 1
	if k+2 < len(b) && b[k] == 0xEF && b[k+1] == 0xB8 && b[k+2] == 0x8F {
		k += 3
	}
	if k+2 < len(b) && b[k] == 0xE2 && b[k+1] == 0x83 && b[k+2] == 0xA3 {
		return k + 3 - i - 1
	}
	return 0
}

// uniDigit decodes a non-ASCII decimal digit at b[i]: fullwidth, Arabic-
// Indic, Devanagari, mathematical and circled digits.
func uniDigit(b []byte, i int) (d byte, n int) {
	c := b[i]
	if c < 0xD9 || i+1 >= len(b) {
		return 0, 0
	}
	c1 := b[i+1]
	switch c {
	case 0xD9:
		if c1 >= 0xA0 && c1 <= 0xA9 {
			return c1 - 0xA0, 2
		}
	case 0xDB:
		if c1 >= 0xB0 && c1 <= 0xB9 {
			return c1 - 0xB0, 2
		}
	case 0xE0, 0xE2, 0xEF:
		if i+2 >= len(b) {
			return 0, 0
		}
		switch c2 := b[i+2]; {
		case c == 0xEF && c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99:
			return c2 - 0x90, 3
		case c == 0xE0 && c1 == 0xA5 && c2 >= 0xA6 && c2 <= 0xAF:
			return c2 - 0xA6, 3
		case c == 0xE2 && c1 == 0x91 && c2 >= 0xA0 && c2 <= 0xA8:
			return c2 - 0xA0 + 1, 3
		case c == 0xE2 && c1 == 0x93 && c2 == 0xAA:
			return 0, 3
		}
	case 0xF0:
		if i+3 < len(b) && c1 == 0x9D && b[i+2] == 0x9F && b[i+3] >= 0x8E && b[i+3] <= 0xBF {
			return (b[i+3] - 0x8E) % 10, 4
		}
	}
	return 0, 0
}

// token reads one digit token at b[i] into r and returns its end and kind.
func (r *run) token(b []byte, i int) (int, int) {
	c := b[i]
	if isDigit(c) {
		if k := keycap(b, i); k > 0 {
			r.add(c)
			return i + 1 + k, tEmoji
		}
		j := i
		for j < len(b) && isDigit(b[j]) && (j == i || keycap(b, j) == 0) {
			r.add(b[j])
			j++
		}
		if r != nil && r.ng < len(r.groups) {
			r.groups[r.ng] = uint8(min(j-i, 255))
			r.ng++
		}
		return j, tAscii
	}
	if d, n := uniDigit(b, i); n > 0 {
		r.add('0' + d)
		return i + n, tUni
	}
	if isAlpha(c) && (i == 0 || !isWordByte(b[i-1])) {
		return r.words(b, i)
	}
	return 0, 0
}

// words reads a number word, or "doble"/"double"/"triple" and a number word.
func (r *run) words(b []byte, i int) (int, int) {
	if !numberInitial(b[i]) || i+1 >= len(b) || !numberPair(lower(b[i]), lower(b[i+1])) {
		return 0, 0
	}
	rep, j := 1, i
	for _, m := range [...]struct {
		w string
		n int
	}{{"doble", 2}, {"double", 2}, {"triple", 3}} {
		if wordAt(b, i, m.w) {
			k := i + len(m.w)
			if k < len(b) && b[k] == ' ' {
				rep, j = m.n, k+1
			}
			break
		}
	}
	d, n, lang := numWord(b, j)
	if n == 0 {
		return 0, 0
	}
	if r == nil {
		return j + n, tWord
	}
	for range rep {
		r.add(d)
	}
	if lang == 'e' {
		r.es++
	} else {
		r.en++
	}
	return j + n, tWord
}

var numberWords = [...]struct {
	w    string
	d    byte
	lang byte
}{
	{"cero", '0', 'e'}, {"uno", '1', 'e'}, {"dos", '2', 'e'}, {"tres", '3', 'e'}, {"cuatro", '4', 'e'},
	{"cinco", '5', 'e'}, {"seis", '6', 'e'}, {"siete", '7', 'e'}, {"ocho", '8', 'e'}, {"nueve", '9', 'e'},
	{"zero", '0', 'n'}, {"oh", '0', 'n'}, {"one", '1', 'n'}, {"two", '2', 'n'}, {"three", '3', 'n'},
	{"four", '4', 'n'}, {"five", '5', 'n'}, {"six", '6', 'n'}, {"seven", '7', 'n'}, {"eight", '8', 'n'},
	{"nine", '9', 'n'},
}

// numberInitial reports whether a number word (or "doble", "triple") can
// start with c.
func numberInitial(c byte) bool { return numberPairs[lower(c)] != 0 }

// numberPair reports whether a number word (or "doble", "double",
// "triple") starts with the two letters c1 c2 (lower case).
func numberPair(c1, c2 byte) bool {
	return isLower(c2) && numberPairs[c1]&(1<<(c2-'a')) != 0
}

// numberPairs[c1] has bit c2-'a' set when a number word starts with c1 c2.
var numberPairs = func() (t [256]uint32) {
	const pairs = "ce un do tr cu ci se si oc nu ze oh on tw th fo fi ei ni "
	for k := 0; k < len(pairs); k += 3 {
		t[pairs[k]] |= 1 << (pairs[k+1] - 'a')
	}
	return t
}()

// numWord matches a digit word at b[i] (word boundary on both sides).
func numWord(b []byte, i int) (d byte, n int, lang byte) {
	if i >= len(b) {
		return 0, 0, 0 // "doble " at the end of the text
	}
	c := lower(b[i])
	if !numberInitial(c) || i+1 >= len(b) || !numberPair(c, lower(b[i+1])) {
		return 0, 0, 0
	}
	for _, w := range numberWords {
		if w.w[0] == c && wordAt(b, i, w.w) {
			return w.d, len(w.w), w.lang
		}
	}
	return 0, 0, 0
}

// separator returns the end of the separator at b[j:] that joins the
// previous token (kind prev) to a next token, or -1.
func separator(b []byte, j int) int {
	k := j
	for k < len(b) && k-j < 3 && sepIndex(b[k]) >= 0 {
		k++
	}
	return k
}

func sepAllowed(b []byte, j, k, prev, next int) bool {
	if k == j {
		return prev == tEmoji || next == tEmoji || prev == tUni || next == tUni
	}
	for p := j; p < k; p++ {
		switch b[p] {
		case '*':
			if prev != tAscii || next != tAscii || k-j != 1 {
				return false
			}
		case ',':
			if prev != tWord || next != tWord {
				return false
			}
		case '.', '(', ')':
			if prev == tWord || next == tWord || prev == tEmoji || next == tEmoji {
				return false
			}
		}
	}
	if (prev == tEmoji || next == tEmoji) && (k-j > 1 || b[j] != ' ') {
		return false
	}
	return true
}

// maxRunTokens bounds a run (and so the retries of number) to keep the
// scan linear on inputs such as "1 2 3 4 5 ..." for megabytes.
const maxRunTokens = 32

// readRun reads the longest digit run starting at b[i], of at most
// maxTok tokens when maxTok > 0.
func readRun(b []byte, i, maxTok int) run {
	r := run{start: i}
	j := i
	if b[j] == '+' {
		r.plus = true
		j++
	} else if b[j] == '(' {
		j++
	}
	if maxTok <= 0 || maxTok > maxRunTokens {
		maxTok = maxRunTokens
	}
	for j < len(b) {
		e, kind := r.token(b, j)
		if e == 0 {
			break
		}
		r.counts[kind]++
		r.end = e
		r.ntok++
		if r.ntok == maxTok {
			break
		}
		k := separator(b, e)
		var probe *run
		ne, nk := 0, 0
		if k < len(b) {
			ne, nk = probe.token(b, k)
		}
		if ne == 0 || !sepAllowed(b, e, k, kind, nk) {
			break
		}
		for p := e; p < k; p++ {
			r.seps[sepIndex(b[p])] = true
		}
		j = k
	}
	if r.end == 0 {
		r.end = i
	}
	return r
}

// scanDigits reads every run of digits (and digit words and emoji) the
// index found, once: IPv4 addresses, coordinates and cards first, phones
// otherwise. (The index already left out short numbers.)
func (s *scan) scanDigits() {
	var pend []run
	next := 0
	for _, i32 := range s.idx.digits {
		i := int(i32)
		if i < next {
			continue
		}
		next = i + 1
		if e := s.number(i, &pend); e > i {
			next = e
		}
	}
	s.resolvePhones(pend)
}

// shortNumber returns the end of plain runs of fewer than 7 digits that
// can be nothing this package extracts (times, dates, prices, ages), or 0
// when the full readers must look at b[i:]. Runs joined by ':' or '/'
// ("08:31:00", "22/06/2025") are read in one call: the index would skip
// each the same way on reaching it; the first that needs the readers ends
// the result before it.
func shortNumber(b []byte, i int) int {
	good := 0
	for {
		e := shortRun(b, i)
		if e == 0 {
			return good
		}
		good = e
		if e+1 >= len(b) || b[e] != ':' && b[e] != '/' || !isDigit(b[e+1]) {
			return good
		}
		i = e + 1
	}
}

// shortRun returns the end of the plain run of fewer than 7 digits at
// b[i:], or 0 when the full readers must look: a '.' (IPv4, coordinates,
// dotted numbers), keycaps, non-ASCII digits or letters after a space
// (digits mixed with words).
func shortRun(b []byte, i int) int {
	n, j := 0, i
	for j < len(b) {
		switch shortClass[b[j]] {
		case sDigit:
			k := j + 1
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			if n += k - j; n >= 7 {
				return 0
			}
			j = k
			continue
		case sDot:
			return 0
		case sHigh:
			// A keycap or a non-ASCII digit continues the number; any other
			// character ("08:30\u202fPM", an emoji) ends it.
			if j > i && keycap(b, j-1) > 0 {
				return 0
			}
			if _, w := uniDigit(b, j); w > 0 {
				return 0
			}
		case sSep:
			if j+1 < len(b) {
				if isDigit(b[j+1]) {
					j++
					continue
				}
				if b[j] == ' ' && (isAlpha(b[j+1]) || b[j+1] >= 0x80) {
					return 0
				}
			}
		}
		break
	}
	return j
}

// Byte classes of shortRun.
const (
	sOther = iota
	sDigit
	sDot
	sHigh
	sSep // joins two digit groups: ' ', '-', '(', ')', '*', ','
)

var shortClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case isDigit(byte(c)):
			t[c] = sDigit
		case c == '.':
			t[c] = sDot
		case c >= 0x80:
			t[c] = sHigh
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '*' || c == ',':
			t[c] = sSep
		}
	}
	return t
}()

// number handles the candidate at b[i] and returns where scanning resumes.
func (s *scan) number(i int, pend *[]run) int {
	b := s.text
	if c := b[i]; isDigit(c) || c == '-' {
		if e := s.coordinates(i); e > 0 {
			return e
		}
	}
	if b[i] == '-' {
		return 0
	}
	if isDigit(b[i]) {
		if e := s.ipv4(i); e > 0 {
			return e
		}
	}
	r := readRun(b, i, 0)
	if r.end <= i || r.nd == 0 {
		return 0
	}
	if s.claimed(r.start, r.end) {
		return r.end
	}
	if s.accept(&r, pend) {
		return r.end
	}
	// Two numbers in a row ("+506 8555 0123 203.0.113.5"): retry shorter.
	if r.ntok > 1 && (r.nd > 15 || r.plus) {
		for n := r.ntok - 1; n >= max(1, r.ntok-6); n-- {
			short := readRun(b, i, n)
			if short.nd < 7 {
				break
			}
			if s.accept(&short, pend) {
				return short.end
			}
		}
	}
	if r.plus && r.nd >= 7 && r.nd <= 15 && s.phoneCandidate(&r) {
		s.emit(KindPhone, r.start, r.end, "+"+string(r.d[:r.nd]), r.obfuscation(), false, "not a valid number in any numbering plan")
	}
	if r.counts[tWord] > 0 && r.nd < 7 {
		return 0 // let the next word start its own run
	}
	return r.end
}

// accept emits r as a card or a phone with a calling code, or queues it
// as a national phone number; false when it is neither.
func (s *scan) accept(r *run, pend *[]run) bool {
	if s.card(r) {
		return true
	}
	if !s.phoneCandidate(r) {
		return false
	}
	if r.plus {
		return s.intlPhone(r)
	}
	*pend = append(*pend, *r)
	return true
}

// card accepts a run shaped like a payment card (13–19 digits, bare or in
// groups, not glued to letters) whose IIN range and Luhn check pass.
// Twelve-digit Maestro numbers are left out: bank account numbers of that
// length pass Luhn one time in ten and outnumber such cards by far.
func (s *scan) card(r *run) bool {
	if r.plus || r.counts[tWord]+r.counts[tEmoji]+r.counts[tUni] > 0 || r.nd < 13 || r.nd > 19 || r.overflow {
		return false
	}
	if r.end < len(s.text) && isAlnum(s.text[r.end]) {
		return false // the head of a hash or reference: "4638870277889b5159…"
	}
	if r.seps[2] || r.seps[3] || r.seps[4] || r.seps[5] {
		return false
	}
	if r.ng > 1 {
		for g := 0; g < r.ng-1; g++ {
			if r.groups[g] != 4 && !(r.nd == 15 && r.ng == 3) {
				return false
			}
		}
	}
	d := r.d[:r.nd]
	brand := cardBrand(d)
	if brand == "" {
		return false
	}
	ok := luhn(d)
	if !ok && r.nd != 16 {
		return false
	}
	s.emit(KindCard, r.start, r.end, string(d), "", ok, reasonIf(!ok, "Luhn check failed ("+brand+")"))
	return ok || s.opts.Decoys
}

// ipv4 accepts a dotted quad with octets 0–255.
func (s *scan) ipv4(i int) int {
	b := s.text
	if i > 0 && (b[i-1] == '.' || isAlnum(b[i-1])) {
		return 0
	}
	j := i
	for part := range 4 {
		k := j
		v := 0
		for k < len(b) && isDigit(b[k]) && k-j < 4 {
			v = v*10 + int(b[k]-'0')
			k++
		}
		if k == j || k-j > 3 || v > 255 || (k-j > 1 && b[j] == '0') {
			return 0
		}
		j = k
		if part < 3 {
			if j >= len(b) || b[j] != '.' {
				return 0
			}
			j++
		}
	}
	if j < len(b) && (isAlnum(b[j]) || (b[j] == '.' || b[j] == ',') && j+1 < len(b) && isDigit(b[j+1])) {
		return 0
	}
	if s.claimed(i, j) {
		return j
	}
	s.emit(KindIPv4, i, j, string(b[i:j]), "", true, "")
	return j
}

// coordinates accepts "lat, lon" decimal degrees with at least four
// decimals each, as phones and map links write them.
func (s *scan) coordinates(i int) int {
	b := s.text
	if i > 0 && (isAlnum(b[i-1]) || b[i-1] == '.' || b[i-1] == '-') {
		return 0
	}
	lat, e1, ok := decimalAt(b, i)
	if !ok {
		return 0
	}
	k := e1
	if k < len(b) && b[k] == ',' {
		k++
	} else {
		return 0
	}
	for k < len(b) && b[k] == ' ' && k-e1 < 3 {
		k++
	}
	lon, e2, ok := decimalAt(b, k)
	if !ok || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0
	}
	if lat > -1 && lat < 1 && lon > -1 && lon < 1 {
		return 0 // "0.01603169,0.00004264": amounts, not a place in the Gulf of Guinea
	}
	if e2 < len(b) && (isDigit(b[e2]) || b[e2] == '.' && e2+1 < len(b) && isDigit(b[e2+1])) {
		return 0
	}
	v := strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64)
	s.emit(KindCoordinates, i, e2, v, "", true, "")
	return e2
}

// decimalAt parses -?d{1,3}.d{4,7} at b[i:]: GPS fixes carry 4–7
// decimals; amounts in crypto files carry 8.
func decimalAt(b []byte, i int) (float64, int, bool) {
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	k := j
	for k < len(b) && isDigit(b[k]) {
		k++
	}
	if k == j || k-j > 3 || k >= len(b) || b[k] != '.' {
		return 0, 0, false
	}
	f := k + 1
	for f < len(b) && isDigit(b[f]) {
		f++
	}
	if f-k-1 < 4 || f-k-1 > 7 {
		return 0, 0, false
	}
	v, err := strconv.ParseFloat(string(b[i:f]), 64)
	return v, f, err == nil
}

package extract

// The scan reads the bytes once (index), driven by a 256-entry byte-class
// table, and records the few places where a selector can start: "@",
// "://", bare link prefixes, JSON account keys, written "@" forms, alnum
// tokens shaped like an address or IBAN, ':' and '.' between the right
// bytes, and the starts of digit runs and number words. The extractors
// then validate only there, strongest kind first.

// Byte classes.
const (
	cDigit = 1 << iota
	cAlpha
	cWord  // continues a word: alnum, '_', any byte >= 0x80
	cHexC  // hex digit, ':' or '.' (an IPv6 address and its neighbours)
	cLabel // alnum or '-'
	cMark  // a byte the index must look at outside tokens
	cShape // starts a token wordShape may accept: '0', '1', '3', 'b', 't', upper case
)

var classes = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if isDigit(b) {
			t[c] |= cDigit
		}
		if isAlpha(b) {
			t[c] |= cAlpha
		}
		if isWordByte(b) {
			t[c] |= cWord
		}
		if isHex(b) || b == ':' || b == '.' {
			t[c] |= cHexC
		}
		if isLabelByte(b) {
			t[c] |= cLabel
		}
		switch b {
		case '@', ':', '.', '"', '+', '(', '-':
			t[c] |= cMark
		}
		if b >= 0xD9 {
			t[c] |= cMark
		}
		if b == '0' || b == '1' || b == '3' || b == 'b' || b == 't' || isUpper(b) {
			t[c] |= cShape
		}
	}
	return t
}()

const cAlnum = cDigit | cAlpha

// anchor is a candidate position and, for keyed anchors, which key or
// prefix matched there.
type anchor struct {
	pos int32
	key int8
}

// index holds the candidates of one buffer, each list sorted by position.
type index struct {
	scheme []int32  // ':' of "://"
	bare   []anchor // start of a bareURLPrefixes entry (key: its index)
	at     []int32  // '@'
	atForm []int32  // where a written "@" may start (see atForms)
	json   []anchor // '"' of a jsonHandleKeys entry (key: its index)
	tokens []span   // alnum tokens shaped like an address, IBAN or onion label
	colon  []int32  // ':' next to a hex digit, ':' or '.', and another ':' at most 5 bytes away
	dot    []int32  // '.' between a label byte and a letter
	digits []int32  // where a digit run or number word may start
	short  int      // end of the last short number (shortNumber): no digit run starts before it
}

// build reads b once and fills x.
func (x *index) build(b []byte) {
	n := len(b)
	x.digits = make([]int32, 0, n/256+16)
	x.colon = make([]int32, 0, n/64+16)
	skip := 0 // number-word scan: bytes before skip belong to a word that is not one
	for i := 0; i < n; {
		cl := classes[b[i]]
		if cl&cAlnum == 0 {
			if cl&cMark != 0 {
				x.mark(b, i, skip)
			}
			i++
			continue
		}
		j := i + 1
		for j < n && classes[b[j]]&cAlnum != 0 {
			j++
		}
		// Fast paths give what token would, without the call.
		switch {
		case cl&cDigit != 0 && i < x.short:
			// Digits inside a short number: only an address shape.
			if j-i >= 4 && (cl&cShape != 0 || j < n && b[j] == '.') {
				skip = x.token(b, i, j, skip)
			}
		case cl&cDigit == 0 && i > 0 && classes[b[i-1]]&cWord != 0:
			// Letters inside a word ("níabc", "_abc"): only an address
			// shape is recorded, and skip stays.
			if j-i >= 4 && (cl&cShape != 0 || j < n && b[j] == '.') {
				skip = x.token(b, i, j, skip)
			}
		case quietRule[b[i]] == qPlain && j-i < 14 && (j == n || b[j] != '.') &&
			(j-i == 1 || !numberPair(b[i], lower(b[i+1]))):
			skip = wordEnd(b, j) // quiet's most common case, without the call
		case quiet(b, i, j):
			skip = wordEnd(b, j)
		default:
			skip = x.token(b, i, j, skip)
		}
		i = j
	}
}

// wordEnd returns the end of the word that continues at b[j].
func wordEnd(b []byte, j int) int {
	for j < len(b) && classes[b[j]]&cWord != 0 {
		j++
	}
	return j
}

// quiet reports whether the alnum token b[i:j], where a word starts, is a
// plain word that token would only skip: at most 13 letters, not followed
// by '.', not starting like a number word, and passing the rule quietRule
// gives its first letter.
func quiet(b []byte, i, j int) bool {
	q := quietRule[b[i]]
	if q == 0 || j-i >= 14 || j < len(b) && b[j] == '.' {
		return false
	}
	n := j - i
	if n == 1 {
		return true
	}
	c2 := b[i+1]
	if numberPair(lower(b[i]), lower(c2)) {
		return false
	}
	switch q {
	case qUpper: // wordShape: an IBAN starts with two capitals
		return !isUpper(c2)
	case qPrefix: // barePrefix
		return barePrefixPairs[b[i]]&(1<<(c2&31)) == 0
	case qAt: // atWord
		return n != 2 && n != 6 && (b[i] == 'a' || !isUpper(c2))
	}
	return true
}

// Rules of quiet by first letter.
const (
	qPlain  = iota + 1 // a lower-case letter that starts no link prefix or written "@"
	qUpper             // a capital other than 'A'
	qPrefix            // the first letter of a bareURLPrefixes entry
	qAt                // 'a' or 'A': "at", "arroba"
)

var quietRule = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = qPlain
		t[c-'a'+'A'] = qUpper
	}
	for _, p := range bareURLPrefixes {
		t[p[0]] = qPrefix
	}
	t['a'], t['A'] = qAt, qAt
	return t
}()

// token records the candidates of the alnum token b[i:j] (b[i-1] is not
// alnum) and returns the new end of the skipped word.
func (x *index) token(b []byte, i, j, skip int) int {
	n := j - i
	if n >= 4 && (classes[b[i]]&cShape != 0 || j < len(b) && b[j] == '.') && wordShape(b, i, j) {
		x.tokens = append(x.tokens, span{i, j})
	}
	c := b[i]
	if isDigit(c) {
		if i >= skip && i >= x.short && (i == 0 || b[i-1] != '_') {
			// Times, dates, prices: most digit runs are short numbers, which
			// scanDigits would skip whole.
			if e := shortNumber(b, i); e > 0 {
				x.short = e
			} else {
				x.digits = append(x.digits, int32(i))
			}
		}
		return skip
	}
	if i > 0 && classes[b[i-1]]&cWord != 0 {
		return skip // inside a word: "_abc", "níabc"
	}
	// A word start.
	switch c {
	case 'a', 'A':
		if n == 2 || n == 6 {
			x.atWord(b, i)
		}
	case 'w', 't', 'i', 'f', 'x', 'o':
		if n >= 1 && (n == 1 || barePrefixPairs[c]&(1<<(b[i+1]&31)) != 0) {
			x.barePrefix(b, i)
		}
	}
	if n >= 2 && n <= 6 && numberPair(lower(c), lower(b[i+1])) && isNumberToken(b[i:j]) {
		var probe *run
		if e, _ := probe.words(b, i); e > 0 {
			x.digits = append(x.digits, int32(i))
			return skip
		}
	}
	return wordEnd(b, j)
}

// wordShape is the cheap test of scan.word: a token followed by ".onion",
// or shaped like an ETH, BTC or TRON address or an IBAN.
func wordShape(b []byte, i, j int) bool {
	n := j - i
	if j < len(b) && b[j] == '.' && hasPrefixFold(b, j, ".onion") {
		return true
	}
	switch c := b[i]; c {
	case '0':
		return n == 42 && (b[i+1] == 'x' || b[i+1] == 'X')
	case '1', '3':
		return n >= 25 && n <= 35
	case 'T':
		if n == 34 {
			return true
		}
	}
	if n >= 14 && n <= 90 && (hasPrefixFold(b, i, "bc1") || hasPrefixFold(b, i, "tb1")) {
		return true
	}
	return isUpper(b[i]) && isUpper(b[i+1]) && isDigit(b[i+2]) && isDigit(b[i+3])
}

// atWord records the written "@" forms of atForms that start at the
// word b[i:] ('a' or 'A'): " at ", "arroba", and "at]" after a bracket.
func (x *index) atWord(b []byte, i int) {
	if i+1 >= len(b) || (b[i+1]|0x20 != 't' && b[i+1]|0x20 != 'r') {
		return
	}
	for _, f := range atForms {
		switch {
		case f[0] == ' ':
			if f[1] != '@' && i > 0 && b[i-1] == ' ' && hasPrefix(b, i, f[1:]) {
				x.atForm = append(x.atForm, int32(i))
			}
		case f[len(f)-1] == ']' || f[len(f)-1] == ')' || f[len(f)-1] == '}':
			if i > 0 && hasPrefix(b, i, f) {
				x.atForm = append(x.atForm, int32(i-1))
			}
		default:
			if hasPrefix(b, i, f) {
				x.atForm = append(x.atForm, int32(i))
			}
		}
	}
}

// barePrefixPairs[c] has bit (c2&31) set when a bareURLPrefixes entry
// starts with c c2.
var barePrefixPairs = func() (t [256]uint32) {
	for _, p := range bareURLPrefixes {
		t[p[0]] |= 1 << (p[1] & 31)
	}
	return t
}()

// isNumberToken reports whether tok (case folded) is a number word or
// "doble", "double", "triple": the only tokens run.words can accept.
func isNumberToken(tok []byte) bool {
	if len(tok) > 8 {
		return false
	}
	var key uint64
	for _, c := range tok {
		key = key<<8 | uint64(lower(c))
	}
	for _, w := range numberTokens {
		if w == key {
			return true
		}
	}
	return false
}

// numberTokens are the words of isNumberToken packed as by it.
var numberTokens = func() []uint64 {
	words := []string{"doble", "double", "triple"}
	for _, w := range numberWords {
		words = append(words, w.w)
	}
	out := make([]uint64, len(words))
	for k, w := range words {
		for i := 0; i < len(w); i++ {
			out[k] = out[k]<<8 | uint64(w[i])
		}
	}
	return out
}()

// barePrefix records a bareURLPrefixes entry at b[i:].
func (x *index) barePrefix(b []byte, i int) {
	for k, p := range bareURLPrefixes {
		if p[0] == b[i] && hasPrefix(b, i, p) {
			x.bare = append(x.bare, anchor{int32(i), int8(k)})
		}
	}
}

func hasPrefix(b []byte, i int, p string) bool {
	return len(b)-i >= len(p) && string(b[i:i+len(p)]) == p
}

// mark records the candidates at a non-alnum byte of interest.
func (x *index) mark(b []byte, i, skip int) {
	n := len(b)
	c := b[i]
	switch c {
	case '@':
		x.at = append(x.at, int32(i))
		if i > 0 && b[i-1] == ' ' && i+1 < n && b[i+1] == ' ' {
			x.atForm = append(x.atForm, int32(i))
		}
	case ':':
		if i+2 < n && b[i+1] == '/' && b[i+2] == '/' {
			x.scheme = append(x.scheme, int32(i))
		}
		if (i > 0 && classes[b[i-1]]&cHexC != 0 || i+1 < n && classes[b[i+1]]&cHexC != 0) && colonNear(b, i) {
			x.colon = append(x.colon, int32(i))
		}
	case '.':
		if i > 0 && i+1 < n && classes[b[i-1]]&cLabel != 0 && isAlpha(b[i+1]) {
			x.dot = append(x.dot, int32(i))
		}
	case '"':
		if i+1 >= n || (b[i+1] != 'u' && b[i+1] != 's' && b[i+1] != 'h') {
			return
		}
		for k, key := range jsonHandleKeys {
			if hasPrefix(b, i, key) {
				x.json = append(x.json, anchor{int32(i), int8(k)})
			}
		}
	case '-':
		// Only a negative coordinate starts at '-': not after a word, a
		// digit, '.' or '-' ("2025-06-10", "HN-2025").
		if i+1 < n && isDigit(b[i+1]) && i >= x.short && (i == 0 || !isAlnum(b[i-1]) && b[i-1] != '.' && b[i-1] != '-') {
			x.digits = append(x.digits, int32(i))
		}
	case '+', '(':
		if i+1 < n && isDigit(b[i+1]) && i >= x.short {
			x.digits = append(x.digits, int32(i))
		}
	default: // >= 0xD9: non-ASCII digits (emoji, LRM and the like start nothing)
		if _, w := uniDigit(b, i); w > 0 && i >= skip {
			x.digits = append(x.digits, int32(i))
		}
	}
}

// colonNear reports whether another ':' is at most 5 bytes from b[i]: in
// an IPv6 address every ':' is (groups have at most four hex digits), so
// a lone ':' ("Rivera: hola") starts none.
func colonNear(b []byte, i int) bool {
	if i >= 5 && i+5 < len(b) {
		w := b[i-5 : i+6 : i+6]
		return w[2] == ':' || w[8] == ':' || w[3] == ':' || w[7] == ':' || w[4] == ':' || w[6] == ':' ||
			w[1] == ':' || w[9] == ':' || w[0] == ':' || w[10] == ':'
	}
	for k := max(0, i-5); k < min(len(b), i+6); k++ {
		if b[k] == ':' && k != i {
			return true
		}
	}
	return false
}

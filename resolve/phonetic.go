package resolve

// phonetic returns a Spanish-aware phonetic key of one folded name token.
//
// Rules, applied left to right: ch → X, sh → X, ll → Y, qu → K, gu before
// e/i → G, g before e/i → J, c before e/i → S, z → S, c/k/q → K, v/w → B,
// ph → F, th → T, x → KS (initial x → S), h silent, y before a vowel → Y
// and otherwise a vowel; the first letter is kept (initial vowels as A),
// later vowels are dropped and repeated codes collapse (rr → R, nn → N).
// So Vásquez and Vazquez → BSKS, González and Gonsales → GNSLS, Yolanda and
// Llolanda → YLND, Catherine and Katherine → KTRN, Elena and Helena → ALN.
// Limits: it does not model English vowel digraphs or silent letters other
// than h (Stephen → STFN, Steven → STBN differ); Jaro-Winkler covers those.
func phonetic(t string) string {
	out := make([]byte, 0, len(t))
	emit := func(c byte) {
		if n := len(out); n == 0 || out[n-1] != c {
			out = append(out, c)
		}
	}
	for i := 0; i < len(t); i++ {
		c, next := t[i], byteAt(t, i+1)
		first := len(out) == 0
		switch {
		case c >= '0' && c <= '9':
			emit(c)
		case isVowel(c):
			if first {
				emit('A')
			} else if out[len(out)-1] != '_' {
				out = append(out, '_') // vowel separator: keeps "nn" vs "nan" distinct
			}
		case c == 'h':
			// silent
		case c == 'c' && next == 'h', c == 's' && next == 'h':
			emit('X')
			i++
		case c == 'l' && next == 'l':
			emit('Y')
			i++
		case c == 'q':
			emit('K')
			if next == 'u' {
				i++
			}
		case c == 'g' && next == 'u' && (byteAt(t, i+2) == 'e' || byteAt(t, i+2) == 'i'):
			emit('G')
			i++
		case c == 'g' && (next == 'e' || next == 'i'):
			emit('J')
		case c == 'c' && (next == 'e' || next == 'i'):
			emit('S')
		case c == 'z', c == 's':
			emit('S')
		case c == 'c', c == 'k':
			emit('K')
		case c == 'v', c == 'w', c == 'b':
			emit('B')
		case c == 'p' && next == 'h':
			emit('F')
			i++
		case c == 't' && next == 'h':
			emit('T')
			i++
		case c == 'x':
			if first {
				emit('S')
			} else {
				emit('K')
				emit('S')
			}
		case c == 'y':
			if isVowel(next) {
				emit('Y')
			} else if first {
				emit('A')
			}
		case c >= 'a' && c <= 'z':
			emit(c - 32)
		}
	}
	return compactPhonetic(out)
}

// compactPhonetic drops the vowel separators and collapses the repeats they
// hid only when the same consonant was doubled without a vowel.
func compactPhonetic(b []byte) string {
	out := b[:0]
	for _, c := range b {
		if c != '_' {
			out = append(out, c)
		}
	}
	return string(out)
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

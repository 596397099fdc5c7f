package extract

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// indexFragments are pieces of chat text around every fast path of the
// index: plain, capitalised and accented words, words that start a link
// prefix, a written "@" or a number word, dates, times, short and long
// numbers, keycaps, non-ASCII digits, emoji and addresses.
var indexFragments = []string{
	" ", " ", " ", "\n", ", ", ": ", "[", "] ", ".", "-", "/", ":", "_", "(", ")", "+", "\"", "@", "*",
	"la", "agencia", "cubre", "el", "viaje", "después", "cuánto", "número", "níabc", "_abc", "a", "A",
	"at", "AT", "At", "arroba", "Arroba", "ARROBA", "at]", "ate", "y", "Y", "Camila", "Rivera", "PM", "AM",
	"www", "wa", "we", "t", "tu", "tiktok", "te", "instagram", "ig", "facebook", "fe", "x", "xo", "onlyfans", "otro", "ok",
	"uno", "dos", "Dos", "tres", "cinco", "Cinco", "cuatro", "seis", "siete", "ocho", "nueve", "cero", "doble", "triple",
	"one", "two", "three", "five", "five", "zero", "oh", "double", "se", "si", "un", "tr", "th", "fi",
	"22/06/2025", "08:31:00", "9:05", "2025-06-01T19:27:00", "1748824020", "3500", "12 34", "12 34 56 78",
	"555", "5550", "0196", "+52 55 5550 0196", "(506) 8555-0123", "-84.0907", "9.9281,-84.0907",
	"8️⃣", "5\u20e3", "８５５５", "٣", "۵", "०", "①", "⓪", "\U0001d7ce", "\u202f", "\u200e", "📸", "💵", "á", "ñ",
	"2001:db8::1", "::", "198.51.100.7", "t.me/luna", "wa.me/50685550123", "x.com/a", ".onion", "example.com",
	"CR05 0152 0200 1026 2840 66", "GB82WEST12345698765432", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "abcdefghijklmnop",
	`"username"`, `"handle"`, `"screenNames"`, "4111 1111 1111 1111",
}

// indexInputs returns the fuzz seeds and n random texts of fragments.
func indexInputs(n int) [][]byte {
	out := make([][]byte, 0, len(fuzzSeeds)+n)
	for _, s := range fuzzSeeds {
		out = append(out, []byte(s))
	}
	r := rand.New(rand.NewPCG(7, 11))
	for range n {
		var sb strings.Builder
		for range 1 + r.IntN(60) {
			sb.WriteString(indexFragments[r.IntN(len(indexFragments))])
		}
		out = append(out, []byte(sb.String()))
	}
	return out
}

// buildPlain is the straightforward index: every alnum token goes
// through token, every other byte of interest through mark, and the runs
// of a time or date are read one at a time.
func buildPlain(b []byte) index {
	var x index
	skip := 0
	for i := 0; i < len(b); {
		cl := classes[b[i]]
		if cl&cAlnum == 0 {
			if cl&cMark != 0 {
				x.mark(b, i, skip)
			}
			i++
			continue
		}
		j := i + 1
		for j < len(b) && classes[b[j]]&cAlnum != 0 {
			j++
		}
		unchained := 0
		if isDigit(b[i]) && i >= x.short {
			unchained = shortRun(b, i)
		}
		skip = x.token(b, i, j, skip)
		if unchained > 0 {
			x.short = unchained // one run at a time, not a whole time or date
		}
		i = j
	}
	return x
}

// TestIndexFastPaths checks that the fast paths of build (quiet words,
// letters inside a word, digits inside a short number, the runs of a
// time or date read in one call) record exactly what the plain index does.
func TestIndexFastPaths(t *testing.T) {
	opt := cmp.Options{cmp.AllowUnexported(index{}, anchor{}, span{}), cmpopts.EquateEmpty(), cmpopts.IgnoreFields(index{}, "short")}
	for _, text := range indexInputs(3000) {
		var fast index
		fast.build(text)
		plain := buildPlain(text)
		if diff := cmp.Diff(plain, fast, opt); diff != "" {
			t.Fatalf("build(%q) differs from the plain index (-plain +fast):\n%s", text, diff)
		}
	}
}

// TestIndexSkipsNothingReadable checks the digit candidates the index
// leaves out against the reader they spare: number finds nothing at a
// short run ending at a non-ASCII byte ("08:30\u202fPM") and at a
// non-ASCII byte that starts no digit.
func TestIndexSkipsNothingReadable(t *testing.T) {
	for _, text := range indexInputs(3000) {
		for i := range text {
			var skipped []int
			switch c := text[i]; {
			case isDigit(c) && (i == 0 || !isDigit(text[i-1])):
				if e := shortRun(text, i); e > 0 && e < len(text) && text[e] >= 0x80 {
					skipped = append(skipped, i)
				}
			case c >= 0xD9:
				if _, w := uniDigit(text, i); w == 0 {
					skipped = append(skipped, i)
				}
			}
			for _, p := range skipped {
				s := newScan(text, Options{Region: "CR", Decoys: true}, 0, nil)
				var pend []run
				s.number(p, &pend)
				if len(s.out) > 0 || len(pend) > 0 {
					t.Fatalf("index skips %q at %d of %q, but number finds %+v (pending %d)", text[p:], p, text, s.out, len(pend))
				}
			}
		}
	}
}

// uniDigitPlain is uniDigit as first written, one case per script.
func uniDigitPlain(b []byte, i int) (d byte, n int) {
	at := func(k int) byte {
		if i+k < len(b) {
			return b[i+k]
		}
		return 0
	}
	switch c := b[i]; {
	case c == 0xEF && at(1) == 0xBC && at(2) >= 0x90 && at(2) <= 0x99:
		return at(2) - 0x90, 3
	case c == 0xD9 && at(1) >= 0xA0 && at(1) <= 0xA9:
		return at(1) - 0xA0, 2
	case c == 0xDB && at(1) >= 0xB0 && at(1) <= 0xB9:
		return at(1) - 0xB0, 2
	case c == 0xE0 && at(1) == 0xA5 && at(2) >= 0xA6 && at(2) <= 0xAF:
		return at(2) - 0xA6, 3
	case c == 0xF0 && at(1) == 0x9D && at(2) == 0x9F && at(3) >= 0x8E && at(3) <= 0xBF:
		return (at(3) - 0x8E) % 10, 4
	case c == 0xE2 && at(1) == 0x91 && at(2) >= 0xA0 && at(2) <= 0xA8:
		return at(2) - 0xA0 + 1, 3
	case c == 0xE2 && at(1) == 0x93 && at(2) == 0xAA:
		return 0, 3
	}
	return 0, 0
}

// TestUniDigitFast compares uniDigit with uniDigitPlain on every lead
// byte, every continuation byte after it and the range edges after that,
// cut at every length.
func TestUniDigitFast(t *testing.T) {
	edges := []byte{0x80, 0x8E, 0x8F, 0x90, 0x99, 0x9A, 0x9D, 0x9F, 0xA0, 0xA5, 0xA6, 0xA8, 0xA9, 0xAA, 0xAF, 0xB0, 0xB9, 0xBA, 0xBC, 0xBF, '5'}
	for c0 := 0x80; c0 < 0x100; c0++ {
		for c1 := 0x80; c1 < 0xC0; c1++ {
			for _, c2 := range edges {
				for _, c3 := range edges {
					full := []byte{byte(c0), byte(c1), c2, c3}
					for n := 1; n <= len(full); n++ {
						b := full[:n]
						d, w := uniDigit(b, 0)
						pd, pw := uniDigitPlain(b, 0)
						if d != pd || w != pw {
							t.Fatalf("uniDigit(% x) = %d, %d; the plain one says %d, %d", b, d, w, pd, pw)
						}
					}
				}
			}
		}
	}
}

// scanColonsPlain is scanColons without the shortcut past a run that
// failed: every ':' is read on its own.
func (s *scan) scanColonsPlain() {
	b := s.text
	next := 0
	for _, c32 := range s.idx.colon {
		c := int(c32)
		if c < next {
			continue
		}
		st := c
		for st > 0 && classes[b[st-1]]&cHexC != 0 && c-st < 45 {
			st--
		}
		e := c
		for e < len(b) && classes[b[e]]&cHexC != 0 && e-st < 45 {
			e++
		}
		for e > c && b[e-1] == '.' {
			e--
		}
		if (st > 0 && isAlnum(b[st-1])) || (e < len(b) && isAlnum(b[e])) || !ip6Shape(b[st:e]) {
			continue
		}
		a, err := netip.ParseAddr(string(b[st:e]))
		if err != nil || !a.Is6() || a.Zone() != "" {
			continue
		}
		if !s.claimed(st, e) {
			s.emit(KindIPv6, st, e, a.String(), "", true, "")
		}
		next = e + 1
	}
}

// TestScanColonsFast compares scanColons, on the colons of the index,
// with scanColonsPlain on every ':' next to a hex digit, ':' or '.', on
// texts of times, addresses and runs longer than an address.
func TestScanColonsFast(t *testing.T) {
	frags := []string{"2001:db8::1", "::", ":", "fe80::1:2", "08:31:00", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", ".", "..",
		"abcd", "0", " ", "x", "2001:db8:0:0:0:0:2:1", "a:b:c:d:e:f:a:b:c:d:e:f", "::1", "1::", "[", "]"}
	r := rand.New(rand.NewPCG(3, 5))
	inputs := indexInputs(500)
	for range 3000 {
		var sb strings.Builder
		for range 1 + r.IntN(20) {
			sb.WriteString(frags[r.IntN(len(frags))])
		}
		inputs = append(inputs, []byte(sb.String()))
	}
	for _, text := range inputs {
		fast := newScan(text, Options{}, 0, nil)
		fast.idx.build(text)
		fast.scanColons()
		plain := newScan(text, Options{}, 0, nil)
		plain.idx.build(text)
		plain.idx.colon = nil // every ':' next to a hex digit, ':' or '.'
		for i, c := range text {
			if c == ':' && (i > 0 && classes[text[i-1]]&cHexC != 0 || i+1 < len(text) && classes[text[i+1]]&cHexC != 0) {
				plain.idx.colon = append(plain.idx.colon, int32(i))
			}
		}
		plain.scanColonsPlain()
		if diff := cmp.Diff(plain.out, fast.out); diff != "" {
			t.Fatalf("scanColons(%q) differs from the plain one (-plain +fast):\n%s", text, diff)
		}
	}
}

// shortRunPlain is shortRun as first written, one case per byte.
func shortRunPlain(b []byte, i int) int {
	n, j := 0, i
	for j < len(b) {
		c := b[j]
		switch {
		case isDigit(c):
			k := j + 1
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			if n += k - j; n >= 7 {
				return 0
			}
			j = k
			continue
		case c == '.':
			return 0
		case c >= 0x80:
			// A keycap or a non-ASCII digit continues the number; any other
			// character ("08:30\u202fPM", an emoji) ends it.
			if j > i && keycap(b, j-1) > 0 {
				return 0
			}
			if _, w := uniDigit(b, j); w > 0 {
				return 0
			}
		case (c == ' ' || c == '-' || c == '(' || c == ')' || c == '*' || c == ',') && j+1 < len(b):
			if isDigit(b[j+1]) {
				j++
				continue
			}
			if c == ' ' && (isAlpha(b[j+1]) || b[j+1] >= 0x80) {
				return 0
			}
		}
		break
	}
	if n >= 7 {
		return 0
	}
	return j
}

// TestShortRunFast compares shortRun with shortRunPlain at every byte of
// the inputs of the index tests.
func TestShortRunFast(t *testing.T) {
	for _, text := range indexInputs(3000) {
		for i := range text {
			if got, want := shortRun(text, i), shortRunPlain(text, i); got != want {
				t.Fatalf("shortRun(%q, %d) = %d, the plain one says %d", text, i, got, want)
			}
		}
	}
}

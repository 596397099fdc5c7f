package resolve

import (
	"math/rand/v2"
	"testing"
)

// TestJWUpperBounds checks the cheap bound never falls below the
// similarity it stands in for, on names, near misses and random strings.
func TestJWUpperBounds(t *testing.T) {
	words := []string{"jose", "maria", "martinez", "martines", "gonzalez", "gonzales", "hernandez", "ana", "anna",
		"lopez", "perez", "ortiz", "smith", "smyth", "francisco", "paco", "guadalupe", "lupe", "a", "ab", "ba"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(12)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + r.IntN(6))
		}
		words = append(words, string(b))
	}
	for _, x := range words[:200] {
		for _, y := range words {
			if jw, up := jaroWinkler(x, y), jwUpper(x, y); up < jw-1e-12 {
				t.Fatalf("jwUpper(%q, %q) = %v < jaroWinkler %v", x, y, up, jw)
			}
		}
	}
}

// TestDobDistanceIsLevenshtein checks the shortcut for dates against the
// edit distance capped at 3 (all the levels need), on dates one or two
// random edits apart (typos, moved digits, swapped digits).
func TestDobDistanceIsLevenshtein(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	digit := func() byte { return byte('0' + r.IntN(10)) }
	for n := 0; n < 20000; n++ {
		a := []byte{digit(), digit(), digit(), digit(), digit(), digit(), digit(), digit()}
		b := append([]byte(nil), a...)
		for e := r.IntN(3); e >= 0; e-- {
			switch i, j := r.IntN(8), r.IntN(8); r.IntN(3) {
			case 0:
				b[i] = digit()
			case 1: // move one digit from i to j
				c := b[i]
				b = append(b[:i], b[i+1:]...)
				b = append(b[:j], append([]byte{c}, b[j:]...)...)
			default:
				b[i], b[j] = b[j], b[i]
			}
		}
		var pa, pb prepared
		pa.dob, pb.dob = string(a), string(b)
		ps := []prepared{pa, pb}
		internNames(ps)
		if got, want := dobDistance(&ps[0], &ps[1]), min(levenshtein(pa.dob, pb.dob, 2), 3); got != want {
			t.Fatalf("dobDistance(%s, %s) = %d, levenshtein %d", pa.dob, pb.dob, got, want)
		}
	}
}

// TestSigUpperBoundsJWUpper checks the signature bound never falls below
// jwUpper, which it is tried before: skipping on it never skips a pair
// jwUpper would keep.
func TestSigUpperBoundsJWUpper(t *testing.T) {
	words := []string{"jose", "maria", "martinez", "martines", "anna", "ana", "aaaa", "aaaab", "xq1", "pérez", "perez", "q0", "p0"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		b := make([]byte, 1+r.IntN(10))
		for i := range b {
			b[i] = "aabcdeopqrst0123é"[r.IntN(17)]
		}
		words = append(words, string(b))
	}
	for _, x := range words {
		sx := signature(x)
		for _, y := range words[:200] {
			sy := signature(y)
			if s, j := sigUpper(&sx, &sy), jwUpper(x, y); s < j {
				t.Fatalf("sigUpper(%q, %q) = %v < jwUpper %v", x, y, s, j)
			}
		}
	}
}

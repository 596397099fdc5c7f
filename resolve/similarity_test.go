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

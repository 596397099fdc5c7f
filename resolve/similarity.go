package resolve

// jaroWinkler returns the Jaro-Winkler similarity of a and b (bytes; names
// are folded to ASCII first), in [0, 1].
func jaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var flagsA, flagsB [64]bool
	if lb > 64 {
		return levenshteinSim(a, b)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !flagsB[j] && a[i] == b[j] {
				flagsA[i], flagsB[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < la; i++ {
		if !flagsA[i] {
			continue
		}
		for !flagsB[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans/2))/m) / 3
	prefix := 0
	for prefix < 4 && prefix < la && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// levenshtein returns the edit distance of a and b, stopping early with
// limit+1 once the distance must exceed limit.
func levenshtein(a, b string, limit int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > limit || -d > limit {
		return limit + 1
	}
	var buf [2][65]int
	prev, cur := buf[0][:], buf[1][:]
	if lb > 64 {
		prev, cur = make([]int, lb+1), make([]int, lb+1)
	}
	prev, cur = prev[:lb+1], cur[:lb+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		best := i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[lb]
}

// levenshteinSim is 1 - distance/longer length.
func levenshteinSim(a, b string) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 0
	}
	return 1 - float64(levenshtein(a, b, n))/float64(n)
}

// jwUpper is an upper bound of jaroWinkler(a, b) from letter counts alone:
// Jaro's m matches cannot exceed the letters the strings share (as
// multisets), so Jaro ≤ (m/|a| + m/|b| + 1)/3, and the Winkler prefix bonus
// adds at most 0.4·(1−Jaro). It is a few times cheaper than the
// similarity, and most candidate pairs (different names in one date-of-
// birth block) fall far below every threshold.
func jwUpper(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if max(la, lb) > 64 {
		return 1 // jaroWinkler falls back to edit similarity there
	}
	var count [128]uint8
	for i := 0; i < la; i++ {
		count[a[i]&127]++
	}
	m := 0
	for i := 0; i < lb; i++ {
		if c := b[i] & 127; count[c] > 0 {
			count[c]--
			m++
		}
	}
	if m == 0 {
		return 0
	}
	j := (float64(m)/float64(la) + float64(m)/float64(lb) + 1) / 3
	return j + 0.4*(1-j)
}

// jwAtLeast returns jaroWinkler(a, b) when exact is set or the bound
// allows reaching t, else 0 (below t, which is all the level needs).
func jwAtLeast(a, b string, t float64, exact bool) float64 {
	if !exact && jwUpper(a, b) < t {
		return 0
	}
	return jaroWinkler(a, b)
}

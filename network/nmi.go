package network

import "math"

// NMI returns the normalised mutual information between two partitions of
// the same nodes, 2·I(A;B)/(H(A)+H(B)) (the "arithmetic" normalisation of
// igraph's compare_communities and scikit-learn): 1 when they agree up to
// relabelling. Two single-community partitions score 1.
func NMI(a, b []int32) float64 {
	n := float64(len(a))
	if n == 0 {
		return 1
	}
	ca, cb := counts(a), counts(b)
	joint := map[[2]int32]float64{}
	for i := range a {
		joint[[2]int32{a[i], b[i]}]++
	}
	mi := 0.0
	for k, nij := range joint {
		mi += nij / n * math.Log(nij*n/(ca[k[0]]*cb[k[1]]))
	}
	ha, hb := entropy(ca, n), entropy(cb, n)
	if ha+hb == 0 {
		return 1
	}
	return 2 * mi / (ha + hb)
}

func counts(x []int32) map[int32]float64 {
	c := map[int32]float64{}
	for _, v := range x {
		c[v]++
	}
	return c
}

func entropy(c map[int32]float64, n float64) float64 {
	h := 0.0
	for _, k := range c {
		h -= k / n * math.Log(k/n)
	}
	return h
}

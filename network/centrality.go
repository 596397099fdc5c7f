package network

import "math"

// DegreeMode says which edges a degree counts.
type DegreeMode int

// Degree modes. On undirected views all three are the same.
const (
	DegreeAll DegreeMode = iota // distinct neighbours in either direction
	DegreeOut
	DegreeIn
)

// Degree returns the number of distinct neighbours of each node (parallel
// links count once; use Strength for their number or weight).
func Degree(g *Graph, mode DegreeMode) []int {
	a := g.adj(mode)
	d := make([]int, g.N())
	for v := range d {
		d[v] = int(a.off[v+1] - a.off[v])
	}
	return d
}

// Strength returns the summed weight of each node's links.
func Strength(g *Graph, mode DegreeMode) []float64 {
	a := g.adj(mode)
	s := make([]float64, g.N())
	for v := range s {
		s[v] = a.strength(int32(v))
	}
	return s
}

func (g *Graph) adj(mode DegreeMode) *adjacency {
	switch mode {
	case DegreeOut:
		return g.out
	case DegreeIn:
		return g.in
	default:
		return g.und
	}
}

// PageRankOptions tunes PageRank. Zero values take the defaults.
type PageRankOptions struct {
	Damping   float64 // default 0.85
	Tolerance float64 // L1 change between iterations to stop; default 1e-12
	MaxIter   int     // default 1000
	Weighted  bool    // follow links in proportion to their weight
}

// PageRank returns the PageRank of every node (summing to 1), following
// edge direction on directed views. Dangling nodes spread their rank
// uniformly, as igraph (PRPACK) does.
func PageRank(g *Graph, opt PageRankOptions) []float64 {
	n := g.N()
	if n == 0 {
		return nil
	}
	d, tol, maxIter := opt.Damping, opt.Tolerance, opt.MaxIter
	if d == 0 {
		d = 0.85
	}
	if tol == 0 {
		tol = 1e-12
	}
	if maxIter == 0 {
		maxIter = 1000
	}
	outW := make([]float64, n)
	for v := range int32(n) {
		if opt.Weighted {
			outW[v] = g.out.strength(v)
		} else {
			outW[v] = float64(g.out.off[v+1] - g.out.off[v])
		}
	}
	x, next := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	for range maxIter {
		pageRankStep(g.in, opt.Weighted, d, outW, x, next)
		diff := 0.0
		for i := range x {
			diff += math.Abs(next[i] - x[i])
		}
		x, next = next, x
		if diff < tol {
			break
		}
	}
	return x
}

// pageRankStep pulls rank along in-edges: next = (1-d)/n + d(A'x + dangling/n).
func pageRankStep(in *adjacency, weighted bool, d float64, outW, x, next []float64) {
	n := len(x)
	dangling := 0.0
	for v, w := range outW {
		if w == 0 {
			dangling += x[v]
		}
	}
	base := (1-d)/float64(n) + d*dangling/float64(n)
	for v := range int32(n) {
		s := 0.0
		for p := in.off[v]; p < in.off[v+1]; p++ {
			u := in.nbr[p]
			if weighted {
				s += x[u] * in.w[p] / outW[u]
			} else {
				s += x[u] / outW[u]
			}
		}
		next[v] = base + d*s
	}
	sum := 0.0
	for _, r := range next {
		sum += r
	}
	for i := range next {
		next[i] /= sum
	}
}

// KCore returns the core number of every node (Batagelj–Zaversnik, O(m)),
// counting distinct neighbours in either direction.
func KCore(g *Graph) []int {
	n := g.N()
	deg := Degree(g, DegreeAll)
	maxDeg := 0
	for _, d := range deg {
		maxDeg = max(maxDeg, d)
	}
	bin := make([]int, maxDeg+1)
	for _, d := range deg {
		bin[d]++
	}
	start := 0
	for d := range bin {
		bin[d], start = start, start+bin[d]
	}
	pos, vert := make([]int, n), make([]int32, n)
	for v, d := range deg {
		pos[v] = bin[d]
		vert[pos[v]] = int32(v)
		bin[d]++
	}
	for d := maxDeg; d > 0; d-- {
		bin[d] = bin[d-1]
	}
	bin[0] = 0
	for i := range n {
		v := vert[i]
		for _, u := range g.und.row(v) {
			if deg[u] > deg[v] {
				du, pu := deg[u], pos[u]
				pw := bin[du]
				w := vert[pw]
				if u != w {
					pos[u], pos[w] = pw, pu
					vert[pu], vert[pw] = w, u
				}
				bin[du]++
				deg[u]--
			}
		}
	}
	return deg
}

package network

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// BetweennessOptions tunes Betweenness. Zero values compute exact,
// unweighted, unnormalised betweenness on all cores.
type BetweennessOptions struct {
	// Weighted treats edge weights as lengths (costs), as igraph and
	// networkx do; for tie strengths convert them first (e.g. 1/w).
	Weighted bool
	// Samples > 0 and < N estimates betweenness from that many pivot
	// sources drawn without replacement with Seed (Brandes–Pich 2007),
	// scaled by N/Samples: unbiased; with k pivots every node's error stays
	// below eps·N·(N-2) with probability 1-delta when
	// k ≥ ln(2N/delta)/(2·eps²) (Hoeffding and a union bound).
	Samples int
	Seed    uint64
	// Workers splits sources over goroutines; 0 means GOMAXPROCS. Results
	// do not depend on it: sources go in fixed chunks summed in order.
	Workers int
	// Normalized divides by the number of ordered (directed) or unordered
	// pairs of other nodes.
	Normalized bool
}

// chunks is the fixed number of source blocks, independent of the worker
// count so that floating-point sums are the same on every machine.
const chunks = 16

// Betweenness returns the betweenness centrality of every node (Brandes
// 2001): BFS for unweighted views, Dijkstra for weighted ones. On
// undirected views each pair counts once, as in igraph.
func Betweenness(g *Graph, opt BetweennessOptions) []float64 {
	n := g.N()
	sources := pivots(n, opt.Samples, opt.Seed)
	parts := make([][]float64, chunks)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			ws := newBrandes(g.out, g.in, opt.Weighted)
			for c := range next {
				lo, hi := c*len(sources)/chunks, (c+1)*len(sources)/chunks
				parts[c] = ws.run(sources[lo:hi])
			}
		})
	}
	wg.Wait()
	return mergeBetweenness(g, parts, len(sources), opt.Normalized)
}

func mergeBetweenness(g *Graph, parts [][]float64, nsrc int, normalized bool) []float64 {
	n := g.N()
	bc := make([]float64, n)
	for _, p := range parts {
		for v, x := range p {
			bc[v] += x
		}
	}
	scale := 1.0
	if nsrc > 0 && nsrc < n {
		scale = float64(n) / float64(nsrc)
	}
	if !g.directed {
		scale /= 2
	}
	if normalized && n > 2 {
		pairs := float64(n-1) * float64(n-2)
		if !g.directed {
			pairs /= 2
		}
		scale /= pairs
	}
	for v := range bc {
		bc[v] *= scale
	}
	return bc
}

// pivots returns all nodes, or k of them drawn without replacement.
func pivots(n, k int, seed uint64) []int32 {
	all := identity(n)
	if k <= 0 || k >= n {
		return all
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := range k {
		j := i + rng.IntN(n-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:k]
}

// brandes is one worker's workspace.
type brandes struct {
	out, in  *adjacency
	weighted bool
	sigma    []float64
	dist     []float64
	level    []int32 // BFS distance, -1 when unreached
	delta    []float64
	order    []int32
	queue    []int32
	pq       distHeap
}

func newBrandes(out, in *adjacency, weighted bool) *brandes {
	n := len(out.off) - 1
	b := &brandes{out: out, in: in, weighted: weighted, sigma: make([]float64, n), dist: make([]float64, n),
		delta: make([]float64, n), order: make([]int32, 0, n), queue: make([]int32, 0, n)}
	b.level = make([]int32, n)
	for i := range b.dist {
		b.dist[i], b.level[i] = -1, -1
	}
	return b
}

func (b *brandes) run(sources []int32) []float64 {
	bc := make([]float64, len(b.sigma))
	for _, s := range sources {
		if b.weighted {
			b.dijkstra(s)
			b.accumulate(s, bc)
		} else {
			b.bfs(s)
			b.accumulateBFS(s, bc)
		}
	}
	return bc
}

func (b *brandes) bfs(s int32) {
	out := b.out
	level := b.level
	b.sigma[s], level[s] = 1, 0
	b.order = append(b.order[:0], s)
	for i := 0; i < len(b.order); i++ {
		v := b.order[i]
		dv, sv := level[v]+1, b.sigma[v]
		for _, w := range out.nbr[out.off[v]:out.off[v+1]] {
			if level[w] < 0 {
				level[w] = dv
				b.order = append(b.order, w)
			}
			if level[w] == dv {
				b.sigma[w] += sv
			}
		}
	}
}

// accumulateBFS pulls dependencies from successors one level further
// (reading, not scattering, keeps the inner loop free of stores), keeping
// (1+δ(w))/σ(w) in delta once w is done; then resets the workspace.
func (b *brandes) accumulateBFS(s int32, bc []float64) {
	out, level := b.out, b.level
	for i := len(b.order) - 1; i >= 0; i-- {
		v := b.order[i]
		next := level[v] + 1
		sum := 0.0
		for _, w := range out.nbr[out.off[v]:out.off[v+1]] {
			if level[w] == next {
				sum += b.delta[w]
			}
		}
		dep := b.sigma[v] * sum
		if v != s {
			bc[v] += dep
		}
		b.delta[v] = (1 + dep) / b.sigma[v]
	}
	for _, v := range b.order {
		b.sigma[v], level[v], b.delta[v] = 0, -1, 0
	}
}

// eps is the relative tolerance under which two path lengths are equal,
// the same as igraph's.
const eps = 1e-10

func (b *brandes) dijkstra(s int32) {
	out := b.out
	b.order = b.order[:0]
	b.sigma[s], b.dist[s] = 1, 0
	b.pq = append(b.pq[:0], distItem{0, s})
	settled := b.queue[:0] // reuse: marks settled nodes through delta < 0
	for len(b.pq) > 0 {
		it := b.pq.pop()
		v := it.v
		if b.delta[v] < 0 || it.d > b.dist[v] {
			continue
		}
		b.delta[v] = -1
		settled = append(settled, v)
		b.order = append(b.order, v)
		for p := out.off[v]; p < out.off[v+1]; p++ {
			w, nd := out.nbr[p], b.dist[v]+out.w[p]
			switch {
			case b.dist[w] < 0 || nd < b.dist[w]-eps*nd:
				b.dist[w], b.sigma[w] = nd, b.sigma[v]
				b.pq.push(distItem{nd, w})
			case math.Abs(nd-b.dist[w]) <= eps*nd && b.delta[w] >= 0:
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	for _, v := range settled {
		b.delta[v] = 0
	}
	b.queue = settled
}

// accumulate walks the nodes back from the farthest, finding predecessors
// through the in-adjacency, and resets the workspace.
func (b *brandes) accumulate(s int32, bc []float64) {
	in := b.in
	for i := len(b.order) - 1; i >= 0; i-- {
		w := b.order[i]
		coef := (1 + b.delta[w]) / b.sigma[w]
		dw := b.dist[w]
		for p := in.off[w]; p < in.off[w+1]; p++ {
			v := in.nbr[p]
			if b.isPred(v, dw, p) {
				b.delta[v] += b.sigma[v] * coef
			}
		}
		if w != s {
			bc[w] += b.delta[w]
		}
	}
	for _, v := range b.order {
		b.sigma[v], b.dist[v], b.delta[v] = 0, -1, 0
	}
}

func (b *brandes) isPred(v int32, dw float64, p int32) bool {
	dv := b.dist[v]
	if dv < 0 {
		return false
	}
	nd := dv + b.in.w[p]
	return math.Abs(nd-dw) <= eps*dw && dv < dw
}

type distItem struct {
	d float64
	v int32
}

// distHeap is a binary min-heap by distance, then node id; typed to keep
// Dijkstra free of interface conversions.
type distHeap []distItem

func (h distHeap) less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].v < h[j].v
}

func (h *distHeap) push(it distItem) {
	*h = append(*h, it)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *distHeap) pop() distItem {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(q) && q.less(l, small) {
			small = l
		}
		if r := l + 1; r < len(q) && q.less(r, small) {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	*h = q
	return top
}

package network

import (
	"container/heap"
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
			ws := newBrandes(g, opt.Weighted)
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
	g        *Graph
	weighted bool
	sigma    []float64
	dist     []float64
	delta    []float64
	order    []int32
	queue    []int32
	pq       distHeap
}

func newBrandes(g *Graph, weighted bool) *brandes {
	n := g.N()
	b := &brandes{g: g, weighted: weighted, sigma: make([]float64, n), dist: make([]float64, n),
		delta: make([]float64, n), order: make([]int32, 0, n), queue: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

func (b *brandes) run(sources []int32) []float64 {
	bc := make([]float64, b.g.N())
	for _, s := range sources {
		if b.weighted {
			b.dijkstra(s)
		} else {
			b.bfs(s)
		}
		b.accumulate(s, bc)
	}
	return bc
}

func (b *brandes) bfs(s int32) {
	out := b.g.out
	b.sigma[s], b.dist[s] = 1, 0
	b.queue = append(b.queue[:0], s)
	b.order = b.order[:0]
	for i := 0; i < len(b.queue); i++ {
		v := b.queue[i]
		b.order = append(b.order, v)
		dv := b.dist[v] + 1
		for _, w := range out.nbr[out.off[v]:out.off[v+1]] {
			if b.dist[w] < 0 {
				b.dist[w] = dv
				b.queue = append(b.queue, w)
			}
			if b.dist[w] == dv {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
}

// eps is the relative tolerance under which two path lengths are equal,
// the same as igraph's.
const eps = 1e-10

func (b *brandes) dijkstra(s int32) {
	out := b.g.out
	b.order = b.order[:0]
	b.sigma[s], b.dist[s] = 1, 0
	b.pq = append(b.pq[:0], distItem{0, s})
	settled := b.queue[:0] // reuse: marks settled nodes through delta < 0
	for len(b.pq) > 0 {
		it := heap.Pop(&b.pq).(distItem)
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
				heap.Push(&b.pq, distItem{nd, w})
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
	in := b.g.in
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
	if !b.weighted {
		return dv == dw-1
	}
	nd := dv + b.g.in.w[p]
	return math.Abs(nd-dw) <= eps*dw && dv < dw
}

type distItem struct {
	d float64
	v int32
}

type distHeap []distItem

func (h distHeap) Len() int { return len(h) }
func (h distHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].v < h[j].v
}
func (h distHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *distHeap) Push(x any)   { *h = append(*h, x.(distItem)) }
func (h *distHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

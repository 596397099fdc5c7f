package network

import (
	"math"
	"math/rand/v2"
)

// Quality is the function Leiden optimises.
type Quality int

// Quality functions.
const (
	// Modularity compares each community's internal weight with what a
	// random graph of the same degrees would give, scaled by Resolution.
	Modularity Quality = iota
	// CPM (constant Potts model) asks each community to be denser than
	// Resolution; free of modularity's resolution limit.
	CPM
)

// LeidenOptions tunes Leiden. Zero values take the defaults.
type LeidenOptions struct {
	Quality    Quality
	Resolution float64 // default 1 for modularity; required for CPM
	Seed       uint64
	// Iterations of the whole algorithm, each starting from the previous
	// partition; default 2 (as igraph); negative runs until nothing changes.
	Iterations int
	// Randomness (θ) of the refinement step; default 0.01 (as igraph's beta).
	Randomness float64
	Weighted   bool // use edge weights (tie strengths)
}

// Partition is a division of the nodes into communities.
type Partition struct {
	Membership []int32 // community of each node, numbered by first node
	Count      int     // number of communities
	Quality    float64 // modularity, or the CPM value, on the input graph
}

// Leiden finds communities with the Leiden algorithm (Traag, Waltman & van
// Eck 2019): fast local moving, refinement of each community into
// well-connected sub-communities, and aggregation on the refined partition.
// Direction is ignored. The result depends only on the graph and the seed.
func Leiden(g *Graph, opt LeidenOptions) Partition {
	if opt.Resolution == 0 {
		opt.Resolution = 1
	}
	if opt.Iterations == 0 {
		opt.Iterations = 2
	}
	if opt.Randomness == 0 {
		opt.Randomness = 0.01
	}
	base := newLevel(g, opt)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x1e1de4))
	memb := identity(g.N())
	for it := 0; opt.Iterations < 0 || it < opt.Iterations; it++ {
		changed := leidenPass(base, memb, rng, opt.Randomness)
		if !changed && opt.Iterations < 0 {
			break
		}
	}
	c := renumber(memb, int32(g.N()))
	return Partition{Membership: c.Membership, Count: len(c.Sizes), Quality: quality(g, c.Membership, opt)}
}

// level is the (aggregated) graph Leiden works on: CSR without self-loops,
// with each node's null-model weight (strength or size).
type level struct {
	off   []int32
	nbr   []int32
	w     []float64
	nodeW []float64
	coef  float64 // penalty per unit of nodeW·nodeW
}

func (l *level) n() int { return len(l.nodeW) }

func newLevel(g *Graph, opt LeidenOptions) *level {
	a := g.und
	n := g.N()
	l := &level{off: a.off, nbr: a.nbr, w: a.w, nodeW: make([]float64, n)}
	if !opt.Weighted {
		l.w = make([]float64, len(a.nbr))
		for i := range l.w {
			l.w[i] = 1
		}
	}
	total := 0.0
	for v := range n {
		s := 0.0
		for p := l.off[v]; p < l.off[v+1]; p++ {
			s += l.w[p]
		}
		total += s
		if opt.Quality == CPM {
			l.nodeW[v] = 1
		} else {
			l.nodeW[v] = s
		}
	}
	l.coef = opt.Resolution
	if opt.Quality == Modularity && total > 0 {
		l.coef = opt.Resolution / total
	}
	return l
}

// leidenPass runs one full Leiden pass from memb (on base nodes), updating
// it in place; it reports whether any node changed community.
func leidenPass(base *level, memb []int32, rng *rand.Rand, theta float64) bool {
	before := append([]int32(nil), memb...)
	l := base
	comm := append([]int32(nil), memb...) // partition of l's nodes
	toLevel := identity(base.n())         // base node -> node of l
	for {
		ncomm := moveNodes(l, comm, rng)
		if ncomm == l.n() {
			break
		}
		refined := refine(l, comm, rng, theta)
		if int(maxLabel(refined)) == l.n() {
			break // refinement merged nothing: aggregation would not progress
		}
		next, nextComm := aggregate(l, refined, comm)
		for v, x := range toLevel {
			toLevel[v] = refined[x]
		}
		l, comm = next, nextComm
	}
	for v, x := range toLevel {
		memb[v] = comm[x]
	}
	changed := false
	c := renumber(memb, int32(len(memb)))
	copy(memb, c.Membership)
	for v := range memb {
		changed = changed || memb[v] != before[v]
	}
	return changed
}

// neighbourWeights accumulates, for one node, the weight towards each
// neighbouring community, remembering them in first-seen order.
type neighbourWeights struct {
	w    []float64
	seen []bool
	list []int32
}

func newNeighbourWeights(n int) *neighbourWeights {
	return &neighbourWeights{w: make([]float64, n), seen: make([]bool, n)}
}

func (nw *neighbourWeights) add(c int32, w float64) {
	if !nw.seen[c] {
		nw.seen[c] = true
		nw.list = append(nw.list, c)
	}
	nw.w[c] += w
}

func (nw *neighbourWeights) reset() {
	for _, c := range nw.list {
		nw.w[c], nw.seen[c] = 0, false
	}
	nw.list = nw.list[:0]
}

// moveNodes is Leiden's fast local moving: a queue of nodes in random
// order, each moved to the community of best gain, its neighbours outside
// that community queued again. comm is renumbered 0..k-1; returns k.
func moveNodes(l *level, comm []int32, rng *rand.Rand) int {
	n := l.n()
	commW := make([]float64, n)
	count := make([]int32, n)
	for v, c := range comm {
		commW[c] += l.nodeW[v]
		count[c]++
	}
	var empty []int32
	for c := range int32(n) {
		if count[c] == 0 {
			empty = append(empty, c)
		}
	}
	queue := newRing(rng.Perm(n))
	inQueue := make([]bool, n)
	for i := range inQueue {
		inQueue[i] = true
	}
	nw := newNeighbourWeights(n)
	for queue.len() > 0 {
		v := queue.pop()
		inQueue[v] = false
		cur := comm[v]
		for p := l.off[v]; p < l.off[v+1]; p++ {
			nw.add(comm[l.nbr[p]], l.w[p])
		}
		wv := l.nodeW[v]
		commW[cur] -= wv
		count[cur]--
		if count[cur] == 0 {
			empty = append(empty, cur)
		}
		best, bestGain := cur, nw.w[cur]-l.coef*wv*commW[cur]
		for _, c := range nw.list {
			if gain := nw.w[c] - l.coef*wv*commW[c]; gain > bestGain {
				best, bestGain = c, gain
			}
		}
		if bestGain < 0 && len(empty) > 0 {
			best = empty[len(empty)-1]
		}
		if count[best] == 0 {
			empty = removeValue(empty, best)
		}
		commW[best] += wv
		count[best]++
		if best != cur {
			comm[v] = best
			for _, u := range l.nbr[l.off[v]:l.off[v+1]] {
				if !inQueue[u] && comm[u] != best {
					inQueue[u] = true
					queue.push(u)
				}
			}
		}
		nw.reset()
	}
	c := renumber(comm, int32(n))
	copy(comm, c.Membership)
	return len(c.Sizes)
}

func removeValue(s []int32, x int32) []int32 {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == x {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s
}

// ring is a FIFO queue of node ids with room for every node once.
type ring struct {
	buf        []int32
	head, size int
}

func newRing(init []int) *ring {
	r := &ring{buf: make([]int32, len(init)), size: len(init)}
	for i, v := range init {
		r.buf[i] = int32(v)
	}
	return r
}

func (r *ring) len() int { return r.size }

func (r *ring) pop() int32 {
	v := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v
}

func (r *ring) push(v int32) {
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

// quality returns modularity (standard form) or the CPM value of memb.
func quality(g *Graph, memb []int32, opt LeidenOptions) float64 {
	l := newLevel(g, LeidenOptions{Quality: opt.Quality, Resolution: opt.Resolution, Weighted: opt.Weighted})
	k := 0
	for _, c := range memb {
		k = max(k, int(c)+1)
	}
	internal, commW := make([]float64, k), make([]float64, k)
	total := 0.0
	for v := range l.n() {
		commW[memb[v]] += l.nodeW[v]
		for p := l.off[v]; p < l.off[v+1]; p++ {
			total += l.w[p]
			if memb[l.nbr[p]] == memb[v] {
				internal[memb[v]] += l.w[p]
			}
		}
	}
	q := 0.0
	for c := range k {
		if opt.Quality == CPM {
			q += internal[c]/2 - opt.Resolution*commW[c]*(commW[c]-1)/2
		} else if total > 0 {
			q += internal[c]/total - opt.Resolution*math.Pow(commW[c]/total, 2)
		}
	}
	return q
}

// maxLabel returns the largest label plus one.
func maxLabel(memb []int32) int32 {
	k := int32(0)
	for _, c := range memb {
		k = max(k, c+1)
	}
	return k
}

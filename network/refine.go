package network

import (
	"math"
	"math/rand/v2"
)

// refine splits each community of comm into well-connected sub-communities
// (Leiden's refinement): starting from singletons, each well-connected node
// still alone merges into a well-connected sub-community of its own
// community, chosen at random with probability ∝ exp(gain/θ) among
// non-negative gains. Returns the refined membership, numbered 0..r-1.
func refine(l *level, comm []int32, rng *rand.Rand, theta float64) []int32 {
	n := l.n()
	r := &refiner{l: l, comm: comm, rng: rng, theta: theta,
		ref: identity(n), refW: append([]float64(nil), l.nodeW...), ext: make([]float64, n),
		merged: make([]bool, n), nw: newNeighbourWeights(n), commW: make([]float64, n)}
	for v := range int32(n) {
		r.commW[comm[v]] += l.nodeW[v]
		for p := l.off[v]; p < l.off[v+1]; p++ {
			if comm[l.nbr[p]] == comm[v] {
				r.ext[v] += l.w[p]
			}
		}
	}
	for _, v := range rng.Perm(n) {
		r.visit(int32(v))
	}
	c := renumber(r.ref, int32(n))
	return c.Membership
}

type refiner struct {
	l     *level
	comm  []int32
	rng   *rand.Rand
	theta float64
	ref   []int32   // refined community of each node (ids are node ids)
	refW  []float64 // null-model weight of each refined community
	ext   []float64 // weight from a refined community to the rest of its community
	// merged marks refined communities that are no longer singletons.
	merged []bool
	nw     *neighbourWeights
	commW  []float64 // weight of each (unrefined) community
	cand   []int32
	gains  []float64
}

// wellConnected is the Leiden condition E(C, S−C) ≥ γ‖C‖(‖S‖−‖C‖).
func (r *refiner) wellConnected(ext, w, total float64) bool {
	return ext >= r.l.coef*w*(total-w)
}

func (r *refiner) visit(v int32) {
	l, s := r.l, r.comm[v]
	if r.merged[r.ref[v]] || !r.wellConnected(r.ext[v], l.nodeW[v], r.commW[s]) {
		return
	}
	for p := l.off[v]; p < l.off[v+1]; p++ {
		if u := l.nbr[p]; r.comm[u] == s {
			r.nw.add(r.ref[u], l.w[p])
		}
	}
	defer r.nw.reset()
	wv, own := l.nodeW[v], r.ref[v]
	r.refW[own] = 0
	r.cand, r.gains = r.cand[:0], r.gains[:0]
	bestGain := 0.0
	for _, c := range r.nw.list {
		if !r.wellConnected(r.ext[c], r.refW[c], r.commW[s]) {
			continue
		}
		if gain := r.nw.w[c] - l.coef*wv*r.refW[c]; gain >= 0 {
			r.cand, r.gains = append(r.cand, c), append(r.gains, gain)
			bestGain = max(bestGain, gain)
		}
	}
	target := r.choose(own, bestGain)
	r.refW[target] += wv
	if target == own {
		return
	}
	r.ext[target] += r.ext[own] - 2*r.nw.w[target]
	r.ref[v] = target
	r.merged[target] = true
}

// choose draws among the candidates (and staying alone, gain 0) with
// probability ∝ exp((gain−best)/θ).
func (r *refiner) choose(own int32, best float64) int32 {
	total := math.Exp(-best / r.theta)
	for i, g := range r.gains {
		r.gains[i] = math.Exp((g - best) / r.theta)
		total += r.gains[i]
	}
	x := r.rng.Float64() * total
	for i, c := range r.cand {
		x -= r.gains[i]
		if x < 0 {
			return c
		}
	}
	return own
}

// aggregate collapses l by the refined partition. Each aggregated node
// starts in the (unrefined) community of its members.
func aggregate(l *level, refined, comm []int32) (*level, []int32) {
	k := 0
	for _, c := range refined {
		k = max(k, int(c)+1)
	}
	next := &level{off: make([]int32, k+1), nodeW: make([]float64, k), coef: l.coef}
	nextComm := make([]int32, k)
	members := countingSort(k, refined, identity(l.n()))
	nw := newNeighbourWeights(k)
	i := 0
	for c := range int32(k) {
		for ; i < len(members) && refined[members[i]] == c; i++ {
			v := members[i]
			next.nodeW[c] += l.nodeW[v]
			nextComm[c] = comm[v]
			for p := l.off[v]; p < l.off[v+1]; p++ {
				if d := refined[l.nbr[p]]; d != c {
					nw.add(d, l.w[p])
				}
			}
		}
		for _, d := range nw.list {
			next.nbr = append(next.nbr, d)
			next.w = append(next.w, nw.w[d])
		}
		next.off[c+1] = int32(len(next.nbr))
		nw.reset()
	}
	return next, nextComm
}

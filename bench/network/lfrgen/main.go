// Command lfrgen writes an LFR benchmark graph (Lancichinetti, Fortunato
// and Radicchi 2008): power-law degrees and community sizes, and a mixing
// parameter mu, the share of each node's edges that leave its community.
// It is a plain Go version of the generator for graphs too large for
// networkx's LFR_benchmark_graph (hours at a million edges), used by
// bench/network/run1m.sh. Defaults give about a million edges with the
// parameters of the reference lfr10k graph scaled to 100,000 nodes:
//
//	go run ./bench/network/lfrgen -n 100000 -mu 0.3 -out /tmp/lfr100k_mu0.3
//
// writes /tmp/lfr100k_mu0.3.edges ("u v" per line) and .truth ("node
// community" per line).
//
// Steps: degrees are drawn from a power law with exponent tau1 between
// kmin and maxdeg, kmin chosen so the mean is avgdeg; community sizes from
// a power law with exponent tau2 between mincomm and maxcomm until they
// cover n; each node keeps round((1-mu)·k) stubs inside and the rest
// outside; nodes, largest internal degree first, join a random community
// with room and more members than their internal degree; internal stubs
// are wired by a configuration model per community and external stubs by
// one across the graph, rejecting self-loops, repeated edges and external
// stubs that land in the node's own community (a few rewiring rounds; the
// stubs left over are dropped, so the realised mixing is reported).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
)

type params struct {
	n                  int
	tau1, tau2, mu     float64
	avgDeg             float64
	maxDeg, minC, maxC int
	seed               uint64
}

func main() {
	var p params
	flag.IntVar(&p.n, "n", 100_000, "nodes")
	flag.Float64Var(&p.tau1, "tau1", 3, "degree exponent")
	flag.Float64Var(&p.tau2, "tau2", 1.5, "community size exponent")
	flag.Float64Var(&p.mu, "mu", 0.3, "mixing parameter")
	flag.Float64Var(&p.avgDeg, "avgdeg", 20, "average degree")
	flag.IntVar(&p.maxDeg, "maxdeg", 100, "largest degree")
	flag.IntVar(&p.minC, "mincomm", 20, "smallest community")
	flag.IntVar(&p.maxC, "maxcomm", 200, "largest community")
	flag.Uint64Var(&p.seed, "seed", 42, "random seed")
	out := flag.String("out", "", "output prefix: writes PREFIX.edges and PREFIX.truth")
	flag.Parse()
	if err := run(p, *out); err != nil {
		fmt.Fprintln(os.Stderr, "lfrgen:", err)
		os.Exit(1)
	}
}

func run(p params, out string) error {
	r := rand.New(rand.NewPCG(p.seed, 0x1f2))
	deg := degrees(r, p)
	comm, sizes := communities(r, p, deg)
	edges, mixing := wire(r, p, deg, comm, sizes)
	fmt.Fprintf(os.Stderr, "lfrgen: %d nodes, %d edges, %d communities, realised mixing %.3f\n", p.n, len(edges), len(sizes), mixing)
	if err := write(out+".edges", func(w *bufio.Writer) {
		for _, e := range edges {
			fmt.Fprintf(w, "%d %d\n", e>>32, e&0xffffffff)
		}
	}); err != nil {
		return err
	}
	return write(out+".truth", func(w *bufio.Writer) {
		for v, c := range comm {
			fmt.Fprintf(w, "%d %d\n", v, c)
		}
	})
}

func write(path string, fn func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fn(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// powerLaw draws from a continuous power law x^-tau on [lo, hi].
func powerLaw(r *rand.Rand, tau, lo, hi float64) float64 {
	a := 1 - tau
	u := r.Float64()
	return math.Pow(u*(math.Pow(hi, a)-math.Pow(lo, a))+math.Pow(lo, a), 1/a)
}

// powerMean is the mean of the power law x^-tau on [lo, hi].
func powerMean(tau, lo, hi float64) float64 {
	num := (math.Pow(hi, 2-tau) - math.Pow(lo, 2-tau)) / (2 - tau)
	den := (math.Pow(hi, 1-tau) - math.Pow(lo, 1-tau)) / (1 - tau)
	return num / den
}

// degrees draws the degree sequence, kmin fitted by bisection to the mean.
func degrees(r *rand.Rand, p params) []int {
	lo, hi := 1.0, float64(p.maxDeg)
	for range 60 {
		mid := (lo + hi) / 2
		if powerMean(p.tau1, mid, float64(p.maxDeg)) < p.avgDeg {
			lo = mid
		} else {
			hi = mid
		}
	}
	deg := make([]int, p.n)
	for v := range deg {
		deg[v] = int(math.Round(powerLaw(r, p.tau1, lo, float64(p.maxDeg))))
	}
	return deg
}

// communities draws community sizes covering n and assigns every node to
// one with more members than its internal degree.
func communities(r *rand.Rand, p params, deg []int) (comm []int32, sizes []int) {
	total := 0
	for total < p.n {
		s := int(math.Round(powerLaw(r, p.tau2, float64(p.minC), float64(p.maxC))))
		s = min(s, p.n-total)
		if s < p.minC && len(sizes) > 0 { // fold a short remainder into the smallest community
			i := slices.Index(sizes, slices.Min(sizes))
			sizes[i] += s
		} else {
			sizes = append(sizes, s)
		}
		total += s
	}
	nodes := make([]int32, p.n)
	for v := range nodes {
		nodes[v] = int32(v)
	}
	r.Shuffle(len(nodes), func(i, j int) { nodes[i], nodes[j] = nodes[j], nodes[i] })
	slices.SortStableFunc(nodes, func(a, b int32) int { return deg[b] - deg[a] })
	free := slices.Clone(sizes)
	comm = make([]int32, p.n)
	for _, v := range nodes {
		kin := int(math.Round((1 - p.mu) * float64(deg[v])))
		c := -1
		for range 50 { // random community with room and enough members
			x := r.IntN(len(sizes))
			if free[x] > 0 && sizes[x] > kin {
				c = x
				break
			}
		}
		if c < 0 { // fall back to the community with most room
			for x := range free {
				if free[x] > 0 && (c < 0 || sizes[x] > sizes[c]) {
					c = x
				}
			}
		}
		free[c]--
		comm[v] = int32(c)
	}
	return comm, sizes
}

// wire connects internal stubs within communities and external stubs
// across them, and returns the edges (u<<32|v, u < v) and the realised
// share of edges between communities.
func wire(r *rand.Rand, p params, deg []int, comm []int32, sizes []int) ([]uint64, float64) {
	seen := map[uint64]bool{}
	var edges []uint64
	add := func(u, v int32) bool {
		if u == v {
			return false
		}
		e := uint64(min(u, v))<<32 | uint64(max(u, v))
		if seen[e] {
			return false
		}
		seen[e] = true
		edges = append(edges, e)
		return true
	}
	internal := make([][]int32, len(sizes))
	var external []int32
	for v, k := range deg {
		c := comm[v]
		kin := min(int(math.Round((1-p.mu)*float64(k))), sizes[c]-1)
		for range kin {
			internal[c] = append(internal[c], int32(v))
		}
		for range k - kin {
			external = append(external, int32(v))
		}
	}
	for _, stubs := range internal {
		pairStubs(r, stubs, func(u, v int32) bool { return add(u, v) })
	}
	inside := len(edges)
	pairStubs(r, external, func(u, v int32) bool { return comm[u] != comm[v] && add(u, v) })
	return edges, float64(len(edges)-inside) / float64(max(len(edges), 1))
}

// pairStubs shuffles the stubs and pairs them; pairs that ok rejects are
// retried in a few more rounds, and whatever is left is dropped.
func pairStubs(r *rand.Rand, stubs []int32, ok func(u, v int32) bool) {
	for round := 0; round < 10 && len(stubs) > 1; round++ {
		r.Shuffle(len(stubs), func(i, j int) { stubs[i], stubs[j] = stubs[j], stubs[i] })
		var left []int32
		for i := 0; i+1 < len(stubs); i += 2 {
			if !ok(stubs[i], stubs[i+1]) {
				left = append(left, stubs[i], stubs[i+1])
			}
		}
		stubs = left
	}
}

package network

import (
	"math"

	"github.com/rastro/rastro"
)

// Hop is one step of a path with the edges (links) that support it, so
// that the caller can show the evidence behind each hop.
type Hop struct {
	From, To int32
	Edges    []int32 // ids of every link between From and To in the view
}

// Path is a sequence of hops from one node to another.
type Path struct {
	Nodes  []int32
	Hops   []Hop
	Length float64 // number of hops, or summed weights when weighted
}

// PathOptions tunes path searches.
type PathOptions struct {
	// Weighted treats edge weights as lengths (Dijkstra); otherwise every
	// hop counts 1.
	Weighted bool
	// Limit caps the number of paths AllShortestPaths returns; default 100.
	Limit int
}

// ShortestPath returns one shortest path from one node to another,
// following direction on directed views (use Undirected() to ignore it).
// Among equal paths it takes the one through the lowest node ids. It
// returns an ENOTFOUND error when no path exists.
func ShortestPath(g *Graph, from, to int32, opt PathOptions) (Path, error) {
	opt.Limit = 1
	paths, err := AllShortestPaths(g, from, to, opt)
	if err != nil {
		return Path{}, err
	}
	return paths[0], nil
}

// AllShortestPaths returns every shortest path between two nodes (up to
// opt.Limit, in lexicographic order of node ids), each hop with its edges.
func AllShortestPaths(g *Graph, from, to int32, opt PathOptions) ([]Path, error) {
	n := int32(g.N())
	if from < 0 || from >= n || to < 0 || to >= n {
		return nil, rastro.Errorf(rastro.EINVALID, "shortest paths: node out of range")
	}
	if opt.Limit <= 0 {
		opt.Limit = 100
	}
	dist := distancesTo(g, to, opt.Weighted)
	if math.IsInf(dist[from], 1) {
		return nil, rastro.Errorf(rastro.ENOTFOUND, "shortest paths: no path from %q to %q", g.Key(from), g.Key(to))
	}
	var paths []Path
	walk := []int32{from}
	var rec func(v int32)
	rec = func(v int32) {
		if len(paths) >= opt.Limit {
			return
		}
		if v == to {
			paths = append(paths, g.makePath(walk, dist[from]))
			return
		}
		for p := g.out.off[v]; p < g.out.off[v+1]; p++ {
			u := g.out.nbr[p]
			if onShortest(dist[v], dist[u], hopLength(g.out, p, opt.Weighted)) {
				walk = append(walk, u)
				rec(u)
				walk = walk[:len(walk)-1]
			}
		}
	}
	rec(from)
	return paths, nil
}

func onShortest(dv, du, l float64) bool {
	if math.IsInf(du, 1) {
		return false
	}
	return math.Abs(du+l-dv) <= eps*math.Max(dv, 1)
}

func hopLength(a *adjacency, p int32, weighted bool) float64 {
	if weighted {
		return a.w[p]
	}
	return 1
}

func (g *Graph) makePath(nodes []int32, length float64) Path {
	p := Path{Nodes: append([]int32(nil), nodes...), Length: length}
	for i := 1; i < len(nodes); i++ {
		p.Hops = append(p.Hops, Hop{From: nodes[i-1], To: nodes[i], Edges: g.EdgesBetween(nodes[i-1], nodes[i])})
	}
	return p
}

// distancesTo returns every node's distance to target, walking edges
// backwards (Dijkstra; BFS is the unit-length case).
func distancesTo(g *Graph, target int32, weighted bool) []float64 {
	dist := make([]float64, g.N())
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	dist[target] = 0
	pq := distHeap{{0, target}}
	for len(pq) > 0 {
		it := pq.pop()
		if it.d > dist[it.v] {
			continue
		}
		for p := g.in.off[it.v]; p < g.in.off[it.v+1]; p++ {
			u, nd := g.in.nbr[p], it.d+hopLength(g.in, p, weighted)
			if nd < dist[u] {
				dist[u] = nd
				pq.push(distItem{nd, u})
			}
		}
	}
	return dist
}

// Package network analyses the graph of people, organisations and
// identifiers of a case: components, communities (Leiden), centralities,
// brokerage roles, key players and shortest paths with the evidence behind
// each edge. It is pure: it works on a compact in-memory graph (CSR, int32
// node ids) built from string keys, and never touches storage.
package network

import (
	"fmt"
	"time"
)

// Edge is one link given to the Builder, with the attributes an analyst
// needs to trace it back to its evidence.
type Edge struct {
	ID     int32     // index of the edge in insertion order
	Key    string    // the caller's key for the link (e.g. rastro.Link.ID)
	Source string    // source node key
	Target string    // target node key
	Type   string    // link type (Payment, Message, uses, ...)
	Weight float64   // tie strength, 1 unless set
	Start  time.Time // zero when timeless
	End    time.Time // zero for an instant at Start (see Filter)
}

// nodeTable maps node keys to dense int32 ids; shared by every view.
type nodeTable struct {
	ids   []string
	index map[string]int32
}

// edgeTable holds the attributes of every edge; shared by every view.
type edgeTable struct {
	src, dst   []int32
	w          []float64
	typ        []uint16
	types      []string
	start, end []int64 // unix nanoseconds; 0 means unbounded
	key        []string
}

// adjacency is one CSR view. Parallel edges between the same ordered pair
// are collapsed into one entry whose weight is their sum; the edges behind
// entry p are ev[evOff[p]:evOff[p+1]]. Neighbours of a row are sorted.
type adjacency struct {
	off   []int32 // len n+1
	nbr   []int32
	w     []float64
	evOff []int32 // len(nbr)+1
	ev    []int32
}

// Graph is an immutable compact graph. Views (Filter, Undirected) share the
// node and edge tables and own only their adjacency arrays.
type Graph struct {
	directed bool
	nodes    *nodeTable
	edges    *edgeTable
	out      *adjacency // successors (for undirected graphs: neighbours)
	in       *adjacency // predecessors (== out when undirected)
	und      *adjacency // both directions merged
	nEdges   int        // edges selected in this view
}

// Directed reports whether edges have a direction in this view.
func (g *Graph) Directed() bool { return g.directed }

// N returns the number of nodes.
func (g *Graph) N() int { return len(g.nodes.ids) }

// M returns the number of edges (links, before collapsing parallel ones)
// selected in this view.
func (g *Graph) M() int { return g.nEdges }

// Key returns the key of node v.
func (g *Graph) Key(v int32) string { return g.nodes.ids[v] }

// Node returns the id of the node with the given key.
func (g *Graph) Node(key string) (int32, bool) {
	v, ok := g.nodes.index[key]
	return v, ok
}

// Edge returns the attributes of edge id.
func (g *Graph) Edge(id int32) Edge {
	t := g.edges
	e := Edge{ID: id, Key: t.key[id], Source: g.nodes.ids[t.src[id]], Target: g.nodes.ids[t.dst[id]],
		Type: t.types[t.typ[id]], Weight: t.w[id]}
	if t.start[id] != 0 {
		e.Start = time.Unix(0, t.start[id]).UTC()
	}
	if t.end[id] != 0 {
		e.End = time.Unix(0, t.end[id]).UTC()
	}
	return e
}

// Successors returns the distinct successors of v (neighbours when
// undirected), sorted.
func (g *Graph) Successors(v int32) []int32 { return g.out.row(v) }

// Predecessors returns the distinct predecessors of v, sorted.
func (g *Graph) Predecessors(v int32) []int32 { return g.in.row(v) }

// Neighbors returns the distinct nodes linked to v in either direction.
func (g *Graph) Neighbors(v int32) []int32 { return g.und.row(v) }

// EdgesBetween returns the ids of the edges from u to v (either direction
// when the view is undirected): the evidence behind that hop.
func (g *Graph) EdgesBetween(u, v int32) []int32 {
	p := g.out.find(u, v)
	if p < 0 {
		return nil
	}
	return g.out.ev[g.out.evOff[p]:g.out.evOff[p+1]]
}

// Undirected returns a view of g in which every edge links both ways.
func (g *Graph) Undirected() *Graph {
	return &Graph{nodes: g.nodes, edges: g.edges, out: g.und, in: g.und, und: g.und, nEdges: g.nEdges}
}

func (a *adjacency) row(v int32) []int32 { return a.nbr[a.off[v]:a.off[v+1]] }

// find returns the position of v in u's row, or -1.
func (a *adjacency) find(u, v int32) int32 {
	lo, hi := a.off[u], a.off[u+1]
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		if a.nbr[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < a.off[u+1] && a.nbr[lo] == v {
		return lo
	}
	return -1
}

// strength returns the summed weight of v's row.
func (a *adjacency) strength(v int32) float64 {
	s := 0.0
	for p := a.off[v]; p < a.off[v+1]; p++ {
		s += a.w[p]
	}
	return s
}

// String describes the view for logs: kind, nodes and edges, no keys.
func (g *Graph) String() string {
	kind := "undirected"
	if g.directed {
		kind = "directed"
	}
	return fmt.Sprintf("%s graph: %d nodes, %d edges", kind, g.N(), g.M())
}

package network

import (
	"slices"
	"time"
)

// Filter selects the edges of a view. Zero fields select everything.
type Filter struct {
	Types []string  // keep only these link types
	From  time.Time // keep edges still active at or after From
	To    time.Time // keep edges started at or before To
}

// Filter returns a view with only the edges matching f. Nodes keep their
// ids (isolated ones stay), and the node and edge tables are shared: only
// the adjacency arrays are rebuilt.
func (g *Graph) Filter(f Filter) *Graph {
	keepType := g.typeMask(f.Types)
	from, to := unixNano(f.From), unixNano(f.To)
	t := g.edges
	var sel []int32
	for e := range int32(len(t.src)) {
		if !g.selected(e) || !keepType[t.typ[e]] {
			continue
		}
		if from != 0 && t.end[e] != 0 && t.end[e] < from {
			continue
		}
		if to != 0 && t.start[e] != 0 && t.start[e] > to {
			continue
		}
		sel = append(sel, e)
	}
	return newView(g.directed, g.nodes, g.edges, sel)
}

func (g *Graph) typeMask(types []string) []bool {
	mask := make([]bool, len(g.edges.types))
	for i, name := range g.edges.types {
		mask[i] = len(types) == 0 || slices.Contains(types, name)
	}
	return mask
}

// selected reports whether edge e is part of this view, by looking for it
// in the adjacency of its source.
func (g *Graph) selected(e int32) bool {
	if g.nEdges == len(g.edges.src) {
		return true
	}
	s, d := g.edges.src[e], g.edges.dst[e]
	if s == d {
		return false
	}
	p := g.und.find(s, d)
	if p < 0 {
		return false
	}
	_, found := slices.BinarySearch(g.und.ev[g.und.evOff[p]:g.und.evOff[p+1]], e)
	return found
}

package network

import (
	"slices"
	"time"
)

// Filter selects the edges of a view. Zero fields select everything.
type Filter struct {
	Types []string  // keep only these link types
	From  time.Time // keep edges active at or after From
	To    time.Time // keep edges active at or before To
}

// An edge with a Start but no End is an instant (a payment, a message); one
// with neither is timeless and passes every window; give an ongoing tie an
// End far ahead.

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
		end := t.end[e]
		if end == 0 {
			end = t.start[e]
		}
		if from != 0 && end != 0 && end < from {
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

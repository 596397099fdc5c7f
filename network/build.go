package network

import (
	"slices"
	"time"
)

// Builder collects nodes and edges keyed by strings and builds a Graph.
// It is not safe for concurrent use.
type Builder struct {
	directed bool
	nodes    nodeTable
	edges    edgeTable
	typeIdx  map[string]uint16
}

// NewBuilder returns an empty builder for a directed or undirected graph.
func NewBuilder(directed bool) *Builder {
	return &Builder{
		directed: directed,
		nodes:    nodeTable{index: map[string]int32{}},
		typeIdx:  map[string]uint16{},
	}
}

// AddNode adds a node (if new) and returns its id. Isolated nodes matter:
// they count in components, fragmentation and PageRank.
func (b *Builder) AddNode(key string) int32 {
	if v, ok := b.nodes.index[key]; ok {
		return v
	}
	v := int32(len(b.nodes.ids))
	b.nodes.ids = append(b.nodes.ids, key)
	b.nodes.index[key] = v
	return v
}

// AddEdge adds an edge between two node keys (added if new) and returns
// its id. A zero or negative weight counts as 1; ID is ignored.
func (b *Builder) AddEdge(e Edge) int32 {
	t := &b.edges
	id := int32(len(t.src))
	t.src = append(t.src, b.AddNode(e.Source))
	t.dst = append(t.dst, b.AddNode(e.Target))
	w := e.Weight
	if w <= 0 {
		w = 1
	}
	t.w = append(t.w, w)
	t.typ = append(t.typ, b.typeID(e.Type))
	t.start = append(t.start, unixNano(e.Start))
	t.end = append(t.end, unixNano(e.End))
	t.key = append(t.key, e.Key)
	return id
}

func (b *Builder) typeID(name string) uint16 {
	if id, ok := b.typeIdx[name]; ok {
		return id
	}
	id := uint16(len(b.edges.types))
	b.edges.types = append(b.edges.types, name)
	b.typeIdx[name] = id
	return id
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// Build returns the graph. The builder may keep adding afterwards; the
// graph does not see later additions.
func (b *Builder) Build() *Graph {
	nodes := &nodeTable{ids: slices.Clip(b.nodes.ids), index: b.nodes.index}
	t := b.edges
	edges := &edgeTable{src: slices.Clip(t.src), dst: slices.Clip(t.dst), w: slices.Clip(t.w),
		typ: slices.Clip(t.typ), types: slices.Clone(t.types), start: slices.Clip(t.start),
		end: slices.Clip(t.end), key: slices.Clip(t.key)}
	all := make([]int32, len(t.src))
	for i := range all {
		all[i] = int32(i)
	}
	return newView(b.directed, nodes, edges, all)
}

// newView builds the adjacency arrays over the selected edges.
func newView(directed bool, nodes *nodeTable, edges *edgeTable, sel []int32) *Graph {
	n := len(nodes.ids)
	g := &Graph{directed: directed, nodes: nodes, edges: edges, nEdges: len(sel)}
	if !directed {
		g.und = buildAdj(n, edges, sel, dirBoth)
		g.out, g.in = g.und, g.und
		return g
	}
	g.out = buildAdj(n, edges, sel, dirOut)
	g.in = buildAdj(n, edges, sel, dirIn)
	g.und = buildAdj(n, edges, sel, dirBoth)
	return g
}

type direction int

const (
	dirOut direction = iota
	dirIn
	dirBoth
)

// buildAdj builds a CSR with sorted rows by two stable counting sorts
// (by neighbour, then by row), collapsing parallel edges and dropping
// self-loops, which no algorithm here uses.
func buildAdj(n int, t *edgeTable, sel []int32, dir direction) *adjacency {
	var us, vs, es []int32
	for _, e := range sel {
		s, d := t.src[e], t.dst[e]
		if s == d {
			continue
		}
		switch dir {
		case dirOut:
			us, vs, es = append(us, s), append(vs, d), append(es, e)
		case dirIn:
			us, vs, es = append(us, d), append(vs, s), append(es, e)
		default:
			us, vs, es = append(us, s, d), append(vs, d, s), append(es, e, e)
		}
	}
	order := countingSort(n, vs, identity(len(vs)))
	order = countingSort(n, us, order)
	return collapse(n, us, vs, es, order, t.w)
}

func identity(m int) []int32 {
	p := make([]int32, m)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// countingSort returns the items of order stably sorted by key[item].
func countingSort(n int, key, order []int32) []int32 {
	cnt := make([]int32, n+1)
	for _, k := range key {
		cnt[k+1]++
	}
	for i := 1; i <= n; i++ {
		cnt[i] += cnt[i-1]
	}
	out := make([]int32, len(order))
	for _, it := range order {
		k := key[it]
		out[cnt[k]] = it
		cnt[k]++
	}
	return out
}

func collapse(n int, us, vs, es, order []int32, w []float64) *adjacency {
	a := &adjacency{off: make([]int32, n+1), evOff: make([]int32, 0, len(order)+1)}
	a.ev = make([]int32, 0, len(order))
	prevU, prevV := int32(-1), int32(-1)
	for _, it := range order {
		u, v, e := us[it], vs[it], es[it]
		if u != prevU || v != prevV {
			a.nbr = append(a.nbr, v)
			a.w = append(a.w, 0)
			a.evOff = append(a.evOff, int32(len(a.ev)))
			a.off[u+1]++
			prevU, prevV = u, v
		}
		a.w[len(a.w)-1] += w[e]
		a.ev = append(a.ev, e)
	}
	a.evOff = append(a.evOff, int32(len(a.ev)))
	for i := 1; i <= n; i++ {
		a.off[i] += a.off[i-1]
	}
	return a
}

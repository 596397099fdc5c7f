package network

// Components is a partition of the nodes into components.
type Components struct {
	Membership []int32 // component of each node, numbered by first node
	Sizes      []int   // size of each component
}

// Largest returns the index of the largest component (lowest index on ties),
// or -1 for an empty graph.
func (c Components) Largest() int {
	best := -1
	for i, s := range c.Sizes {
		if best < 0 || s > c.Sizes[best] {
			best = i
		}
	}
	return best
}

// WeakComponents returns the connected components, ignoring direction.
func WeakComponents(g *Graph) Components {
	n := g.N()
	memb := make([]int32, n)
	for i := range memb {
		memb[i] = -1
	}
	var sizes []int
	queue := make([]int32, 0, n)
	for s := range int32(n) {
		if memb[s] >= 0 {
			continue
		}
		c := int32(len(sizes))
		memb[s] = c
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			for _, u := range g.und.row(queue[i]) {
				if memb[u] < 0 {
					memb[u] = c
					queue = append(queue, u)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return Components{Membership: memb, Sizes: sizes}
}

// StrongComponents returns the strongly connected components of a directed
// graph (Tarjan's algorithm, iterative); on an undirected view it equals
// WeakComponents. Components are renumbered by their lowest node.
func StrongComponents(g *Graph) Components {
	if !g.directed {
		return WeakComponents(g)
	}
	n := g.N()
	t := tarjanState{g: g, index: make([]int32, n), low: make([]int32, n), comp: make([]int32, n)}
	for i := range t.index {
		t.index[i], t.comp[i] = -1, -1
	}
	for s := range int32(n) {
		if t.index[s] < 0 {
			t.visit(s)
		}
	}
	return renumber(t.comp, t.ncomp)
}

type tarjanState struct {
	g                *Graph
	index, low, comp []int32
	stack            []int32
	next, ncomp      int32
}

type frame struct{ v, p int32 }

func (t *tarjanState) visit(root int32) {
	out := t.g.out
	call := []frame{{root, out.off[root]}}
	t.open(root)
	for len(call) > 0 {
		f := &call[len(call)-1]
		v := f.v
		if f.p < out.off[v+1] {
			u := out.nbr[f.p]
			f.p++
			if t.index[u] < 0 {
				t.open(u)
				call = append(call, frame{u, out.off[u]})
			} else if t.comp[u] < 0 {
				t.low[v] = min(t.low[v], t.index[u])
			}
			continue
		}
		call = call[:len(call)-1]
		if len(call) > 0 {
			p := call[len(call)-1].v
			t.low[p] = min(t.low[p], t.low[v])
		}
		if t.low[v] == t.index[v] {
			t.close(v)
		}
	}
}

func (t *tarjanState) open(v int32) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
}

func (t *tarjanState) close(v int32) {
	for {
		u := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.comp[u] = t.ncomp
		if u == v {
			break
		}
	}
	t.ncomp++
}

// renumber relabels a membership so that labels appear in node order.
func renumber(memb []int32, k int32) Components {
	relabel := make([]int32, k)
	for i := range relabel {
		relabel[i] = -1
	}
	out := make([]int32, len(memb))
	var sizes []int
	for v, c := range memb {
		if relabel[c] < 0 {
			relabel[c] = int32(len(sizes))
			sizes = append(sizes, 0)
		}
		out[v] = relabel[c]
		sizes[relabel[c]]++
	}
	return Components{Membership: out, Sizes: sizes}
}

package network

// KeyPlayerCriterion is what removing key players should achieve.
type KeyPlayerCriterion int

// Key-player criteria.
const (
	// Fragmentation maximises Borgatti's F = 1 − Σ s(s−1) / (n(n−1)) over
	// the component sizes s of the remaining n nodes.
	Fragmentation KeyPlayerCriterion = iota
	// LargestComponent minimises the size of the largest remaining
	// component.
	LargestComponent
)

// KeyPlayer is one node chosen by KeyPlayers with the state of the network
// once it and those before it are removed.
type KeyPlayer struct {
	Node          int32
	Fragmentation float64 // F of the remaining network
	Largest       int     // size of the largest remaining component
}

// KeyPlayers picks k nodes whose removal most fragments the network
// (Borgatti 2006, KPP-Neg), greedily: each step removes the node with the
// best criterion value, lowest id on ties. Direction is ignored. Each step
// evaluates every candidate at once with one depth-first search
// (articulation points and the sizes of the pieces they cut off), so the
// whole run costs O(k·(n+m)).
func KeyPlayers(g *Graph, k int, crit KeyPlayerCriterion) []KeyPlayer {
	n := g.N()
	removed := make([]bool, n)
	var out []KeyPlayer
	for step := 0; step < k && step < n; step++ {
		cut := cutSizes(g, removed)
		best, bestSum, bestLargest := int32(-1), 0.0, 0
		for v := range int32(n) {
			if removed[v] {
				continue
			}
			sum, largest := cut.after(v)
			if best < 0 || better(crit, sum, largest, bestSum, bestLargest) {
				best, bestSum, bestLargest = v, sum, largest
			}
		}
		removed[best] = true
		rest := float64(n - step - 1)
		f := 1.0
		if rest > 1 {
			f = 1 - bestSum/(rest*(rest-1))
		}
		out = append(out, KeyPlayer{Node: best, Fragmentation: f, Largest: bestLargest})
	}
	return out
}

func better(crit KeyPlayerCriterion, sum float64, largest int, bestSum float64, bestLargest int) bool {
	if crit == LargestComponent && largest != bestLargest {
		return largest < bestLargest
	}
	if sum != bestSum {
		return sum < bestSum
	}
	return crit == Fragmentation && largest < bestLargest
}

// cuts holds, for the current network, what removing each node would do.
type cuts struct {
	comp     []int32 // component of each node
	compSize []int
	sumPairs float64 // Σ s(s−1) over components
	top      [2]int  // two largest component sizes, by index into compSize
	pieces   [][]int // sizes of the pieces each node's removal cuts off, the rest excluded
}

// after returns Σ s(s−1) and the largest component size once v is gone.
func (c *cuts) after(v int32) (float64, int) {
	s := c.compSize[c.comp[v]]
	rest := s - 1
	sum := c.sumPairs - float64(s)*float64(s-1)
	largest := 0
	for _, p := range c.pieces[v] {
		sum += float64(p) * float64(p-1)
		rest -= p
		largest = max(largest, p)
	}
	sum += float64(rest) * float64(rest-1)
	largest = max(largest, rest)
	for _, t := range c.top {
		if t >= 0 && t != int(c.comp[v]) {
			largest = max(largest, c.compSize[t])
			break
		}
	}
	return sum, largest
}

// cutSizes runs an iterative DFS over the nodes not removed, recording
// component sizes and, for every node, the subtree sizes of the DFS
// children it separates (low[child] ≥ disc[v]).
func cutSizes(g *Graph, removed []bool) *cuts {
	n := g.N()
	c := &cuts{comp: make([]int32, n), pieces: make([][]int, n), top: [2]int{-1, -1}}
	disc, low, size := make([]int32, n), make([]int32, n), make([]int, n)
	for i := range disc {
		disc[i], c.comp[i] = -1, -1
	}
	t := int32(0)
	adj := g.und
	for root := range int32(n) {
		if removed[root] || disc[root] >= 0 {
			continue
		}
		ci := int32(len(c.compSize))
		stack := []frame{{root, adj.off[root]}}
		disc[root], low[root], size[root], c.comp[root] = t, t, 1, ci
		t++
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			v := f.v
			if f.p < adj.off[v+1] {
				u := adj.nbr[f.p]
				f.p++
				if removed[u] {
					continue
				}
				if disc[u] < 0 {
					disc[u], low[u], size[u], c.comp[u] = t, t, 1, ci
					t++
					stack = append(stack, frame{u, adj.off[u]})
				} else {
					low[v] = min(low[v], disc[u])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				p := stack[len(stack)-1].v
				low[p] = min(low[p], low[v])
				size[p] += size[v]
				if low[v] >= disc[p] {
					c.pieces[p] = append(c.pieces[p], size[v])
				}
			}
		}
		c.addComponent(size[root])
	}
	return c
}

func (c *cuts) addComponent(s int) {
	i := len(c.compSize)
	c.compSize = append(c.compSize, s)
	c.sumPairs += float64(s) * float64(s-1)
	switch {
	case c.top[0] < 0 || s > c.compSize[c.top[0]]:
		c.top[1], c.top[0] = c.top[0], i
	case c.top[1] < 0 || s > c.compSize[c.top[1]]:
		c.top[1] = i
	}
}

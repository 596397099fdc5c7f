package resolve

import (
	"cmp"
	"slices"
)

// Cluster is a set of records resolved to one person. ID is the smallest
// member ID, so it stays stable when other clusters change.
type Cluster struct {
	ID      string   `json:"id"`
	Members []string `json:"members"` // sorted
}

// JudgementOutcome says how a judgement was applied.
type JudgementOutcome struct {
	Judgement
	Applied bool   `json:"applied"`
	Note    string `json:"note,omitempty"`
}

// edge is a link between records i and j with its weight.
type edge struct {
	i, j int
	w    float64
}

// constrained is a union-find whose components may not merge when they hold
// two records judged not the same.
type constrained struct {
	parent []int
	cannot map[int]map[int]bool // root -> roots it may not join
}

func newConstrained(n int) *constrained {
	c := &constrained{parent: make([]int, n), cannot: map[int]map[int]bool{}}
	for i := range c.parent {
		c.parent[i] = i
	}
	return c
}

func (c *constrained) find(i int) int {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

// forbid records that i and j must stay apart.
func (c *constrained) forbid(i, j int) {
	ri, rj := c.find(i), c.find(j)
	c.link(ri, rj)
	c.link(rj, ri)
}

func (c *constrained) link(a, b int) {
	if c.cannot[a] == nil {
		c.cannot[a] = map[int]bool{}
	}
	c.cannot[a][b] = true
}

// union merges the components of i and j unless forbidden, and reports
// whether they are now one.
func (c *constrained) union(i, j int) bool {
	ri, rj := c.find(i), c.find(j)
	if ri == rj {
		return true
	}
	if c.cannot[ri][rj] {
		return false
	}
	if len(c.cannot[ri]) < len(c.cannot[rj]) {
		ri, rj = rj, ri
	}
	c.parent[rj] = ri
	for x := range c.cannot[rj] {
		delete(c.cannot[x], rj)
		c.link(x, ri)
		c.link(ri, x)
	}
	delete(c.cannot, rj)
	return true
}

// cluster merges records along edges, strongest first, never joining two
// records judged not the same. Same judgements are applied before any
// edge. ids are the record IDs by index.
func cluster(ids []string, edges []edge, js []Judgement, index map[string]int) ([]Cluster, []JudgementOutcome) {
	uf := newConstrained(len(ids))
	outcomes := make([]JudgementOutcome, len(js))
	for k, j := range js {
		outcomes[k] = JudgementOutcome{Judgement: j}
		a, okA := index[j.A]
		b, okB := index[j.B]
		if !okA || !okB {
			outcomes[k].Note = "record not among the input"
			continue
		}
		if j.Verdict == NotSame {
			uf.forbid(a, b)
			outcomes[k].Applied = true
		}
	}
	for k, j := range js {
		a, okA := index[j.A]
		b, okB := index[j.B]
		if j.Verdict != Same || !okA || !okB {
			if j.Verdict == Unsure && okA && okB {
				outcomes[k].Applied, outcomes[k].Note = true, "unsure: the score decides"
			}
			continue
		}
		if uf.union(a, b) {
			outcomes[k].Applied = true
		} else {
			outcomes[k].Note = "conflicts with a not-same judgement; not merged"
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		return cmp.Or(cmp.Compare(y.w, x.w), cmp.Compare(x.i, y.i), cmp.Compare(x.j, y.j))
	})
	for _, e := range edges {
		uf.union(e.i, e.j)
	}
	return components(ids, uf), outcomes
}

// components lists the clusters in a deterministic order: by ID.
func components(ids []string, uf *constrained) []Cluster {
	groups := map[int][]string{}
	for i, id := range ids {
		r := uf.find(i)
		groups[r] = append(groups[r], id)
	}
	out := make([]Cluster, 0, len(groups))
	for _, m := range groups {
		slices.Sort(m)
		out = append(out, Cluster{ID: m[0], Members: m})
	}
	slices.SortFunc(out, func(a, b Cluster) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

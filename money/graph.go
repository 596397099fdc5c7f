package money

import (
	"sync"
	"time"
)

// Graph is the flow graph of a set of transfers: accounts are nodes, each
// transfer an edge, and every account's incoming and outgoing transfers are
// kept in time order so that detectors and traces respect time.
type Graph struct {
	Txs      []Tx     // sorted by time
	Accounts []string // account keys by node id
	index    map[string]int32
	from, to []int32 // node ids per transfer
	unix     []int64 // transfer time, Unix seconds
	out, in  [][]int32
	amt      compact // amounts as int64 at one scale, when they fit
	// ignored marks transfers a filtered view leaves out (nil: none); see
	// without.
	ignored []bool
	// Timelines, built on first use by a trace: node n's non-self
	// transfers, in and out, in time order, are tl[tlAt[n]:tlAt[n+1]].
	tlOnce sync.Once
	tl     []int32
	tlAt   []int
}

// NewGraph builds the graph; txs is sorted by time in place.
func NewGraph(txs []Tx) *Graph {
	SortByTime(txs)
	g := &Graph{Txs: txs, index: make(map[string]int32), from: make([]int32, len(txs)), to: make([]int32, len(txs)), unix: make([]int64, len(txs))}
	for i := range txs {
		t := &txs[i]
		g.from[i], g.to[i], g.unix[i] = g.node(t.From), g.node(t.To), t.Time.Unix()
	}
	g.fill(nil)
	g.amt = newCompact(txs)
	return g
}

// fill builds the out and in lists (index, so time, order), leaving out
// ignored transfers. The lists are cut from two flat arrays (two
// allocations instead of two per account), with their capacity capped so
// that an append never writes into the next list; a node without
// transfers on a side keeps a nil list.
func (g *Graph) fill(ignored []bool) {
	g.out, g.in = make([][]int32, len(g.Accounts)), make([][]int32, len(g.Accounts))
	deg := func(ends []int32) ([]int32, []int) {
		at := make([]int, len(g.Accounts)+1)
		for i, n := range ends {
			if ignored == nil || !ignored[i] {
				at[n+1]++
			}
		}
		for n := range g.Accounts {
			at[n+1] += at[n]
		}
		return make([]int32, at[len(g.Accounts)]), at
	}
	for _, side := range []struct {
		ends  []int32
		lists [][]int32
	}{{g.from, g.out}, {g.to, g.in}} {
		flat, at := deg(side.ends)
		next := append([]int(nil), at...)
		for i, n := range side.ends {
			if ignored == nil || !ignored[i] {
				flat[next[n]] = int32(i)
				next[n]++
			}
		}
		for n := range side.lists {
			if at[n] < at[n+1] {
				side.lists[n] = flat[at[n]:at[n+1]:at[n+1]]
			}
		}
	}
}

// node interns an account key.
func (g *Graph) node(k string) int32 {
	if n, ok := g.index[k]; ok {
		return n
	}
	n := int32(len(g.Accounts))
	g.Accounts = append(g.Accounts, k)
	g.index[k] = n
	return n
}

// Node returns the node id of an account key.
func (g *Graph) Node(account string) (int32, bool) {
	n, ok := g.index[account]
	return n, ok
}

// Out returns the indices of the account's outgoing transfers, in time order.
func (g *Graph) Out(account string) []int32 {
	if n, ok := g.index[account]; ok {
		return g.out[n]
	}
	return nil
}

// In returns the indices of the account's incoming transfers, in time order.
func (g *Graph) In(account string) []int32 {
	if n, ok := g.index[account]; ok {
		return g.in[n]
	}
	return nil
}

// timeline returns n's non-self transfers, in and out, in time order.
func (g *Graph) timeline(n int32) []int32 {
	g.tlOnce.Do(g.buildTimelines)
	return g.tl[g.tlAt[n]:g.tlAt[n+1]]
}

// buildTimelines merges every node's in and out lists (both in index, so
// time, order) into one flat array.
func (g *Graph) buildTimelines() {
	g.tlAt = make([]int, len(g.Accounts)+1)
	size := 0
	for i := range g.from {
		if g.from[i] != g.to[i] {
			size += 2
		}
	}
	g.tl = make([]int32, 0, size)
	for n := range g.Accounts {
		g.tlAt[n] = len(g.tl)
		in, out := g.in[n], g.out[n]
		for len(in) > 0 || len(out) > 0 {
			var e int32
			if len(out) == 0 || len(in) > 0 && in[0] < out[0] {
				e, in = in[0], in[1:]
			} else {
				e, out = out[0], out[1:]
			}
			if !g.isSelf(e) {
				g.tl = append(g.tl, e)
			}
		}
	}
	g.tlAt[len(g.Accounts)] = len(g.tl)
}

// secs converts a duration to seconds.
func secs(d time.Duration) int64 { return int64(d / time.Second) }

// isSelf reports whether transfer i goes from an account to itself (cash).
func (g *Graph) isSelf(i int32) bool { return g.from[i] == g.to[i] }

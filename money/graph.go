package money

import "time"

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
}

// NewGraph builds the graph; txs is sorted by time in place.
func NewGraph(txs []Tx) *Graph {
	SortByTime(txs)
	g := &Graph{Txs: txs, index: make(map[string]int32), from: make([]int32, len(txs)), to: make([]int32, len(txs)), unix: make([]int64, len(txs))}
	for i := range txs {
		t := &txs[i]
		g.from[i], g.to[i], g.unix[i] = g.node(t.From), g.node(t.To), t.Time.Unix()
	}
	g.out, g.in = make([][]int32, len(g.Accounts)), make([][]int32, len(g.Accounts))
	for i := range txs {
		g.out[g.from[i]] = append(g.out[g.from[i]], int32(i))
		g.in[g.to[i]] = append(g.in[g.to[i]], int32(i))
	}
	return g
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

// secs converts a duration to seconds.
func secs(d time.Duration) int64 { return int64(d / time.Second) }

// isSelf reports whether transfer i goes from an account to itself (cash).
func (g *Graph) isSelf(i int32) bool { return g.from[i] == g.to[i] }

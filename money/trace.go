package money

import (
	"github.com/rastro/rastro"
	"slices"
	"sort"
	"time"
)

// Attribution models for tracing.
const (
	ModelFIFO    = "fifo"    // first in, first out: outflows spend the oldest funds first
	ModelHaircut = "haircut" // proportional: each outflow carries the tainted share of the balance
	ModelPoison  = "poison"  // any outflow after tainted funds arrived is wholly tainted
)

// TraceOptions says where to start and how far to go.
type TraceOptions struct {
	Account   string        // start from this account's outflows (forward) or inflows (backward)
	TxID      string        // or from one transfer (overrides Account)
	Backward  bool          // trace sources instead of destinations
	Hops      int           // at most this many hops (default 3)
	Model     string        // fifo, haircut or poison (default fifo)
	After     time.Time     // ignore transfers before (zero: no bound)
	Before    time.Time     // ignore transfers after (zero: no bound)
	MaxGap    time.Duration // a hop must follow the funds' arrival within this (0: no bound)
	MinAmount Amount        // drop attributed amounts below this
	MaxEdges  int           // stop after this many tree edges (default 10000)
	// Merge joins every path reaching the same account at the same hop into
	// one node (a Sankey per hop) instead of a tree of paths, which poison
	// and haircut traces otherwise make exponential.
	Merge bool
}

// Flow is a trace as a tree: Sankey-ready nodes and edges with the
// attributed amount per path and the transfers behind each edge.
type Flow struct {
	Root  string     `json:"root"`
	Model string     `json:"model"`
	Back  bool       `json:"backward"`
	Nodes []FlowNode `json:"nodes"`
	Edges []FlowEdge `json:"edges"`
}

// FlowNode is one account at the end of one path (an account reached by two
// paths appears twice, so the result stays a tree), or with Merge one
// account at one hop (Parent is then the first path that reached it).
type FlowNode struct {
	ID      int    `json:"id"`
	Account string `json:"account"`
	Hop     int    `json:"hop"`
	Parent  int    `json:"parent"` // -1 for the root
}

// FlowEdge carries the amount attributed along one path step.
type FlowEdge struct {
	From, To int      `json:"-"`
	Source   int      `json:"source"` // node ids
	Target   int      `json:"target"`
	Amount   Amount   `json:"amount"`   // attributed (tainted) amount
	Currency string   `json:"currency"` // of Amount
	Gross    Amount   `json:"gross"`    // face value of the transfers
	Txs      []int32  `json:"-"`
	TxIDs    []string `json:"tx_ids"`
	Refs     []Ref    `json:"refs"`
}

// frontier is the tainted amount per transfer reaching (or leaving) a node.
type frontier struct {
	node  int
	taint map[int32]Amount
}

// Trace follows funds through the graph.
func (g *Graph) Trace(o TraceOptions) (*Flow, error) {
	o = traceDefaults(o)
	start, err := g.traceStart(o)
	if err != nil {
		return nil, err
	}
	root := g.Accounts[g.endOf(start, !o.Backward)]
	if o.TxID == "" {
		root = o.Account
	}
	f := &Flow{Root: root, Model: o.Model, Back: o.Backward}
	f.Nodes = append(f.Nodes, FlowNode{ID: 0, Account: root, Parent: -1})
	// Hop 1: the starting transfers themselves, wholly attributed.
	first := map[int32]Amount{}
	for _, e := range start {
		first[e] = g.Txs[e].Amount
		if o.Backward {
			first[e], _ = g.Txs[e].Credit()
		}
	}
	level := g.expand(f, &frontier{node: 0, taint: first}, 1, o, o.mergeMap())
	cache := map[int32][]int32{} // an account's events, reused when paths meet
	for hop := 2; hop <= o.Hops && len(level) > 0 && len(f.Edges) < o.MaxEdges; hop++ {
		var next []*frontier
		merged := o.mergeMap()
		for _, fr := range level {
			acct, _ := g.Node(f.Nodes[fr.node].Account)
			next = append(next, g.expand(f, &frontier{node: fr.node, taint: g.step(acct, fr.taint, o, cache)}, hop, o, merged)...)
		}
		level = next
	}
	return f, nil
}

// mergeMap returns the per-hop account → frontier map when merging.
func (o TraceOptions) mergeMap() map[int32]*frontier {
	if o.Merge {
		return map[int32]*frontier{}
	}
	return nil
}

// traceDefaults fills defaults.
func traceDefaults(o TraceOptions) TraceOptions {
	if o.Hops <= 0 {
		o.Hops = 3
	}
	if o.Model == "" {
		o.Model = ModelFIFO
	}
	if o.MaxEdges <= 0 {
		o.MaxEdges = 10000
	}
	return o
}

// traceStart returns the first transfers of the trace.
func (g *Graph) traceStart(o TraceOptions) ([]int32, error) {
	if o.Model != ModelFIFO && o.Model != ModelHaircut && o.Model != ModelPoison {
		return nil, rastro.Errorf(rastro.EINVALID, "money: trace: unknown model %q: use fifo, haircut or poison", o.Model)
	}
	if o.TxID != "" {
		for i := range g.Txs {
			if g.Txs[i].Key() == o.TxID {
				return []int32{int32(i)}, nil
			}
		}
		return nil, rastro.Errorf(rastro.ENOTFOUND, "money: trace: no transfer %q", o.TxID)
	}
	n, ok := g.Node(o.Account)
	if !ok {
		return nil, rastro.Errorf(rastro.ENOTFOUND, "money: trace: unknown account %q", o.Account)
	}
	list := g.out[n]
	if o.Backward {
		list = g.in[n]
	}
	var out []int32
	for _, e := range list {
		if !g.isSelf(e) && g.inWindow(e, o) {
			out = append(out, e)
		}
	}
	return out, nil
}

// inWindow reports whether transfer e is inside [After, Before].
func (g *Graph) inWindow(e int32, o TraceOptions) bool {
	t := g.Txs[e].Time
	return (o.After.IsZero() || !t.Before(o.After)) && (o.Before.IsZero() || !t.After(o.Before))
}

// endOf returns the sender (or receiver) node of a transfer list's first item.
func (g *Graph) endOf(txs []int32, sender bool) int32 {
	if len(txs) == 0 {
		return 0
	}
	if sender {
		return g.from[txs[0]]
	}
	return g.to[txs[0]]
}

// expand adds one tree level: the transfers in taint grouped by the
// account at their far end.
func (g *Graph) expand(f *Flow, fr *frontier, hop int, o TraceOptions, merged map[int32]*frontier) []*frontier {
	type group struct {
		edge  FlowEdge
		taint map[int32]Amount
	}
	byAcct := map[int32]*group{}
	var keys []int32
	for e, amt := range fr.taint {
		if amt.Sign() <= 0 || (!o.MinAmount.IsZero() && amt.Cmp(o.MinAmount) < 0) {
			continue
		}
		far := g.to[e]
		if o.Backward {
			far = g.from[e]
		}
		gr := byAcct[far]
		if gr == nil {
			gr = &group{taint: map[int32]Amount{}}
			byAcct[far] = gr
			keys = append(keys, far)
		}
		t := &g.Txs[e]
		gr.edge.Amount, gr.edge.Gross = gr.edge.Amount.Add(amt), gr.edge.Gross.Add(t.Amount)
		gr.edge.Currency = t.Currency
		gr.edge.Txs = append(gr.edge.Txs, e)
		gr.taint[e] = amt
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var next []*frontier
	for _, k := range keys {
		if len(f.Edges) >= o.MaxEdges {
			break
		}
		gr := byAcct[k]
		id := len(f.Nodes)
		if m := merged[k]; m != nil {
			id = m.node
			for x, a := range gr.taint {
				m.taint[x] = m.taint[x].Add(a)
			}
		} else {
			f.Nodes = append(f.Nodes, FlowNode{ID: id, Account: g.Accounts[k], Hop: hop, Parent: fr.node})
			nf := &frontier{node: id, taint: gr.taint}
			next = append(next, nf)
			if merged != nil {
				merged[k] = nf
			}
		}
		e := gr.edge
		e.Source, e.Target = fr.node, id
		sort.Slice(e.Txs, func(i, j int) bool { return e.Txs[i] < e.Txs[j] })
		for _, x := range e.Txs {
			e.TxIDs = append(e.TxIDs, g.Txs[x].Key())
			e.Refs = append(e.Refs, g.Txs[x].Ref())
		}
		f.Edges = append(f.Edges, e)
	}
	return next
}

// HopTotal is what a trace attributes at one hop, per currency and, with a
// rate table, converted into one currency.
type HopTotal struct {
	Hop        int               `json:"hop"`
	ByCurrency map[string]Amount `json:"by_currency"`
	Converted  *Amount           `json:"converted,omitempty"` // in Rates.To; nil without rates
	Missing    []string          `json:"missing,omitempty"`   // currencies without a rate, left out of Converted
}

// Totals sums the attributed amounts per hop; rates (optional) adds a total
// converted at 2 decimals.
func (f *Flow) Totals(rates *Rates) []HopTotal {
	var out []HopTotal
	for _, e := range f.Edges {
		hop := f.Nodes[e.Target].Hop
		for len(out) < hop {
			out = append(out, HopTotal{Hop: len(out) + 1, ByCurrency: map[string]Amount{}})
		}
		h := &out[hop-1]
		h.ByCurrency[e.Currency] = h.ByCurrency[e.Currency].Add(e.Amount)
	}
	if rates == nil {
		return out
	}
	for i := range out {
		sum := NewAmount(0, 2)
		for cur, a := range out[i].ByCurrency {
			c, ok := rates.Convert(a, cur, 2)
			if !ok {
				out[i].Missing = append(out[i].Missing, cur)
				continue
			}
			sum = sum.Add(c)
		}
		out[i].Converted = &sum
		slices.Sort(out[i].Missing)
	}
	return out
}

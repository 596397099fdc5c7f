package money

import (
	"fmt"
	"sort"
	"time"
)

// keeps reports whether transfer b forwards between MinKeep % and 100 % of
// what a credited (only checked when the currencies agree).
func (g *Graph) keeps(a, b int32, minKeep int) bool {
	in, cur := g.Txs[a].Credit()
	x := &g.Txs[b]
	if x.Currency != cur {
		return true
	}
	lo := in.MulFrac(NewAmount(int64(minKeep), 0), NewAmount(100, 0))
	return x.Amount.Cmp(lo) >= 0 && x.Amount.Cmp(in) <= 0
}

// from returns the edges of list with time in [t0, t1].
func (g *Graph) between(list []int32, t0, t1 int64) []int32 {
	lo := sort.Search(len(list), func(i int) bool { return g.unix[list[i]] >= t0 })
	hi := sort.Search(len(list), func(i int) bool { return g.unix[list[i]] > t1 })
	return list[lo:hi]
}

// ScatterGather flags a source that pays at least MinBranches
// intermediaries which each, after receiving (within Window), pay the same
// target.
func (g *Graph) ScatterGather(p Params) []Alert {
	var out []Alert
	w := secs(p.Window)
	for s := range g.Accounts {
		type grp struct {
			mids map[int32]bool
			txs  []int32
		}
		byT := map[int32]*grp{}
		for _, e1 := range g.out[s] {
			m := g.to[e1]
			if g.isSelf(e1) {
				continue
			}
			for _, e2 := range g.between(g.out[m], g.unix[e1], g.unix[e1]+w) {
				t := g.to[e2]
				if t == int32(s) || t == m || !g.keeps(e1, e2, p.MinKeep) {
					continue
				}
				x := byT[t]
				if x == nil {
					x = &grp{mids: map[int32]bool{}}
					byT[t] = x
				}
				x.mids[m] = true
				x.txs = append(x.txs, e1, e2)
			}
		}
		for t, x := range byT {
			if len(x.mids) < p.MinBranches {
				continue
			}
			expl := fmt.Sprintf("Scatter-gather: %s paid %d intermediaries that each forwarded funds to %s within %s of receiving them.",
				g.Accounts[s], len(x.mids), g.Accounts[t], p.Window)
			out = append(out, g.newAlert(KindScatterGather, int32(s), x.txs, squash(float64(len(x.mids))/float64(p.MinBranches)), expl))
		}
	}
	return out
}

// GatherScatter flags a hub that receives from at least MinBranches
// senders and then, after they arrived and within Window, pays at least
// MinBranches other receivers.
func (g *Graph) GatherScatter(p Params) []Alert {
	var out []Alert
	w := secs(p.Window)
	for h := range g.Accounts {
		if len(g.in[h]) < p.MinBranches || len(g.out[h]) < p.MinBranches {
			continue
		}
		best, bestTx := 0, []int32(nil)
		for _, split := range g.out[h] {
			tp := g.unix[split]
			ins := distinct(g, g.between(g.in[h], tp-w, tp), true, nil)
			if len(ins) < p.MinBranches {
				continue
			}
			outs := distinct(g, g.between(g.out[h], tp, tp+w), false, ins)
			if n := min(len(ins), len(outs)); n > best {
				best = n
				bestTx = append(append([]int32(nil), mapVals(ins)...), mapVals(outs)...)
			}
		}
		if best < p.MinBranches {
			continue
		}
		expl := fmt.Sprintf("Gather-scatter: %s received from at least %d senders and then paid at least %d other accounts, all within %s.",
			g.Accounts[h], best, best, p.Window)
		out = append(out, g.newAlert(KindGatherScatter, int32(h), bestTx, squash(float64(best)/float64(p.MinBranches)), expl))
	}
	return out
}

// distinct maps each counterparty of edges (not in exclude, not self) to
// its first transfer.
func distinct(g *Graph, edges []int32, in bool, exclude map[int32]int32) map[int32]int32 {
	m := map[int32]int32{}
	for _, e := range edges {
		if g.isSelf(e) {
			continue
		}
		c := g.other(e, in)
		if _, ok := exclude[c]; ok {
			continue
		}
		if _, ok := m[c]; !ok {
			m[c] = e
		}
	}
	return m
}

// mapVals lists the values of m.
func mapVals(m map[int32]int32) []int32 {
	out := make([]int32, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Bipartite flags groups of at least MinBranches senders that each pay the
// same two receivers within Window: a dense sender/receiver block.
func (g *Graph) Bipartite(p Params) []Alert {
	w := secs(p.Window)
	type pair struct{ a, b int32 }
	senders := map[pair]map[int32][]int32{}
	for s := range g.Accounts {
		edges := g.out[s]
		if len(edges) > 200 {
			continue // a payroll or a shop: too common to say anything
		}
		for i, e1 := range edges {
			for _, e2 := range edges[i+1:] {
				if g.unix[e2]-g.unix[e1] > w {
					break
				}
				a, b := g.to[e1], g.to[e2]
				if a == b || g.isSelf(e1) || g.isSelf(e2) {
					continue
				}
				if a > b {
					a, b = b, a
				}
				k := pair{a, b}
				if senders[k] == nil {
					senders[k] = map[int32][]int32{}
				}
				senders[k][int32(s)] = append(senders[k][int32(s)], e1, e2)
			}
		}
	}
	var out []Alert
	for k, ss := range senders {
		if len(ss) < p.MinBranches {
			continue
		}
		var txs []int32
		for _, t := range ss {
			txs = append(txs, t...)
		}
		expl := fmt.Sprintf("Bipartite block: %d senders each paid both %s and %s within %s of each other.",
			len(ss), g.Accounts[k.a], g.Accounts[k.b], p.Window)
		out = append(out, g.newAlert(KindBipartite, k.a, txs, squash(float64(len(ss))/float64(p.MinBranches)), expl))
	}
	return out
}

// Structuring flags accounts credited at least StructMin times within
// StructWindow with amounts just under Threshold (≥ Threshold×(100-Band)%).
func (g *Graph) Structuring(p Params) []Alert {
	var out []Alert
	lo := p.Threshold.MulFrac(NewAmount(int64(100-p.Band), 0), NewAmount(100, 0))
	w := secs(p.StructWindow)
	for n := range g.Accounts {
		var hits []int32
		for _, e := range g.in[n] {
			a, _ := g.Txs[e].Credit()
			if a.Cmp(lo) >= 0 && a.Cmp(p.Threshold) < 0 {
				hits = append(hits, e)
			}
		}
		l, h := g.densestCount(hits, w)
		if h-l < p.StructMin {
			continue
		}
		txs := append([]int32(nil), hits[l:h]...)
		cash := 0
		for _, e := range txs {
			if g.Txs[e].IsCash() {
				cash++
			}
		}
		expl := fmt.Sprintf("Structuring: %s received %d deposits between %s and %s of just under the %s threshold (%d in cash) from %s to %s.",
			g.Accounts[n], len(txs), lo, p.Threshold, p.Threshold, cash, g.Txs[txs[0]].Time.Format(time.DateOnly), g.Txs[txs[len(txs)-1]].Time.Format(time.DateOnly))
		score := squash(float64(len(txs))/float64(p.StructMin)) * (0.5 + 0.5*float64(cash)/float64(len(txs)))
		out = append(out, g.newAlert(KindStructuring, int32(n), txs, score, expl))
	}
	return out
}

// densestCount returns the window [lo, hi) of at most w seconds holding the
// most of the time-ordered edges.
func (g *Graph) densestCount(edges []int32, w int64) (int, int) {
	bl, bh, lo := 0, 0, 0
	for hi := range edges {
		for g.unix[edges[hi]]-g.unix[edges[lo]] > w {
			lo++
		}
		if hi+1-lo > bh-bl {
			bl, bh = lo, hi+1
		}
	}
	return bl, bh
}

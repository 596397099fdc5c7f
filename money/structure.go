package money

import (
	"fmt"
	"sort"
	"time"
)

// keeps reports whether transfer b forwards between MinKeep % and 100 % of
// what a credited (only checked when the currencies agree).
func (g *Graph) keeps(a, b int32, minKeep int) bool {
	if c := &g.amt; c.ok {
		if c.pcur[b] != c.ccur[a] {
			return true
		}
		x, in := c.paid[b], c.cred[a]
		if x > in {
			return false
		}
		ok1, p := mul64(x, 100)
		ok2, q := mul64(in, int64(minKeep))
		if ok1 && ok2 {
			return p >= q
		}
	}
	in, cur := g.Txs[a].Credit()
	x := &g.Txs[b]
	if x.Currency != cur {
		return true
	}
	return x.Amount.Cmp(in) <= 0 && x.Amount.atLeastPct(in, minKeep)
}

// from returns the edges of list with time in [t0, t1].
func (g *Graph) between(list []int32, t0, t1 int64) []int32 {
	lo := sort.Search(len(list), func(i int) bool { return g.unix[list[i]] >= t0 })
	hi := sort.Search(len(list), func(i int) bool { return g.unix[list[i]] > t1 })
	return list[lo:hi]
}

// ScatterGather flags a source that pays at least MinBranches
// intermediaries which each, after receiving, pay the same target; the
// whole pattern (first payment out to last payment in) fits in Window.
func (g *Graph) ScatterGather(p Params) []Alert {
	var out []Alert
	w := secs(p.Window)
	for s := range g.Accounts {
		byT := map[int32][][2]int32{}
		var targets []int32
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
				if byT[t] == nil {
					targets = append(targets, t)
				}
				byT[t] = append(byT[t], [2]int32{e1, e2})
			}
		}
		for _, t := range targets {
			if pairs := g.tightest(byT[t], w); distinctMids(g, pairs) >= p.MinBranches {
				out = append(out, g.scatterAlert(p, int32(s), t, pairs))
			}
		}
	}
	return out
}

// tightest returns the pairs (ordered by first hop) of the window of w
// seconds, from a first hop to a last second hop, with the most distinct
// intermediaries.
func (g *Graph) tightest(pairs [][2]int32, w int64) [][2]int32 {
	if len(pairs) < 2 {
		return pairs
	}
	best, bl, bh := 0, 0, 0
	for lo := range pairs {
		mids := map[int32]bool{}
		for hi := lo; hi < len(pairs) && g.unix[pairs[hi][1]]-g.unix[pairs[lo][0]] <= w; hi++ {
			mids[g.to[pairs[hi][0]]] = true
			if len(mids) > best {
				best, bl, bh = len(mids), lo, hi+1
			}
		}
	}
	return pairs[bl:bh]
}

// distinctMids counts the intermediaries of scatter-gather pairs.
func distinctMids(g *Graph, pairs [][2]int32) int {
	m := map[int32]bool{}
	for _, p := range pairs {
		m[g.to[p[0]]] = true
	}
	return len(m)
}

// scatterAlert explains one scatter-gather.
func (g *Graph) scatterAlert(p Params, s, t int32, pairs [][2]int32) Alert {
	var txs []int32
	for _, x := range pairs {
		txs = append(txs, x[0], x[1])
	}
	n := distinctMids(g, pairs)
	expl := fmt.Sprintf("Scatter-gather: %s paid %d intermediaries that each forwarded funds to %s after receiving them, all between %s and %s.",
		g.Accounts[s], n, g.Accounts[t], g.Txs[pairs[0][0]].Time.Format(time.DateTime), g.Txs[pairs[len(pairs)-1][1]].Time.Format(time.DateTime))
	return g.newAlert(KindScatterGather, s, txs, squash(float64(n)/float64(p.MinBranches)), expl)
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
		// A hub that does little else scores higher than a busy business.
		conc := float64(2*best) / float64(distinctCount(g, g.in[h], true)+distinctCount(g, g.out[h], false))
		score := 0.5*squash(float64(best)/float64(p.MinBranches)) + 0.5*min(conc, 1)
		out = append(out, g.newAlert(KindGatherScatter, int32(h), bestTx, score, expl))
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

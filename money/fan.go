package money

import (
	"fmt"
	"time"
)

// FanIn flags accounts that receive from at least MinDegree distinct
// senders within Window (the densest window per account).
func (g *Graph) FanIn(p Params) []Alert { return g.fan(p, true) }

// FanOut flags accounts that pay at least MinDegree distinct receivers
// within Window.
func (g *Graph) FanOut(p Params) []Alert { return g.fan(p, false) }

// fan finds, per account, the window with the most distinct counterparties.
func (g *Graph) fan(p Params, in bool) []Alert {
	var out []Alert
	w := secs(p.Window)
	for n := range g.Accounts {
		edges := g.out[n]
		if in {
			edges = g.in[n]
		}
		if len(edges) < p.MinDegree {
			continue
		}
		best, lo, hi := g.densest(edges, w, in)
		if best < p.MinDegree {
			continue
		}
		txs := append([]int32(nil), edges[lo:hi]...)
		txs = g.dropSelf(txs)
		kind, verb, side := KindFanOut, "paid", "receivers"
		if in {
			kind, verb, side = KindFanIn, "received from", "senders"
		}
		expl := fmt.Sprintf("Account %s %s %d distinct %s in %d transfers between %s and %s (window %s).",
			g.Accounts[n], verb, best, side, len(txs), g.Txs[txs[0]].Time.Format(time.DateTime), g.Txs[txs[len(txs)-1]].Time.Format(time.DateTime), p.Window)
		// Many counterparties in a short time, relative to the account's
		// whole history, and (fan-in) senders passing on money they had
		// just received — collection rather than commerce — score high.
		score := 0.35*squash(float64(best)/float64(p.MinDegree)) + 0.3*float64(best)/float64(distinctCount(g, edges, in))
		if in {
			score += 0.35 * g.forwardedShare(txs, secs(p.Window))
		} else {
			score += 0.35 * 0.5
		}
		out = append(out, g.newAlert(kind, int32(n), txs, score, expl))
	}
	return out
}

// densest returns the largest number of distinct counterparties in any
// window of w seconds over edges, and that window [lo, hi).
func (g *Graph) densest(edges []int32, w int64, in bool) (int, int, int) {
	count := map[int32]int{}
	best, bl, bh := 0, 0, 0
	lo := 0
	for hi, e := range edges {
		if g.isSelf(e) {
			continue
		}
		count[g.other(e, in)]++
		for g.unix[e]-g.unix[edges[lo]] > w {
			if !g.isSelf(edges[lo]) {
				c := g.other(edges[lo], in)
				if count[c]--; count[c] == 0 {
					delete(count, c)
				}
			}
			lo++
		}
		if len(count) > best {
			best, bl, bh = len(count), lo, hi+1
		}
	}
	return best, bl, bh
}

// other returns the counterparty of transfer e seen from its receiver (in)
// or its sender.
func (g *Graph) other(e int32, in bool) int32 {
	if in {
		return g.from[e]
	}
	return g.to[e]
}

// distinctCount counts distinct counterparties over all edges.
func distinctCount(g *Graph, edges []int32, in bool) int {
	seen := map[int32]bool{}
	for _, e := range edges {
		if !g.isSelf(e) {
			seen[g.other(e, in)] = true
		}
	}
	return max(len(seen), 1)
}

// dropSelf removes self transfers.
func (g *Graph) dropSelf(txs []int32) []int32 {
	out := txs[:0]
	for _, e := range txs {
		if !g.isSelf(e) {
			out = append(out, e)
		}
	}
	return out
}

// forwardedShare is the share of transfers whose sender had received at
// least as much within w before (in the same currency).
func (g *Graph) forwardedShare(txs []int32, w int64) float64 {
	if len(txs) == 0 {
		return 0
	}
	n := 0
	for _, e := range txs {
		got := Amount{}
		for _, f := range g.between(g.in[g.from[e]], g.unix[e]-w, g.unix[e]) {
			if a, cur := g.Txs[f].Credit(); cur == g.Txs[e].Currency && !g.isSelf(f) {
				got = got.Add(a)
			}
		}
		if got.Cmp(g.Txs[e].Amount) >= 0 {
			n++
		}
	}
	return float64(n) / float64(len(txs))
}

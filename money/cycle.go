package money

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Cycles flags time-ordered cycles: money leaves an account and returns to
// it in 2..CycleMaxLen hops, each hop no earlier than the previous one, all
// within CycleWindow. Each hop forwards MinKeep..100 % of the previous one when
// currencies agree. Search starts at every transfer (time-respecting cycles
// have a first hop, so no smallest-node canonical form) and is bounded by MaxSearch steps
// per start transfer. What returns must conserve value (see conserves). One
// alert per distinct set of accounts.
func (g *Graph) Cycles(p Params) []Alert {
	var out []Alert
	seen := map[string]bool{}
	w := secs(p.CycleWindow)
	path := make([]int32, 0, p.CycleMaxLen)
	onPath := map[int32]bool{}
	for e0 := range g.Txs {
		s := g.from[e0]
		if g.skip(e0) || g.isSelf(int32(e0)) || p.CycleAnyOrder && g.to[e0] < s {
			continue
		}
		budget := p.MaxSearch
		path = append(path[:0], int32(e0))
		onPath[s], onPath[g.to[e0]] = true, true
		g.cycleDFS(p, s, g.unix[e0]+w, path, onPath, &budget, func(c []int32) {
			key := cycleKey(g, c)
			if seen[key] || !g.conserves(c, p.MinKeep) {
				return
			}
			seen[key] = true
			out = append(out, g.cycleAlert(p, s, c))
		})
		delete(onPath, s)
		delete(onPath, g.to[e0])
	}
	return out
}

// cycleDFS extends path (transfer indices) until it returns to s.
func (g *Graph) cycleDFS(p Params, s int32, deadline int64, path []int32, onPath map[int32]bool, budget *int, found func([]int32)) {
	last := path[len(path)-1]
	v, t := g.to[last], g.unix[last]
	edges := g.out[v]
	if p.CycleAnyOrder {
		t = deadline - 2*secs(p.CycleWindow)
	}
	k := sort.Search(len(edges), func(i int) bool { return g.unix[edges[i]] >= t })
	for _, e := range edges[k:] {
		if g.unix[e] > deadline || *budget <= 0 {
			return
		}
		*budget--
		u := g.to[e]
		switch {
		case u == s && v != s && len(path)+1 >= p.CycleMinLen && g.keeps(last, e, p.MinKeep):
			found(append(slices.Clone(path), e))
		case u == v || onPath[u] || p.CycleAnyOrder && u < s || len(path)+1 >= p.CycleMaxLen || !g.keeps(last, e, p.MinKeep):
		default:
			onPath[u] = true
			g.cycleDFS(p, s, deadline, append(path, e), onPath, budget, found)
			delete(onPath, u)
		}
	}
}

// conserves reports whether what comes back is between (MinKeep %)^(hops-1)
// and 100 % of what left: the first and last hops must be comparable (same
// currency), so that random chains of unrelated payments are not cycles.
func (g *Graph) conserves(c []int32, minKeep int) bool {
	first := &g.Txs[c[0]]
	back, cur := g.Txs[c[len(c)-1]].Credit()
	if cur != first.Currency || back.Cmp(first.Amount) > 0 {
		return false
	}
	lo := first.Amount
	for range len(c) - 1 {
		lo = lo.MulFrac(NewAmount(int64(minKeep), 0), NewAmount(100, 0))
	}
	return back.Cmp(lo) >= 0
}

// cycleKey identifies a cycle by its sorted accounts.
func cycleKey(g *Graph, c []int32) string {
	ids := make([]int, len(c))
	for i, e := range c {
		ids[i] = int(g.from[e])
	}
	sort.Ints(ids)
	return fmt.Sprint(ids)
}

// cycleAlert explains one cycle.
func (g *Graph) cycleAlert(p Params, s int32, c []int32) Alert {
	names := []string{g.Accounts[s]}
	for _, e := range c {
		names = append(names, g.Accounts[g.to[e]])
	}
	first, last := &g.Txs[c[0]], &g.Txs[c[len(c)-1]]
	lastAmt, lastCur := last.Credit()
	expl := fmt.Sprintf("Funds went round %s in %d time-ordered hops from %s to %s: %s %s left and %s %s came back.",
		strings.Join(names, " → "), len(c), first.Time.Format(time.DateTime), last.Time.Format(time.DateTime),
		first.Amount, first.Currency, lastAmt, lastCur)
	// Score: value preserved end to end, completed fast, and more than a
	// simple back-and-forth.
	amt := 0.0
	if first.Currency == lastCur && !first.Amount.IsZero() {
		amt = lastAmt.Ratio(first.Amount)
		if amt > 1 {
			amt = 1 / amt
		}
	}
	dur := float64(g.unix[c[len(c)-1]]-g.unix[c[0]]) / float64(max(secs(p.CycleWindow), 1))
	score := 0.4*amt + 0.4*max(0, 1-dur) + 0.2*float64(min(len(c)-1, 3))/3
	return g.newAlert(KindCycle, s, slices.Clone(c), score, expl)
}

package money

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Layering flags chains of at least ChainMinLen hops through distinct
// accounts, each hop leaving within ChainGap of the previous arrival and
// forwarding MinKeep..100 % of it (when currencies agree). Each transfer
// belongs to at most one reported chain; search is bounded by MaxSearch.
func (g *Graph) Layering(p Params) []Alert {
	var out []Alert
	used := make([]bool, len(g.Txs))
	gap := secs(p.ChainGap)
	for e0 := range g.Txs {
		if used[e0] || g.skip(e0) || g.isSelf(int32(e0)) {
			continue
		}
		budget := p.MaxSearch
		best := g.longest([]int32{int32(e0)}, map[int32]bool{g.from[e0]: true, g.to[e0]: true}, p, gap, &budget)
		if len(best) < p.ChainMinLen {
			continue
		}
		for _, e := range best {
			used[e] = true
		}
		names := []string{g.Accounts[g.from[best[0]]]}
		for _, e := range best {
			names = append(names, g.Accounts[g.to[e]])
		}
		first, last := &g.Txs[best[0]], &g.Txs[best[len(best)-1]]
		expl := fmt.Sprintf("Layering chain of %d hops %s from %s to %s, each hop within %s of the previous one.",
			len(best), strings.Join(names, " → "), first.Time.Format(time.DateTime), last.Time.Format(time.DateTime), p.ChainGap)
		out = append(out, g.newAlert(KindLayering, g.from[best[0]], best, squash(float64(len(best))/float64(p.ChainMinLen)), expl))
	}
	return out
}

// longest returns the longest extension of chain (bounded by CycleMaxLen+2 hops).
func (g *Graph) longest(chain []int32, on map[int32]bool, p Params, gap int64, budget *int) []int32 {
	best := slices.Clone(chain)
	if len(chain) >= p.CycleMaxLen+2 {
		return best
	}
	last := chain[len(chain)-1]
	for _, e := range g.between(g.out[g.to[last]], g.unix[last], g.unix[last]+gap) {
		if *budget <= 0 {
			break
		}
		*budget--
		u := g.to[e]
		if on[u] || g.isSelf(e) || !g.keeps(last, e, p.MinKeep) {
			continue
		}
		on[u] = true
		if c := g.longest(append(chain, e), on, p, gap, budget); len(c) > len(best) {
			best = c
		}
		delete(on, u)
	}
	return best
}

// Funnel flags accounts that take at least FunnelMin cash deposits within
// FunnelWindow and send at least half of that amount on (not in cash)
// within FunnelOut of the last deposit. Branch places named in statement
// descriptions ("SUC. CITY", "BRANCH CITY") are counted and raise the score.
func (g *Graph) Funnel(p Params) []Alert {
	var out []Alert
	for n := range g.Accounts {
		var cash []int32
		for _, e := range g.in[n] {
			if g.isSelf(e) && g.Txs[e].IsCash() {
				cash = append(cash, e)
			}
		}
		if len(cash) < p.FunnelMin {
			continue
		}
		l, h := g.densestCount(cash, secs(p.FunnelWindow))
		if h-l < p.FunnelMin {
			continue
		}
		dep := cash[l:h]
		if a, ok := g.funnelAlert(p, int32(n), dep); ok {
			out = append(out, a)
		}
	}
	return out
}

// funnelAlert finds the outflow after the deposits and explains it.
func (g *Graph) funnelAlert(p Params, n int32, dep []int32) (Alert, bool) {
	total := Amount{}
	cur := g.Txs[dep[0]].Currency
	places := map[string]bool{}
	for _, e := range dep {
		a, _ := g.Txs[e].Credit()
		total = total.Add(a)
		if pl := place(g.Txs[e].Description); pl != "" {
			places[pl] = true
		}
	}
	lastT := g.unix[dep[len(dep)-1]]
	half := total.MulFrac(NewAmount(1, 0), NewAmount(2, 0))
	var outs []int32
	sent := Amount{}
	for _, e := range g.between(g.out[n], lastT, lastT+secs(p.FunnelOut)) {
		if g.isSelf(e) || g.Txs[e].IsCash() || g.Txs[e].Currency != cur {
			continue
		}
		outs = append(outs, e)
		sent = sent.Add(g.Txs[e].Amount)
	}
	if sent.Cmp(half) < 0 {
		return Alert{}, false
	}
	expl := fmt.Sprintf("Funnel account: %s took %d cash deposits totalling %s %s", g.Accounts[n], len(dep), total, cur)
	if len(places) > 0 {
		expl += fmt.Sprintf(" at %d branches (%s)", len(places), strings.Join(sortedKeys(places), ", "))
	}
	expl += fmt.Sprintf(" and sent %s %s on within %s of the last deposit.", sent, cur, p.FunnelOut)
	score := 0.4 + 0.3*squash(float64(len(dep))/float64(p.FunnelMin)) + 0.3*squash(float64(len(places))/2)
	return g.newAlert(KindFunnel, n, append(slices.Clone(dep), outs...), score, expl), true
}

// place extracts a branch name from a cash-deposit description.
func place(desc string) string {
	u := strings.ToUpper(desc)
	for _, k := range []string{"SUC. ", "SUCURSAL ", "BRANCH "} {
		if i := strings.Index(u, k); i >= 0 {
			return strings.TrimSpace(u[i+len(k):])
		}
	}
	return ""
}

// sortedKeys lists map keys in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// PassThrough flags accounts where at least PassMin incoming transfers
// leave again within PassWindow, each forwarding MinKeep..100 % (small
// residue).
func (g *Graph) PassThrough(p Params) []Alert {
	var out []Alert
	w := secs(p.PassWindow)
	for n := range g.Accounts {
		var pairs []int32
		used := map[int32]bool{}
		for _, e1 := range g.in[n] {
			if g.isSelf(e1) {
				continue
			}
			for _, e2 := range g.between(g.out[n], g.unix[e1], g.unix[e1]+w) {
				if !used[e2] && !g.isSelf(e2) && g.to[e2] != g.from[e1] && g.keeps(e1, e2, p.MinKeep) && sameCur(g, e1, e2) {
					used[e2] = true
					pairs = append(pairs, e1, e2)
					break
				}
			}
		}
		pairs = g.densestPairs(pairs, secs(p.Window))
		if len(pairs)/2 < p.PassMin {
			continue
		}
		in, out2 := Amount{}, Amount{}
		for i := 0; i < len(pairs); i += 2 {
			a, _ := g.Txs[pairs[i]].Credit()
			in, out2 = in.Add(a), out2.Add(g.Txs[pairs[i+1]].Amount)
		}
		cur := g.Txs[pairs[1]].Currency
		expl := fmt.Sprintf("Rapid pass-through: %d times between %s and %s, %s received funds and sent them on within %s; %s %s in, %s %s out, residue %s %s.",
			len(pairs)/2, g.Txs[pairs[0]].Time.Format(time.DateTime), g.Txs[pairs[len(pairs)-1]].Time.Format(time.DateTime),
			g.Accounts[n], p.PassWindow, in, cur, out2, cur, in.Sub(out2), cur)
		score := squash(float64(len(pairs)/2)/float64(p.PassMin)) * (0.5 + 0.5*out2.Ratio(in))
		out = append(out, g.newAlert(KindPassThrough, int32(n), pairs, score, expl))
	}
	return out
}

// densestPairs keeps the in/out pairs whose incoming transfers fall in the
// busiest window of w seconds.
func (g *Graph) densestPairs(pairs []int32, w int64) []int32 {
	firsts := make([]int32, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		firsts = append(firsts, pairs[i])
	}
	l, h := g.densestCount(firsts, w)
	return pairs[2*l : 2*h]
}

// sameCur reports whether b is in the currency a was credited in.
func sameCur(g *Graph, a, b int32) bool {
	_, c := g.Txs[a].Credit()
	return g.Txs[b].Currency == c
}

// Dormant flags accounts silent for at least DormantGap after earlier
// activity that then make at least DormantBurst transfers within Window.
func (g *Graph) Dormant(p Params) []Alert {
	var out []Alert
	gap, w := secs(p.DormantGap), secs(p.Window)
	for n := range g.Accounts {
		all := mergeTime(g, g.in[n], g.out[n])
		for i := 1; i < len(all); i++ {
			if g.unix[all[i]]-g.unix[all[i-1]] < gap {
				continue
			}
			burst := g.between(all[i:], g.unix[all[i]], g.unix[all[i]]+w)
			if len(burst) < p.DormantBurst {
				continue
			}
			silent := time.Duration(g.unix[all[i]]-g.unix[all[i-1]]) * time.Second
			expl := fmt.Sprintf("Dormant then active: %s was silent for %d days, then made %d transfers within %s from %s.",
				g.Accounts[n], int(silent.Hours()/24), len(burst), p.Window, g.Txs[all[i]].Time.Format(time.DateOnly))
			out = append(out, g.newAlert(KindDormant, int32(n), slices.Clone(burst), squash(float64(len(burst))/float64(p.DormantBurst)), expl))
			break
		}
	}
	return out
}

// mergeTime merges two time-ordered index lists (indices are time-ordered).
func mergeTime(g *Graph, a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

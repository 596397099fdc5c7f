package money

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Evaluate runs a rule pack over the graph. lists names account lists the
// rules may refer to (e.g. "darknet": known service addresses). Alerts carry
// the rule id as Kind, the pack version in Rule, the cited flags in
// RedFlags; roles are applied so that possible victims are never subjects.
func (g *Graph) Evaluate(p *RulePack, roles map[string]Role, lists map[string][]string) []Alert {
	sets := map[string]map[string]bool{}
	for k, v := range lists {
		sets[k] = map[string]bool{}
		for _, a := range v {
			sets[k][a] = true
		}
	}
	var out []Alert
	for k := range p.Rules {
		out = append(out, g.evalRule(p, &p.Rules[k], sets)...)
	}
	applyRoles(out, roles)
	sortAlerts(out)
	return out
}

// evalRule groups a rule's matches by flagged account and keeps the
// densest window of each.
func (g *Graph) evalRule(p *RulePack, r *Rule, sets map[string]map[string]bool) []Alert {
	byAcct := map[int32][]int32{}
	var order []int32
	for i := range g.Txs {
		if !g.matches(&r.When, int32(i), sets) {
			continue
		}
		n := g.from[i]
		if r.Flag == "to" {
			n = g.to[i]
		}
		if byAcct[n] == nil {
			order = append(order, n)
		}
		byAcct[n] = append(byAcct[n], int32(i))
	}
	w, _ := time.ParseDuration(r.Count.Window)
	var out []Alert
	for _, n := range order {
		hits := byAcct[n]
		l, h := g.densestCount(hits, secs(w))
		win := hits[l:h]
		cps, places := g.spread(win, r.Flag == "to")
		if len(win) < r.Count.Min || cps < r.Count.DistinctCounterparties || places < r.Count.DistinctPlaces {
			continue
		}
		txs := append([]int32(nil), win...)
		if fw, err := time.ParseDuration(r.FundingWithin); err == nil && fw > 0 {
			txs = append(txs, g.funding(n, win, secs(fw))...)
		}
		out = append(out, g.ruleAlert(p, r, n, win, txs, cps, places, w))
	}
	return out
}

// spread counts distinct counterparties and places (their banks, or the
// branch named in cash descriptions) over txs.
func (g *Graph) spread(txs []int32, in bool) (int, int) {
	cps, places := map[int32]bool{}, map[string]bool{}
	for _, e := range txs {
		cps[g.other(e, in)] = true
		t := &g.Txs[e]
		pl := t.FromBank
		if !in {
			pl = t.ToBank
		}
		if b := place(t.Description); b != "" {
			pl = b
		}
		if pl != "" {
			places[pl] = true
		}
	}
	return len(cps), len(places)
}

// funding lists incoming transfers of n that arrived within w before a match.
func (g *Graph) funding(n int32, win []int32, w int64) []int32 {
	var out []int32
	for _, e := range win {
		for _, f := range g.between(g.in[n], g.unix[e]-w, g.unix[e]) {
			if !g.isSelf(f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// ruleAlert explains one rule hit.
func (g *Graph) ruleAlert(p *RulePack, r *Rule, n int32, win, txs []int32, cps, places int, w time.Duration) Alert {
	total := map[string]Amount{}
	for _, e := range win {
		t := &g.Txs[e]
		total[t.Currency] = total[t.Currency].Add(t.Amount)
	}
	var sums []string
	for c, a := range total {
		sums = append(sums, a.String()+" "+c)
	}
	sort.Strings(sums) // one order for every run

	first, last := &g.Txs[win[0]], &g.Txs[win[len(win)-1]]
	expl := fmt.Sprintf("%s: %d matching transfers of %s (%s) with %d counterparties", r.Title, len(win), g.Accounts[n], strings.Join(sums, ", "), cps)
	if places > 1 {
		expl += fmt.Sprintf(" in %d places", places)
	}
	expl += fmt.Sprintf(" between %s and %s (window %s). Cites %s. A red flag, not proof: no single red flag is a clear indicator of human trafficking.",
		first.Time.Format(time.DateOnly), last.Time.Format(time.DateOnly), w, strings.Join(r.Cites, ", "))
	a := g.newAlert(r.ID, n, txs, squash(float64(len(win))/float64(r.Count.Min)), expl)
	a.Rule = p.Name + "@" + p.Version + "#" + r.ID
	for _, c := range r.Cites {
		if strings.Contains(c, "/") {
			a.RedFlags = append(a.RedFlags, c)
		}
	}
	return a
}

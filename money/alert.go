package money

import (
	"fmt"
	"sort"
	"strings"
)

// Alert is one flagged pattern: an explained lead, never a verdict.
type Alert struct {
	Kind        string   `json:"kind"`                // fan_in, cycle, structuring, ht.ad_payments, ...
	Account     string   `json:"account"`             // the flagged (focal) account
	Subjects    []string `json:"subjects"`            // accounts the alert is about (never a possible victim's)
	Victims     []string `json:"victims,omitempty"`   // possible victims' accounts: named as victim/witness only
	Accounts    []string `json:"accounts"`            // every account involved
	Txs         []int32  `json:"-"`                   // indices into Graph.Txs
	TxIDs       []string `json:"tx_ids"`              // ids of the transfers behind it
	Refs        []Ref    `json:"refs"`                // their file and line
	Explanation string   `json:"explanation"`         // plain words, with counts, amounts and times
	Score       float64  `json:"score"`               // 0..1, for ranking within a kind
	RedFlags    []string `json:"red_flags,omitempty"` // cited indicators, e.g. FIN-2020-A008/financial/7
	Rule        string   `json:"rule,omitempty"`      // rule id and pack version for rule alerts
}

// newAlert fills accounts, ids and refs from transfer indices.
func (g *Graph) newAlert(kind string, focal int32, txs []int32, score float64, expl string) Alert {
	txs = uniqSorted(txs)
	a := Alert{Kind: kind, Account: g.Accounts[focal], Txs: txs, Score: score, Explanation: expl}
	seen := map[int32]bool{focal: true}
	a.Accounts = append(a.Accounts, g.Accounts[focal])
	for _, i := range txs {
		t := &g.Txs[i]
		a.TxIDs = append(a.TxIDs, t.Key())
		a.Refs = append(a.Refs, t.Ref())
		for _, n := range []int32{g.from[i], g.to[i]} {
			if !seen[n] {
				seen[n] = true
				a.Accounts = append(a.Accounts, g.Accounts[n])
			}
		}
	}
	return a
}

// uniqSorted sorts and deduplicates indices.
func uniqSorted(x []int32) []int32 {
	sort.Slice(x, func(i, j int) bool { return x[i] < x[j] })
	out := x[:0]
	for i, v := range x {
		if i == 0 || v != x[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// applyRoles splits each alert's accounts into subjects and possible
// victims. A possible victim is never a subject (FinCEN FIN-2020-A008: "a
// potential victim of human trafficking should not be reported as the
// subject of a SAR"); when the focal account is a victim's, the
// explanation says so and the alert is about the others.
func applyRoles(alerts []Alert, roles map[string]Role) {
	for k := range alerts {
		a := &alerts[k]
		a.Subjects, a.Victims = nil, nil
		for _, acc := range a.Accounts {
			if roles[acc] == RoleVictim {
				a.Victims = append(a.Victims, acc)
				continue
			}
			if acc == a.Account || roles[acc] == RoleSuspect {
				a.Subjects = append(a.Subjects, acc)
			}
		}
		if roles[a.Account] == RoleVictim {
			a.Explanation += fmt.Sprintf(" Account %s belongs to a possible victim: the person is listed as victim/witness, not as the subject of this alert.", a.Account)
		} else if len(a.Victims) > 0 {
			a.Explanation += fmt.Sprintf(" Possible victims' accounts involved (%s) are listed as victims/witnesses, never as subjects.", strings.Join(a.Victims, ", "))
		}
		if a.Subjects == nil {
			a.Subjects = []string{}
		}
	}
}

// sortAlerts orders by kind, score (high first), then account.
func sortAlerts(alerts []Alert) {
	sort.SliceStable(alerts, func(i, j int) bool {
		a, b := &alerts[i], &alerts[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Account < b.Account
	})
}

// squash maps x ≥ 0 to [0,1): a score from a ratio over a baseline.
func squash(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x / (1 + x)
}

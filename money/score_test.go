package money

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro/synth"
	"github.com/rastro/rastro/synth/truth"
)

// scoredCase is a generated case loaded into a graph.
type scoredCase struct {
	truth *synth.Truth
	g     *Graph
	roles map[string]Role
	lists map[string][]string
}

// loadSynth generates a case and loads its money folder.
func loadSynth(tb testing.TB, size string, seed uint64) *scoredCase {
	tb.Helper()
	dir, tr := generated(tb, size, seed)
	ds, err := LoadDir(filepath.Join(dir, "money"), "money")
	if err != nil {
		tb.Fatal(err)
	}
	c := &scoredCase{truth: tr, g: NewGraph(ds.Txs), roles: map[string]Role{}, lists: map[string][]string{}}
	for _, a := range tr.Accounts {
		switch {
		case a.Role == "victim" || a.Role == "possible_victim":
			c.roles[a.Number] = RoleVictim
		case a.Holder != "" && a.Role != "bystander" && a.Role != "business":
			c.roles[a.Number] = RoleSuspect
		}
		if a.Role == "darknet" || strings.HasPrefix(a.ID, "darknet") {
			c.lists["darknet"] = append(c.lists["darknet"], a.Number)
		}
	}
	return c
}

// detectorFor maps a planted typology kind to the alert kind that should find it.
var detectorFor = map[string]string{
	"fan_in": KindFanIn, "fan_out": KindFanOut, "cycle": KindCycle, "scatter_gather": KindScatterGather,
	"gather_scatter": KindGatherScatter, "structuring": KindStructuring, "funnel": KindFunnel,
	"rapid_pass_through": KindPassThrough,
	"fincen_ad_payments": "ht.ad_payments", "fincen_living_costs": "ht.living_costs",
	"fincen_many_senders": "ht.many_senders", "fincen_off_hours": "ht.off_hours", "fincen_darknet_crypto": "ht.darknet_crypto",
}

// kindScore is the quality of one detector against one planted typology.
type kindScore struct {
	kind           string
	recall         float64 // best share of the planted lines covered by one alert
	alerts, onPlan int     // alerts of the kind; alerts touching a planted line of this typology
	rank           int     // 1-based rank of the best alert by score (0 = not found)
}

// scoreTypology measures how well alerts of the matching kind cover ty.
func scoreTypology(alerts []Alert, ty truth.Typology) kindScore {
	want := map[Ref]bool{}
	for _, r := range ty.Transactions {
		want[Ref{File: r.File, Line: r.Line}] = true
	}
	s := kindScore{kind: ty.Kind}
	k := detectorFor[ty.Kind]
	n := 0
	for _, a := range alerts {
		if a.Kind != k {
			continue
		}
		n++
		s.alerts++
		hit := 0
		for _, r := range a.Refs {
			if want[r] {
				hit++
			}
		}
		if hit > 0 {
			s.onPlan++
		}
		if rec := float64(hit) / float64(len(want)); rec > s.recall {
			s.recall, s.rank = rec, n
		}
	}
	return s
}

func TestTypologyRecallSynth(t *testing.T) {
	for _, size := range []string{"tiny", "small"} {
		t.Run(size, func(t *testing.T) {
			c := loadSynth(t, size, 7)
			rules, err := DefaultRulePack()
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			alerts := c.g.Scan(DefaultParams(), rules, c.roles, c.lists)
			t.Logf("%d transactions scanned in %s: %d alerts", len(c.g.Txs), time.Since(start).Round(time.Millisecond), len(alerts))
			found := 0
			for _, ty := range c.truth.Typologies {
				s := scoreTypology(alerts, ty)
				t.Logf("%-22s recall %.2f  best alert rank %d of %d (%d touch the plant)", s.kind, s.recall, s.rank, s.alerts, s.onPlan)
				if s.recall >= 0.5 {
					found++
				}
				// The background must not drown the plant: its alert ranks
				// in the top third of its kind (or top 5).
				if s.recall >= 0.5 && s.rank > max(5, s.alerts/3) {
					t.Errorf("%s: planted alert ranks %d of %d", s.kind, s.rank, s.alerts)
				}
			}
			t.Logf("%d/%d planted typologies found (≥ half their lines in one alert); %d transactions", found, len(c.truth.Typologies), len(c.g.Txs))
			if found < len(c.truth.Typologies)*3/4 {
				t.Errorf("only %d of %d planted typologies found", found, len(c.truth.Typologies))
			}
		})
	}
}

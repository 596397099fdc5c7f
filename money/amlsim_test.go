package money

import (
	"bufio"
	"github.com/rastro/rastro/internal/shareddata"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedData is shared/data/rel of the reference data, or skips.
func sharedData(tb testing.TB, rel string) string { return shareddata.Dir(tb, rel) }

// loadAMLSim reads transactions.csv and the isFraud labels of nodes.csv.
func loadAMLSim(tb testing.TB, name string) (*Graph, map[string]bool, time.Duration) {
	tb.Helper()
	dir := sharedData(tb, filepath.Join("aml", name))
	start := time.Now()
	var txs []Tx
	rep, err := ReadFile(filepath.Join(dir, "transactions.csv"), ReadOptions{File: "aml/" + name + "/transactions.csv"}, func(t *Tx) error {
		txs = append(txs, *t)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if rep.ErrorCount > 0 {
		tb.Errorf("%d bad lines, first %v", rep.ErrorCount, rep.Errors[0])
	}
	g := NewGraph(txs)
	took := time.Since(start)
	f, err := os.Open(filepath.Join(dir, "nodes.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	fraud := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), ",")
		if len(p) >= 2 && p[1] == "1" {
			fraud[p[0]] = true
		}
	}
	return g, fraud, took
}

// accountQuality is recall and precision of flagged accounts against labels.
func accountQuality(alerts []Alert, fraud map[string]bool) (recall, precision float64, flagged int) {
	seen := map[string]bool{}
	for _, a := range alerts {
		for _, acc := range a.Accounts {
			seen[acc] = true
		}
	}
	hit := 0
	for acc := range seen {
		if fraud[acc] {
			hit++
		}
	}
	if len(seen) > 0 {
		precision = float64(hit) / float64(len(seen))
	}
	return float64(hit) / float64(max(len(fraud), 1)), precision, len(seen)
}

func TestAMLSimRecall(t *testing.T) {
	tests := []struct {
		name    string
		kind    string
		minRecl float64
	}{
		{"20K_cycle200", KindCycle, 0.10},
		{"20K_fanin200", KindFanIn, 0.70},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, fraud, load := loadAMLSim(t, tc.name)
			t.Logf("%s: %d transactions, %d accounts, %d fraud accounts, loaded in %s", tc.name, len(g.Txs), len(g.Accounts), len(fraud), load.Round(time.Millisecond))
			var got float64
			kinds := []string{tc.kind}
			if os.Getenv("RASTRO_MONEY_FULL") != "" {
				kinds = Kinds() // every detector at defaults: about 10 s more
			}
			for _, k := range kinds {
				start := time.Now()
				alerts := g.Detect(DefaultParams(), nil, k)
				r, p, n := accountQuality(alerts, fraud)
				t.Logf("  default %-20s alerts %5d  flagged %5d  recall %.3f  precision %.3f  %s", k, len(alerts), n, r, p, time.Since(start).Round(time.Millisecond))
			}
			// AMLSim gives each pattern transfer a random step within the
			// pattern's period: hops are not time-ordered, so measure with
			// the whole run as the window and unordered cycles.
			start := time.Now()
			alerts := g.Detect(amlsimParams(), nil, tc.kind)
			r, p, n := accountQuality(alerts, fraud)
			got = r
			t.Logf("  amlsim  %-20s alerts %5d  flagged %5d  recall %.3f  precision %.3f  %s", tc.kind, len(alerts), n, r, p, time.Since(start).Round(time.Millisecond))
			focal := 0
			for _, a := range alerts {
				if fraud[a.Account] {
					focal++
				}
			}
			t.Logf("  amlsim  %-20s focal accounts (the hub of each alert) that are isFraud: %d of %d", tc.kind, focal, len(alerts))
			if got < tc.minRecl {
				t.Errorf("%s recall %.3f on %s, want ≥ %.2f", tc.kind, got, tc.name, tc.minRecl)
			}
		})
	}
}

// amlsimParams are AMLSimParams.
func amlsimParams() Params { return AMLSimParams() }

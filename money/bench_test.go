package money

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkImportAMLSim measures import speed (MB/s) on AMLSim's 118k transfers.
func BenchmarkImportAMLSim(b *testing.B) {
	path := filepath.Join(sharedData(b, "aml/20K_fanin200"), "transactions.csv")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for b.Loop() {
		n := 0
		if _, err := ReadFile(path, ReadOptions{}, func(*Tx) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetect measures each detector at default parameters on AMLSim.
func BenchmarkDetect(b *testing.B) {
	g, _, _ := loadAMLSim(b, "20K_cycle200")
	for _, k := range Kinds() {
		b.Run(k, func(b *testing.B) {
			for b.Loop() {
				g.Detect(DefaultParams(), nil, k)
			}
			b.ReportMetric(float64(len(g.Txs))*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}

// BenchmarkTrace5Hops measures 5-hop forward traces from 50 accounts spread
// over the AMLSim graph and reports the median and 95th percentile per trace.
func BenchmarkTrace5Hops(b *testing.B) {
	g, _, _ := loadAMLSim(b, "20K_cycle200")
	var starts []string
	for i := 0; i < len(g.Accounts) && len(starts) < 50; i += len(g.Accounts) / 50 {
		starts = append(starts, g.Accounts[i])
	}
	for _, m := range []string{ModelFIFO, ModelHaircut, ModelPoison, "merged-" + ModelPoison} {
		b.Run(m, func(b *testing.B) {
			model, merge := strings.CutPrefix(m, "merged-")
			var took []time.Duration
			edges := 0
			for b.Loop() {
				for _, acc := range starts {
					t0 := time.Now()
					f, err := g.Trace(TraceOptions{Account: acc, Hops: 5, Model: model, Merge: merge})
					if err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t0))
					edges += len(f.Edges)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(edges)/float64(len(took)), "edges/trace")
		})
	}
}

// BenchmarkScanSynthSmall measures a full scan (every detector and the rule
// pack) of the small training case's money files.
func BenchmarkScanSynthSmall(b *testing.B) {
	c := loadSynth(b, "small", 7)
	rules, err := DefaultRulePack()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c.g.Scan(DefaultParams(), rules, c.roles, c.lists)
	}
	b.ReportMetric(float64(len(c.g.Txs))*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

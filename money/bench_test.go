package money

import (
	"os"
	"path/filepath"
	"testing"
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

// BenchmarkTrace5Hops measures a 5-hop forward FIFO trace from a busy account.
func BenchmarkTrace5Hops(b *testing.B) {
	g, _, _ := loadAMLSim(b, "20K_cycle200")
	busiest, deg := "", 0
	for i, a := range g.Accounts {
		if len(g.out[i]) > deg {
			busiest, deg = a, len(g.out[i])
		}
	}
	for _, m := range []string{ModelFIFO, ModelHaircut, ModelPoison} {
		b.Run(m, func(b *testing.B) {
			edges := 0
			for b.Loop() {
				f, err := g.Trace(TraceOptions{Account: busiest, Hops: 5, Model: m})
				if err != nil {
					b.Fatal(err)
				}
				edges = len(f.Edges)
			}
			b.ReportMetric(float64(edges), "edges")
		})
	}
}

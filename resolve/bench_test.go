package resolve

import (
	"context"
	"testing"
)

// BenchmarkCompare measures pairwise comparison speed on FEBRL dataset3's
// candidate pairs (pairs/s).
func BenchmarkCompare(b *testing.B) {
	recs := febrlRecords(b, "dataset3.csv", "", map[string]string{})
	o := Options{}.withDefaults()
	gen := genericFields(recs)
	ps := make([]prepared, len(recs))
	for i, r := range recs {
		ps[i] = prepare(r, gen)
	}
	pairs, _ := block(ps, o)
	md := &model{comps: buildComparisons(ps, gen), opts: o}
	b.ResetTimer()
	for b.Loop() {
		md.gammas(ps, pairs)
	}
	b.ReportMetric(float64(len(pairs))*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

func benchResolve(b *testing.B, recs []Record) {
	b.Helper()
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Resolve(context.Background(), recs, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Blocking.CandidatePairs)*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkResolveFEBRL3 is end-to-end resolution of FEBRL dataset3 (5,000 records).
func BenchmarkResolveFEBRL3(b *testing.B) {
	benchResolve(b, febrlRecords(b, "dataset3.csv", "", map[string]string{}))
}

// BenchmarkResolveFake1000 is end-to-end resolution of fake_1000.
func BenchmarkResolveFake1000(b *testing.B) {
	benchResolve(b, fakeRecords(b, map[string]string{}))
}

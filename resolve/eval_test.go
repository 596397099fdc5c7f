package resolve

import (
	"context"
	"testing"
)

// blockingRecall is the share of true pairs among the candidate pairs.
func blockingRecall(tb testing.TB, recs []Record, truth map[string]string, o Options) (float64, BlockingStats) {
	tb.Helper()
	o = o.withDefaults()
	gen := genericFields(recs)
	ps := prepareAll(recs, gen, o.Workers)
	pairs, st := block(ps, o)
	found := int64(0)
	for _, p := range pairs {
		i, j := unpair(p)
		if truth[recs[i].ID] == truth[recs[j].ID] {
			found++
		}
	}
	m := Evaluate([]Cluster{{Members: ids(recs)}}, truth)
	if o.LinkOnly {
		m.TruePairs = crossTruePairs(recs, truth)
	}
	return float64(found) / float64(m.TruePairs), st
}

func ids(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func crossTruePairs(recs []Record, truth map[string]string) int64 {
	bySrc := map[string]map[string]int64{}
	for _, r := range recs {
		if bySrc[r.Source] == nil {
			bySrc[r.Source] = map[string]int64{}
		}
		bySrc[r.Source][truth[r.ID]]++
	}
	var n int64
	for t, a := range bySrc["a"] {
		n += a * bySrc["b"][t]
	}
	return n
}

// TestEvaluation resolves FEBRL datasets 1, 3 and 4 (a link task) and
// fake_1000 with default options and checks pairwise F1 of the clusters and
// blocking recall against bounds a little under what we measured (see the
// log lines). Dataset 2 behaves like 3 and is left to the benchmarks to keep
// the run short.
func TestEvaluation(t *testing.T) {
	tests := []struct {
		name                  string
		load                  func(testing.TB, map[string]string) []Record
		linkOnly              bool
		typed                 bool // hand-typed data: near-miss identifiers and name-only links allowed
		minF1, minBlockRecall float64
	}{
		{"febrl1", func(tb testing.TB, tr map[string]string) []Record { return febrlRecords(tb, "dataset1.csv", "", tr) }, false, false, 0.99, 0.995},
		{"febrl3", func(tb testing.TB, tr map[string]string) []Record { return febrlRecords(tb, "dataset3.csv", "", tr) }, false, false, 0.99, 0.995},
		{"febrl4", func(tb testing.TB, tr map[string]string) []Record {
			return append(febrlRecords(tb, "dataset4a.csv", "a", tr), febrlRecords(tb, "dataset4b.csv", "b", tr)...)
		}, true, false, 0.99, 0.995},
		{"fake_1000", fakeRecords, false, true, 0.95, 0.93},
		{"fake_1000_default", fakeRecords, false, false, 0.78, 0.93},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			truth := map[string]string{}
			recs := tt.load(t, truth)
			o := Options{LinkOnly: tt.linkOnly, FuzzyIdentifiers: tt.typed, AllowNameOnly: tt.typed}
			br, st := blockingRecall(t, recs, truth, o)
			res, err := Resolve(context.Background(), recs, nil, o)
			if err != nil {
				t.Fatal(err)
			}
			m := Evaluate(res.Clusters, truth)
			t.Logf("%s: records %d, candidate pairs %d of %d (reduction %.5f), blocking recall %.4f; precision %.4f recall %.4f F1 %.4f (λ %.4f)",
				tt.name, st.Records, st.CandidatePairs, st.PossiblePairs, st.ReductionRatio, br, m.Precision, m.Recall, m.F1, res.Lambda)
			t.Logf("pairs by rule %v, skipped blocks %v", st.PairsByRule, st.SkippedBlocks)
			if br < tt.minBlockRecall {
				t.Errorf("blocking recall %.4f < %.2f", br, tt.minBlockRecall)
			}
			if m.F1 < tt.minF1 {
				t.Errorf("F1 %.4f < %.2f", m.F1, tt.minF1)
			}
		})
	}
}

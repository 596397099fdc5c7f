package resolve

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro/synth"
)

// generatedPeople reads n records of synth.WritePeople; truth maps record
// ID to the planted person.
func generatedPeople(tb testing.TB, n int) ([]Record, map[string]string) {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := synth.WritePeople(&buf, n, 1); err != nil {
		tb.Fatal(err)
	}
	data := buf.Bytes()
	recs, err := ReadCSV(bytes.NewReader(data), "id", []string{"first_name", "last_name", "birth_date", "phone", "email", "city"})
	if err != nil {
		tb.Fatal(err)
	}
	truth, err := ReadCSV(bytes.NewReader(data), "id", []string{"person"})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range truth {
		out[r.ID] = r.Fields["person"][0]
	}
	return recs, out
}

// TestSortedNeighbourhoodKeepsQuality resolves generated people once with
// every block paired all against all and once with the million-record
// settings forced on small blocks (blocks above 4 records windowed, 3
// neighbours, EM on a sample): far fewer pairs, nearly the same F1.
func TestSortedNeighbourhoodKeepsQuality(t *testing.T) {
	recs, truth := generatedPeople(t, 2000)
	full := mustResolve(t, recs, nil, Options{SubBlockSize: 1 << 30})
	win := mustResolve(t, recs, nil, Options{SubBlockSize: 4, BlockWindow: 3, MaxTrainingPairs: 20_000})
	mf, mw := Evaluate(full.Clusters, truth), Evaluate(win.Clusters, truth)
	t.Logf("all pairs: %d candidates, F1 %.4f (P %.4f R %.4f)", full.Blocking.CandidatePairs, mf.F1, mf.Precision, mf.Recall)
	t.Logf("windowed:  %d candidates, F1 %.4f (P %.4f R %.4f), windowed blocks %v", win.Blocking.CandidatePairs, mw.F1, mw.Precision, mw.Recall, win.Blocking.WindowedBlocks)
	if mf.F1 < 0.95 || mw.F1 < 0.95 || mw.F1 < mf.F1-0.01 {
		t.Errorf("F1 all pairs %.4f, windowed %.4f; want both ≥ 0.95, windowed within 0.01", mf.F1, mw.F1)
	}
	windowedPairs := func(st BlockingStats) int {
		return st.PairsByRule["name_phonetic"] + st.PairsByRule["surname_birth_year"] + st.PairsByRule["birth_date"] + st.PairsByRule["given_birth_date"]
	}
	if w, f := windowedPairs(win.Blocking), windowedPairs(full.Blocking); len(win.Blocking.WindowedBlocks) == 0 || w >= f {
		t.Errorf("windowed rules produced %d pairs (windowed blocks %v), all pairs %d; want fewer", w, win.Blocking.WindowedBlocks, f)
	}
}

// BenchmarkResolvePeople100k resolves 100,000 generated person records
// (bench/resolve/run.sh runs a million through the command).
func BenchmarkResolvePeople100k(b *testing.B) {
	recs, truth := generatedPeople(b, 100_000)
	benchResolve(b, recs)
	res, err := Resolve(b.Context(), recs, nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(Evaluate(res.Clusters, truth).F1, "F1")
}

// TestResolveSameForAnyWorkers resolves generated people on one goroutine
// and on several (blocking, preparing, scoring and explaining run in
// parallel): the pairs, their explanations, the model and the clusters must
// not depend on it.
func TestResolveSameForAnyWorkers(t *testing.T) {
	recs, _ := generatedPeople(t, 1500)
	o := Options{SubBlockSize: 4, BlockWindow: 3, MaxTrainingPairs: 20_000}
	o.Workers = 1
	one := mustResolve(t, recs, nil, o)
	o.Workers = 3
	three := mustResolve(t, recs, nil, o)
	if len(one.Pairs) == 0 || len(one.Blocking.WindowedBlocks) == 0 {
		t.Fatalf("%d pairs, windowed blocks %v; want some of both", len(one.Pairs), one.Blocking.WindowedBlocks)
	}
	if diff := cmp.Diff(one, three); diff != "" {
		t.Errorf("result depends on Workers (-1 +3):\n%s", diff)
	}
}

package resolve

import (
	"context"
	"testing"

	"github.com/rastro/rastro/internal/cputime"
)

// BenchmarkCompare measures pairwise comparison speed on FEBRL dataset3's
// candidate pairs (pairs/s).
func BenchmarkCompare(b *testing.B) {
	recs := febrlRecords(b, "dataset3.csv", "", map[string]string{})
	o := Options{}.withDefaults()
	gen := genericFields(recs)
	ps := prepareAll(recs, gen, o.Workers)
	pairs, _ := block(ps, o)
	md := &model{comps: buildComparisons(ps, gen, false), opts: o}
	start := cputime.Process()
	for b.Loop() {
		md.gammas(ps, pairs)
	}
	b.ReportMetric(float64(len(pairs))*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(float64(len(pairs))*float64(b.N)/(cputime.Process()-start).Seconds(), "pairs/cpu-s")
}

func benchResolve(b *testing.B, recs []Record) {
	b.Helper()
	var res *Result
	start := cputime.Process()
	for b.Loop() {
		var err error
		if res, err = Resolve(context.Background(), recs, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Blocking.CandidatePairs)*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric((cputime.Process()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkResolveFEBRL3 is end-to-end resolution of FEBRL dataset3 (5,000 records).
func BenchmarkResolveFEBRL3(b *testing.B) {
	benchResolve(b, febrlRecords(b, "dataset3.csv", "", map[string]string{}))
}

// BenchmarkResolveFake1000 is end-to-end resolution of fake_1000.
func BenchmarkResolveFake1000(b *testing.B) {
	benchResolve(b, fakeRecords(b, map[string]string{}))
}

// BenchmarkResolveSynthetic20k resolves 20,000 generated records (10,000
// people with two records each: full name, phone and date of birth; a
// respelled name, the same phone and an e-mail). Names come from short
// lists, so name blocks are large and mostly capped: a scale test of
// blocking, EM and clustering rather than of quality.
func BenchmarkResolveSynthetic20k(b *testing.B) {
	recs, truth := peopleRecords(10_000)
	benchResolve(b, recs)
	res, err := Resolve(context.Background(), recs, nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := Evaluate(res.Clusters, truth)
	b.ReportMetric(m.F1, "F1")
}

// BenchmarkScorePairs measures the scoring of the candidate pairs of
// 100,000 generated people with a trained model (CPU ns per pair; run
// with -cpu 1 on a shared machine).
func BenchmarkScorePairs(b *testing.B) {
	recs, _ := generatedPeople(b, 100_000)
	o := Options{}.withDefaults()
	generic := genericFields(recs)
	ps := prepareAll(recs, generic, o.Workers)
	md := &model{comps: buildComparisons(ps, generic, o.FuzzyIdentifiers), opts: o}
	md.countTF(ps)
	md.estimateU(ps)
	pairs, stats, sessionPairs := blockAll(ps, o, sessionRules)
	train := samplePairs(pairs, o.MaxTrainingPairs)
	md.trainSessions(ps, train, md.gammas(ps, train), nil, sessionPairs)
	md.prior = clamp(md.lambda*float64(stats.CandidatePairs)/float64(max(stats.PossiblePairs, 1)), 1e-12, 0.5)
	md.freeze()
	start := cputime.Process()
	for b.Loop() {
		md.weights(ps, pairs)
	}
	b.ReportMetric(float64((cputime.Process()-start).Nanoseconds())/float64(len(pairs))/float64(b.N), "cpu-ns/pair")
	b.ReportMetric(float64(len(pairs)), "pairs")
}

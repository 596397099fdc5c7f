package resolve

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/rastro/rastro"
)

// Result is the outcome of resolving a set of records.
type Result struct {
	Pairs      []PairScore        `json:"pairs"`    // pairs at or above Options.KeepProbability, strongest first
	Clusters   []Cluster          `json:"clusters"` // every record in exactly one cluster, by cluster ID
	Judgements []JudgementOutcome `json:"judgements"`
	Blocking   BlockingStats      `json:"blocking"`
	Model      []FieldModel       `json:"model"`
	Lambda     float64            `json:"lambda"`    // prior match probability of two records taken at random
	Threshold  float64            `json:"threshold"` // match probability used to link
}

// ClusterOf returns a map from record ID to cluster ID.
func (r *Result) ClusterOf() map[string]string {
	out := map[string]string{}
	for _, c := range r.Clusters {
		for _, m := range c.Members {
			out[m] = c.ID
		}
	}
	return out
}

// Resolve scores the candidate pairs of recs, fits the model, and clusters
// the records, honouring the analyst judgements js. It returns EINVALID for
// an empty or duplicate record ID or an unknown verdict; judgements about
// records absent from recs are reported, not fatal.
func Resolve(ctx context.Context, recs []Record, js []Judgement, o Options) (*Result, error) {
	o = o.withDefaults()
	index, err := indexRecords(recs, js)
	if err != nil {
		return nil, err
	}
	generic := genericFields(recs)
	ps := prepareAll(recs, generic, o.Workers)
	md := &model{comps: buildComparisons(ps, generic, o.FuzzyIdentifiers), opts: o}
	md.countTF(ps)
	md.estimateU(ps)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	pairs, stats, sessionPairs := blockAll(ps, o, sessionRules)
	train := samplePairs(pairs, o.MaxTrainingPairs)
	g := md.gammas(ps, train)
	md.trainSessions(ps, train, g, judgedPairs(train, js, index), sessionPairs)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	// The prior is over all pairs, as in Splink: blocking keeps (almost) all
	// matches, so matches ≈ λ_candidates × candidates.
	md.prior = clamp(md.lambda*float64(stats.CandidatePairs)/float64(max(stats.PossiblePairs, 1)), 1e-12, 0.5)
	md.freeze()
	res := &Result{Blocking: stats, Model: md.fieldModels(), Lambda: md.prior, Threshold: o.Threshold}
	edges := md.scorePairs(ps, pairs, js, index, res)
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	res.Clusters, res.Judgements = cluster(ids, edges, js, index)
	return res, nil
}

// indexRecords maps record IDs to indexes and checks the input.
func indexRecords(recs []Record, js []Judgement) (map[string]int, error) {
	index := make(map[string]int, len(recs))
	for i, r := range recs {
		if r.ID == "" {
			return nil, rastro.Errorf(rastro.EINVALID, "resolve: record %d has no ID; give every record a unique ID", i)
		}
		if _, dup := index[r.ID]; dup {
			return nil, rastro.Errorf(rastro.EINVALID, "resolve: record ID %q appears twice; IDs must be unique", r.ID)
		}
		index[r.ID] = i
	}
	for _, j := range js {
		if j.Verdict != Same && j.Verdict != NotSame && j.Verdict != Unsure {
			return nil, rastro.Errorf(rastro.EINVALID, "resolve: judgement %s/%s has verdict %q; use same, not_same or unsure", j.A, j.B, j.Verdict)
		}
	}
	return index, nil
}

// judgedPairs returns, aligned with pairs, +1 for pairs judged the same,
// -1 for not the same and 0 otherwise (nil without judgements).
func judgedPairs(pairs []uint64, js []Judgement, index map[string]int) []int8 {
	verdicts := judgementMap(js, index)
	if len(verdicts) == 0 {
		return nil
	}
	out := make([]int8, len(pairs))
	for k, p := range pairs {
		switch verdicts[p] {
		case Same:
			out[k] = 1
		case NotSame:
			out[k] = -1
		}
	}
	return out
}

// judgementMap keys the judgements by encoded pair; the last one wins.
func judgementMap(js []Judgement, index map[string]int) map[uint64]Verdict {
	out := map[uint64]Verdict{}
	for _, j := range js {
		a, okA := index[j.A]
		b, okB := index[j.B]
		if okA && okB && a != b {
			out[uint64(min(a, b))<<32|uint64(max(a, b))] = j.Verdict
		}
	}
	return out
}

// scorePairs scores every candidate pair, keeps the explained ones in res
// and returns the edges at or above the threshold (not-same pairs never).
// Explanations are built in parallel, each into its own slot.
func (md *model) scorePairs(ps []prepared, pairs []uint64, js []Judgement, index map[string]int, res *Result) []edge {
	verdicts := judgementMap(js, index)
	weights, corroborated := md.weights(ps, pairs)
	var edges []edge
	var kept []int
	for k, p := range pairs {
		i, j := unpair(p)
		w := weights[k]
		prob := probability(w)
		v := verdicts[p]
		if prob >= md.opts.KeepProbability || v != "" {
			kept = append(kept, k)
		}
		if prob >= md.opts.Threshold && v != NotSame && (corroborated[k] || md.opts.AllowNameOnly) {
			edges = append(edges, edge{i, j, w})
		}
	}
	res.Pairs = make([]PairScore, len(kept))
	parallelRange(len(kept), md.opts.Workers, func(lo, hi int) {
		for x := lo; x < hi; x++ {
			k := kept[x]
			p := pairs[k]
			i, j := unpair(p)
			w := weights[k]
			_, _, contribs := md.score(&ps[i], &ps[j], true, nil)
			res.Pairs[x] = PairScore{A: ps[i].id, B: ps[j].id, Weight: w, Probability: probability(w),
				PriorBits: log2Odds(md.prior), Contributions: contribs, Judgement: verdicts[p],
				NameOnly: !corroborated[k]}
		}
	})
	slices.SortFunc(res.Pairs, func(a, b PairScore) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B))
	})
	return edges
}

// parallelRange splits [0, n) into one contiguous range per worker and
// calls f on each concurrently.
func parallelRange(n, workers int, f func(lo, hi int)) {
	if n == 0 {
		return
	}
	var wg sync.WaitGroup
	chunk := (n + max(workers, 1) - 1) / max(workers, 1)
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// weights scores the pairs in parallel, without explanations.
func (md *model) weights(ps []prepared, pairs []uint64) ([]float64, []bool) {
	ws, cs := make([]float64, len(pairs)), make([]bool, len(pairs))
	var wg sync.WaitGroup
	chunk := (len(pairs) + md.opts.Workers - 1) / md.opts.Workers
	for lo := 0; lo < len(pairs); lo += chunk {
		hi := min(len(pairs), lo+chunk)
		wg.Go(func() {
			sc := newSimCache(workerCacheBits)
			for k := lo; k < hi; k++ {
				i, j := unpair(pairs[k])
				ws[k], cs[k], _ = md.score(&ps[i], &ps[j], false, sc)
			}
		})
	}
	wg.Wait()
	return ws, cs
}

// samplePairs returns at most n of the sorted pairs, evenly spaced (all of
// them when there are no more than n), for training: EM needs the shares
// of comparison patterns, which a sample of a million pairs fixes as well
// as fifty million.
func samplePairs(pairs []uint64, n int) []uint64 {
	if len(pairs) <= n {
		return pairs
	}
	out := make([]uint64, n)
	for k := range out {
		out[k] = pairs[int(int64(k)*int64(len(pairs))/int64(n))]
	}
	return out
}

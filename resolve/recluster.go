package resolve

// Recluster clusters records again from pairs already scored and a new set
// of judgements, without rescoring: so that an analyst's judgement shows at
// once, before the next full resolution. ids are the records to cluster
// (records absent from ids are ignored); a pair links its records when its
// probability reaches threshold, it is not judged not the same and, unless
// allowNameOnly, more than names agree — the rule Resolve uses.
func Recluster(ids []string, pairs []PairScore, js []Judgement, threshold float64, allowNameOnly bool) ([]Cluster, []JudgementOutcome) {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	verdicts := judgementMap(js, index)
	var edges []edge
	for _, p := range pairs {
		i, okI := index[p.A]
		j, okJ := index[p.B]
		if !okI || !okJ || i == j || p.Probability < threshold || (p.NameOnly && !allowNameOnly) {
			continue
		}
		if verdicts[uint64(min(i, j))<<32|uint64(max(i, j))] == NotSame {
			continue
		}
		edges = append(edges, edge{min(i, j), max(i, j), p.Weight})
	}
	return cluster(ids, edges, js, index)
}

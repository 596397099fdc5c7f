package resolve

// Metrics are pairwise precision, recall and F1 of a clustering against
// the truth: a pair of records counts when both sides put them together.
type Metrics struct {
	TruePairs      int64   `json:"true_pairs"`
	PredictedPairs int64   `json:"predicted_pairs"`
	Correct        int64   `json:"correct"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	F1             float64 `json:"f1"`
}

// Evaluate scores clusters against truth (record ID → true entity ID).
// Records absent from truth are their own entity.
func Evaluate(clusters []Cluster, truth map[string]string) Metrics {
	var m Metrics
	trueSize := map[string]int64{}
	for _, c := range clusters {
		inter := map[string]int64{}
		for _, id := range c.Members {
			t, ok := truth[id]
			if !ok {
				t = "\x00" + id
			}
			trueSize[t]++
			inter[t]++
		}
		n := int64(len(c.Members))
		m.PredictedPairs += n * (n - 1) / 2
		for _, k := range inter {
			m.Correct += k * (k - 1) / 2
		}
	}
	for _, k := range trueSize {
		m.TruePairs += k * (k - 1) / 2
	}
	if m.PredictedPairs > 0 {
		m.Precision = float64(m.Correct) / float64(m.PredictedPairs)
	}
	if m.TruePairs > 0 {
		m.Recall = float64(m.Correct) / float64(m.TruePairs)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	return m
}

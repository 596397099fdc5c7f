package resolve

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRecluster(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	pairs := []PairScore{
		{A: "a", B: "b", Probability: 0.99, Weight: 9},
		{A: "b", B: "c", Probability: 0.95, Weight: 5},
		{A: "c", B: "d", Probability: 0.99, Weight: 9, NameOnly: true},
		{A: "a", B: "d", Probability: 0.4, Weight: -1},
	}
	tests := []struct {
		name string
		js   []Judgement
		want [][]string
	}{
		{"scores alone", nil, [][]string{{"a", "b", "c"}, {"d"}}},
		{"same wins over a low score", []Judgement{{A: "a", B: "d", Verdict: Same}}, [][]string{{"a", "b", "c", "d"}}},
		{"not same splits", []Judgement{{A: "b", B: "c", Verdict: NotSame}}, [][]string{{"a", "b"}, {"c"}, {"d"}}},
		{"not same holds transitively", []Judgement{{A: "a", B: "c", Verdict: NotSame}}, [][]string{{"a", "b"}, {"c"}, {"d"}}},
		{"unsure changes nothing", []Judgement{{A: "b", B: "c", Verdict: Unsure}}, [][]string{{"a", "b", "c"}, {"d"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, _ := Recluster(ids, pairs, tt.js, 0.9, false)
			var got [][]string
			for _, c := range cs {
				got = append(got, c.Members)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("clusters (-want +got):\n%s", diff)
			}
		})
	}
}

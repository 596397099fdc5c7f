package resolve

import (
	"context"
	"fmt"
	"testing"
)

func TestDbgFake(t *testing.T) {
	truth := map[string]string{}
	recs := fakeRecords(t, truth)
	for _, th := range []float64{0.5, 0.8, 0.9, 0.95, 0.99} {
		res, _ := Resolve(context.Background(), recs, nil, Options{Threshold: th})
		m := Evaluate(res.Clusters, truth)
		fmt.Printf("th %v P %.3f R %.3f F1 %.3f lambda %.3f\n", th, m.Precision, m.Recall, m.F1, res.Lambda)
		if th == 0.9 {
			for _, fm := range res.Model {
				fmt.Printf("%-12s", fm.Field)
				for l := range fm.Levels {
					fmt.Printf(" %s m=%.3f u=%.4f b=%.1f |", fm.Levels[l].Name, fm.M[l], fm.U[l], fm.Bits[l])
				}
				fmt.Println()
			}
		}
	}
}

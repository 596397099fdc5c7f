package resolve

import (
	"context"
	"fmt"
	"testing"
)

func TestDbgFake(t *testing.T) {
	truth := map[string]string{}
	recs := fakeRecords(t, truth)
	res, _ := Resolve(context.Background(), recs, nil, Options{})
	for _, fm := range res.Model {
		fmt.Printf("%-12s", fm.Field)
		for l := range fm.Levels {
			fmt.Printf(" %s m=%.3f u=%.4f b=%.1f |", fm.Levels[l].Name, fm.M[l], fm.U[l], fm.Bits[l])
		}
		fmt.Println()
	}
}

package resolve

import (
	"fmt"
	"testing"
)

func TestDbgFake(t *testing.T) {
	truth := map[string]string{}
	recs := fakeRecords(t, truth)
	o := Options{}.withDefaults()
	ps := make([]prepared, len(recs))
	for i, r := range recs {
		ps[i] = prepare(r, nil)
	}
	pairs, _ := block(ps, o)
	have := map[uint64]bool{}
	for _, p := range pairs {
		have[p] = true
	}
	n := 0
	for i := range recs {
		for j := i + 1; j < len(recs); j++ {
			if truth[recs[i].ID] == truth[recs[j].ID] && !have[uint64(i)<<32|uint64(j)] {
				n++
				if n < 25 {
					fmt.Println(recs[i].Fields, "|", recs[j].Fields)
				}
			}
		}
	}
	fmt.Println("missed", n)
}

package resolve

import (
	"math/rand/v2"
	"testing"
)

// preparedPeople prepares n generated people and builds their model up to
// the term frequencies.
func preparedPeople(tb testing.TB, n int) ([]prepared, *model) {
	tb.Helper()
	recs, _ := generatedPeople(tb, n)
	o := Options{}.withDefaults()
	generic := genericFields(recs)
	ps := prepareAll(recs, generic, o.Workers)
	md := &model{comps: buildComparisons(ps, generic, o.FuzzyIdentifiers), opts: o}
	md.countTF(ps)
	return ps, md
}

// TestTFByIDMatchesMap checks that the term frequency read by interned ID
// is the one counted by value, for every value a comparison agrees on
// between random records and their planted duplicates.
func TestTFByIDMatchesMap(t *testing.T) {
	ps, md := preparedPeople(t, 3000)
	r := rand.New(rand.NewPCG(7, 7))
	checked := 0
	for range 200_000 {
		i := r.IntN(len(ps))
		j := min(len(ps)-1, i+r.IntN(3)) // neighbours are often duplicates
		for c, cp := range md.comps {
			l, _, key, id := cp.cmp(&ps[i], &ps[j], false)
			if l == missing || key == "" {
				continue
			}
			if got, want := md.tfCount(c, key, id), md.tf[c][key]; got != want {
				t.Fatalf("%s %q (id %d): tf by ID %d, by value %d", cp.field, key, id, got, want)
			}
			if id >= 0 {
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d agreements read by ID; the fast path is not exercised", checked)
	}
}

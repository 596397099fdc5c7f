package resolve

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
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
			l, _, key, id := cp.cmp(&ps[i], &ps[j], false, nil)
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

// TestPreparedFillsCacheLines checks the padding of prepared: a size that
// is not a multiple of 64 bytes spreads the hot fields of half the
// records over two cache lines.
func TestPreparedFillsCacheLines(t *testing.T) {
	if n := unsafe.Sizeof(prepared{}); n%64 != 0 {
		t.Errorf("sizeof(prepared) = %d, not a multiple of 64; adjust its padding", n)
	}
}

// TestMemoisedComparisonsMatchDirect compares random pairs of generated
// records (many near duplicates, swapped names, double surnames) with and
// without the per-worker memo, twice over so the second pass hits it, and
// with a four-slot memo whose collisions overwrite all the time: every
// level and term-frequency key must be the direct computation's.
func TestMemoisedComparisonsMatchDirect(t *testing.T) {
	ps, md := preparedPeople(t, 3000)
	r := rand.New(rand.NewPCG(9, 9))
	pairs := make([][2]int, 100_000)
	for k := range pairs {
		i := r.IntN(len(ps))
		j := r.IntN(len(ps))
		if k%2 == 0 {
			j = min(len(ps)-1, i+1+r.IntN(3)) // neighbours are often duplicates
		}
		pairs[k] = [2]int{i, j}
	}
	hits := map[string]int{}
	for _, sc := range []*simCache{newSimCache(workerCacheBits), newSimCache(2)} {
		for pass := range 2 {
			for _, p := range pairs {
				a, b := &ps[p[0]], &ps[p[1]]
				for _, cp := range md.comps {
					l, _, key, id := cp.cmp(a, b, false, nil)
					ml, _, mkey, mid := cp.cmp(a, b, false, sc)
					if l != ml || key != mkey || id != mid {
						t.Fatalf("%s of %s and %s (pass %d): memoised level %d key %q/%d, direct %d %q/%d",
							cp.field, a.id, b.id, pass, ml, mkey, mid, l, key, id)
					}
					if l > 0 {
						hits[fmt.Sprintf("%s/%d", cp.field, l)]++
					}
				}
			}
		}
	}
	for _, want := range []string{"given_name/1", "given_name/2", "given_name/3", "surname/1", "surname/2", "surname/3", "surname/4", "city/1", "city/2"} {
		if hits[want] == 0 {
			t.Errorf("no pair at level %s; the test does not cover it (levels seen %v)", want, hits)
		}
	}
}

// TestSharedTokenMatchesStrings checks the interned test for a shared
// given name, surname or phonetic key against the strings.
func TestSharedTokenMatchesStrings(t *testing.T) {
	ps, _ := preparedPeople(t, 3000)
	r := rand.New(rand.NewPCG(5, 5))
	shared := 0
	for range 200_000 {
		i := r.IntN(len(ps))
		a, b := &ps[i], &ps[min(len(ps)-1, i+r.IntN(3))]
		for _, c := range []struct {
			x, y   [2]int32
			na, nb uint8
			as, bs []string
		}{
			{a.givenTok, b.givenTok, a.nGiven, b.nGiven, a.given, b.given},
			{a.surTok, b.surTok, a.nSur, b.nSur, a.surnames, b.surnames},
			{a.surPhTok, b.surPhTok, a.nSur, b.nSur, a.surnamePh, b.surnamePh},
		} {
			got, want := sharedToken(c.x, c.y, c.na, c.nb, c.as, c.bs), shareAny(c.as, c.bs)
			if got != want {
				t.Fatalf("sharedToken(%q, %q) = %v, strings say %v", c.as, c.bs, got, want)
			}
			if got {
				shared++
			}
		}
	}
	if shared < 1000 {
		t.Errorf("only %d shared tokens; the test does not exercise the IDs", shared)
	}
}

package stats

import (
	"errors"
	"math"
)

// state of one entry in a release.
type state int

const (
	released   state = iota // released
	suppressed              // withheld
	known                   // released before with the same value: public already
)

// errUnprotectable is returned when no further suppression can hide a
// withheld count.
var errUnprotectable = errors.New("a withheld count can be worked out from counts already released; use the differential-privacy option or a coarser table")

// suppress decides which entries of g to withhold for threshold k. prior
// holds counts published by earlier releases of the same data set, by key:
// unchanged ones stay public (known), and one that changed by less than k
// is withheld so that the difference of two releases reveals no small
// group. Then secondary suppression withholds more entries until no
// withheld entry is determined by the table's equations.
func suppress(g *grid, k int, prior map[string]int) ([]state, error) {
	st := make([]state, g.size())
	for i, v := range g.val {
		old, seen := prior[g.key(i)]
		switch {
		case seen && v == old: // public already, even if below this release's k
			st[i] = known
		case v < k:
			st[i] = suppressed
		case seen && abs(v-old) < k:
			st[i] = suppressed
		}
	}
	eqs := g.equations()
	for {
		det := determined(eqs, st)
		if len(det) == 0 {
			return st, nil
		}
		next, ok := secondary(g, eqs, st, det[0])
		if !ok {
			return nil, errUnprotectable
		}
		st[next] = suppressed
	}
}

// secondary picks the published entry to withhold next: the smallest one
// sharing an equation with the exposed entry, else the smallest anywhere.
func secondary(g *grid, eqs [][]term, st []state, exposed int) (int, bool) {
	best := -1
	consider := func(i int) {
		if st[i] == released && (best < 0 || g.val[i] < g.val[best]) {
			best = i
		}
	}
	for _, eq := range eqs {
		if hasEntry(eq, exposed) {
			for _, t := range eq {
				consider(t.entry)
			}
		}
	}
	if best < 0 {
		for i := range st {
			consider(i)
		}
	}
	return best, best >= 0
}

// determined returns the withheld entries whose value follows from the
// equations and the released values: the pivots of the reduced row echelon
// form (over the withheld entries) whose row has no free variable.
func determined(eqs [][]term, st []state) []int {
	var unknowns []int
	col := map[int]int{}
	for i, s := range st {
		if s == suppressed {
			col[i] = len(unknowns)
			unknowns = append(unknowns, i)
		}
	}
	if len(unknowns) == 0 {
		return nil
	}
	m := make([][]float64, 0, len(eqs))
	for _, eq := range eqs {
		row := make([]float64, len(unknowns))
		for _, t := range eq {
			if j, ok := col[t.entry]; ok {
				row[j] += t.coef
			}
		}
		m = append(m, row)
	}
	pivots := rref(m)
	var out []int
	for r, p := range pivots {
		if alone(m[r], p) {
			out = append(out, unknowns[p])
		}
	}
	return out
}

// rref reduces m in place and returns the pivot column of each non-zero row.
func rref(m [][]float64) []int {
	const eps = 1e-9
	var pivots []int
	r := 0
	cols := 0
	if len(m) > 0 {
		cols = len(m[0])
	}
	for c := 0; c < cols && r < len(m); c++ {
		p := r
		for i := r + 1; i < len(m); i++ {
			if math.Abs(m[i][c]) > math.Abs(m[p][c]) {
				p = i
			}
		}
		if math.Abs(m[p][c]) < eps {
			continue
		}
		m[r], m[p] = m[p], m[r]
		scale(m[r], 1/m[r][c])
		for i := range m {
			if i != r && math.Abs(m[i][c]) > eps {
				addScaled(m[i], m[r], -m[i][c])
			}
		}
		pivots = append(pivots, c)
		r++
	}
	return pivots
}

// alone reports whether row has no non-zero entry besides its pivot.
func alone(row []float64, pivot int) bool {
	for j, x := range row {
		if j != pivot && math.Abs(x) > 1e-9 {
			return false
		}
	}
	return true
}

func scale(row []float64, f float64) {
	for j := range row {
		row[j] *= f
	}
}

func addScaled(dst, src []float64, f float64) {
	for j := range dst {
		dst[j] += f * src[j]
	}
}

func hasEntry(eq []term, i int) bool {
	for _, t := range eq {
		if t.entry == i {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

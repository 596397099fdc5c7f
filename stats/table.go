package stats

import (
	"slices"
	"sort"
)

// All is the category label of a total over one dimension.
const All = "(all)"

// grid is a two-way table with its totals, as one vector of entries: the
// inner cells row by row, then the row totals, the column totals and the
// grand total. Values are true counts (or noisy ones, for DP).
type grid struct {
	rowDim, colDim string
	rows, cols     []string
	val            []int
}

// tabulate counts victims by two dimensions.
func tabulate(victims []Victim, rowDim, colDim string) *grid {
	g := &grid{rowDim: rowDim, colDim: colDim, rows: categories(victims, rowDim), cols: categories(victims, colDim)}
	g.val = make([]int, g.size())
	for _, v := range victims {
		r := slices.Index(g.rows, cat(v, rowDim))
		c := slices.Index(g.cols, cat(v, colDim))
		g.val[g.cell(r, c)]++
	}
	g.sumMargins()
	return g
}

// categories lists the sorted distinct values of dim.
func categories(victims []Victim, dim string) []string {
	seen := map[string]bool{}
	for _, v := range victims {
		seen[cat(v, dim)] = true
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// cat returns v's category for dim.
func cat(v Victim, dim string) string {
	if c := v[dim]; c != "" {
		return c
	}
	return Unknown
}

func (g *grid) nr() int            { return len(g.rows) }
func (g *grid) nc() int            { return len(g.cols) }
func (g *grid) size() int          { return g.nr()*g.nc() + g.nr() + g.nc() + 1 }
func (g *grid) cell(r, c int) int  { return r*g.nc() + c }
func (g *grid) rowTotal(r int) int { return g.nr()*g.nc() + r }
func (g *grid) colTotal(c int) int { return g.nr()*g.nc() + g.nr() + c }
func (g *grid) total() int         { return g.size() - 1 }
func (g *grid) inner(i int) bool   { return i < g.nr()*g.nc() }
func (g *grid) labels(i int) (string, string) {
	switch {
	case g.inner(i):
		return g.rows[i/g.nc()], g.cols[i%g.nc()]
	case i < g.colTotal(0):
		return g.rows[i-g.rowTotal(0)], All
	case i < g.total():
		return All, g.cols[i-g.colTotal(0)]
	}
	return All, All
}

// sumMargins sets the totals from the inner cells.
func (g *grid) sumMargins() {
	for i := g.rowTotal(0); i < g.size(); i++ {
		g.val[i] = 0
	}
	for r := range g.nr() {
		for c := range g.nc() {
			x := g.val[g.cell(r, c)]
			g.val[g.rowTotal(r)] += x
			g.val[g.colTotal(c)] += x
			g.val[g.total()] += x
		}
	}
}

// equations returns the table's additive constraints as lists of
// (entry, coefficient): each row, each column, and the totals.
func (g *grid) equations() [][]term {
	var eqs [][]term
	for r := range g.nr() {
		eq := []term{{g.rowTotal(r), -1}}
		for c := range g.nc() {
			eq = append(eq, term{g.cell(r, c), 1})
		}
		eqs = append(eqs, eq)
	}
	for c := range g.nc() {
		eq := []term{{g.colTotal(c), -1}}
		for r := range g.nr() {
			eq = append(eq, term{g.cell(r, c), 1})
		}
		eqs = append(eqs, eq)
	}
	rowSum := []term{{g.total(), -1}}
	for r := range g.nr() {
		rowSum = append(rowSum, term{g.rowTotal(r), 1})
	}
	colSum := []term{{g.total(), -1}}
	for c := range g.nc() {
		colSum = append(colSum, term{g.colTotal(c), 1})
	}
	return append(eqs, rowSum, colSum)
}

// term is one coefficient of an equation.
type term struct {
	entry int
	coef  float64
}

// key names entry i independently of which dimension is the row, so that
// releases of the same data set crossing the same variables share keys.
func (g *grid) key(i int) string {
	r, c := g.labels(i)
	parts := []string{}
	if r != All {
		parts = append(parts, g.rowDim+"="+r)
	}
	if c != All {
		parts = append(parts, g.colDim+"="+c)
	}
	if len(parts) == 0 {
		return "total"
	}
	sort.Strings(parts)
	k := parts[0]
	for _, p := range parts[1:] {
		k += "&" + p
	}
	return k
}

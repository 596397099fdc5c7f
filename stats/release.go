package stats

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/rastro/rastro"
)

// Defaults of a release.
const (
	DefaultK      = 11  // CTDC's threshold
	DefaultBudget = 1.0 // total ε per data set
)

// Release methods.
const (
	MethodKAnonymity = "k-anonymity"
	MethodDP         = "differential-privacy+k"
)

// Spec says what to release.
type Spec struct {
	Scope   string  // the data set, e.g. "case:12": budget and history are per scope
	Rows    string  // a dimension of Dimensions()
	Cols    string  // another dimension
	K       int     // suppression threshold; 0 means DefaultK
	Epsilon float64 // > 0 adds noise and spends ε
	Budget  float64 // total ε of the scope; 0 means DefaultBudget
}

// Cell is one released count. A withheld count has Suppressed set and
// Count 0. Row or Col is All for a total.
type Cell struct {
	Row        string `json:"row"`
	Col        string `json:"col"`
	Count      int    `json:"count"`
	Suppressed bool   `json:"suppressed"`
}

// Table is a released cross-tabulation: inner cells row by row, then the
// row totals, the column totals and the grand total.
type Table struct {
	ID        string    `json:"id"`
	Scope     string    `json:"scope"`
	RowDim    string    `json:"row_dim"`
	ColDim    string    `json:"col_dim"`
	Method    string    `json:"method"`
	K         int       `json:"k"`
	Epsilon   float64   `json:"epsilon,omitempty"`
	Spent     float64   `json:"budget_spent"`
	Budget    float64   `json:"budget"`
	CreatedAt time.Time `json:"created_at"`
	Cells     []Cell    `json:"cells"`
}

// Releaser makes releases and records them in its Ledger.
type Releaser struct {
	Ledger Ledger
	Now    func() time.Time // nil means time.Now
	Rand   *rand.Rand       // noise source; nil means seeded from crypto/rand
}

// Release tabulates victims by spec.Rows × spec.Cols, protects the table
// (suppression below k, with the scope's earlier releases taken as known;
// noise first when spec.Epsilon > 0) and records it in the ledger. Errors:
// EINVALID for a bad spec, EFORBIDDEN when the privacy budget would be
// overspent or the table cannot be protected.
func (rl *Releaser) Release(ctx context.Context, victims []Victim, spec Spec) (*Table, error) {
	spec, err := normalise(spec)
	if err != nil {
		return nil, err
	}
	prior, err := rl.Ledger.Releases(ctx, spec.Scope)
	if err != nil {
		return nil, fmt.Errorf("stats release: %w", err)
	}
	if err := checkBudget(Spent(prior), spec.Epsilon, spec.Budget); err != nil {
		return nil, err
	}
	g := tabulate(victims, spec.Rows, spec.Cols)
	if spec.Epsilon > 0 {
		rng, err := rl.rng()
		if err != nil {
			return nil, err
		}
		addNoise(g, spec.Epsilon, rng)
	}
	st, err := suppress(g, spec.K, published(prior))
	if err != nil {
		return nil, rastro.Errorf(rastro.EFORBIDDEN, "stats release: %v", err)
	}
	t, rec := rl.build(g, st, spec, len(prior), Spent(prior))
	if err := rl.Ledger.Commit(ctx, rec, spec.Budget); err != nil {
		return nil, err
	}
	return t, nil
}

// normalise applies defaults and checks the spec.
func normalise(s Spec) (Spec, error) {
	if s.K == 0 {
		s.K = DefaultK
	}
	if s.Budget == 0 {
		s.Budget = DefaultBudget
	}
	dims := Dimensions()
	switch {
	case s.Scope == "":
		return s, rastro.Errorf(rastro.EINVALID, "stats: a release needs a scope (the data set, e.g. case:12)")
	case !slices.Contains(dims, s.Rows) || !slices.Contains(dims, s.Cols):
		return s, rastro.Errorf(rastro.EINVALID, "stats: unknown dimension %q or %q: use one of %v", s.Rows, s.Cols, dims)
	case s.Rows == s.Cols:
		return s, rastro.Errorf(rastro.EINVALID, "stats: rows and columns must be different dimensions")
	case s.K < 2:
		return s, rastro.Errorf(rastro.EINVALID, "stats: k must be at least 2 (default %d)", DefaultK)
	case s.Epsilon < 0 || s.Budget < 0:
		return s, rastro.Errorf(rastro.EINVALID, "stats: ε and budget must be positive")
	}
	return s, nil
}

// published returns the latest published count of each key.
func published(prior []*Record) map[string]int {
	m := map[string]int{}
	for _, r := range prior {
		for _, e := range r.Published {
			m[e.Key] = e.Count
		}
	}
	return m
}

// build turns a protected grid into the released table and its record.
func (rl *Releaser) build(g *grid, st []state, spec Spec, n int, spent float64) (*Table, *Record) {
	now := time.Now
	if rl.Now != nil {
		now = rl.Now
	}
	method := MethodKAnonymity
	if spec.Epsilon > 0 {
		method = MethodDP
	}
	t := &Table{ID: fmt.Sprintf("%s/release-%d", spec.Scope, n+1), Scope: spec.Scope, RowDim: g.rowDim, ColDim: g.colDim,
		Method: method, K: spec.K, Epsilon: spec.Epsilon, Spent: spent + spec.Epsilon, Budget: spec.Budget, CreatedAt: now().UTC()}
	rec := &Record{ID: t.ID, Scope: t.Scope, Dims: g.rowDim + "×" + g.colDim, Method: method, K: t.K,
		Epsilon: t.Epsilon, CreatedAt: t.CreatedAt, Published: []Entry{}}
	for i, v := range g.val {
		r, c := g.labels(i)
		cell := Cell{Row: r, Col: c, Suppressed: st[i] == suppressed}
		if !cell.Suppressed {
			cell.Count = v
			rec.Published = append(rec.Published, Entry{Key: g.key(i), Count: v})
		}
		t.Cells = append(t.Cells, cell)
	}
	return t, rec
}

// rng returns the noise source.
func (rl *Releaser) rng() (*rand.Rand, error) {
	if rl.Rand != nil {
		return rl.Rand, nil
	}
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("stats: noise seed: %w", err)
	}
	return rand.New(rand.NewChaCha8(seed)), nil
}

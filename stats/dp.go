package stats

import (
	"math"
	"math/rand/v2"
)

// addNoise adds two-sided geometric (discrete Laplace) noise of parameter
// exp(-epsilon) to each inner cell, clamps at zero and recomputes the
// totals from the noisy cells. One victim more or less changes one inner
// cell by one, so each release is epsilon-differentially private; clamping
// and totals are post-processing. (Floating-point sampling has known
// subtle weaknesses, Mironov 2012; acceptable for counts of this size, but
// see the report before relying on it for adversarial settings.)
func addNoise(g *grid, epsilon float64, rng *rand.Rand) {
	q := math.Exp(-epsilon)
	for i := range g.nr() * g.nc() {
		x := g.val[i] + geometric(q, rng) - geometric(q, rng)
		g.val[i] = max(x, 0)
	}
	g.sumMargins()
}

// geometric samples P(G=n) = (1-q) q^n, n >= 0.
func geometric(q float64, rng *rand.Rand) int {
	u := rng.Float64()
	for u == 0 {
		u = rng.Float64()
	}
	return int(math.Floor(math.Log(u) / math.Log(q)))
}

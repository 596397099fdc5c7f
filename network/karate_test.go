package network

import (
	"slices"
	"strconv"
	"testing"
)

// karate is Zachary's karate club (34 members, 78 ties) in the edge order
// of igraph's Graph.Famous("Zachary"); the weighted test below depends on
// that order.
var karate = [][2]int{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7}, {0, 8}, {0, 10}, {0, 11},
	{0, 12}, {0, 13}, {0, 17}, {0, 19}, {0, 21}, {0, 31}, {1, 2}, {1, 3}, {1, 7}, {1, 13}, {1, 17},
	{1, 19}, {1, 21}, {1, 30}, {2, 3}, {2, 7}, {2, 27}, {2, 28}, {2, 32}, {2, 9}, {2, 8}, {2, 13},
	{3, 7}, {3, 12}, {3, 13}, {4, 6}, {4, 10}, {5, 6}, {5, 10}, {5, 16}, {6, 16}, {8, 30}, {8, 32},
	{8, 33}, {9, 33}, {13, 33}, {14, 32}, {14, 33}, {15, 32}, {15, 33}, {18, 32}, {18, 33}, {19, 33},
	{20, 32}, {20, 33}, {22, 32}, {22, 33}, {23, 25}, {23, 27}, {23, 32}, {23, 33}, {23, 29},
	{24, 25}, {24, 27}, {24, 31}, {25, 31}, {26, 29}, {26, 33}, {27, 33}, {28, 31}, {28, 33},
	{29, 32}, {29, 33}, {30, 32}, {30, 33}, {31, 32}, {31, 33}, {32, 33}}

// Reference values computed with python3-igraph 0.10.2 (Debian) on
// Graph.Famous("Zachary"): g.betweenness(), g.betweenness(weights=w) with
// w[i] = 1 + (7i mod 5), g.pagerank(), g.coreness(), and on
// g.as_directed(mode="arbitrary") (edges point from lower to higher id)
// betweenness() and pagerank().
var (
	karateBetweenness         = []float64{231.071429, 28.478571, 75.850794, 6.288095, 0.333333, 15.833333, 15.833333, 0.0, 29.529365, 0.447619, 0.333333, 0.0, 0.0, 24.215873, 0.0, 0.0, 0.0, 0.0, 0.0, 17.146825, 0.0, 0.0, 0.0, 9.3, 1.166667, 2.027778, 0.0, 11.792063, 0.947619, 1.542857, 7.609524, 73.009524, 76.690476, 160.551587}
	karateWeightedBetweenness = []float64{277.533333, 50.0, 65.033333, 0.0, 0.0, 0.0, 45.5, 4.0, 7.833333, 0.0, 15.75, 0.0, 22.0, 23.166667, 0.0, 0.0, 0.25, 0.0, 0.783333, 0.0, 0.0, 0.0, 0.783333, 6.5, 0.0, 0.0, 0.0, 10.0, 0.0, 22.0, 0.0, 175.066667, 166.0, 97.683333}
	karatePageRank            = []float64{0.09699729, 0.05287692, 0.05707851, 0.03585986, 0.02197795, 0.02911115, 0.02911115, 0.0244905, 0.02976606, 0.0143094, 0.02197795, 0.00956475, 0.01464489, 0.02953646, 0.01453599, 0.01453599, 0.01678401, 0.01455868, 0.01453599, 0.01960464, 0.01453599, 0.01455868, 0.01453599, 0.03152251, 0.02107603, 0.0210062, 0.01504404, 0.02563977, 0.01957346, 0.02628854, 0.02459016, 0.03715809, 0.07169323, 0.10091918}
	karateCore                = []int{4, 4, 4, 4, 3, 3, 3, 4, 4, 2, 3, 1, 2, 4, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3, 3, 4, 3, 4, 4}
	karateDirectedBetweenness = []float64{0.0, 0.5, 8.833333, 2.0, 0.0, 0.5, 1.5, 0.0, 2.25, 0.166667, 0.0, 0.0, 0.0, 1.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.583333, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.666667, 2.166667, 1.0, 0.833333, 5.083333, 0.166667, 0.0}
	karateDirectedPageRank    = []float64{0.01506049, 0.01586058, 0.01754577, 0.01941001, 0.01586058, 0.01586058, 0.02709516, 0.02490951, 0.01772482, 0.01692473, 0.02709516, 0.01586058, 0.02136009, 0.02490951, 0.01506049, 0.01506049, 0.04258522, 0.01754577, 0.01506049, 0.01754577, 0.01506049, 0.01754577, 0.01506049, 0.01506049, 0.01506049, 0.02188792, 0.01506049, 0.02375216, 0.01692473, 0.02402149, 0.02176771, 0.04592547, 0.09548934, 0.2590471}
)

func karateGraph(tb testing.TB, directed bool) *Graph {
	tb.Helper()
	return graphFromPairs(tb, directed, 34, karate)
}

func weightedKarate(tb testing.TB) *Graph {
	tb.Helper()
	b := NewBuilder(false)
	for i, p := range karate {
		b.AddEdge(Edge{Source: strconv.Itoa(p[0]), Target: strconv.Itoa(p[1]), Weight: float64(1 + (7*i)%5)})
	}
	return b.Build()
}

func TestKarateMatchesIgraph(t *testing.T) {
	und, dir := karateGraph(t, false), karateGraph(t, true)
	w := weightedKarate(t)
	// weightedKarate adds nodes in edge order: map values back to member ids.
	wb := Betweenness(w, BetweennessOptions{Weighted: true})
	byMember := make([]float64, 34)
	for v, x := range wb {
		m, _ := strconv.Atoi(w.Key(int32(v)))
		byMember[m] = x
	}
	tests := []struct {
		name      string
		got, want []float64
		abs       float64
	}{
		{"betweenness", Betweenness(und, BetweennessOptions{}), karateBetweenness, 1e-6},
		{"betweenness one worker", Betweenness(und, BetweennessOptions{Workers: 1}), karateBetweenness, 1e-6},
		{"weighted betweenness", byMember, karateWeightedBetweenness, 1e-6},
		{"directed betweenness", Betweenness(dir, BetweennessOptions{}), karateDirectedBetweenness, 1e-6},
		{"pagerank", PageRank(und, PageRankOptions{}), karatePageRank, 1e-8},
		{"directed pagerank", PageRank(dir, PageRankOptions{}), karateDirectedPageRank, 1e-8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertClose(t, tt.name, tt.got, tt.want, 1e-6, tt.abs)
		})
	}
	if got := KCore(und); !slices.Equal(got, karateCore) {
		t.Errorf("KCore = %v, want %v", got, karateCore)
	}
}

func TestBetweennessDoesNotDependOnWorkers(t *testing.T) {
	g := karateGraph(t, false)
	one := Betweenness(g, BetweennessOptions{Workers: 1})
	for _, w := range []int{2, 3, 16} {
		if got := Betweenness(g, BetweennessOptions{Workers: w}); !slices.Equal(got, one) {
			t.Errorf("workers=%d gave different bits than workers=1", w)
		}
	}
}

func TestSampledBetweennessWithAllPivotsIsExact(t *testing.T) {
	g := karateGraph(t, false)
	got := Betweenness(g, BetweennessOptions{Samples: 34, Seed: 7})
	assertClose(t, "sampled", got, karateBetweenness, 1e-6, 1e-6)
}

func TestLeidenKarate(t *testing.T) {
	g := karateGraph(t, false)
	p := Leiden(g, LeidenOptions{Seed: 1, Iterations: -1})
	// The best known modularity partition of the karate club has 4
	// communities and Q = 0.4198; Leiden reaches it or comes very close.
	if p.Quality < 0.41 || p.Count < 3 || p.Count > 5 {
		t.Errorf("Leiden on karate: %d communities, Q = %.4f; want 3–5 communities, Q ≥ 0.41", p.Count, p.Quality)
	}
	// The instructor (0) and the administrator (33) end up apart.
	if p.Membership[0] == p.Membership[33] {
		t.Error("members 0 and 33 share a community")
	}
	again := Leiden(g, LeidenOptions{Seed: 1, Iterations: -1})
	if !slices.Equal(p.Membership, again.Membership) {
		t.Error("same seed gave a different partition")
	}
}

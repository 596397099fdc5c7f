package network

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func loadCovert(tb testing.TB, name string, directed bool) *Graph {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir(tb), "ucinet-covert", name))
	if err != nil {
		tb.Skipf("covert network missing: %v", err)
	}
	defer f.Close()
	g, err := ReadAdjacencyCSV(f, directed)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func topKeys(g *Graph, score []float64, k int) []string {
	order := identity(g.N())
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	var out []string
	for _, v := range order[:k] {
		out = append(out, g.Key(v))
	}
	return out
}

// TestCaviarLeaders: in the Caviar investigation (Morselli 2009) the
// traffickers' leaders were participants 1 and 12. They should rank at the
// top of the measures an analyst would look at first.
func TestCaviarLeaders(t *testing.T) {
	g := loadCovert(t, "morselli_caviar.csv", true).Undirected()
	bc := topKeys(g, Betweenness(g, BetweennessOptions{}), 3)
	var kp, kpl []string
	for _, p := range KeyPlayers(g, 3, Fragmentation) {
		kp = append(kp, g.Key(p.Node))
	}
	for _, p := range KeyPlayers(g, 3, LargestComponent) {
		kpl = append(kpl, g.Key(p.Node))
	}
	t.Logf("Caviar top 3: betweenness %v, key players (fragmentation) %v, key players (largest component) %v", bc, kp, kpl)
	for _, tt := range []struct {
		name string
		top  []string
	}{{"betweenness", bc}, {"key players by fragmentation", kp}} {
		for _, leader := range []string{"1", "12"} {
			if !slices.Contains(tt.top, leader) {
				t.Errorf("%s: leader %s not in top 3 %v", tt.name, leader, tt.top)
			}
		}
	}
}

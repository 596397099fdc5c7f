package network

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// naiveAfter recomputes components with v removed.
func naiveAfter(g *Graph, removed []bool, v int32) (float64, int) {
	r := append([]bool(nil), removed...)
	r[v] = true
	c := cutSizes(g, r)
	largest := 0
	for _, s := range c.compSize {
		largest = max(largest, s)
	}
	return c.sumPairs, largest
}

// TestKeyPlayerCutsMatchRecomputation checks the one-DFS evaluation of
// every candidate against removing it and recounting, on every covert
// network at every greedy step.
func TestKeyPlayerCutsMatchRecomputation(t *testing.T) {
	for _, name := range []string{"morselli_caviar.csv", "morselli_siren.csv", "LONDON_GANG.csv", "natajaran_heroin.csv", "MONTREALGANG.csv"} {
		g := loadCovert(t, name, true).Undirected()
		removed := make([]bool, g.N())
		for _, p := range KeyPlayers(g, 4, Fragmentation) {
			cut := cutSizes(g, removed)
			for v := range int32(g.N()) {
				if removed[v] {
					continue
				}
				gotSum, gotLargest := cut.after(v)
				wantSum, wantLargest := naiveAfter(g, removed, v)
				if gotSum != wantSum || gotLargest != wantLargest {
					t.Fatalf("%s: removing %s: got Σ=%v largest=%d, want Σ=%v largest=%d",
						name, g.Key(v), gotSum, gotLargest, wantSum, wantLargest)
				}
			}
			removed[p.Node] = true
		}
	}
}

func TestKeyPlayersOnTwoStars(t *testing.T) {
	// Two stars (hubs 0 and 5) joined by the bridge 0–5; 10 hangs off 9.
	g := graphFromPairs(t, false, 11, [][2]int{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5},
		{5, 6}, {5, 7}, {5, 8}, {5, 9}, {9, 10}})
	got := KeyPlayers(g, 2, Fragmentation)
	if got[0].Node != 5 || got[1].Node != 0 {
		t.Errorf("key players = %d, %d; want hubs 5 then 0", got[0].Node, got[1].Node)
	}
	// After removing both hubs, 9 nodes remain: 7 isolates and the pair 9–10.
	if want := 1 - 2.0/(9*8); got[1].Fragmentation != want || got[1].Largest != 2 {
		t.Errorf("after two removals: F = %v, largest %d; want %v, 2", got[1].Fragmentation, got[1].Largest, want)
	}
}

func TestBrokerageRoles(t *testing.T) {
	// Groups: 0, 1, 2 red; 3, 4 blue; 5 green.
	group := []int32{0, 0, 0, 1, 1, 2}
	g := graphFromPairs(t, true, 6, [][2]int{{0, 1}, {1, 2}, {3, 2}, {2, 0}, {1, 4}, {4, 5}, {3, 4}, {5, 3}})
	got := BrokerageRoles(g, group)
	want := []Brokerage{
		{Coordinator: 1},                    // 2→0→1 (red→red→red, no 2→1)
		{Coordinator: 1, Representative: 1}, // 0→1→2; 0→1→4 (red→red→blue)
		{Coordinator: 1, Gatekeeper: 1},     // 1→2→0; 3→2→0 (blue→red→red)
		{Gatekeeper: 1, Liaison: 1},         // 5→3→4 (green→blue→blue); 5→3→2 (green→blue→red)
		{Liaison: 1, Representative: 1},     // 1→4→5 (red→blue→green); 3→4→5 (blue→blue→green)
		{Consultant: 1},                     // 4→5→3 (blue→green→blue, no 4→3)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("brokerage (-want +got):\n%s", diff)
	}
	// A closed triad brokers nothing: add 0→2 and node 1 loses 0→1→2.
	closed := graphFromPairs(t, true, 3, [][2]int{{0, 1}, {1, 2}, {0, 2}})
	if got := BrokerageRoles(closed, []int32{0, 0, 0})[1].Total(); got != 0 {
		t.Errorf("closed triad: node 1 brokers %d two-paths, want 0", got)
	}
}

package network

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func TestReadEdgeList(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantN    int
		wantM    int
		wantCode string
	}{
		{"pairs", "a b\nb c\n", 3, 2, ""},
		{"comments and blanks", "# header\n\na\tb\t2\tPayment\n", 2, 1, ""},
		{"one field", "a\n", 0, 0, rastro.EINVALID},
		{"bad weight", "a b heavy\n", 0, 0, rastro.EINVALID},
		{"negative weight", "a b -1\n", 0, 0, rastro.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ReadEdgeList(strings.NewReader(tt.in), true)
			if got := rastro.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("error code %q (%v), want %q", got, err, tt.wantCode)
			}
			if err == nil && (g.N() != tt.wantN || g.M() != tt.wantM) {
				t.Errorf("got %d nodes %d edges, want %d, %d", g.N(), g.M(), tt.wantN, tt.wantM)
			}
		})
	}
}

func TestReadAdjacencyCSV(t *testing.T) {
	in := "\ufeff\"\",x,y,z\nx,0,2,0\ny,2,0,1\nz,0,1,0\n"
	g, err := ReadAdjacencyCSV(strings.NewReader(in), false)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := g.Node("x")
	if got := keysOf(g, g.Neighbors(x)); !cmp.Equal(got, []string{"y"}) || g.M() != 2 {
		t.Errorf("neighbours of x = %v, %d edges; want [y], 2 (symmetric matrix read once)", got, g.M())
	}
	if got := Strength(g, DegreeAll)[x]; got != 2 {
		t.Errorf("strength of x = %v, want 2", got)
	}
	if _, err := ReadAdjacencyCSV(strings.NewReader("\"\",x\nx,0,1\n"), false); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("ragged row: error %v, want EINVALID", err)
	}
}

func FuzzReadEdgeList(f *testing.F) {
	f.Add("a b\nb c 2 Call\n# c\n")
	f.Add("x\ty\t0.5\n")
	f.Fuzz(func(t *testing.T, in string) {
		g, err := ReadEdgeList(strings.NewReader(in), true)
		if err != nil {
			return
		}
		// Whatever parsed must be usable by every algorithm.
		WeakComponents(g)
		StrongComponents(g)
		PageRank(g, PageRankOptions{})
		Leiden(g, LeidenOptions{})
		KeyPlayers(g, 2, Fragmentation)
		Betweenness(g, BetweennessOptions{Weighted: true})
	})
}

func TestWriteNodeTable(t *testing.T) {
	g := graphFromPairs(t, false, 4, [][2]int{{0, 1}, {1, 2}, {2, 3}})
	var sb strings.Builder
	if err := WriteNodeTable(&sb, g, NodeTableOptions{Communities: true, Centrality: []string{"degree", "betweenness"}}); err != nil {
		t.Fatal(err)
	}
	want := "node,community,degree,betweenness\n0,0,1,0\n1,0,2,2\n2,1,2,2\n3,1,1,0\n"
	if diff := cmp.Diff(want, sb.String()); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
	if err := WriteNodeTable(&sb, g, NodeTableOptions{Centrality: []string{"eigen"}}); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("unknown centrality: error %v, want EINVALID", err)
	}
}

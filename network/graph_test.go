package network

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

// ringGraph is a small fictional case: two suspects call each other, pay
// a third account, and message a possible victim's chat account.
func ringGraph(tb testing.TB) *Graph {
	tb.Helper()
	b := NewBuilder(true)
	for _, e := range []Edge{
		{Key: "L1", Source: "suspect-a", Target: "suspect-b", Type: "Call", Start: day(1), End: day(1)},
		{Key: "L2", Source: "suspect-a", Target: "suspect-b", Type: "Call", Start: day(5), End: day(5)},
		{Key: "L3", Source: "suspect-b", Target: "account-x", Type: "Payment", Weight: 250, Start: day(10)},
		{Key: "L4", Source: "suspect-a", Target: "chat-v", Type: "Message", Start: day(2), End: day(20)},
		{Key: "L5", Source: "chat-v", Target: "account-x", Type: "Payment", Weight: 50, Start: day(12)},
	} {
		b.AddEdge(e)
	}
	b.AddNode("isolated")
	return b.Build()
}

func keysOf(g *Graph, vs []int32) []string {
	var out []string
	for _, v := range vs {
		out = append(out, g.Key(v))
	}
	return out
}

func edgeKeys(g *Graph, es []int32) []string {
	var out []string
	for _, e := range es {
		out = append(out, g.Edge(e).Key)
	}
	return out
}

func TestBuilderCollapsesParallelLinksKeepingEvidence(t *testing.T) {
	g := ringGraph(t)
	a, _ := g.Node("suspect-a")
	b, _ := g.Node("suspect-b")
	if got := edgeKeys(g, g.EdgesBetween(a, b)); !cmp.Equal(got, []string{"L1", "L2"}) {
		t.Errorf("evidence a→b = %v, want [L1 L2]", got)
	}
	if got := g.EdgesBetween(b, a); got != nil {
		t.Errorf("directed view has b→a edges %v", got)
	}
	if got := edgeKeys(g, g.Undirected().EdgesBetween(b, a)); !cmp.Equal(got, []string{"L1", "L2"}) {
		t.Errorf("undirected evidence b–a = %v, want [L1 L2]", got)
	}
	if got := Degree(g, DegreeOut)[a]; got != 2 {
		t.Errorf("out-degree of suspect-a = %d, want 2 distinct successors", got)
	}
	if got := Strength(g, DegreeOut)[a]; got != 3 {
		t.Errorf("out-strength of suspect-a = %v, want 3 links", got)
	}
	if got, want := g.N(), 5; got != want {
		t.Errorf("N = %d, want %d", got, want)
	}
	e := g.Edge(2)
	want := Edge{ID: 2, Key: "L3", Source: "suspect-b", Target: "account-x", Type: "Payment", Weight: 250, Start: day(10)}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("Edge(2) mismatch (-want +got):\n%s", diff)
	}
}

func TestFilterByTypeAndTimeWindow(t *testing.T) {
	g := ringGraph(t)
	tests := []struct {
		name   string
		filter Filter
		want   []string // keys of the edges left
	}{
		{"everything", Filter{}, []string{"L1", "L2", "L3", "L4", "L5"}},
		{"payments", Filter{Types: []string{"Payment"}}, []string{"L3", "L5"}},
		{"first week", Filter{To: day(7)}, []string{"L1", "L2", "L4"}},
		{"after day 3", Filter{From: day(3)}, []string{"L2", "L3", "L4", "L5"}},
		{"calls days 3-30", Filter{Types: []string{"Call"}, From: day(3), To: day(30)}, []string{"L2"}},
		{"unknown type", Filter{Types: []string{"Ownership"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := g.Filter(tt.filter)
			var got []string
			for e := range int32(len(v.edges.src)) {
				if v.selected(e) {
					got = append(got, v.Edge(e).Key)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("edges (-want +got):\n%s", diff)
			}
			if v.M() != len(tt.want) || v.N() != g.N() {
				t.Errorf("view has %d nodes, %d edges; want %d, %d", v.N(), v.M(), g.N(), len(tt.want))
			}
		})
	}
	// A filter of a filter narrows further.
	if got := g.Filter(Filter{Types: []string{"Payment"}}).Filter(Filter{From: day(11)}).M(); got != 1 {
		t.Errorf("payments from day 11 = %d edges, want 1", got)
	}
}

func TestComponents(t *testing.T) {
	// 0→1→2→0 is a cycle, 2→3, 4 alone.
	g := graphFromPairs(t, true, 5, [][2]int{{0, 1}, {1, 2}, {2, 0}, {2, 3}})
	weak, strong := WeakComponents(g), StrongComponents(g)
	if diff := cmp.Diff([]int32{0, 0, 0, 0, 1}, weak.Membership); diff != "" {
		t.Errorf("weak (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int32{0, 0, 0, 1, 2}, strong.Membership); diff != "" {
		t.Errorf("strong (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 1, 1}, strong.Sizes); diff != "" {
		t.Errorf("strong sizes (-want +got):\n%s", diff)
	}
	if weak.Largest() != 0 {
		t.Errorf("largest weak component = %d, want 0", weak.Largest())
	}
}

func TestPathsCarryEvidence(t *testing.T) {
	g := ringGraph(t)
	from, _ := g.Node("chat-v")
	to, _ := g.Node("suspect-b")
	if _, err := ShortestPath(g, from, to, PathOptions{}); err == nil {
		t.Fatal("directed view: found a path from chat-v to suspect-b against the links' direction")
	}
	u := g.Undirected()
	paths, err := AllShortestPaths(u, from, to, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, p := range paths {
		got = append(got, keysOf(g, p.Nodes))
	}
	want := [][]string{{"chat-v", "suspect-a", "suspect-b"}, {"chat-v", "account-x", "suspect-b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"L1", "L2"}, edgeKeys(g, paths[0].Hops[1].Edges)); diff != "" {
		t.Errorf("evidence of hop suspect-a–suspect-b (-want +got):\n%s", diff)
	}
	// Weighted: payments are long (250, 50), so the path goes through the calls.
	p, err := ShortestPath(u, from, to, PathOptions{Weighted: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"chat-v", "suspect-a", "suspect-b"}, keysOf(g, p.Nodes)); diff != "" || p.Length != 3 {
		t.Errorf("weighted path %v length %v, want via suspect-a, length 3 (1 + 2 calls)", keysOf(g, p.Nodes), p.Length)
	}
	iso, _ := g.Node("isolated")
	if _, err := ShortestPath(u, from, iso, PathOptions{}); err == nil {
		t.Error("found a path to an isolated node")
	}
}

func TestNMI(t *testing.T) {
	tests := []struct {
		name string
		a, b []int32
		want float64
	}{
		{"same up to labels", []int32{0, 0, 1, 1}, []int32{5, 5, 3, 3}, 1},
		{"independent", []int32{0, 0, 1, 1}, []int32{0, 1, 0, 1}, 0},
	}
	for _, tt := range tests {
		if got := NMI(tt.a, tt.b); cmp.Diff(tt.want, got, cmp.Comparer(func(x, y float64) bool { return x-y < 1e-12 && y-x < 1e-12 })) != "" {
			t.Errorf("%s: NMI = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFromLinks(t *testing.T) {
	ents := []*rastro.Entity{{ID: "p1"}, {ID: "p2"}, {ID: "phone1"}, {ID: "p3"}}
	links := []*rastro.Link{
		{ID: "k1", Schema: "uses", SourceID: "p1", TargetID: "phone1"},
		{ID: "k2", Schema: "uses", SourceID: "p2", TargetID: "phone1"},
		{ID: "k3", Schema: "Payment", SourceID: "p2", TargetID: "acct9", Start: day(4)},
	}
	g := FromLinks(ents, links, LinkOptions{Directed: true})
	if g.N() != 5 || g.M() != 3 {
		t.Fatalf("graph has %d nodes, %d edges; want 5 (p3 isolated, acct9 from a link), 3", g.N(), g.M())
	}
	// p1 and p2 share a phone: two hops apart, with the evidence of each.
	p1, _ := g.Node("p1")
	p2, _ := g.Node("p2")
	path, err := ShortestPath(g.Undirected(), p1, p2, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ev []string
	for _, h := range path.Hops {
		ev = append(ev, edgeKeys(g, h.Edges)...)
	}
	if diff := cmp.Diff([]string{"k1", "k2"}, ev); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if got := WeakComponents(g).Sizes; !cmp.Equal(got, []int{4, 1}) {
		t.Errorf("component sizes = %v, want [4 1]", got)
	}
	// Once resolution says p2 and p3 are one person, p3 inherits p2's links.
	merged := FromLinks(ents, links, LinkOptions{Canonical: func(id string) string {
		if id == "p3" {
			return "p2"
		}
		return id
	}})
	if got := WeakComponents(merged).Sizes; merged.N() != 4 || !cmp.Equal(got, []int{4}) {
		t.Errorf("merged: %d nodes, components %v; want 4 nodes in one component", merged.N(), got)
	}
}

func TestAlgorithmsSeeOnlyTheView(t *testing.T) {
	g := ringGraph(t)
	calls := g.Filter(Filter{Types: []string{"Call"}})
	// Only suspect-a and suspect-b are linked by calls: 4 components of 5 nodes.
	if got := len(WeakComponents(calls).Sizes); got != 4 {
		t.Errorf("components on the calls view = %d, want 4", got)
	}
	a, _ := g.Node("suspect-a")
	x, _ := g.Node("account-x")
	if _, err := ShortestPath(calls.Undirected(), a, x, PathOptions{}); err == nil {
		t.Error("calls view: found a path to account-x, which only payments reach")
	}
	if got := len(WeakComponents(g).Sizes); got != 2 {
		t.Errorf("the full graph changed: %d components, want 2", got)
	}
}

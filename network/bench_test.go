package network

import "testing"

// Benchmarks on lfr10k (10,000 nodes, 97,297 edges). Reproduce with
//
//	go test -run '^$' -bench . -benchtime 3x ./network/
func benchGraph(b *testing.B) *Graph {
	b.Helper()
	return loadEdges(b, "lfr10k_mu0.3.edges")
}

func BenchmarkBuild(b *testing.B) {
	g := benchGraph(b)
	var edges []Edge
	for e := range int32(g.M()) {
		edges = append(edges, g.Edge(e))
	}
	b.ResetTimer()
	for b.Loop() {
		bl := NewBuilder(false)
		for _, e := range edges {
			bl.AddEdge(e)
		}
		bl.Build()
	}
}

func BenchmarkBetweenness(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{})
	}
}

func BenchmarkBetweennessWeighted(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{Weighted: true})
	}
}

func BenchmarkBetweennessSampled500(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{Samples: 500, Seed: 1})
	}
}

func BenchmarkPageRank(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		PageRank(g, PageRankOptions{})
	}
}

func BenchmarkLeidenModularity(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Leiden(g, LeidenOptions{Seed: 1})
	}
}

func BenchmarkLeidenCPM(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		Leiden(g, LeidenOptions{Quality: CPM, Resolution: 0.05, Seed: 1})
	}
}

func BenchmarkWeakComponents(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		WeakComponents(g)
	}
}

func BenchmarkKCore(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		KCore(g)
	}
}

func BenchmarkKeyPlayers10(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		KeyPlayers(g, 10, Fragmentation)
	}
}

func BenchmarkBrokerage(b *testing.B) {
	g := benchGraph(b)
	group := Leiden(g, LeidenOptions{Seed: 1}).Membership
	b.ResetTimer()
	for b.Loop() {
		BrokerageRoles(g, group)
	}
}

func BenchmarkAllShortestPaths(b *testing.B) {
	g := benchGraph(b)
	for b.Loop() {
		AllShortestPaths(g, 0, int32(g.N()-1), PathOptions{})
	}
}

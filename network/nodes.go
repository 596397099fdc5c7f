package network

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/rastro/rastro"
)

// NodeTableOptions says what WriteNodeTable computes.
type NodeTableOptions struct {
	Communities bool // add a Leiden (modularity) community column
	Leiden      LeidenOptions
	Centrality  []string // any of degree, strength, betweenness, pagerank, kcore
}

// centrality returns the function computing a named centrality column.
func centrality(name string) (func(*Graph) []float64, bool) {
	switch name {
	case "degree":
		return func(g *Graph) []float64 { return ints(Degree(g, DegreeAll)) }, true
	case "strength":
		return func(g *Graph) []float64 { return Strength(g, DegreeAll) }, true
	case "betweenness":
		return func(g *Graph) []float64 { return Betweenness(g, BetweennessOptions{}) }, true
	case "pagerank":
		return func(g *Graph) []float64 { return PageRank(g, PageRankOptions{}) }, true
	case "kcore":
		return func(g *Graph) []float64 { return ints(KCore(g)) }, true
	}
	return nil, false
}

func ints(x []int) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// WriteNodeTable writes one CSV row per node: its key, its community when
// asked, and the asked centralities, in that order. This is the output of
// `rastro network --out nodes.csv`. An unknown centrality is EINVALID.
func WriteNodeTable(w io.Writer, g *Graph, opt NodeTableOptions) error {
	header := []string{"node"}
	var cols [][]float64
	if opt.Communities {
		header = append(header, "community")
		cols = append(cols, ints32(Leiden(g, opt.Leiden).Membership))
	}
	for _, name := range opt.Centrality {
		fn, ok := centrality(name)
		if !ok {
			return rastro.Errorf(rastro.EINVALID, "node table: unknown centrality %q; use degree, strength, betweenness, pagerank or kcore", name)
		}
		header = append(header, name)
		cols = append(cols, fn(g))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("node table: %w", err)
	}
	row := make([]string, len(header))
	for v := range int32(g.N()) {
		row[0] = g.Key(v)
		for i, c := range cols {
			row[i+1] = strconv.FormatFloat(c[v], 'g', 10, 64)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("node table: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("node table: %w", err)
	}
	return nil
}

func ints32(x []int32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

package network

import (
	"github.com/rastro/rastro/internal/shareddata"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// dataDir is the network benchmarks of the reference data, or skips.
func dataDir(tb testing.TB) string { return shareddata.Dir(tb, "networks") }

// loadEdges reads one of the LFR edge lists.
func loadEdges(tb testing.TB, name string) *Graph {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir(tb), name))
	if err != nil {
		tb.Skipf("reference file missing: %v", err)
	}
	defer f.Close()
	g, err := ReadEdgeList(f, false)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// loadNodeValues reads "node value" lines keyed by node key.
func loadNodeValues(tb testing.TB, name string) map[string]float64 {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir(tb), name))
	if err != nil {
		tb.Skipf("reference file missing: %v", err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		x, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			tb.Fatalf("%s: %q: %v", name, line, err)
		}
		out[f[0]] = x
	}
	return out
}

// graphFromPairs builds a graph whose node keys are the decimal ids.
func graphFromPairs(tb testing.TB, directed bool, n int, pairs [][2]int) *Graph {
	tb.Helper()
	b := NewBuilder(directed)
	for i := range n {
		b.AddNode(strconv.Itoa(i))
	}
	for _, p := range pairs {
		b.AddEdge(Edge{Source: strconv.Itoa(p[0]), Target: strconv.Itoa(p[1])})
	}
	return b.Build()
}

func assertClose(tb testing.TB, name string, got, want []float64, rel, abs float64) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: got %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > abs && d > rel*math.Abs(want[i]) {
			tb.Errorf("%s[%d] = %.9g, want %.9g", name, i, got[i], want[i])
		}
	}
}

package network

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// ReadEdgeList reads a plain edge list: one edge per line, fields separated
// by tabs or spaces: source, target, and optionally weight and type. Blank
// lines and lines starting with '#' are skipped. Used by `rastro network
// --edges` and the benchmarks.
func ReadEdgeList(r io.Reader, directed bool) (*Graph, error) {
	b := NewBuilder(directed)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		e, err := parseEdge(text)
		if err != nil {
			return nil, fmt.Errorf("edge list: line %d: %w", line, err)
		}
		b.AddEdge(e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("edge list: %w", err)
	}
	return b.Build(), nil
}

func parseEdge(text string) (Edge, error) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return Edge{}, rastro.Errorf(rastro.EINVALID, "want at least source and target, got %q", text)
	}
	e := Edge{Source: f[0], Target: f[1]}
	if len(f) > 2 {
		w, err := strconv.ParseFloat(f[2], 64)
		if err != nil || w <= 0 {
			return Edge{}, rastro.Errorf(rastro.EINVALID, "weight %q is not a positive number", f[2])
		}
		e.Weight = w
	}
	if len(f) > 3 {
		e.Type = f[3]
	}
	return e, nil
}

package network

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
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

// ReadAdjacencyCSV reads a labelled adjacency matrix as UCINET exports it
// to CSV: a header row of node labels (first cell empty), then one row per
// node, its label first. Each non-zero cell i,j is an edge i→j weighted by
// the value. A byte-order mark is ignored.
func ReadAdjacencyCSV(r io.Reader, directed bool) (*Graph, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // ragged rows get a clearer message below
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("adjacency csv: %w", err)
	}
	if len(rows) == 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "adjacency csv: empty file")
	}
	labels := rows[0][1:]
	b := NewBuilder(directed)
	for _, l := range labels {
		b.AddNode(l)
	}
	for i, row := range rows[1:] {
		if len(row) != len(labels)+1 {
			return nil, rastro.Errorf(rastro.EINVALID, "adjacency csv: row %d has %d cells, want %d", i+2, len(row), len(labels)+1)
		}
		for j, cell := range row[1:] {
			if err := addCell(b, row[0], labels[j], cell, directed || j >= i); err != nil {
				return nil, fmt.Errorf("adjacency csv: row %d: %w", i+2, err)
			}
		}
	}
	return b.Build(), nil
}

// addCell adds the edge of one matrix cell; on undirected graphs only the
// upper triangle is read so that symmetric matrices give each tie once.
func addCell(b *Builder, from, to, cell string, use bool) error {
	w, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
	if err != nil {
		return rastro.Errorf(rastro.EINVALID, "cell %q is not a number", cell)
	}
	if w == 0 || !use {
		return nil
	}
	b.AddEdge(Edge{Source: from, Target: to, Weight: math.Abs(w)})
	return nil
}

// skipBOM drops a leading UTF-8 byte-order mark.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}

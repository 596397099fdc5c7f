// Command network times Rastro's network algorithms on one edge list and
// prints one JSON line per algorithm with the median wall time, for
// bench/network/run.sh to set beside igraph, networkx and graph-tool.
//
//	go run ./bench/network -edges ../shared/data/networks/lfr2k_mu0.3.edges -truth ...truth -repeat 5
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rastro/rastro/network"
)

type result struct {
	Tool   string  `json:"tool"`
	Graph  string  `json:"graph"`
	Algo   string  `json:"algo"`
	Median float64 `json:"median_s"`
	CPU    float64 `json:"cpu_s"` // median user+system CPU time, all threads
	Runs   int     `json:"runs"`
	Note   string  `json:"note"`
}

func main() {
	edges := flag.String("edges", "", "edge list (source target per line)")
	truth := flag.String("truth", "", "planted communities (node community per line), optional")
	ref := flag.String("bc", "", "igraph betweenness (node value per line), optional")
	repeat := flag.Int("repeat", 5, "runs per algorithm")
	bcRepeat := flag.Int("bc-repeat", 3, "runs of exact betweenness")
	name := flag.String("name", "", "graph name in the output")
	algos := flag.String("algos", "components,pagerank,communities,betweenness", "comma-separated algorithms to time")
	flag.Parse()
	if err := run(*edges, *truth, *ref, *name, *repeat, *bcRepeat, strings.Split(*algos, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "bench network:", err)
		os.Exit(1)
	}
}

func run(edges, truth, ref, name string, repeat, bcRepeat int, algos []string) error {
	f, err := os.Open(edges)
	if err != nil {
		return err
	}
	defer f.Close()
	g, err := network.ReadEdgeList(f, false)
	if err != nil {
		return err
	}
	emit := func(algo string, runs int, fn func() string) {
		if !slices.Contains(algos, algo) {
			return
		}
		var times, cpus []float64
		note := ""
		for range runs {
			start, cpu := time.Now(), cpuTime()
			note = fn()
			times = append(times, time.Since(start).Seconds())
			cpus = append(cpus, cpuTime()-cpu)
		}
		r := result{Tool: "rastro", Graph: name, Algo: algo, Median: median(times), CPU: median(cpus), Runs: runs, Note: note}
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
	}
	emit("components", repeat, func() string {
		return fmt.Sprintf("%d components", len(network.WeakComponents(g).Sizes))
	})
	emit("pagerank", repeat, func() string { network.PageRank(g, network.PageRankOptions{}); return "" })
	planted, err := readValues(truth)
	if err != nil {
		return err
	}
	emit("communities", repeat, func() string {
		p := network.Leiden(g, network.LeidenOptions{Seed: 1})
		return communityNote(g, p.Membership, p.Quality, planted)
	})
	igraphBC, err := readValues(ref)
	if err != nil {
		return err
	}
	emit("betweenness", bcRepeat, func() string {
		return bcNote(g, network.Betweenness(g, network.BetweennessOptions{}), igraphBC)
	})
	return nil
}

func median(x []float64) float64 {
	slices.Sort(x)
	return x[len(x)/2]
}

// cpuTime returns the process's user+system CPU seconds so far.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func communityNote(g *network.Graph, memb []int32, q float64, planted map[string]float64) string {
	note := fmt.Sprintf("leiden: %d comms, Q=%.4f", slices.Max(memb)+1, q)
	if planted == nil {
		return note
	}
	truth := make([]int32, g.N())
	for v := range truth {
		truth[v] = int32(planted[g.Key(int32(v))])
	}
	return fmt.Sprintf("%s, NMI=%.4f", note, network.NMI(memb, truth))
}

func bcNote(g *network.Graph, bc []float64, ref map[string]float64) string {
	if ref == nil {
		return ""
	}
	worst := 0.0
	for v, x := range bc {
		if w, ok := ref[g.Key(int32(v))]; ok && w != 0 {
			worst = math.Max(worst, math.Abs(x-w)/w)
		}
	}
	return fmt.Sprintf("max rel diff vs igraph file %.1e", worst)
}

func readValues(path string) (map[string]float64, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		x, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", path, line, err)
		}
		out[f[0]] = x
	}
	return out, nil
}

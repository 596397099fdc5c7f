// Command money measures Rastro's follow-the-money engine for
// bench/money/run.sh.
//
// Quality (one JSON line per run set): detect one AMLSim planted pattern
// with the AMLSim parameters and score the flagged accounts against
// nodes.csv's isFraud, timing load+detect (median of -repeat runs):
//
//	go run ./bench/money -dir ../shared/data/aml/20K_fanin200 -kind fan_in -repeat 5
//
// Scale: load one large AMLworld file, scan it with every detector and the
// rule pack, then run -traces 5-hop forward traces from random accounts:
//
//	go run ./bench/money -scale big.csv -traces 1000
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/rastro/rastro/money"
)

// quality is one tool's result on one AMLSim sample.
type quality struct {
	Tool      string  `json:"tool"`
	Dataset   string  `json:"dataset"`
	Pattern   string  `json:"pattern"`
	Flagged   int     `json:"flagged"`
	Fraud     int     `json:"fraud"`
	Hits      int     `json:"hits"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// Focal: only each alert's flagged account (the hub, the cycle's
	// start), not every account involved.
	FocalFlagged   int     `json:"focal_flagged"`
	FocalHits      int     `json:"focal_hits"`
	FocalPrecision float64 `json:"focal_precision"`
	Median         float64 `json:"median_s"` // load + detect, wall
	CPU            float64 `json:"cpu_s"`    // user+system, all threads
	Runs           int     `json:"runs"`
}

func main() {
	dir := flag.String("dir", "", "AMLSim sample folder (transactions.csv, nodes.csv)")
	kind := flag.String("kind", money.KindFanIn, "detector: fan_in or cycle")
	ordered := flag.Bool("ordered", false, "cycles: time-ordered hops only (AMLSim's are not)")
	repeat := flag.Int("repeat", 5, "runs (the median time is reported)")
	scale := flag.String("scale", "", "large AMLworld CSV: measure load, scan and traces instead")
	traces := flag.Int("traces", 1000, "scale: 5-hop traces from random accounts")
	noScan := flag.Bool("no-scan", false, "scale: load and trace only")
	seed := flag.Uint64("seed", 1, "scale: seed of the random start accounts")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench money:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	if *scale != "" {
		err = runScale(*scale, *traces, *seed, !*noScan)
	} else {
		err = runQuality(*dir, *kind, *repeat, *ordered)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench money:", err)
		os.Exit(1)
	}
}

// runQuality loads and detects repeat times and prints one JSON line.
func runQuality(dir, kind string, repeat int, ordered bool) error {
	p := money.AMLSimParams()
	pattern := kind
	if ordered {
		p.CycleAnyOrder = false
		pattern += " (time-ordered)"
	}
	fraud, err := readFraud(filepath.Join(dir, "nodes.csv"))
	if err != nil {
		return err
	}
	var times, cpus []float64
	var alerts []money.Alert
	for range max(repeat, 1) {
		t0, c0 := time.Now(), cpuTime()
		g, err := loadGraph(filepath.Join(dir, "transactions.csv"), money.FormatAMLSim)
		if err != nil {
			return err
		}
		alerts = g.Detect(p, nil, kind)
		times, cpus = append(times, time.Since(t0).Seconds()), append(cpus, cpuTime()-c0)
	}
	flagged, focal := map[string]bool{}, map[string]bool{}
	for _, a := range alerts {
		focal[a.Account] = true
		for _, acc := range a.Accounts {
			flagged[acc] = true
		}
	}
	q := quality{Tool: "rastro", Dataset: filepath.Base(dir), Pattern: pattern, Flagged: len(flagged), Fraud: len(fraud),
		Median: median(times), CPU: median(cpus), Runs: len(times)}
	for acc := range flagged {
		if fraud[acc] {
			q.Hits++
		}
	}
	for acc := range focal {
		if fraud[acc] {
			q.FocalHits++
		}
	}
	q.FocalFlagged = len(focal)
	q.Precision, q.FocalPrecision = ratio(q.Hits, q.Flagged), ratio(q.FocalHits, q.FocalFlagged)
	q.Recall = float64(q.Hits) / float64(max(q.Fraud, 1))
	return json.NewEncoder(os.Stdout).Encode(q)
}

// readFraud returns the isFraud accounts of AMLSim's nodes.csv.
func readFraud(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fraud := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), ",")
		if len(p) >= 2 && p[1] == "1" {
			fraud[p[0]] = true
		}
	}
	return fraud, sc.Err()
}

// loadGraph reads one file and builds its graph.
func loadGraph(path, format string) (*money.Graph, error) {
	var txs []money.Tx
	rep, err := money.ReadFile(path, money.ReadOptions{Format: format}, func(t *money.Tx) error {
		txs = append(txs, *t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rep.ErrorCount > 0 {
		return nil, fmt.Errorf("%s: %d bad lines, first %v", path, rep.ErrorCount, rep.Errors[0])
	}
	return money.NewGraph(txs), nil
}

// scaleResult is one large-file run.
type scaleResult struct {
	File       string  `json:"file"`
	Txs        int     `json:"transactions"`
	Accounts   int     `json:"accounts"`
	LoadS      float64 `json:"load_s"`
	LoadCPU    float64 `json:"load_cpu_s"`
	LoadTxS    float64 `json:"load_tx_per_s"`
	ScanS      float64 `json:"scan_s,omitempty"`
	ScanCPU    float64 `json:"scan_cpu_s,omitempty"`
	ScanTxS    float64 `json:"scan_tx_per_s,omitempty"`
	Alerts     int     `json:"alerts,omitempty"`
	Traces     int     `json:"traces"`
	TraceP50ms float64 `json:"trace_p50_ms"`
	TraceP95ms float64 `json:"trace_p95_ms"`
	TraceMaxms float64 `json:"trace_max_ms"`
	TraceEdges float64 `json:"trace_edges_mean"`
	// CPU time of the tracing thread per trace: what a trace costs on an
	// idle core when the machine is shared (wall times then include waiting).
	TraceCPUp50ms float64 `json:"trace_thread_cpu_p50_ms"`
	TraceCPUp95ms float64 `json:"trace_thread_cpu_p95_ms"`
	PeakRSSMB     float64 `json:"peak_rss_mb"`
	HeapInUseMB   float64 `json:"heap_inuse_mb"`
	Procs         int     `json:"gomaxprocs"`
}

// runScale measures load, scan and traces on one large file.
func runScale(path string, traces int, seed uint64, scan bool) error {
	r := scaleResult{File: filepath.Base(path), Procs: runtime.GOMAXPROCS(0)}
	t0, c0 := time.Now(), cpuTime()
	ds, _, err := money.Load([]money.Source{fileSource(path)}, money.ReadOptions{Format: money.FormatAMLworld}, nil)
	if err != nil {
		return err
	}
	g := money.NewGraph(ds.Txs)
	r.LoadS, r.LoadCPU = time.Since(t0).Seconds(), cpuTime()-c0
	r.Txs, r.Accounts = len(g.Txs), len(g.Accounts)
	r.LoadTxS = float64(r.Txs) / r.LoadS
	fmt.Fprintf(os.Stderr, "loaded %d transactions, %d accounts in %.1fs\n", r.Txs, r.Accounts, r.LoadS)
	if scan {
		pack, err := money.DefaultRulePack()
		if err != nil {
			return err
		}
		t0, c0 = time.Now(), cpuTime()
		alerts := g.Scan(money.DefaultParams(), pack, nil, nil)
		r.ScanS, r.ScanCPU, r.Alerts = time.Since(t0).Seconds(), cpuTime()-c0, len(alerts)
		r.ScanTxS = float64(r.Txs) / r.ScanS
		fmt.Fprintf(os.Stderr, "scanned in %.1fs: %d alerts\n", r.ScanS, r.Alerts)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	var took, cpu []float64
	edges := 0
	runtime.LockOSThread()
	for range traces {
		acc := g.Accounts[rng.IntN(len(g.Accounts))]
		t, c := time.Now(), threadCPU()
		f, err := g.Trace(money.TraceOptions{Account: acc, Hops: 5})
		if err != nil {
			return err
		}
		took = append(took, float64(time.Since(t).Microseconds())/1000)
		cpu = append(cpu, (threadCPU()-c)*1000)
		edges += len(f.Edges)
	}
	runtime.UnlockOSThread()
	if len(took) > 0 {
		slices.Sort(took)
		slices.Sort(cpu)
		r.TraceCPUp50ms, r.TraceCPUp95ms = cpu[len(cpu)/2], cpu[len(cpu)*95/100]
		r.Traces, r.TraceP50ms, r.TraceP95ms, r.TraceMaxms = len(took), took[len(took)/2], took[len(took)*95/100], took[len(took)-1]
		r.TraceEdges = float64(edges) / float64(len(took))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.HeapInUseMB = float64(ms.HeapInuse) / 1e6
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		r.PeakRSSMB = float64(ru.Maxrss) / 1024
	}
	runtime.KeepAlive(g)
	return json.NewEncoder(os.Stdout).Encode(r)
}

// fileSource is a money.Source reading path from disk.
func fileSource(path string) money.Source {
	st, err := os.Stat(path)
	size := int64(0)
	if err == nil {
		size = st.Size()
	}
	return money.Source{Name: filepath.Base(path), Size: size, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// cpuTime is the process's user+system CPU time in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// threadCPU is the calling OS thread's CPU time in seconds (Linux).
func threadCPU() float64 {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// median returns the median of xs.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

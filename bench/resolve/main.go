// Command resolve writes generated person records for the identity
// resolution scale test and scores `rastro resolve` output against the
// planted people. bench/resolve/run.sh drives it.
//
//	go run ./bench/resolve gen -n 1000000 -out records.csv
//	go run ./bench/resolve eval -records records.csv -clusters clusters.csv
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"context"

	"github.com/rastro/rastro/resolve"
	"github.com/rastro/rastro/synth"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: resolve gen|eval [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "eval":
		err = eval(os.Args[2:])
	case "profile":
		err = profile(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q; want gen or eval", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench resolve:", err)
		os.Exit(1)
	}
}

// gen writes the records.
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 100_000, "records to write")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output CSV")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	st, err := synth.WritePeople(w, *n, *seed)
	if err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	b, _ := json.Marshal(st)
	fmt.Println(string(b))
	return f.Close()
}

// eval prints pairwise precision, recall and F1 of clusters against the
// records' person column.
func eval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	records := fs.String("records", "", "records CSV written by gen")
	clusters := fs.String("clusters", "", "record_id,cluster_id CSV written by rastro resolve")
	fs.Parse(args)
	truth, err := readPairs(*records, 0, 1)
	if err != nil {
		return err
	}
	of, err := readPairs(*clusters, 0, 1)
	if err != nil {
		return err
	}
	members := map[string][]string{}
	for id, c := range of {
		members[c] = append(members[c], id)
	}
	cs := make([]resolve.Cluster, 0, len(members))
	for c, m := range members {
		cs = append(cs, resolve.Cluster{ID: c, Members: m})
	}
	b, _ := json.Marshal(resolve.Evaluate(cs, truth))
	fmt.Println(string(b))
	return nil
}

// readPairs maps column a to column b of a CSV file with a header.
func readPairs(path string, a, b int) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	out := map[string]string{}
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[row[a]] = row[b]
	}
}

// profile resolves records in process with a CPU profile, for development.
func profile(args []string) error {
	fs := flag.NewFlagSet("profile", flag.ExitOnError)
	records := fs.String("records", "", "records CSV written by gen")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here")
	fs.Parse(args)
	f, err := os.Open(*records)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	recs, err := resolve.ReadCSV(bufio.NewReaderSize(f, 1<<20), "id", []string{"first_name", "last_name", "birth_date", "phone", "email", "city"})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "read %d records in %s\n", len(recs), time.Since(start))
	if *cpu != "" {
		pf, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start = time.Now()
	res, err := resolve.Resolve(context.Background(), recs, nil, resolve.Options{Seed: 1})
	if err != nil {
		return err
	}
	b, _ := json.Marshal(res.Blocking)
	fmt.Fprintf(os.Stderr, "resolved in %s: %s\n", time.Since(start), b)
	truth, err := readPairs(*records, 0, 1)
	if err != nil {
		return err
	}
	m, _ := json.Marshal(resolve.Evaluate(res.Clusters, truth))
	fmt.Println(string(m))
	return nil
}

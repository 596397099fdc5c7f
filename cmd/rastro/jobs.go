package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/rastro/rastro"
)

// jobsRun works the queue until no job is due, then exits: parsing and
// imports without a server, for scripts, benchmarks and maintenance.
func (e *environment) jobsRun(ctx context.Context, args []string) error {
	var c config
	fs := e.newFlags("jobs run")
	c.bind(fs)
	workers := fs.Int("workers", 2, "jobs run at once")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	return withStore(ctx, c, func(s rastro.Store) error {
		ev, err := openEvidence(c.DataDir, s)
		if err != nil {
			return err
		}
		start := time.Now()
		r := newRunner(s, ev, c.logger(e), *workers)
		if err := r.RunPending(ctx); err != nil {
			return fmt.Errorf("jobs run: %w", err)
		}
		all, err := s.Jobs(ctx, rastro.SystemActor("cli: jobs run"), 0)
		if err != nil {
			return err
		}
		counts := map[rastro.JobState]int{}
		cases := map[int64]bool{}
		for _, j := range all {
			counts[j.State]++
			if j.Kind == "evidence.parse" && !j.UpdatedAt.Before(start.Truncate(time.Second)) {
				cases[j.CaseID] = true
			}
		}
		if err := printParseReports(ctx, e.stdout, s, cases, start); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "queue empty after %.1fs: %d done, %d failed, %d waiting to retry\n",
			time.Since(start).Seconds(), counts[rastro.JobDone], counts[rastro.JobFailed], counts[rastro.JobQueued])
		return nil
	})
}

// startCPUProfile starts profiling the CPU into path and returns the
// function that stops it and closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// cliProblems is how many problems per file the command line shows; the
// evidence page shows all that were kept.
const cliProblems = 3

// printParseReports prints, per evidence item parsed since start in the
// given cases, one line with its outcome and its first problems.
func printParseReports(ctx context.Context, w io.Writer, s rastro.Store, cases map[int64]bool, start time.Time) error {
	ids := slices.Sorted(maps.Keys(cases))
	for _, id := range ids {
		reps, err := s.ParseReports(ctx, rastro.SystemActor("cli: jobs run"), id, 0)
		if err != nil {
			return err
		}
		for _, r := range reps {
			if r.UpdatedAt.Before(start.Truncate(time.Second)) {
				continue
			}
			fmt.Fprintf(w, "case %d, evidence %d %s: %s\n", r.CaseID, r.EvidenceID, r.Name, reportMessage(r))
			problems := r.Problems
			if r.Outcome == rastro.ParseFailed && len(problems) > 0 && problems[0].Locator == r.Location {
				problems = problems[1:] // already on the line above
			}
			for i, p := range problems {
				if i == cliProblems {
					fmt.Fprintf(w, "    ... %d more problems (see the evidence page)\n", len(problems)-i+r.MoreProblems)
					break
				}
				fmt.Fprintf(w, "    %s: %s\n", p.Locator, p.Reason)
			}
		}
	}
	return nil
}

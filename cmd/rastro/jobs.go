package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
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
		for _, j := range all {
			counts[j.State]++
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

package main

import (
	"context"
	"fmt"
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
	if err := fs.Parse(args); err != nil {
		return err
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

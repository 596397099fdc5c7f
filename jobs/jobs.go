// Package jobs runs background work from the durable queue that the store
// provides (rastro.JobService). The queue lives in the same database as the
// data, so a job is enqueued in the same transaction as what it concerns; this
// package only claims, runs and settles jobs, on every node alike.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/rastro/rastro"
)

// Handler runs one job. It must be idempotent: after a crash the same job
// runs again. Report progress (0..1) with a short message as work advances.
type Handler func(ctx context.Context, j *rastro.Job, progress func(p float64, msg string)) error

// Runner claims jobs of the kinds it has handlers for and runs them.
type Runner struct {
	Queue    rastro.JobService
	Log      *slog.Logger
	Workers  int           // concurrent jobs; default 1
	Lease    time.Duration // how long a claim lasts before another node may retry; default 10m
	Poll     time.Duration // idle wait between claims; default 500ms
	Backoff  time.Duration // wait before a failed job is retried; default 5s
	handlers map[string]Handler
	wake     chan struct{}
}

// Handle registers h for jobs of the given kind.
func (r *Runner) Handle(kind string, h Handler) {
	if r.handlers == nil {
		r.handlers = map[string]Handler{}
	}
	r.handlers[kind] = h
}

// Kinds lists the kinds with a handler, sorted.
func (r *Runner) Kinds() []string {
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// Wake asks idle workers to look for work now instead of after Poll.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run works until ctx is cancelled, then waits for running jobs to return.
func (r *Runner) Run(ctx context.Context) {
	r.defaults()
	var wg sync.WaitGroup
	for i := 0; i < r.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx)
		}()
	}
	wg.Wait()
}

// RunPending runs jobs until none is due, then returns: for the command line
// and tests, where no long-running server is wanted.
func (r *Runner) RunPending(ctx context.Context) error {
	r.defaults()
	errs := make([]error, r.Workers)
	var wg sync.WaitGroup
	for i := range r.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ran, err := r.runOne(ctx)
				if err != nil || !ran {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (r *Runner) defaults() {
	if r.Workers <= 0 {
		r.Workers = 1
	}
	if r.Lease <= 0 {
		r.Lease = 10 * time.Minute
	}
	if r.Poll <= 0 {
		r.Poll = 500 * time.Millisecond
	}
	if r.Backoff <= 0 {
		r.Backoff = 5 * time.Second
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.wake == nil {
		r.wake = make(chan struct{}, 1)
	}
}

func (r *Runner) work(ctx context.Context) {
	for ctx.Err() == nil {
		ran, err := r.runOne(ctx)
		if err != nil {
			r.Log.Warn("job queue unavailable", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-time.After(r.Poll):
		}
	}
}

// runOne claims and runs one job; it reports whether there was one.
func (r *Runner) runOne(ctx context.Context) (bool, error) {
	if len(r.handlers) == 0 {
		return false, nil
	}
	j, err := r.Queue.Claim(ctx, r.Kinds(), r.Lease)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("claim job: %w", err)
	}
	r.run(ctx, j)
	return true, nil
}

func (r *Runner) run(ctx context.Context, j *rastro.Job) {
	log := r.Log.With("job", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	progress := func(p float64, msg string) {
		if err := r.Queue.Progress(ctx, j.ID, p, msg); err != nil {
			log.Warn("job progress not saved", "err", err)
		}
	}
	start := time.Now()
	err := safeCall(ctx, r.handlers[j.Kind], j, progress)
	// Settle even when ctx is cancelled, so a clean shutdown does not leave
	// the job to wait for its lease to expire.
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err != nil {
		log.Warn("job failed", "err", err, "duration", time.Since(start))
		if ferr := r.Queue.Fail(settle, j.ID, err.Error(), r.Backoff); ferr != nil {
			log.Error("job failure not recorded", "err", ferr)
		}
		return
	}
	log.Info("job done", "duration", time.Since(start))
	if cerr := r.Queue.Complete(settle, j.ID); cerr != nil {
		log.Error("job completion not recorded", "err", cerr)
	}
}

// safeCall turns a handler's panic into an error, so one bad job cannot take
// the server down.
func safeCall(ctx context.Context, h Handler, j *rastro.Job, progress func(float64, string)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %d panicked: %v", j.ID, p)
		}
	}()
	if h == nil {
		return errors.New("no handler for job kind " + j.Kind)
	}
	return h(ctx, j, progress)
}

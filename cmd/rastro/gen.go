package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth"
)

func (e *environment) gen(ctx context.Context, args []string) error {
	var o synth.Options
	fs := e.newFlags("gen")
	fs.StringVar(&o.Size, "size", "small", "tiny, small, medium, large or xl (≈1 MB, 20 MB, 200 MB, 1 GB, 5 GB)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed and version give byte-identical output")
	fs.StringVar(&o.Out, "out", "", "output folder (required; must be empty or absent)")
	quiet := fs.Bool("quiet", false, "no progress output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Out == "" {
		return rastro.Errorf(rastro.EINVALID, "gen: --out is required")
	}
	start := time.Now()
	if !*quiet {
		o.Progress = progressBar(e, "generating")
	}
	t, err := synth.Generate(ctx, o)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	var total int64
	for _, f := range t.Files {
		total += f.Size
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "wrote %d files, %.1f MB in %.1fs (%.0f MB/s) to %s; ground truth in truth.json\n",
		len(t.Files), float64(total)/1e6, secs, float64(total)/1e6/secs, o.Out)
	return nil
}

// progressBar returns a callback drawing a one-line progress bar on stderr,
// at most ten times a second.
func progressBar(e *environment, label string) func(done, total int64) {
	var last time.Time
	return func(done, total int64) {
		if time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		pct := 0.0
		if total > 0 {
			pct = float64(done) / float64(total)
		}
		const width = 30
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = '.'
			if float64(i) < pct*width {
				bar[i] = '#'
			}
		}
		fmt.Fprintf(e.stderr, "\r%s [%s] %3.0f%% %.1f/%.1f MB", label, bar, pct*100, float64(done)/1e6, float64(total)/1e6)
		if done >= total {
			fmt.Fprintln(e.stderr)
		}
	}
}

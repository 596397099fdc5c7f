// Package synth writes fictional trafficking cases for training and testing:
// evidence files in the formats the field produces (WhatsApp and Telegram
// chat exports, bank and crypto CSVs, ads, provider referrals, HTCDS case
// records, images) plus truth.json, the ground truth every engine of Rastro
// can score itself against. The story, the file formats and the truth schema
// are documented in docs/SCENARIOS.md.
//
// Everything is fictional: names are drawn from short lists, identifiers come
// from package ident (reserved or clearly synthetic ranges), coordinates are
// those of public city centres. The same Options give byte-identical output.
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	_ "time/tzdata" // WhatsApp and Telegram times are local: zones must not depend on the host

	"github.com/rastro/rastro"
)

// Generator is the generator name and version written to truth.json.
const Generator = "rastro-synth/1"

// Options says what case to write.
type Options struct {
	Size     string                  // tiny, small, medium, large, xl: about 1 MB, 20 MB, 200 MB, 1 GB, 5 GB of evidence
	Seed     uint64                  // same seed and version ⇒ byte-identical folder
	Out      string                  // folder to write; created; must be empty or absent
	Progress func(done, total int64) // optional; bytes written so far and the size budget; calls are serialised
}

// sizeSpec is the budget of one size.
type sizeSpec struct {
	budget int64 // total bytes of evidence
	scale  int   // story scale: more victims and suspects
	bgFile int64 // typical size of one background chat file
	imgW   int   // image width (height is 3/4)
}

var sizeSpecs = map[string]sizeSpec{
	"tiny":   {1 << 20, 0, 48 << 10, 320},
	"small":  {20 << 20, 1, 1 << 20, 640},
	"medium": {200 << 20, 2, 6 << 20, 1024},
	"large":  {1 << 30, 3, 16 << 20, 1024},
	"xl":     {5 << 30, 4, 32 << 20, 1024},
}

// Sizes lists the accepted size names, smallest first.
func Sizes() []string { return []string{"tiny", "small", "medium", "large", "xl"} }

// Generate writes the case described by o into o.Out, writes o.Out/truth.json
// and returns the same truth. It fails with EINVALID for an unknown size or a
// non-empty output folder, and stops early when ctx is cancelled.
func Generate(ctx context.Context, o Options) (*Truth, error) {
	spec, ok := sizeSpecs[o.Size]
	if !ok {
		return nil, rastro.Errorf(rastro.EINVALID, "synth: unknown size %q; use one of tiny, small, medium, large, xl", o.Size)
	}
	if err := prepareOut(o.Out); err != nil {
		return nil, err
	}
	g := newGen(o, spec)
	if err := g.run(ctx); err != nil {
		return nil, err
	}
	t := g.truth()
	if err := writeTruth(o.Out, t); err != nil {
		return nil, err
	}
	g.prog.finish()
	return t, nil
}

// prepareOut creates dir, refusing one that already holds files.
func prepareOut(dir string) error {
	if dir == "" {
		return rastro.Errorf(rastro.EINVALID, "synth: no output folder given")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return rastro.Errorf(rastro.EINVALID, "synth: output folder %s is not empty; choose a new folder", dir)
	case err != nil && !os.IsNotExist(err):
		return fmt.Errorf("synth: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// subSeed derives an independent seed for stream k (splitmix64).
func subSeed(seed uint64, k uint64) uint64 {
	z := seed + k*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// progress serialises calls to Options.Progress.
type progress struct {
	mu          sync.Mutex
	done, total int64
	last        int64
	fn          func(done, total int64)
}

func (p *progress) add(n int64) {
	if p == nil || p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.done-p.last >= 1<<20 {
		p.last = p.done
		p.fn(min(p.done, p.total), p.total)
	}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.fn(p.total, p.total)
	}
}

// runTasks runs fns on up to GOMAXPROCS goroutines, in order of start, and
// returns the first error. Results are stored by the tasks themselves.
func runTasks(ctx context.Context, fns []func() error) error {
	workers := min(runtime.GOMAXPROCS(0), len(fns))
	next := make(chan int)
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				errs[i] = fns[i]()
			}
		}()
	}
	for i := range fns {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// newRand returns the PCG stream k of seed.
func newRand(seed, k uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, k)) }

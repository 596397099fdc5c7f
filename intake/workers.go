package intake

import (
	"os"
)

// defaultWorkers is Service.Workers when zero.
const defaultWorkers = 4

// startPuts stores the top-level files in the vault on worker goroutines and
// returns one channel per file that yields its result. At most Workers files
// are in flight or waiting to be consumed: call release after consuming each
// result. Every channel yields exactly once, even when ctx ends.
func (r *run) startPuts(files []file) (results []chan putResult, release func()) {
	n := r.s.Workers
	if n <= 0 {
		n = defaultWorkers
	}
	results = make([]chan putResult, len(files))
	for i := range results {
		results[i] = make(chan putResult, 1)
	}
	slots := make(chan struct{}, n)
	go func() {
		for i, f := range files {
			select {
			case slots <- struct{}{}:
				go func() { results[i] <- r.putFile(f) }()
			case <-r.ctx.Done():
				for _, ch := range results[i:] {
					ch <- putResult{err: r.ctx.Err()}
				}
				return
			}
		}
	}()
	return results, func() {
		select {
		case <-slots:
		default: // the result came from the cancellation path, which holds no slot
		}
	}
}

// putFile streams one file into the vault. A file that changed size while
// being read still advances the progress by its listed size in total.
func (r *run) putFile(f file) putResult {
	fh, err := os.Open(f.path)
	if err != nil {
		r.advance(f.size)
		return putResult{err: err}
	}
	defer fh.Close()
	pr := &progressReader{r: fh, run: r}
	res := r.put(pr)
	r.advance(f.size - pr.read)
	return res
}

package intake_test

import (
	"fmt"
	"testing"
)

// BenchmarkIngestSmallFiles ingests folders of 500 files of 4 KiB (the
// issue's "100,000 small files" case, scaled down) into a real SQLite store
// and file-system vault, and reports files per second. Each iteration
// ingests new content, so nothing is deduplicated.
func BenchmarkIngestSmallFiles(b *testing.B) {
	const n, size = 500, 4096
	e := newEnv(b)
	b.SetBytes(n * size)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		files := map[string][]byte{}
		for j := range n {
			data := make([]byte, size)
			copy(data, fmt.Sprintf("iteration %d file %d", i, j))
			files[fmt.Sprintf("dir%d/file%04d.bin", j%10, j)] = data
		}
		dir := writeFiles(b, files)
		b.StartTimer()
		items, errs := e.svc.Ingest(b.Context(), e.actor, e.caseID, dir, meta, nil)
		if len(errs) != 0 || len(items) != n {
			b.Fatalf("%d items, errors %v", len(items), errs)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
}

package extract

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rastro/rastro/internal/cputime"
)

var benchOnce struct {
	sync.Once
	chats, all [][]byte
}

// benchCorpus generates a small case once and returns its chat files (the
// selector-dense text) and all its text files.
func benchCorpus(b *testing.B) (chats, all [][]byte) {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "extract-bench")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		tr, d := generateIn(b, "small", dir)
		for _, f := range textFiles(b, tr, d) {
			benchOnce.all = append(benchOnce.all, f.data)
			if strings.HasPrefix(f.path, "chats/") {
				benchOnce.chats = append(benchOnce.chats, f.data)
			}
		}
	})
	return benchOnce.chats, benchOnce.all
}

func benchScan(b *testing.B, files [][]byte) {
	var n int64
	for _, f := range files {
		n += int64(len(f))
	}
	b.SetBytes(n)
	b.ResetTimer()
	var dst []Selector // reused, as an ingest scanning many files would
	cpuMBps(b, n, func() {
		for b.Loop() {
			for _, f := range files {
				dst = ScanAppend(dst[:0], f, Options{Region: "MX"})
			}
		}
	})
}

// BenchmarkScanChats measures throughput on the chat exports of the small case.
func BenchmarkScanChats(b *testing.B) {
	chats, _ := benchCorpus(b)
	benchScan(b, chats)
}

// BenchmarkScanChatsCase measures throughput on the chat exports of a
// cached generated case: RASTRO_BENCH_SIZE (default medium), seed 7 (or
// EXTRACT_SEED), or the folder RASTRO_EXTRACT_CASE. Run with -cpu 1: the
// cpuMB/s metric is then MB/s per core.
func BenchmarkScanChatsCase(b *testing.B) {
	size := os.Getenv("RASTRO_BENCH_SIZE")
	if size == "" {
		size = "medium"
	}
	tr, dir := cachedCase(b, size)
	benchScan(b, chatFiles(b, tr, dir))
}

// BenchmarkScanAll measures throughput on every text file of the small case.
func BenchmarkScanAll(b *testing.B) {
	_, all := benchCorpus(b)
	benchScan(b, all)
}

// cpuMBps reports throughput per second of process CPU time, which stays
// meaningful on a machine shared with other jobs (wall-clock MB/s does not).
func cpuMBps(b *testing.B, bytes int64, run func()) {
	before := cputime.Process()
	run()
	cpu := cputime.Process() - before
	if cpu > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/cpu.Seconds(), "cpuMB/s")
	}
}

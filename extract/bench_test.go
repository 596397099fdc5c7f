package extract

import (
	"os"
	"strings"
	"sync"
	"testing"
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
	for b.Loop() {
		for _, f := range files {
			Scan(f, Options{Region: "MX"})
		}
	}
}

// BenchmarkScanChats measures throughput on the chat exports of the small case.
func BenchmarkScanChats(b *testing.B) {
	chats, _ := benchCorpus(b)
	benchScan(b, chats)
}

// BenchmarkScanAll measures throughput on every text file of the small case.
func BenchmarkScanAll(b *testing.B) {
	_, all := benchCorpus(b)
	benchScan(b, all)
}

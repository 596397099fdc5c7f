package synth

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// benchSize generates one case per iteration and reports MB/s of evidence.
func benchSize(b *testing.B, size string) {
	b.Helper()
	b.SetBytes(sizeSpecs[size].budget)
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(b.TempDir(), "case")
		if _, err := Generate(context.Background(), Options{Size: size, Seed: uint64(i), Out: dir}); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir) // disks are shared: do not keep gigabytes around
	}
}

func BenchmarkGenerate(b *testing.B) { benchSize(b, "small") }

// BenchmarkGenerateLarge writes 1 GB per iteration; run it explicitly with -bench Large -benchtime 1x.
func BenchmarkGenerateLarge(b *testing.B) { benchSize(b, "large") }

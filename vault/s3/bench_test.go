package s3

import (
	"fmt"
	"io"
	"testing"

	"github.com/minio/minio-go/v7"
)

// patternReader yields n bytes of a repeated 1 MiB pseudo-random pattern
// without holding them in memory.
type patternReader struct {
	pattern []byte
	n, off  int64
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	i := r.off % int64(len(r.pattern))
	k := copy(p[:min(int64(len(p)), r.n-r.off)], r.pattern[i:])
	r.off += int64(k)
	return k, nil
}

// empty deletes every object in the bucket.
func (f *fixture) empty(tb testing.TB) {
	tb.Helper()
	for _, key := range f.rawKeys(tb) {
		if err := f.raw.RemoveObject(tb.Context(), testBucket, key, minio.RemoveObjectOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkPut is vault.Put (hash + encrypt) into an in-process gofakes3
// over loopback HTTP: one PUT below PartSize, multipart upload plus
// server-side copy above. Informational: gofakes3 keeps objects in memory
// and is no model of a real S3's latency or throughput.
func BenchmarkPut(b *testing.B) {
	pattern := content(1<<20, 42)
	for _, size := range []int64{1 << 20, 64 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			f := newFixture(b, "", false)
			v := newVault(b, f.b, randomKey())
			b.SetBytes(size)
			for i := 0; b.Loop(); i++ {
				// A distinct case per round: the same content twice in one case is deduplicated.
				if _, _, err := v.Put(b.Context(), int64(i+1), &patternReader{pattern: pattern, n: size}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				f.empty(b) // gofakes3 keeps everything in memory
				b.StartTimer()
			}
		})
	}
}

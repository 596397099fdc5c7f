package vault

import (
	"crypto/sha256"
	"io"
	"testing"
)

// BenchmarkSealSHA256Only is SHA-256 + encryption of 256 MiB without MD5
// and SHA-1: the ceiling Put would reach if the legacy hashes were computed
// elsewhere (say, by a background job), for comparison with BenchmarkPut.
func BenchmarkSealSHA256Only(b *testing.B) {
	const size = 256 << 20
	key := make([]byte, KeySize)
	block := make([]byte, blockSize)
	for i := range block {
		block[i] = byte(i * 31)
	}
	b.SetBytes(size)
	for b.Loop() {
		s, err := newSealer(io.Discard, key, newHeader(1, key, DefaultChunkSize))
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.New()
		for range size / blockSize {
			h.Write(block)
			s.Write(block)
		}
		s.Close(h.Sum(nil))
	}
}

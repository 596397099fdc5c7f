package synth

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// sink is an output file that hashes and counts what goes through it, so
// truth.json gets each file's SHA-256 and size without reading it back.
type sink struct {
	f    *os.File
	h    hash.Hash
	bw   *bufio.Writer
	n    int64
	rel  string
	prog *progress
}

// hashTee writes to the file and the hash in large chunks (behind bufio).
type hashTee struct{ s *sink }

func (t hashTee) Write(p []byte) (int, error) {
	t.s.h.Write(p)
	t.s.prog.add(int64(len(p)))
	return t.s.f.Write(p)
}

// createSink creates root/rel (and its folders).
func createSink(root, rel string) (*sink, error) {
	path := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", rel, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", rel, err)
	}
	s := &sink{f: f, h: sha256.New(), rel: rel}
	s.bw = bufio.NewWriterSize(hashTee{s}, 256<<10)
	return s, nil
}

// Write buffers p.
func (s *sink) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	return s.bw.Write(p)
}

// close flushes and returns the file's description.
func (s *sink) close(format string) (FileInfo, error) {
	err := s.bw.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FileInfo{}, fmt.Errorf("write %s: %w", s.rel, err)
	}
	return FileInfo{Path: s.rel, SHA256: hex.EncodeToString(s.h.Sum(nil)), Size: s.n, Format: format}, nil
}

// abort closes the file after an error.
func (s *sink) abort() { s.f.Close() }

// counter counts bytes written to an inner writer (zip members).
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// hashFile reads a file written by a sub-generator and describes it.
func hashFile(root, rel, format string) (FileInfo, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return FileInfo{}, fmt.Errorf("hash %s: %w", rel, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileInfo{}, fmt.Errorf("hash %s: %w", rel, err)
	}
	return FileInfo{Path: rel, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Format: format}, nil
}

package vault

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
)

// MemBackend keeps objects in memory, for tests. Temps keep their bytes
// apart until Commit, like the file system backend.
type MemBackend struct {
	mu      sync.Mutex
	objects map[string][]byte
	temps   int // open temps, so that tests can check nothing leaks
}

// NewMemBackend returns an empty in-memory backend.
func NewMemBackend() *MemBackend {
	return &MemBackend{objects: map[string][]byte{}}
}

// Create implements Backend.
func (b *MemBackend) Create(ctx context.Context) (Temp, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.temps++
	return &memTemp{b: b}, nil
}

// Open implements Backend.
func (b *MemBackend) Open(ctx context.Context, name string) (Object, error) {
	data, err := b.get(name)
	if err != nil {
		return nil, err
	}
	return memObject{bytes.NewReader(data)}, nil
}

// Stat implements Backend.
func (b *MemBackend) Stat(ctx context.Context, name string) (int64, error) {
	data, err := b.get(name)
	return int64(len(data)), err
}

// get returns an object's bytes.
func (b *MemBackend) get(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.objects[name]
	if !ok {
		return nil, notFound(name)
	}
	return data, nil
}

// Delete implements Backend.
func (b *MemBackend) Delete(ctx context.Context, name string) error {
	if _, err := b.get(name); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, name)
	return nil
}

// List implements Backend.
func (b *MemBackend) List(ctx context.Context, prefix string) ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	names := []string{}
	for n := range b.objects {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Bytes returns a copy of an object's stored (encrypted) bytes, for tests.
func (b *MemBackend) Bytes(name string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.objects[name]
	return bytes.Clone(data), ok
}

// SetBytes replaces an object's stored bytes, for tampering tests.
func (b *MemBackend) SetBytes(name string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[name] = bytes.Clone(data)
}

// OpenTemps returns how many temps were created and neither committed nor
// aborted.
func (b *MemBackend) OpenTemps() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.temps
}

// memObject is an object opened for reading.
type memObject struct{ *bytes.Reader }

// Close implements io.Closer.
func (memObject) Close() error { return nil }

// memTemp is an object being written.
type memTemp struct {
	b    *MemBackend
	buf  bytes.Buffer
	done bool
}

// Write implements io.Writer.
func (t *memTemp) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Commit implements Temp.
func (t *memTemp) Commit(ctx context.Context, name string, replace bool) error {
	defer t.Abort()
	if err := checkName(name); err != nil {
		return err
	}
	t.b.mu.Lock()
	defer t.b.mu.Unlock()
	if _, ok := t.b.objects[name]; ok && !replace {
		return ErrExist
	}
	t.b.objects[name] = bytes.Clone(t.buf.Bytes())
	return nil
}

// Abort implements Temp.
func (t *memTemp) Abort() error {
	if t.done {
		return nil
	}
	t.done = true
	t.b.mu.Lock()
	t.b.temps--
	t.b.mu.Unlock()
	return nil
}

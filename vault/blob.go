package vault

import (
	"bytes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rastro/rastro"
)

// Blob is an opened evidence blob: the decrypted content as an
// io.ReadSeekCloser and io.ReaderAt. Reads decrypt and authenticate only the
// chunks they touch; a chunk that fails gives an EINVALID error naming it.
// ReadAt is safe for concurrent use; Read and Seek share one offset.
type Blob struct {
	obj     Object
	aead    cipher.AEAD
	h       *header
	name    string // "blob <sha256> of case <id>", for messages
	sum     []byte
	chunks  int64
	size    int64
	mu      sync.Mutex
	off     int64
	cached  int64 // index of the chunk in plain, -1 when none
	plain   []byte
	scratch []byte
}

// Size returns the length of the plaintext.
func (b *Blob) Size() int64 { return b.size }

// Close releases the underlying object.
func (b *Blob) Close() error { return b.obj.Close() }

// Read implements io.Reader.
func (b *Blob) Read(p []byte) (int, error) {
	b.mu.Lock()
	off := b.off
	b.mu.Unlock()
	n, err := b.ReadAt(p, off)
	b.mu.Lock()
	b.off = off + int64(n)
	b.mu.Unlock()
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek implements io.Seeker.
func (b *Blob) Seek(offset int64, whence int) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, rastro.Errorf(rastro.EINVALID, "Seek: bad whence %d.", whence)
	}
	if offset < 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "Seek: negative offset %d.", offset)
	}
	b.off = offset
	return offset, nil
}

// ReadAt implements io.ReaderAt.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "ReadAt: negative offset %d.", off)
	}
	n := 0
	for n < len(p) && off < b.size {
		i := off / int64(b.h.chunkSize)
		k, err := b.copyChunk(p[n:], i, int(off-i*int64(b.h.chunkSize)))
		n += k
		off += int64(k)
		if err != nil {
			return n, err
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// copyChunk copies plaintext of chunk i from offset within into p.
func (b *Blob) copyChunk(p []byte, i int64, within int) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cached != i {
		plain, err := b.openChunk(b.plain[:0], i)
		if err != nil {
			return 0, err
		}
		b.plain, b.cached = plain, i
	}
	return copy(p, b.plain[within:]), nil
}

// openChunk reads, decrypts and authenticates chunk i, appending the
// plaintext to dst. Callers hold b.mu (it uses b.scratch).
func (b *Blob) openChunk(dst []byte, i int64) ([]byte, error) {
	stride := int64(b.h.chunkSize + tagSize)
	length := stride
	final := i == b.chunks-1
	if final {
		length = b.size - i*int64(b.h.chunkSize) + tagSize
	}
	if cap(b.scratch) < int(length) {
		b.scratch = make([]byte, length)
	}
	ct := b.scratch[:length]
	if _, err := b.obj.ReadAt(ct, headerSize+i*stride); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("vault: read %s: chunk %d: %w", b.name, i, err)
	}
	nonce := chunkNonce(nil, uint64(i))
	plain, err := b.aead.Open(dst, nonce, ct, chunkAD(nil, b.h, uint64(i), final, b.sum))
	if err == nil {
		return plain, nil
	}
	if final {
		if _, err := b.aead.Open(nil, nonce, ct, chunkAD(nil, b.h, uint64(i), false, nil)); err == nil {
			return nil, b.corrupt("it is truncated: chunk %d of %d is not the final chunk (the chunks after it were dropped)", i, b.chunks)
		}
		return nil, b.corrupt("final chunk %d of %d fails authentication (changed, or another blob was put under this name)", i, b.chunks)
	}
	return nil, b.corrupt("chunk %d of %d fails authentication (changed, moved or swapped)", i, b.chunks)
}

// corrupt returns the EINVALID error for a damaged blob.
func (b *Blob) corrupt(format string, args ...any) error {
	return rastro.Errorf(rastro.EINVALID, "Vault %s is corrupted: %s.", b.name, fmt.Sprintf(format, args...))
}

// verify decrypts every chunk in order into w.
func (b *Blob) verify(w io.Writer) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var plain []byte
	for i := int64(0); i < b.chunks; i++ {
		var err error
		if plain, err = b.openChunk(plain[:0], i); err != nil {
			return err
		}
		w.Write(plain)
	}
	return nil
}

// equalSum reports whether a computed hash equals the blob's.
func (b *Blob) equalSum(sum []byte) bool { return bytes.Equal(sum, b.sum) }

// Package vault stores evidence content: content-addressed by SHA-256,
// encrypted at rest with per-case keys, streamed in one pass.
//
// Put reads a stream once, computing SHA-256 (the identity), MD5 and SHA-1
// (for other forensic tools and hash lists) while encrypting it in 64 KiB
// AES-256-GCM chunks (format in format.go) into a temporary object, which is
// committed under its name only when the stream ended cleanly: an interrupted
// upload leaves no visible blob.
//
// Keys are per case (Keyring), so the same file in two cases is stored twice,
// once under each case's key; within a case identical files are stored once.
// An object's name is HMAC-SHA256(case key, SHA-256 of the plaintext), not the
// SHA-256 itself, so someone holding only the disk cannot confirm that a
// known file (say, from a public hash list) is in the vault by looking for its
// hash among the file names.
package vault

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"

	"github.com/rastro/rastro"
)

// Vault is the evidence blob store of all cases.
type Vault struct {
	backend   Backend
	keys      KeyStore
	chunkSize int
	buffers   sync.Pool // *[2][]byte read blocks, reused across Puts
}

// New returns a vault over a backend and a key store.
func New(b Backend, keys KeyStore) *Vault {
	return &Vault{backend: b, keys: keys, chunkSize: DefaultChunkSize}
}

// Hashes are the digests (lowercase hex) and size of a blob's plaintext.
type Hashes struct {
	SHA256 string `json:"sha256"`
	MD5    string `json:"md5"`
	SHA1   string `json:"sha1"`
	Size   int64  `json:"size"`
}

// blockSize is how much Put reads at once; MD5 and SHA-1 of a block run on
// other goroutines while SHA-256 and encryption run on the caller's.
const blockSize = 1 << 20

// parallelMin is the block length below which all hashes run on the
// caller's goroutine: for small files, starting goroutines costs more than it
// saves.
const parallelMin = 256 << 10

// objectName is the backend name of a case's blob.
func objectName(caseID int64, caseKey []byte, sum []byte) string {
	m := hmac.New(sha256.New, caseKey)
	m.Write([]byte("rastro blob name v1"))
	m.Write(sum)
	h := hex.EncodeToString(m.Sum(nil))
	return fmt.Sprintf("blobs/case-%d/%s/%s", caseID, h[:2], h)
}

// Put stores the content of r in the case's vault and returns its hashes.
// created is false when the case already held the same content (nothing new
// is stored). If r fails, ctx ends or the backend fails, nothing is stored.
func (v *Vault) Put(ctx context.Context, caseID int64, r io.Reader) (h Hashes, created bool, err error) {
	key, err := v.keys.CaseKey(ctx, caseID, true)
	if err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	tmp, err := v.backend.Create(ctx)
	if err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	defer tmp.Abort()
	s, err := newSealer(tmp, key, newHeader(caseID, key, v.chunkSize))
	if err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	h, sum, err := v.stream(ctx, r, s)
	if err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	if err := s.Close(sum); err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	err = tmp.Commit(ctx, objectName(caseID, key, sum), false)
	if errors.Is(err, ErrExist) {
		return h, false, nil
	} else if err != nil {
		return Hashes{}, false, fmt.Errorf("vault: put: %w", err)
	}
	return h, true, nil
}

// stream copies r into the sealer block by block, hashing on the way.
func (v *Vault) stream(ctx context.Context, r io.Reader, s *sealer) (Hashes, []byte, error) {
	s256, m5, s1 := sha256.New(), md5.New(), sha1.New()
	bufs, _ := v.buffers.Get().(*[2][]byte)
	if bufs == nil {
		bufs = &[2][]byte{make([]byte, blockSize), make([]byte, blockSize)}
	}
	defer v.buffers.Put(bufs)
	var size int64
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return Hashes{}, nil, err
		}
		buf := bufs[i%2]
		n, rerr := io.ReadFull(r, buf)
		wg.Wait() // the other buffer's side hashes are done
		if n > 0 {
			size += int64(n)
			block := buf[:n]
			if n < parallelMin {
				m5.Write(block)
				s1.Write(block)
			} else {
				wg.Add(2)
				go hashBlock(&wg, m5, block)
				go hashBlock(&wg, s1, block)
			}
			s256.Write(block)
			if _, err := s.Write(block); err != nil {
				return Hashes{}, nil, err
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		} else if rerr != nil {
			return Hashes{}, nil, fmt.Errorf("read: %w", rerr)
		}
	}
	wg.Wait()
	sum := s256.Sum(nil)
	return Hashes{SHA256: hex.EncodeToString(sum), MD5: hex.EncodeToString(m5.Sum(nil)),
		SHA1: hex.EncodeToString(s1.Sum(nil)), Size: size}, sum, nil
}

// hashBlock feeds one block to a hash.
func hashBlock(wg *sync.WaitGroup, h hash.Hash, block []byte) {
	defer wg.Done()
	h.Write(block)
}

// parseSum checks and decodes a SHA-256 given as hex.
func parseSum(s string) ([]byte, error) {
	sum, err := hex.DecodeString(strings.ToLower(strings.TrimSpace(s)))
	if err != nil || len(sum) != sha256.Size {
		return nil, rastro.Errorf(rastro.EINVALID, "%q is not a SHA-256 (64 hexadecimal characters).", s)
	}
	return sum, nil
}

// locate returns the case key and object name of a blob.
func (v *Vault) locate(ctx context.Context, caseID int64, sha string) ([]byte, []byte, string, error) {
	sum, err := parseSum(sha)
	if err != nil {
		return nil, nil, "", err
	}
	key, err := v.keys.CaseKey(ctx, caseID, false)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return nil, nil, "", blobNotFound(caseID, sum)
	} else if err != nil {
		return nil, nil, "", err
	}
	return key, sum, objectName(caseID, key, sum), nil
}

// blobNotFound is the ENOTFOUND error of a blob.
func blobNotFound(caseID int64, sum []byte) error {
	return rastro.Errorf(rastro.ENOTFOUND, "Blob %x is not in the vault of case %d.", sum, caseID)
}

// Exists reports whether the case's vault holds the content with this
// SHA-256.
func (v *Vault) Exists(ctx context.Context, caseID int64, sha string) (bool, error) {
	_, _, name, err := v.locate(ctx, caseID, sha)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("vault: exists: %w", err)
	}
	_, err = v.backend.Stat(ctx, name)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("vault: exists: %w", err)
	}
	return true, nil
}

// Open opens a blob for reading. It checks the header and authenticates the
// final chunk (which binds the SHA-256 and the length), so a truncated,
// swapped or foreign blob fails here with EINVALID; ENOTFOUND if absent.
func (v *Vault) Open(ctx context.Context, caseID int64, sha string) (*Blob, error) {
	key, sum, name, err := v.locate(ctx, caseID, sha)
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	obj, err := v.backend.Open(ctx, name)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return nil, fmt.Errorf("vault: open: %w", blobNotFound(caseID, sum))
	} else if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	b, err := openBlob(obj, caseID, key, sum)
	if err != nil {
		obj.Close()
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	return b, nil
}

// openBlob parses the header and checks the final chunk.
func openBlob(obj Object, caseID int64, key, sum []byte) (*Blob, error) {
	b := &Blob{obj: obj, sum: sum, cached: -1, name: fmt.Sprintf("blob %x of case %d", sum, caseID)}
	raw := make([]byte, headerSize)
	n, err := obj.ReadAt(raw, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", b.name, err)
	}
	if b.h, err = parseHeader(raw[:n], caseID, key); err != nil {
		return nil, b.corrupt("%v", err)
	}
	var ok bool
	if b.chunks, b.size, ok = layout(obj.Size(), b.h.chunkSize); !ok {
		return nil, b.corrupt("it is truncated: %d bytes is not a whole number of chunks", obj.Size())
	}
	if b.aead, err = blobAEAD(key, b.h); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.plain, err = b.openChunk(nil, b.chunks-1); err != nil {
		return nil, err
	}
	b.cached = b.chunks - 1
	return b, nil
}

// Verify decrypts the whole blob, authenticating every chunk, and recomputes
// its SHA-256. It returns nil when the blob is intact, ENOTFOUND when it is
// absent, and EINVALID naming the failing chunk when it is corrupted.
func (v *Vault) Verify(ctx context.Context, caseID int64, sha string) error {
	b, err := v.Open(ctx, caseID, sha)
	if err != nil {
		return err
	}
	defer b.Close()
	h := sha256.New()
	if err := b.verify(h); err != nil {
		return fmt.Errorf("vault: verify: %w", err)
	}
	if !b.equalSum(h.Sum(nil)) {
		return fmt.Errorf("vault: verify: %w", b.corrupt("its content hashes to %x", h.Sum(nil)))
	}
	return nil
}

// Delete removes a blob from the case's vault (after a granted deletion
// request; originals are otherwise immutable). ENOTFOUND if absent. Deleting
// the case key file instead (keys/case-<id>.json) makes every blob of the
// case unreadable at once: crypto-shredding for a whole case.
func (v *Vault) Delete(ctx context.Context, caseID int64, sha string) error {
	_, sum, name, err := v.locate(ctx, caseID, sha)
	if err != nil {
		return fmt.Errorf("vault: delete: %w", err)
	}
	err = v.backend.Delete(ctx, name)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		return fmt.Errorf("vault: delete: %w", blobNotFound(caseID, sum))
	} else if err != nil {
		return fmt.Errorf("vault: delete: %w", err)
	}
	return nil
}

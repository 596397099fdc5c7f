package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
)

// Layout of a stored blob (vault/format.go), to aim the tampering.
const (
	headerSize = 60
	stride     = vault.DefaultChunkSize + 16
)

// newVault returns a vault over the fixture's backend with a fresh master key.
func newVault(tb testing.TB, b vault.Backend, master []byte) *vault.Vault {
	tb.Helper()
	kr, err := vault.NewKeyring(b, master)
	if err != nil {
		tb.Fatal(err)
	}
	return vault.New(b, kr)
}

// randomKey returns a fresh 32-byte key.
func randomKey() []byte {
	k := make([]byte, vault.KeySize)
	rand.Read(k)
	return k
}

// content returns n deterministic pseudo-random bytes.
func content(n int, seed byte) []byte {
	p := make([]byte, n)
	mrand.NewChaCha8([32]byte{seed}).Read(p)
	return p
}

func TestVaultRoundTripAndTampering(t *testing.T) {
	tests := []struct {
		name string
		size int
	}{
		{"one PUT", 3<<20 + 123},             // under PartSize (5 MiB in tests)
		{"multipart and copy", 12<<20 + 777}, // three parts
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "rastro", false)
			ctx := t.Context()
			v := newVault(t, f.b, randomKey())
			data := content(tt.size, 1)
			h, created, err := v.Put(ctx, 1, bytes.NewReader(data))
			if err != nil || !created {
				t.Fatalf("Put: created=%v err=%v", created, err)
			}
			if sum := sha256.Sum256(data); h.SHA256 != hex.EncodeToString(sum[:]) || h.Size != int64(tt.size) {
				t.Fatalf("Put hashes = %+v, want SHA-256 %x and size %d", h, sum, tt.size)
			}
			checkReadBack(t, v, 1, h.SHA256, data)
			if err := v.Verify(ctx, 1, h.SHA256); err != nil {
				t.Fatalf("Verify of an intact blob: %v", err)
			}
			keys := f.rawKeys(t)
			if !slices.Contains(keys, "rastro/keys/case-1.json") || len(keys) != 2 {
				t.Fatalf("bucket = %v, want the blob and the wrapped case key", keys)
			}
			blob := keys[0]
			f.flipByte(t, blob, headerSize+stride+100) // in chunk 1
			err = v.Verify(ctx, 1, h.SHA256)
			if rastro.ErrorCode(err) != rastro.EINVALID || !strings.Contains(err.Error(), "chunk 1 of") || !strings.Contains(err.Error(), h.SHA256) {
				t.Fatalf("Verify after flipping a byte of chunk 1: %v; want invalid, naming the blob and chunk 1", err)
			}
		})
	}
}

// checkReadBack reads a blob whole and at random offsets.
func checkReadBack(t *testing.T, v *vault.Vault, caseID int64, sha string, data []byte) {
	t.Helper()
	blob, err := v.Open(t.Context(), caseID, sha)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	got, err := io.ReadAll(blob)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d put", len(got), err, len(data))
	}
	r := mrand.New(mrand.NewPCG(1, 2))
	for range 20 {
		off, n := r.IntN(len(data)), r.IntN(3*vault.DefaultChunkSize)
		p := make([]byte, n)
		k, err := blob.ReadAt(p, int64(off))
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("ReadAt(%d, %d): %v", off, n, err)
		}
		if !bytes.Equal(p[:k], data[off:off+k]) {
			t.Fatalf("ReadAt(%d, %d) differs from the plaintext", off, n)
		}
	}
}

// flipByte changes one byte of an object through the S3 API.
func (f *fixture) flipByte(tb testing.TB, key string, off int) {
	tb.Helper()
	ctx := context.Background()
	obj, err := f.raw.GetObject(ctx, testBucket, key, minio.GetObjectOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	stored, err := io.ReadAll(obj)
	obj.Close()
	if err != nil {
		tb.Fatal(err)
	}
	stored[off] ^= 1
	if _, err := f.raw.PutObject(ctx, testBucket, key, bytes.NewReader(stored), int64(len(stored)), minio.PutObjectOptions{DisableMultipart: true}); err != nil {
		tb.Fatal(err)
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("connection reset by the uploader")
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

func TestInterruptedPutLeavesNoBlob(t *testing.T) {
	for _, n := range []int{1 << 20, 11 << 20} { // in memory, and mid multipart upload
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFixture(t, "", false)
			v := newVault(t, f.b, randomKey())
			if _, _, err := v.Put(t.Context(), 1, &failingReader{n: n}); err == nil {
				t.Fatal("Put of a failing stream succeeded")
			}
			if keys := f.rawKeys(t); !slices.Equal(keys, []string{"keys/case-1.json"}) {
				t.Errorf("bucket = %v, want only the case key", keys)
			}
			ups, err := f.b.incompleteUploads(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(ups) != 0 {
				t.Errorf("%d incomplete multipart uploads left, want 0", len(ups))
			}
		})
	}
}

func TestTwoNodesShareOneVault(t *testing.T) {
	f := newFixture(t, "", false)
	ctx := t.Context()
	other, err := New(ctx, Config{Endpoint: f.endpoint, Bucket: testBucket, AccessKey: "test", SecretKey: "test", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	master := randomKey()
	a, b := newVault(t, f.b, master), newVault(t, other, master)
	data := content(200_000, 2)
	h, _, err := a.Put(ctx, 7, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, created, err := b.Put(ctx, 7, bytes.NewReader(data)); err != nil || created {
		t.Errorf("second node's Put of the same file: created=%v err=%v, want deduplicated", created, err)
	}
	checkReadBack(t, b, 7, h.SHA256, data)
}

func TestDeleteCaseKeyShredsCase(t *testing.T) {
	f := newFixture(t, "", false)
	ctx := t.Context()
	master := randomKey()
	v := newVault(t, f.b, master)
	h, _, err := v.Put(ctx, 3, bytes.NewReader([]byte("chat export of a person of interest")))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.b.Delete(ctx, "keys/case-3.json"); err != nil {
		t.Fatal(err)
	}
	fresh := newVault(t, f.b, master) // no cached key
	if _, err := fresh.Open(ctx, 3, h.SHA256); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("Open after deleting the case key: %v, want not_found", err)
	}
}

package vault_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
)

const chunk = vault.DefaultChunkSize

// fixture is a vault over an in-memory backend.
type fixture struct {
	v      *vault.Vault
	b      *vault.MemBackend
	master []byte
}

// newFixture returns an empty vault with a random master key.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{b: vault.NewMemBackend(), master: randomKey()}
	f.v = vault.New(f.b, mustKeyring(t, f.b, f.master))
	return f
}

// randomKey returns a fresh 32-byte key.
func randomKey() []byte {
	k := make([]byte, vault.KeySize)
	rand.Read(k)
	return k
}

// mustKeyring returns a keyring or fails.
func mustKeyring(t testing.TB, b vault.Backend, master []byte) *vault.Keyring {
	t.Helper()
	k, err := vault.NewKeyring(b, master)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// content returns n deterministic pseudo-random bytes.
func content(n int, seed uint64) []byte {
	r := mrand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	p := make([]byte, n)
	r.Read(p)
	return p
}

// put stores data in case 1 and checks the hashes.
func (f *fixture) put(t testing.TB, caseID int64, data []byte) vault.Hashes {
	t.Helper()
	h, _, err := f.v.Put(t.Context(), caseID, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// onlyBlob returns the name of the single blob in the backend.
func (f *fixture) onlyBlob(t testing.TB) string {
	t.Helper()
	names, err := f.b.List(t.Context(), "blobs/")
	if err != nil || len(names) != 1 {
		t.Fatalf("blobs = %v, %v; want exactly one", names, err)
	}
	return names[0]
}

// wantHashes computes the expected hashes of data.
func wantHashes(data []byte) vault.Hashes {
	s256, m5, s1 := sha256.Sum256(data), md5.Sum(data), sha1.Sum(data)
	return vault.Hashes{SHA256: hex.EncodeToString(s256[:]), MD5: hex.EncodeToString(m5[:]),
		SHA1: hex.EncodeToString(s1[:]), Size: int64(len(data))}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		size int
	}{
		{"empty", 0}, {"one byte", 1}, {"chunk-1", chunk - 1}, {"chunk", chunk}, {"chunk+1", chunk + 1},
		{"three chunks", 3 * chunk}, {"several MB", 5<<20 + 12345},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			data := content(tt.size, uint64(tt.size))
			h, created, err := f.v.Put(t.Context(), 1, bytes.NewReader(data))
			if err != nil || !created {
				t.Fatalf("Put: created=%v err=%v", created, err)
			}
			if diff := cmp.Diff(wantHashes(data), h); diff != "" {
				t.Errorf("hashes (-want +got):\n%s", diff)
			}
			b, err := f.v.Open(t.Context(), 1, h.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			got, err := io.ReadAll(b)
			if err != nil || !bytes.Equal(got, data) || b.Size() != int64(len(data)) {
				t.Fatalf("read back %d bytes (size %d, err %v), want %d equal bytes", len(got), b.Size(), err, len(data))
			}
			if err := f.v.Verify(t.Context(), 1, h.SHA256); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func TestRandomAccess(t *testing.T) {
	f := newFixture(t)
	data := content(4*chunk+777, 9)
	h := f.put(t, 1, data)
	b, err := f.v.Open(t.Context(), 1, h.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	r := mrand.New(mrand.NewPCG(1, 2))
	for range 200 {
		off := r.Int64N(int64(len(data)))
		n := r.IntN(3 * chunk)
		want := data[off:min(int(off)+n, len(data))]
		got := make([]byte, n)
		k, err := b.ReadAt(got, off)
		if !bytes.Equal(got[:k], want) || (k < n) != errors.Is(err, io.EOF) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d bytes, %v; want %d bytes", n, off, k, err, len(want))
		}
		if _, err := b.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, err = io.ReadAll(io.LimitReader(b, int64(n)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Seek(%d)+Read(%d) differs from the plaintext (err %v)", off, n, err)
		}
	}
}

func TestTamperingIsDetectedAndNamed(t *testing.T) {
	const header = 60
	stride := chunk + 16
	tests := []struct {
		name   string
		tamper func([]byte) []byte
		want   string // in the error message
	}{
		{"flip magic", func(p []byte) []byte { p[0] ^= 1; return p }, "no Rastro vault magic"},
		{"flip version", func(p []byte) []byte { p[4] = 9; return p }, "format version 9"},
		{"flip salt", func(p []byte) []byte { p[30] ^= 1; return p }, "header fails authentication"},
		{"flip case id", func(p []byte) []byte { p[19] ^= 1; return p }, "header says case"},
		{"flip byte in chunk 1", func(p []byte) []byte { p[header+stride+100] ^= 1; return p }, "chunk 1 of 4 fails"},
		{"flip byte in last chunk", func(p []byte) []byte { p[len(p)-1] ^= 1; return p }, "final chunk 3 of 4"},
		{"truncate mid chunk", func(p []byte) []byte { return p[:len(p)-3] }, "final chunk 3 of 4"},
		{"truncate into a tag", func(p []byte) []byte { return p[:header+3*stride+5] }, "not a whole number of chunks"},
		{"drop last chunk", func(p []byte) []byte { return p[:header+3*stride] }, "truncated: chunk 2 of 3 is not the final chunk"},
		{"swap chunks 0 and 1", func(p []byte) []byte {
			c0 := bytes.Clone(p[header : header+stride])
			copy(p[header:], p[header+stride:header+2*stride])
			copy(p[header+stride:], c0)
			return p
		}, "chunk 0 of 4 fails"},
		{"header only", func(p []byte) []byte { return p[:header] }, "not a whole number of chunks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			h := f.put(t, 1, content(3*chunk+500, 3))
			name := f.onlyBlob(t)
			stored, _ := f.b.Bytes(name)
			f.b.SetBytes(name, tt.tamper(stored))
			err := f.v.Verify(t.Context(), 1, h.SHA256)
			if rastro.ErrorCode(err) != rastro.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Verify: %v; want invalid, naming %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), h.SHA256) {
				t.Errorf("error %q does not name the blob", err)
			}
		})
	}
}

func TestBlobPutUnderAnotherNameIsDetected(t *testing.T) {
	f := newFixture(t)
	a, b := f.put(t, 1, []byte("first item")), f.put(t, 1, []byte("second item"))
	names, _ := f.b.List(t.Context(), "blobs/")
	if len(names) != 2 {
		t.Fatalf("blobs = %v", names)
	}
	// Overwrite each with the other: whichever name belongs to a, it now holds b.
	x, _ := f.b.Bytes(names[0])
	y, _ := f.b.Bytes(names[1])
	f.b.SetBytes(names[0], y)
	f.b.SetBytes(names[1], x)
	for _, sha := range []string{a.SHA256, b.SHA256} {
		if _, err := f.v.Open(t.Context(), 1, sha); rastro.ErrorCode(err) != rastro.EINVALID {
			t.Errorf("Open(%s) of a swapped blob: %v, want invalid", sha[:8], err)
		}
	}
}

func TestWrongMasterKeyFailsCleanly(t *testing.T) {
	f := newFixture(t)
	h := f.put(t, 1, []byte("some evidence"))
	other := vault.New(f.b, mustKeyring(t, f.b, randomKey()))
	_, err := other.Open(t.Context(), 1, h.SHA256)
	if err == nil || !strings.Contains(err.Error(), "wrapped by master key "+vault.KeyID(f.master)) {
		t.Fatalf("Open with the wrong master key: %v; want a message naming the wrapping key", err)
	}
	if _, _, err := other.Put(t.Context(), 1, strings.NewReader("more")); err == nil {
		t.Error("Put with the wrong master key succeeded")
	}
}

func TestRotateKeepsBlobsReadable(t *testing.T) {
	f := newFixture(t)
	h1, h2 := f.put(t, 1, content(chunk+9, 1)), f.put(t, 2, []byte("case two"))
	before := snapshotBlobs(t, f.b)
	newMaster := randomKey()
	n, err := vault.Rotate(t.Context(), f.b, f.master, newMaster)
	if err != nil || n != 2 {
		t.Fatalf("Rotate = %d, %v; want 2 keys", n, err)
	}
	if diff := cmp.Diff(before, snapshotBlobs(t, f.b)); diff != "" {
		t.Errorf("rotation changed blobs")
	}
	rotated := vault.New(f.b, mustKeyring(t, f.b, newMaster))
	for _, x := range []struct {
		caseID int64
		sha    string
	}{{1, h1.SHA256}, {2, h2.SHA256}} {
		if err := rotated.Verify(t.Context(), x.caseID, x.sha); err != nil {
			t.Errorf("after rotation, case %d: %v", x.caseID, err)
		}
		stale := vault.New(f.b, mustKeyring(t, f.b, f.master))
		if _, err := stale.Open(t.Context(), x.caseID, x.sha); err == nil {
			t.Errorf("the old master key still opens case %d", x.caseID)
		}
	}
	if n, err := vault.Rotate(t.Context(), f.b, f.master, newMaster); err != nil || n != 0 {
		t.Errorf("second Rotate = %d, %v; want 0 (already rotated)", n, err)
	}
}

// snapshotBlobs returns every stored blob's bytes by name.
func snapshotBlobs(t testing.TB, b *vault.MemBackend) map[string][]byte {
	t.Helper()
	names, _ := b.List(t.Context(), "blobs/")
	m := map[string][]byte{}
	for _, n := range names {
		m[n], _ = b.Bytes(n)
	}
	return m
}

func TestDedupe(t *testing.T) {
	f := newFixture(t)
	data := []byte("the same chat export")
	_, created1, _ := f.v.Put(t.Context(), 1, bytes.NewReader(data))
	h, created2, err := f.v.Put(t.Context(), 1, bytes.NewReader(data))
	if err != nil || !created1 || created2 {
		t.Fatalf("created = %v then %v (err %v); want true then false", created1, created2, err)
	}
	if names, _ := f.b.List(t.Context(), "blobs/"); len(names) != 1 {
		t.Errorf("case 1 holds %d blobs, want 1", len(names))
	}
	if _, created, _ := f.v.Put(t.Context(), 2, bytes.NewReader(data)); !created {
		t.Error("the same content in another case was not stored for that case")
	}
	if names, _ := f.b.List(t.Context(), "blobs/case-2/"); len(names) != 1 {
		t.Errorf("case 2 holds %v, want one blob", names)
	}
	if ok, err := f.v.Exists(t.Context(), 2, h.SHA256); !ok || err != nil {
		t.Errorf("Exists in case 2 = %v, %v", ok, err)
	}
	if f.b.OpenTemps() != 0 {
		t.Errorf("%d temps left open", f.b.OpenTemps())
	}
}

// failingReader returns n bytes, then an error.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("device unplugged")
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestFailedPutLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	b, err := vault.NewFSBackend(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(b, mustKeyring(t, b, randomKey()))
	_, _, err = v.Put(t.Context(), 1, &failingReader{n: 3<<20 + 5})
	if err == nil || !strings.Contains(err.Error(), "device unplugged") {
		t.Fatalf("Put of a failing reader: %v, want the reader's error", err)
	}
	if names, _ := b.List(t.Context(), "blobs/"); len(names) != 0 {
		t.Errorf("blobs after a failed Put: %v", names)
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Errorf("%d temp files left after a failed Put", len(tmp))
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := v.Put(ctx, 1, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}
}

func TestDiskRevealsNoPlaintext(t *testing.T) {
	dir := t.TempDir()
	b, err := vault.NewFSBackend(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(b, mustKeyring(t, b, randomKey()))
	marker := "Meet at the bus station at 21:00, bring the passports"
	data := []byte(strings.Repeat(marker+"\n", 5000))
	h, _, err := v.Put(t.Context(), 7, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := hex.DecodeString(h.SHA256)
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		raw, _ := os.ReadFile(p)
		for _, leak := range [][]byte{[]byte(marker), []byte("bus station"), []byte(h.SHA256), sum, []byte(h.MD5)} {
			if bytes.Contains(raw, leak) || strings.Contains(p, h.SHA256) || strings.Contains(p, h.SHA256[:16]) {
				t.Errorf("%s reveals %q", p, leak)
			}
		}
		return nil
	})
}

func TestNotFoundAndBadHash(t *testing.T) {
	f := newFixture(t)
	h := f.put(t, 1, []byte("x"))
	missing := strings.Repeat("ab", 32)
	tests := []struct {
		name   string
		caseID int64
		sha    string
		code   string
	}{
		{"unknown hash", 1, missing, rastro.ENOTFOUND},
		{"case without key", 9, h.SHA256, rastro.ENOTFOUND},
		{"not a hash", 1, "abc", rastro.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.v.Open(t.Context(), tt.caseID, tt.sha)
			if got := rastro.ErrorCode(err); got != tt.code {
				t.Errorf("Open: code %q (%v), want %q", got, err, tt.code)
			}
			if ok, _ := f.v.Exists(t.Context(), tt.caseID, tt.sha); ok {
				t.Error("Exists = true")
			}
		})
	}
}

func TestLoadMasterKey(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	k1, src, err := vault.LoadMasterKey(dir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(src)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: mode %v, err %v; want 0600", src, fi.Mode().Perm(), err)
	}
	k2, _, err := vault.LoadMasterKey(dir, noEnv)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second load gave another key (err %v)", err)
	}
	envKey := randomKey()
	env := func(string) string { return base64.StdEncoding.EncodeToString(envKey) }
	k3, src, err := vault.LoadMasterKey(dir, env)
	if err != nil || !bytes.Equal(k3, envKey) || src != vault.MasterKeyEnv {
		t.Errorf("the environment key did not win: src %q, err %v", src, err)
	}
	if _, _, err := vault.LoadMasterKey(dir, func(string) string { return "short" }); rastro.ErrorCode(err) != rastro.EINVALID {
		t.Errorf("a bad environment key: %v, want invalid", err)
	}
	os.Chmod(filepath.Join(dir, vault.MasterKeyFile), 0o644)
	if _, _, err := vault.LoadMasterKey(dir, noEnv); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable key file: %v, want a refusal", err)
	}
}

func TestConcurrentNodesAgreeOnCaseKey(t *testing.T) {
	b := vault.NewMemBackend()
	master := randomKey()
	// Two nodes (two keyrings, two vaults) share one backend and start
	// storing into a new case at once: both must end up with the same case
	// key, or one node's blobs would be unreadable.
	nodes := []*vault.Vault{vault.New(b, mustKeyring(t, b, master)), vault.New(b, mustKeyring(t, b, master))}
	data := content(3*chunk, 5)
	type res struct {
		h       vault.Hashes
		created bool
		err     error
	}
	out := make(chan res, 8)
	for i := range 8 {
		go func() {
			h, created, err := nodes[i%2].Put(t.Context(), 3, bytes.NewReader(data))
			out <- res{h, created, err}
		}()
	}
	created := 0
	for range 8 {
		r := <-out
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.created {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d Puts of the same content say they created it, want 1", created)
	}
	fresh := vault.New(b, mustKeyring(t, b, master))
	if err := fresh.Verify(t.Context(), 3, wantHashes(data).SHA256); err != nil {
		t.Errorf("a third node cannot read the blob: %v", err)
	}
}

func TestDelete(t *testing.T) {
	f := newFixture(t)
	keep, gone := f.put(t, 1, []byte("keep")), f.put(t, 1, []byte("delete me"))
	if err := f.v.Delete(t.Context(), 1, gone.SHA256); err != nil {
		t.Fatal(err)
	}
	if ok, _ := f.v.Exists(t.Context(), 1, gone.SHA256); ok {
		t.Error("the deleted blob still exists")
	}
	if err := f.v.Verify(t.Context(), 1, keep.SHA256); err != nil {
		t.Errorf("the other blob: %v", err)
	}
	if err := f.v.Delete(t.Context(), 1, gone.SHA256); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("second Delete: %v, want not_found", err)
	}
}

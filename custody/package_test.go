package custody

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
)

// fakeSource is a PackageSource over an in-memory log: three items of case
// 7 (the last hashes only) and events of another case interleaved.
type fakeSource struct {
	cs       *rastro.Case
	items    []Item
	blobs    map[string][]byte
	events   []*rastro.CustodyEvent // of the selected items
	hashes   [][]byte               // the whole log
	cp       *rastro.Checkpoint
	keys     *Keys
	override map[string][]byte // sha256 → bytes the "vault" returns instead
}

func (s *fakeSource) Case(context.Context) (*rastro.Case, error) { return s.cs, nil }
func (s *fakeSource) Items(context.Context) ([]Item, error)      { return s.items, nil }
func (s *fakeSource) Open(_ context.Context, e *rastro.Evidence) (io.ReadCloser, error) {
	b := s.blobs[e.SHA256]
	if o, ok := s.override[e.SHA256]; ok {
		b = o
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
func (s *fakeSource) Events(context.Context) ([]*rastro.CustodyEvent, error) { return s.events, nil }
func (s *fakeSource) Checkpoint(context.Context) (*rastro.Checkpoint, error) {
	cp := *s.cp
	return &cp, nil
}
func (s *fakeSource) LeafHashes(_ context.Context, size int64) ([][]byte, error) {
	return s.hashes[:size], nil
}
func (s *fakeSource) VerifierKey(context.Context) (string, error) { return s.keys.VerifierKey, nil }

// newFakeSource builds the log, signs a checkpoint over it and returns the
// source.
func newFakeSource(t testing.TB) *fakeSource {
	t.Helper()
	keys, err := LoadOrCreateKeys(t.TempDir(), "rastro.test/custody")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSource{cs: &rastro.Case{ID: 7, Title: "Operación Ficticia", Jurisdiction: "MX"}, blobs: map[string][]byte{}, keys: keys}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i, name := range []string{"chat-export.txt", "ledger.csv", "photo-0001.jpg"} {
		body := fmt.Appendf(nil, "fictional content of %s\n", name)
		sum := sha256.Sum256(body)
		e := &rastro.Evidence{ID: int64(i + 1), CaseID: 7, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)),
			MediaType: "text/plain", OriginalName: name, Source: "seizure", ExhibitNo: fmt.Sprintf("EX-%d", i+1), AcquiredAt: at}
		s.blobs[e.SHA256] = body
		s.items = append(s.items, Item{Evidence: e, HashesOnly: i == 2})
	}
	actions := []rastro.CustodyAction{rastro.CustodyAcquire, rastro.CustodyParse, rastro.CustodyView, rastro.CustodyExport}
	seq := int64(0)
	for round, action := range actions {
		for _, it := range s.items {
			s.appendEvent(t, &rastro.CustodyEvent{CaseID: 7, EvidenceID: it.Evidence.ID, EvidenceSHA256: it.Evidence.SHA256,
				Action: action, UserID: 3, Username: "ines", Time: at.Add(time.Duration(seq) * time.Minute),
				Tool: "rastro", ToolVersion: "0.1.0", Details: json.RawMessage(fmt.Sprintf(`{"round":%d}`, round))}, &seq, true)
			// An event of another case, whose leaf only the hashes reveal.
			s.appendEvent(t, &rastro.CustodyEvent{CaseID: 8, EvidenceID: 99, EvidenceSHA256: strings.Repeat("0", 64),
				Action: rastro.CustodyView, Username: "otto", Time: at, Tool: "rastro"}, &seq, false)
		}
	}
	tree, _ := NewTree(s.hashes)
	s.cp, err = SignCheckpoint(rastro.TreeHead{Size: seq, RootHash: tree.Root()}, keys.Signer)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(s.cp.Note))
	s.cp.Timestamp = fakeResponse(t, false, messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
		HashedMessage: digest[:]}, big.NewInt(42), at.Add(24*time.Hour))
	return s
}

// appendEvent adds an event to the log.
func (s *fakeSource) appendEvent(t testing.TB, ev *rastro.CustodyEvent, seq *int64, selected bool) {
	t.Helper()
	ev.Seq = *seq
	*seq++
	leaf, err := EncodeLeaf(ev)
	if err != nil {
		t.Fatal(err)
	}
	ev.Leaf, ev.LeafHash = leaf, LeafHash(leaf)
	s.hashes = append(s.hashes, ev.LeafHash)
	if selected {
		s.events = append(s.events, ev)
	}
}

var testOpts = WriteOptions{Tool: "rastro", ToolVersion: "0.1.0-test", Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}

// writeDir writes the fake source's package into a new directory.
func writeDir(t testing.TB, src PackageSource) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pkg")
	if err := WritePackageDir(t.Context(), dir, src, testOpts); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeZip writes the fake source's package as a zip file.
func writeZip(t testing.TB, src PackageSource) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePackage(t.Context(), &buf, src, testOpts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pkg.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPackageVerifies(t *testing.T) {
	src := newFakeSource(t)
	for name, path := range map[string]string{"zip": writeZip(t, src), "dir": writeDir(t, src)} {
		t.Run(name, func(t *testing.T) {
			r, err := VerifyPackage(path, src.keys.VerifierKey)
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK() || !r.KeyPinned || r.Items != 3 || r.Originals != 2 || r.HashesOnly != 1 || r.Events != 12 ||
				r.TreeSize != 24 || r.Origin != "rastro.test/custody" || r.Case.Title != "Operación Ficticia" ||
				r.TimestampTime.IsZero() {
				t.Errorf("report = %+v", r)
			}
			var text strings.Builder
			r.WriteText(&text)
			if !strings.Contains(text.String(), "VERIFIED") || !strings.Contains(text.String(), "(pinned)") {
				t.Errorf("text report:\n%s", text.String())
			}
			r, err = VerifyPackage(path)
			if err != nil || r.KeyPinned {
				t.Errorf("without a pinned key: %v, pinned=%v", err, r.KeyPinned)
			}
		})
	}
	dir := writeDir(t, src)
	if _, err := os.Stat(filepath.Join(dir, OriginalsDir+src.items[2].Evidence.SHA256)); err == nil {
		t.Error("the hashes-only item's original was copied")
	}
}

// problemNames reports whether some problem names the file or the event.
func problemNames(err error, file string, seqs ...int64) bool {
	var ve *VerifyError
	if !errors.As(err, &ve) {
		return false
	}
	for _, p := range ve.Problems {
		if p.File == file || strings.Contains(p.Message, file) {
			return true
		}
		for _, s := range seqs {
			if p.Seq == s {
				return true
			}
		}
	}
	return false
}

// flip returns b with one byte inverted in its lowest bit.
func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

// positions returns the byte offsets to flip in a file of n bytes: the
// first, the last and a spread in between.
func positions(n int) []int {
	if n <= 16 {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := []int{0, n - 1}
	for i := 1; i < 8; i++ {
		out = append(out, i*n/8)
	}
	return out
}

// TestFlipEveryFileDir flips single bytes of every file of a directory
// package, in turn, and requires verification to fail naming that file.
func TestFlipEveryFileDir(t *testing.T) {
	src := newFakeSource(t)
	dir := writeDir(t, src)
	p, err := OpenPackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := p.Files()
	p.Close()
	if len(files) < 9 {
		t.Fatalf("package has %d files: %v", len(files), files)
	}
	for _, name := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range positions(len(orig)) {
			if err := os.WriteFile(path, flip(orig, i), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyPackage(dir, src.keys.VerifierKey)
			if !problemNames(err, name) {
				t.Errorf("flipping byte %d of %s: got %v, want a problem naming it", i, name, err)
			}
		}
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := VerifyPackage(dir, src.keys.VerifierKey); err != nil {
		t.Fatalf("restored package: %v", err)
	}
}

// TestFlipEveryFileZip does the same inside a zip archive, rewriting the
// archive so that its own checksums stay valid, and also flips raw bytes of
// the archive.
func TestFlipEveryFileZip(t *testing.T) {
	src := newFakeSource(t)
	path := writeZip(t, src)
	raw, _ := os.ReadFile(path)
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		body := readZipEntry(t, f)
		for _, i := range positions(len(body)) {
			out := filepath.Join(t.TempDir(), "tampered.zip")
			rewriteZip(t, zr, out, f.Name, flip(body, i))
			_, err := VerifyPackage(out, src.keys.VerifierKey)
			if !problemNames(err, f.Name) {
				t.Errorf("flipping byte %d of %s: got %v, want a problem naming it", i, f.Name, err)
			}
		}
	}
	for _, i := range positions(len(raw)) {
		out := filepath.Join(t.TempDir(), "raw.zip")
		os.WriteFile(out, flip(raw, i), 0o644)
		if _, err := VerifyPackage(out, src.keys.VerifierKey); err == nil && !sameEntries(t, raw, flip(raw, i)) {
			t.Errorf("flipping byte %d of the archive changed a file, yet verification passed", i)
		}
	}
}

// readZipEntry returns an entry's bytes.
func readZipEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rewriteZip copies zr to path with one entry's body replaced.
func rewriteZip(t *testing.T, zr *zip.Reader, path, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		b := body
		if f.Name != name {
			b = readZipEntry(t, f)
		}
		w.Write(b)
	}
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestResignedPackage forges a package: changed event, recomputed proofs
// and manifest, re-signed with the forger's key. It verifies against its
// own key, which is why the verifier pins the agency's key.
func TestResignedPackage(t *testing.T) {
	src := newFakeSource(t)
	forger := newFakeSource(t) // same content, another key
	forger.events[0].Username = "someone else"
	leaf, _ := EncodeLeaf(forger.events[0])
	forger.events[0].Leaf, forger.events[0].LeafHash = leaf, LeafHash(leaf)
	forger.hashes[0] = forger.events[0].LeafHash
	tree, _ := NewTree(forger.hashes)
	forger.cp, _ = SignCheckpoint(rastro.TreeHead{Size: int64(len(forger.hashes)), RootHash: tree.Root()}, forger.keys.Signer)
	dir := writeDir(t, forger)
	if r, err := VerifyPackage(dir); err != nil || r.KeyPinned {
		t.Fatalf("forged package against its own key: %v (pinned %v)", err, r.KeyPinned)
	}
	_, err := VerifyPackage(dir, src.keys.VerifierKey)
	if !problemNames(err, KeyFile) || !problemNames(err, CheckpointFile) {
		t.Errorf("forged package against the pinned key: %v", err)
	}
}

func TestPackageStructureProblems(t *testing.T) {
	src := newFakeSource(t)
	tests := []struct {
		name   string
		change func(dir string) error
		file   string
	}{
		{"extra file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "originals", "extra"), []byte("x"), 0o644)
		}, "originals/extra"},
		{"missing file", func(dir string) error { return os.Remove(filepath.Join(dir, ReportFile)) }, ReportFile},
		{"missing original", func(dir string) error {
			return os.Remove(filepath.Join(dir, OriginalsDir+src.items[0].Evidence.SHA256))
		}, OriginalsDir + src.items[0].Evidence.SHA256},
		{"symlink outside", func(dir string) error {
			return os.Symlink("/etc/hostname", filepath.Join(dir, "originals", "link"))
		}, "originals/link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, src)
			if err := tt.change(dir); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyPackage(dir, src.keys.VerifierKey)
			if !problemNames(err, tt.file) {
				t.Errorf("got %v, want a problem naming %s", err, tt.file)
			}
		})
	}
}

func TestWritePackageRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *fakeSource)
		want   string
	}{
		{"corrupt blob", func(s *fakeSource) { s.override = map[string][]byte{s.items[0].Evidence.SHA256: []byte("bit rot")} }, "the blob is corrupt"},
		{"uncovered event", func(s *fakeSource) {
			s.cp, _ = SignCheckpoint(rastro.TreeHead{Size: 3, RootHash: mustRoot(s.hashes[:3])}, s.keys.Signer)
		}, "not covered by checkpoint"},
		{"tampered leaf hash", func(s *fakeSource) { s.hashes[5] = LeafHash([]byte("x")) }, "not the signed root"},
		{"other key", func(s *fakeSource) {
			s.keys = &Keys{Signer: s.keys.Signer, VerifierKey: newFakeSource(t).keys.VerifierKey}
		}, "no signature by key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newFakeSource(t)
			tt.change(src)
			err := WritePackage(t.Context(), io.Discard, src, testOpts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WritePackage: %v, want %q", err, tt.want)
			}
		})
	}
}

// mustRoot returns the root of the leaf hashes.
func mustRoot(hs [][]byte) []byte {
	tree, _ := NewTree(hs)
	return tree.Root()
}

// sameEntries reports whether two zip archives hold the same names and
// contents (a flip in the container's metadata, such as a time stamp,
// changes no evidence).
func sameEntries(t *testing.T, a, b []byte) bool {
	t.Helper()
	read := func(raw []byte) map[string]string {
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return nil
		}
		m := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil
			}
			m[f.Name] = string(body)
		}
		return m
	}
	ma, mb := read(a), read(b)
	if ma == nil || mb == nil || len(ma) != len(mb) {
		return false
	}
	for k, v := range ma {
		if mb[k] != v {
			return false
		}
	}
	return true
}

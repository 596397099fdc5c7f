package custody

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// zipOf builds a zip archive of the given names and bodies.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

func TestReadPackageRejectsUnsafeEntries(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		want    string
	}{
		{"parent", []string{"../evil", "x"}, "unsafe path"},
		{"nested parent", []string{"originals/../../evil", "x"}, "unsafe path"},
		{"absolute", []string{"/etc/passwd", "x"}, "unsafe path"},
		{"backslash", []string{`originals\..\evil`, "x"}, "unsafe path"},
		{"duplicate", []string{"report.html", "a", "report.html", "b"}, "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := zipOf(t, tt.entries...)
			_, err := ReadPackage(bytes.NewReader(raw), int64(len(raw)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadPackage: %v, want %q", err, tt.want)
			}
		})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "originals/link"}
	h.SetMode(fs.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(h)
	w.Write([]byte("/etc/passwd"))
	zw.Close()
	if _, err := ReadPackage(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("symlink entry: %v", err)
	}
}

// FuzzReadPackage feeds arbitrary bytes to the package reader and verifier:
// they must never panic, and every file they expose must have a safe
// relative name.
func FuzzReadPackage(f *testing.F) {
	src := newFakeSource(f)
	var pkg bytes.Buffer
	if err := WritePackage(f.Context(), &pkg, src, testOpts); err != nil {
		f.Fatal(err)
	}
	f.Add(pkg.Bytes())
	f.Add([]byte{})
	f.Add(zipOf(f, "../evil", "x"))
	f.Add(zipOf(f, ManifestFile, `{"files":[{"path":"../x","sha256":"00","size":1}],"format":"rastro-court-package/1"}`, "x", "y"))
	f.Add(zipOf(f, EventsFile, "{}\n", ProofsFile, `{"proofs":[{"seq":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPackage(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, name := range p.Files() {
			if !fs.ValidPath(name) || strings.Contains(name, `\`) || strings.HasPrefix(name, "/") {
				t.Fatalf("exposed unsafe name %q", name)
			}
		}
		r, err := p.Verify(src.keys.VerifierKey)
		if err == nil && !bytes.Equal(data, pkg.Bytes()) && !r.OK() {
			t.Fatal("no error but problems reported")
		}
	})
}

// TestDirPackageReadsNothingOutside checks that a symbolic link inside a
// directory package is refused rather than followed.
func TestDirPackageReadsNothingOutside(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir() + "/secret"
	os.WriteFile(outside, []byte("secret"), 0o600)
	os.Mkdir(dir+"/custody", 0o755)
	if err := os.Symlink(outside, dir+"/custody/events.jsonl"); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	p, err := OpenPackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.readSmall(EventsFile); err == nil {
		t.Error("a symbolic link to a file outside the package was read")
	}
	_, err = p.Verify()
	if !problemNames(err, EventsFile) {
		t.Errorf("Verify: %v, want a problem naming %s", err, EventsFile)
	}
}

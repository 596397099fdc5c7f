// Package vaulttest is the contract every vault.Backend must meet. A backend's
// tests call Backend(t, newBackend) with a function returning an empty
// backend; an S3 backend would run the same suite against a local server.
package vaulttest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
)

// Backend runs the contract tests on fresh backends made by newBackend.
func Backend(t *testing.T, newBackend func(t *testing.T) vault.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, ctx context.Context, b vault.Backend)
	}{
		{"CommitThenRead", testCommitThenRead},
		{"UncommittedIsInvisible", testUncommittedInvisible},
		{"NoReplaceKeepsFirst", testNoReplace},
		{"ReplaceSwaps", testReplace},
		{"NotFound", testNotFound},
		{"ListByPrefix", testList},
		{"Delete", testDelete},
		{"BadNames", testBadNames},
		{"ReadAtRanges", testReadAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, t.Context(), newBackend(t))
		})
	}
}

// put writes and commits one object.
func put(t *testing.T, ctx context.Context, b vault.Backend, name string, data []byte, replace bool) error {
	t.Helper()
	tmp, err := b.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Abort()
	if _, err := tmp.Write(data); err != nil {
		t.Fatal(err)
	}
	return tmp.Commit(ctx, name, replace)
}

// get reads one object whole.
func get(t *testing.T, ctx context.Context, b vault.Backend, name string) []byte {
	t.Helper()
	o, err := b.Open(ctx, name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer o.Close()
	data, err := io.ReadAll(io.NewSectionReader(o, 0, o.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testCommitThenRead(t *testing.T, ctx context.Context, b vault.Backend) {
	data := bytes.Repeat([]byte("evidence "), 1000)
	must(t, put(t, ctx, b, "blobs/case-1/ab/abc", data, false))
	if got := get(t, ctx, b, "blobs/case-1/ab/abc"); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, want %d", len(got), len(data))
	}
	size, err := b.Stat(ctx, "blobs/case-1/ab/abc")
	must(t, err)
	if size != int64(len(data)) {
		t.Errorf("Stat = %d, want %d", size, len(data))
	}
}

func testUncommittedInvisible(t *testing.T, ctx context.Context, b vault.Backend) {
	tmp, err := b.Create(ctx)
	must(t, err)
	tmp.Write([]byte("half an upload"))
	names, err := b.List(ctx, "")
	must(t, err)
	if len(names) != 0 {
		t.Errorf("an object being written is listed: %v", names)
	}
	must(t, tmp.Abort())
	names, err = b.List(ctx, "")
	must(t, err)
	if len(names) != 0 {
		t.Errorf("an aborted object is listed: %v", names)
	}
}

func testNoReplace(t *testing.T, ctx context.Context, b vault.Backend) {
	must(t, put(t, ctx, b, "keys/case-1.json", []byte("first"), false))
	if err := put(t, ctx, b, "keys/case-1.json", []byte("second"), false); !errors.Is(err, vault.ErrExist) {
		t.Fatalf("second no-replace commit: err = %v, want ErrExist", err)
	}
	if got := get(t, ctx, b, "keys/case-1.json"); string(got) != "first" {
		t.Errorf("content = %q, want the first", got)
	}
}

func testReplace(t *testing.T, ctx context.Context, b vault.Backend) {
	must(t, put(t, ctx, b, "keys/case-1.json", []byte("old"), false))
	must(t, put(t, ctx, b, "keys/case-1.json", []byte("new"), true))
	if got := get(t, ctx, b, "keys/case-1.json"); string(got) != "new" {
		t.Errorf("content = %q, want new", got)
	}
}

func testNotFound(t *testing.T, ctx context.Context, b vault.Backend) {
	_, err := b.Open(ctx, "blobs/none")
	if code := rastro.ErrorCode(err); code != rastro.ENOTFOUND {
		t.Errorf("Open of a missing object: code %q (%v), want not_found", code, err)
	}
	if _, err := b.Stat(ctx, "blobs/none"); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("Stat of a missing object: %v, want not_found", err)
	}
	if err := b.Delete(ctx, "blobs/none"); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("Delete of a missing object: %v, want not_found", err)
	}
}

func testList(t *testing.T, ctx context.Context, b vault.Backend) {
	for _, n := range []string{"keys/case-2.json", "blobs/case-1/aa/a1", "keys/case-1.json", "blobs/case-1/bb/b1"} {
		must(t, put(t, ctx, b, n, []byte(n), false))
	}
	got, err := b.List(ctx, "keys/")
	must(t, err)
	if diff := cmp.Diff([]string{"keys/case-1.json", "keys/case-2.json"}, got); diff != "" {
		t.Errorf("List(keys/) (-want +got):\n%s", diff)
	}
	got, err = b.List(ctx, "")
	must(t, err)
	if len(got) != 4 {
		t.Errorf("List() = %v, want 4 names", got)
	}
}

func testDelete(t *testing.T, ctx context.Context, b vault.Backend) {
	must(t, put(t, ctx, b, "blobs/x", []byte("x"), false))
	must(t, b.Delete(ctx, "blobs/x"))
	if _, err := b.Stat(ctx, "blobs/x"); rastro.ErrorCode(err) != rastro.ENOTFOUND {
		t.Errorf("Stat after Delete: %v, want not_found", err)
	}
}

func testBadNames(t *testing.T, ctx context.Context, b vault.Backend) {
	for _, name := range []string{"", "../escape", "blobs/../../etc/passwd", "/abs", "a//b", "Upper", "a/./b"} {
		if err := put(t, ctx, b, name, []byte("x"), false); rastro.ErrorCode(err) != rastro.EINVALID {
			t.Errorf("Commit(%q): %v, want invalid", name, err)
		}
		if _, err := b.Open(ctx, name); rastro.ErrorCode(err) != rastro.EINVALID {
			t.Errorf("Open(%q): %v, want invalid", name, err)
		}
	}
}

func testReadAt(t *testing.T, ctx context.Context, b vault.Backend) {
	data := make([]byte, 100_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	must(t, put(t, ctx, b, "blobs/r", data, false))
	o, err := b.Open(ctx, "blobs/r")
	must(t, err)
	defer o.Close()
	for _, off := range []int64{0, 1, 4095, 65536, 99_990} {
		p := make([]byte, 10)
		n, err := o.ReadAt(p, off)
		if err != nil && !(errors.Is(err, io.EOF) && off+int64(n) == int64(len(data))) {
			t.Fatalf("ReadAt(%d): %v", off, err)
		}
		if !bytes.Equal(p[:n], data[off:off+int64(n)]) {
			t.Errorf("ReadAt(%d) = %x, want %x", off, p[:n], data[off:off+int64(n)])
		}
	}
}

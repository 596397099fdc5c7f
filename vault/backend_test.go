package vault_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rastro/rastro/vault"
	"github.com/rastro/rastro/vault/vaulttest"
)

func TestFSBackendContract(t *testing.T) {
	vaulttest.Backend(t, func(t *testing.T) vault.Backend {
		b, err := vault.NewFSBackend(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

func TestMemBackendContract(t *testing.T) {
	vaulttest.Backend(t, func(t *testing.T) vault.Backend { return vault.NewMemBackend() })
}

func TestFSBackendAbortLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	b, err := vault.NewFSBackend(dir)
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := b.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tmp.Write([]byte("partial upload"))
	if err := tmp.Abort(); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("%d files left in the vault directory after Abort, want 0", n)
	}
}

// countFiles counts regular files under dir.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

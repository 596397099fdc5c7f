package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "shared", "data", "er"), 0o755); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "repo", "pkg", "sub")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(deep)
	if got, want := Find("er"), filepath.Join(root, "shared", "data", "er"); got != want {
		t.Errorf("Find(er) = %q, want %q", got, want)
	}
	if got := Find("absent"); got != "" {
		t.Errorf("Find(absent) = %q, want \"\"", got)
	}
}

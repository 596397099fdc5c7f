package custody

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rastro/rastro"
)

func TestKeysAndCheckpoint(t *testing.T) {
	dir := t.TempDir()
	keys, err := LoadOrCreateKeys(dir, "rastro.example/custody")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, SignerKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("signer key file: %v, mode %v", err, fi.Mode())
	}
	again, err := LoadOrCreateKeys(dir, "ignored")
	if err != nil || again.VerifierKey != keys.VerifierKey {
		t.Fatalf("reloaded key %q, %v; want %q", again.VerifierKey, err, keys.VerifierKey)
	}
	pub, _ := os.ReadFile(filepath.Join(dir, VerifierKeyFile))
	if strings.TrimSpace(string(pub)) != keys.VerifierKey || !strings.HasPrefix(keys.VerifierKey, "rastro.example/custody+") {
		t.Errorf("published verifier key %q, derived %q", pub, keys.VerifierKey)
	}

	tree, _ := NewTree(leaves(5))
	cp, err := SignCheckpoint(rastro.TreeHead{Size: 5, RootHash: tree.Root()}, keys.Signer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cp.Note, "rastro.example/custody\n5\n") || !strings.Contains(cp.Note, "\n\n— rastro.example/custody ") {
		t.Errorf("note = %q", cp.Note)
	}
	got, err := OpenCheckpoint([]byte(cp.Note), keys.VerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != 5 || !bytes.Equal(got.Hash, tree.Root()) {
		t.Errorf("opened checkpoint %+v", got)
	}

	other, _ := LoadOrCreateKeys(t.TempDir(), "rastro.example/custody")
	tampered := strings.Replace(cp.Note, "\n5\n", "\n6\n", 1)
	for name, tc := range map[string]struct{ note, key, want string }{
		"other key":      {cp.Note, other.VerifierKey, "no signature by key"},
		"changed text":   {tampered, keys.VerifierKey, "does not verify"},
		"malformed note": {"x", keys.VerifierKey, "malformed"},
	} {
		if _, err := OpenCheckpoint([]byte(tc.note), tc.key); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	os.Chmod(filepath.Join(dir, SignerKeyFile), 0o644)
	if _, err := LoadOrCreateKeys(dir, "x"); err == nil {
		t.Error("a world-readable signer key was accepted")
	}
}

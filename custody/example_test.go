package custody

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"golang.org/x/mod/sumdb/note"
)

// exampleKeys returns the fixed key of docs/VERIFY.md's worked example
// (seed 32 bytes of 0x07: never use such a key for real).
func exampleKeys(t testing.TB) *Keys {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = 7
	}
	name := "rastro.example/custody"
	vkey, err := note.NewEd25519VerifierKey(name, ed25519Public(seed))
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.Split(vkey, "+")[1]
	skey := "PRIVATE+KEY+" + name + "+" + hash + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed...))
	keys, err := keysFrom(skey)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// exampleValues computes every value docs/VERIFY.md quotes: a log of three
// events, the inclusion proof of event 1 and the signed checkpoint.
func exampleValues(t testing.TB) map[string]string {
	t.Helper()
	keys := exampleKeys(t)
	at := time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)
	sum := sha256.Sum256([]byte("fictional chat export\n"))
	sha := hex.EncodeToString(sum[:])
	var hashes [][]byte
	var leaves []string
	for i, action := range []rastro.CustodyAction{rastro.CustodyAcquire, rastro.CustodyView, rastro.CustodyExport} {
		ev := &rastro.CustodyEvent{Seq: int64(i), CaseID: 1, EvidenceID: 1, EvidenceSHA256: sha, Action: action,
			UserID: 2, Username: "ines", Time: at.Add(time.Duration(i) * time.Hour), Tool: "rastro", ToolVersion: "0.1.0",
			Details: json.RawMessage(`{}`)}
		leaf, err := EncodeLeaf(ev)
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, string(leaf))
		hashes = append(hashes, LeafHash(leaf))
	}
	tree, _ := NewTree(hashes)
	path, _ := tree.InclusionProof(1, 3)
	cp, err := SignCheckpoint(rastro.TreeHead{Size: 3, RootHash: tree.Root()}, keys.Signer)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"leaf1": leaves[1], "leafhash0": hex.EncodeToString(hashes[0]), "leafhash1": hex.EncodeToString(hashes[1]),
		"leafhash2": hex.EncodeToString(hashes[2]), "path0": hex.EncodeToString(path[0]), "path1": hex.EncodeToString(path[1]),
		"node01": hex.EncodeToString(NodeHash(hashes[0], hashes[1])), "root": hex.EncodeToString(tree.Root()),
		"sha": sha, "rootb64": base64.StdEncoding.EncodeToString(tree.Root()), "note": cp.Note, "key": keys.VerifierKey,
	}
}

// TestVerifyDocExample checks that docs/VERIFY.md quotes the values the
// code computes for its worked example, so that the document cannot drift.
func TestVerifyDocExample(t *testing.T) {
	vals := exampleValues(t)
	if os.Getenv("RASTRO_PRINT_EXAMPLE") != "" {
		for k, v := range vals {
			fmt.Printf("%s:\n%s\n\n", k, v)
		}
	}
	doc, err := os.ReadFile("../docs/VERIFY.md")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vals {
		if !strings.Contains(string(doc), v) {
			t.Errorf("docs/VERIFY.md does not quote %s = %q", k, v)
		}
	}
}

// TestReferenceVerifier runs the Python reference implementation quoted in
// docs/VERIFY.md on a package: it must accept the package as written and
// reject it after a change to an original (naming the file). Skipped without python3 and its
// cryptography package.
func TestReferenceVerifier(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil || exec.Command(python, "-c", "import cryptography").Run() != nil {
		t.Skip("python3 with the cryptography package not found: reference verifier not run")
	}
	doc, err := os.ReadFile("../docs/VERIFY.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "<!-- reference-verifier:begin -->\n```python\n")
	block, _, ok2 := strings.Cut(block, "```\n<!-- reference-verifier:end -->")
	if !ok || !ok2 {
		t.Fatal("docs/VERIFY.md has no reference verifier block")
	}
	script := filepath.Join(t.TempDir(), "verify.py")
	if err := os.WriteFile(script, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	src := newFakeSource(t)
	for _, pkg := range []string{writeDir(t, src), writeZip(t, src)} {
		out, err := exec.Command(python, script, pkg, src.keys.VerifierKey).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "OK" {
			t.Fatalf("reference verifier on %s: %v\n%s", filepath.Base(pkg), err, out)
		}
	}
	dir := writeDir(t, src)
	orig := filepath.Join(dir, OriginalsDir+src.items[0].Evidence.SHA256)
	b, _ := os.ReadFile(orig)
	os.WriteFile(orig, flip(b, 3), 0o644)
	out, err := exec.Command(python, script, dir, src.keys.VerifierKey).CombinedOutput()
	if err == nil || !strings.Contains(string(out), OriginalsDir+src.items[0].Evidence.SHA256) {
		t.Errorf("reference verifier on a changed original: %v\n%s", err, out)
	}
}

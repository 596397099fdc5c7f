package custody

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
)

// leaves returns n distinct leaf hashes.
func leaves(n int) [][]byte {
	hs := make([][]byte, n)
	for i := range hs {
		hs[i] = LeafHash(fmt.Appendf(nil, "leaf %d", i))
	}
	return hs
}

// naiveRoot is RFC 6962 §2.1's MTH, written from the definition.
func naiveRoot(hs [][]byte) []byte {
	switch len(hs) {
	case 0:
		h := sha256.Sum256(nil)
		return h[:]
	case 1:
		return hs[0]
	}
	k := 1
	for k*2 < len(hs) {
		k *= 2
	}
	return NodeHash(naiveRoot(hs[:k]), naiveRoot(hs[k:]))
}

// TestRFC6962Vectors checks the leaf and root hashes of RFC 6962's
// reference tree (certificate-transparency's test vectors).
func TestRFC6962Vectors(t *testing.T) {
	inputs := []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	roots := []string{
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	var hs [][]byte
	for i, in := range inputs {
		b, _ := hex.DecodeString(in)
		hs = append(hs, LeafHash(b))
		tree, err := NewTree(hs)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(tree.Root()); got != roots[i] {
			t.Errorf("root of %d leaves = %s, want %s", i+1, got, roots[i])
		}
	}
}

// TestTreeProofs checks roots against the definition, and every inclusion
// and consistency proof against transparency-dev/merkle's verifier, for all
// sizes up to 40; a proof for a changed leaf must fail.
func TestTreeProofs(t *testing.T) {
	hs := leaves(40)
	tree, err := NewTree(hs)
	if err != nil {
		t.Fatal(err)
	}
	for size := uint64(0); size <= 40; size++ {
		root, err := tree.RootAt(size)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(root, naiveRoot(hs[:size])) {
			t.Fatalf("RootAt(%d) differs from RFC 6962 MTH", size)
		}
		for i := uint64(0); i < size; i++ {
			path, err := tree.InclusionProof(i, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(i, size, hs[i], path, root); err != nil {
				t.Fatalf("inclusion %d/%d: %v", i, size, err)
			}
			if err := VerifyInclusion(i, size, LeafHash([]byte("forged")), path, root); err == nil {
				t.Fatalf("inclusion %d/%d of a forged leaf verified", i, size)
			}
		}
		for s1 := uint64(0); s1 <= size; s1++ {
			path, err := tree.ConsistencyProof(s1, size)
			if err != nil {
				t.Fatal(err)
			}
			r1, _ := tree.RootAt(s1)
			if err := VerifyConsistency(s1, size, path, r1, root); err != nil {
				t.Fatalf("consistency %d→%d: %v", s1, size, err)
			}
		}
	}
}

// TestAppendLeaf checks that the incremental root equals the tree's root
// after every append.
func TestAppendLeaf(t *testing.T) {
	hs := leaves(70)
	tree, _ := NewTree(hs)
	var rng []byte
	for i, h := range hs {
		var root []byte
		var err error
		rng, root, err = AppendLeaf(rng, uint64(i), h)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := tree.RootAt(uint64(i + 1))
		if !bytes.Equal(root, want) {
			t.Fatalf("root after %d appends differs", i+1)
		}
	}
	if _, _, err := AppendLeaf(rng, 3, hs[0]); err == nil {
		t.Error("AppendLeaf accepted a range of the wrong size")
	}
}

// BenchmarkInclusionProof1M measures one inclusion proof in a tree of a
// million leaves (built once, outside the timing).
func BenchmarkInclusionProof1M(b *testing.B) {
	const n = 1 << 20
	tree, err := NewTree(leaves(n))
	if err != nil {
		b.Fatal(err)
	}
	root := tree.Root()
	b.ReportAllocs()
	for i := uint64(0); b.Loop(); i++ {
		idx := (i * 7919) % n
		p, err := tree.InclusionProof(idx, n)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			if err := VerifyInclusion(idx, n, LeafHash(fmt.Appendf(nil, "leaf %d", idx)), p, root); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNewTree1M measures building the tree over a million leaf hashes.
func BenchmarkNewTree1M(b *testing.B) {
	hs := leaves(1 << 20)
	for b.Loop() {
		if _, err := NewTree(hs); err != nil {
			b.Fatal(err)
		}
	}
}

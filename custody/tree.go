package custody

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// HashSize is the size of every hash in the log: SHA-256.
const HashSize = 32

// hasher is RFC 6962's: leaves SHA-256(0x00 || leaf), nodes
// SHA-256(0x01 || left || right), the empty tree SHA-256("").
var hasher = rfc6962.DefaultHasher

// LeafHash returns the RFC 6962 leaf hash of a leaf: SHA-256(0x00 || leaf).
func LeafHash(leaf []byte) []byte { return hasher.HashLeaf(leaf) }

// NodeHash returns the RFC 6962 hash of an interior node:
// SHA-256(0x01 || left || right).
func NodeHash(left, right []byte) []byte { return hasher.HashChildren(left, right) }

// EmptyRoot is the root hash of the empty tree, SHA-256 of nothing.
func EmptyRoot() []byte { return hasher.EmptyRoot() }

// Tree holds every perfect subtree hash of a log of leaf hashes, so that
// roots and proofs for any size up to its own take O(log n) hashing. Building
// it hashes n-1 nodes and keeps about 2n hashes (64 MB for a million leaves).
type Tree struct {
	// levels[l] holds the hashes of the perfect subtrees of height l, left
	// to right, back to back: levels[0] are the leaf hashes.
	levels [][]byte
}

// NewTree builds the tree over the given leaf hashes.
func NewTree(leafHashes [][]byte) (*Tree, error) {
	level := make([]byte, 0, len(leafHashes)*HashSize)
	for i, h := range leafHashes {
		if len(h) != HashSize {
			return nil, fmt.Errorf("merkle tree: leaf hash %d has %d bytes, want %d", i, len(h), HashSize)
		}
		level = append(level, h...)
	}
	t := &Tree{levels: [][]byte{level}}
	h := sha256.New()
	for len(level) >= 2*HashSize {
		next := make([]byte, 0, len(level)/2)
		for i := 0; i+2*HashSize <= len(level); i += 2 * HashSize {
			// SHA-256(0x01 || left || right), appended in place: no allocation.
			h.Reset()
			h.Write(nodePrefix)
			h.Write(level[i : i+2*HashSize])
			next = h.Sum(next)
		}
		t.levels = append(t.levels, next)
		level = next
	}
	return t, nil
}

// nodePrefix is RFC 6962's domain separator for interior nodes.
var nodePrefix = []byte{rfc6962.RFC6962NodeHashPrefix}

// Size returns the number of leaves.
func (t *Tree) Size() uint64 { return uint64(len(t.levels[0]) / HashSize) }

// node returns the hash of a perfect subtree.
func (t *Tree) node(id compact.NodeID) ([]byte, error) {
	if int(id.Level) >= len(t.levels) {
		return nil, fmt.Errorf("merkle tree: no node at level %d", id.Level)
	}
	l := t.levels[id.Level]
	if id.Index >= uint64(len(l)/HashSize) {
		return nil, fmt.Errorf("merkle tree: no node %d at level %d", id.Index, id.Level)
	}
	return l[id.Index*HashSize : (id.Index+1)*HashSize], nil
}

// Root returns the root hash of the whole tree.
func (t *Tree) Root() []byte {
	r, _ := t.RootAt(t.Size())
	return r
}

// RootAt returns the root hash of the tree of the first size leaves.
func (t *Tree) RootAt(size uint64) ([]byte, error) {
	if size > t.Size() {
		return nil, fmt.Errorf("merkle tree: size %d beyond %d leaves", size, t.Size())
	}
	if size == 0 {
		return EmptyRoot(), nil
	}
	ids := compact.RangeNodes(0, size, nil)
	var root []byte
	for i := len(ids) - 1; i >= 0; i-- {
		h, err := t.node(ids[i])
		if err != nil {
			return nil, err
		}
		if root == nil {
			root = h
		} else {
			root = NodeHash(h, root)
		}
	}
	return root, nil
}

// InclusionProof returns the RFC 6962 audit path of leaf index in the tree
// of the first size leaves.
func (t *Tree) InclusionProof(index, size uint64) ([][]byte, error) {
	if size > t.Size() {
		return nil, fmt.Errorf("inclusion proof: size %d beyond %d leaves", size, t.Size())
	}
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, fmt.Errorf("inclusion proof: %w", err)
	}
	return t.fetch(nodes)
}

// ConsistencyProof returns the RFC 6962 consistency proof between the trees
// of the first size1 and size2 leaves.
func (t *Tree) ConsistencyProof(size1, size2 uint64) ([][]byte, error) {
	if size2 > t.Size() {
		return nil, fmt.Errorf("consistency proof: size %d beyond %d leaves", size2, t.Size())
	}
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, fmt.Errorf("consistency proof: %w", err)
	}
	return t.fetch(nodes)
}

// fetch looks up the nodes of a proof and folds its ephemeral node.
func (t *Tree) fetch(nodes proof.Nodes) ([][]byte, error) {
	hashes := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		h, err := t.node(id)
		if err != nil {
			return nil, err
		}
		hashes[i] = bytes.Clone(h)
	}
	return nodes.Rehash(hashes, NodeHash)
}

// VerifyInclusion checks that leafHash is leaf index of the tree of the
// given size and root, with transparency-dev/merkle's verifier.
func VerifyInclusion(index, size uint64, leafHash []byte, path [][]byte, root []byte) error {
	return proof.VerifyInclusion(hasher, index, size, leafHash, path, root)
}

// VerifyConsistency checks that the tree of size2 and root2 extends the
// tree of size1 and root1.
func VerifyConsistency(size1, size2 uint64, path [][]byte, root1, root2 []byte) error {
	return proof.VerifyConsistency(hasher, size1, size2, path, root1, root2)
}

// rangeFactory builds compact ranges with RFC 6962 node hashing.
var rangeFactory = &compact.RangeFactory{Hash: NodeHash}

// AppendLeaf extends a log of the given size, summarised by its compact
// range (the hashes of the perfect subtrees covering [0, size), largest
// first, back to back), with one leaf hash. It returns the new compact range
// and the new root: O(log n) hashing, which is how the store keeps the root
// after every append without reading old leaves.
func AppendLeaf(compactRange []byte, size uint64, leafHash []byte) (newRange, root []byte, err error) {
	if len(compactRange)%HashSize != 0 || len(leafHash) != HashSize {
		return nil, nil, errors.New("append leaf: malformed hashes")
	}
	hashes := make([][]byte, 0, len(compactRange)/HashSize)
	for i := 0; i < len(compactRange); i += HashSize {
		hashes = append(hashes, compactRange[i:i+HashSize])
	}
	r, err := rangeFactory.NewRange(0, size, hashes)
	if err != nil {
		return nil, nil, fmt.Errorf("append leaf: %w", err)
	}
	if err := r.Append(leafHash, nil); err != nil {
		return nil, nil, fmt.Errorf("append leaf: %w", err)
	}
	if root, err = r.GetRootHash(nil); err != nil {
		return nil, nil, fmt.Errorf("append leaf: %w", err)
	}
	return bytes.Join(r.Hashes(), nil), root, nil
}

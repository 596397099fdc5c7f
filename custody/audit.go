package custody

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rastro/rastro"
)

// Problem is one failed check, naming what failed: a file of a package, an
// event by sequence number (Seq, or -1), or both.
type Problem struct {
	File    string `json:"file,omitempty"`
	Seq     int64  `json:"seq"`
	Message string `json:"message"`
}

// String formats the problem as "file: event N: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File + ": ")
	}
	if p.Seq >= 0 {
		fmt.Fprintf(&b, "event %d: ", p.Seq)
	}
	b.WriteString(p.Message)
	return b.String()
}

// VerifyError lists every failed check.
type VerifyError struct {
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *VerifyError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("verification failed (%d problems):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// problems collects Problems.
type problems []Problem

// add records a problem.
func (ps *problems) add(file string, seq int64, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Seq: seq, Message: fmt.Sprintf(format, args...)})
}

// err returns a *VerifyError, or nil when there is no problem.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &VerifyError{Problems: ps}
}

// VerifyLog re-verifies a custody log as stored: the events must be the
// whole log from sequence 0, each event's fields must encode to its stored
// leaf and the leaf must hash to its stored leaf hash, and every checkpoint
// must be signed by verifierKey (unless it is empty) and state the root of
// the tree recomputed from the leaves. A changed, removed or inserted event
// is reported by sequence number or by the checkpoint it breaks.
func VerifyLog(events []*rastro.CustodyEvent, checkpoints []*rastro.Checkpoint, verifierKey string) error {
	var ps problems
	hashes := make([][]byte, len(events))
	for i, ev := range events {
		if ev.Seq != int64(i) {
			ps.add("", int64(i), "missing: the log holds event %d in its place", ev.Seq)
		}
		if leaf, err := EncodeLeaf(ev); err != nil || !bytes.Equal(leaf, ev.Leaf) {
			ps.add("", ev.Seq, "the stored fields do not match the stored leaf")
		}
		hashes[i] = LeafHash(ev.Leaf)
		if !bytes.Equal(hashes[i], ev.LeafHash) {
			ps.add("", ev.Seq, "the stored leaf hash is not SHA-256(0x00 || leaf)")
		}
	}
	tree, err := NewTree(hashes)
	if err != nil {
		ps.add("", -1, "%v", err)
		return ps.err()
	}
	for _, cp := range checkpoints {
		verifyStoredCheckpoint(&ps, tree, cp, verifierKey)
	}
	return ps.err()
}

// verifyStoredCheckpoint checks one checkpoint against the recomputed tree.
func verifyStoredCheckpoint(ps *problems, tree *Tree, cp *rastro.Checkpoint, verifierKey string) {
	name := fmt.Sprintf("checkpoint %d", cp.Size)
	if verifierKey != "" {
		body, err := OpenCheckpoint([]byte(cp.Note), verifierKey)
		if err != nil {
			ps.add(name, -1, "%v", err)
		} else if int64(body.Size) != cp.Size || !bytes.Equal(body.Hash, cp.RootHash) {
			ps.add(name, -1, "the signed note states another size or root than the stored checkpoint")
		}
	}
	root, err := tree.RootAt(uint64(cp.Size))
	if err != nil {
		ps.add(name, -1, "the log has only %d events", tree.Size())
		return
	}
	if !bytes.Equal(root, cp.RootHash) {
		ps.add(name, -1, "the root of events 0..%d is not the signed root: an event was changed, removed or inserted", cp.Size-1)
	}
}

package custody

import (
	"bytes"
	"fmt"

	"github.com/rastro/rastro"
)

// EventState says whether one event of a timeline verifies.
type EventState string

// Event states shown next to a custody timeline.
const (
	EventVerified EventState = "verified" // in the signed checkpoint, unchanged
	EventUnsigned EventState = "unsigned" // appended after the latest checkpoint
	EventFailed   EventState = "failed"   // changed, or the checkpoint does not verify
)

// EventStatus is the verification outcome of one event.
type EventStatus struct {
	Seq     int64      `json:"seq"`
	State   EventState `json:"state"`
	Problem string     `json:"problem,omitempty"`
}

// VerifyTimeline checks the events of one item for its custody timeline:
// each event's fields must encode to its leaf, the leaf must be the log's
// leaf at its sequence number (hashes are the log's leaf hashes from 0, at
// least up to the checkpoint's size), and the checkpoint, signed by
// verifierKey, must include it. Events beyond the checkpoint are reported
// unsigned. A nil checkpoint makes every event unsigned.
func VerifyTimeline(events []*rastro.CustodyEvent, hashes [][]byte, cp *rastro.Checkpoint, verifierKey string) []EventStatus {
	var tree *Tree
	var cpErr error
	var size uint64
	var root []byte
	if cp != nil {
		signed, err := OpenCheckpoint([]byte(cp.Note), verifierKey)
		if err == nil && uint64(len(hashes)) < signed.Size {
			err = fmt.Errorf("only %d leaf hashes for a checkpoint of %d", len(hashes), signed.Size)
		}
		if err == nil {
			size, root = signed.Size, signed.Hash
			tree, err = NewTree(hashes[:size])
		}
		cpErr = err
	}
	out := make([]EventStatus, len(events))
	for i, ev := range events {
		out[i] = timelineStatus(ev, hashes, tree, size, root, cp != nil, cpErr)
	}
	return out
}

// timelineStatus checks one event.
func timelineStatus(ev *rastro.CustodyEvent, hashes [][]byte, tree *Tree, size uint64, root []byte, haveCP bool, cpErr error) EventStatus {
	st := EventStatus{Seq: ev.Seq, State: EventFailed}
	leaf, err := EncodeLeaf(ev)
	switch {
	case err != nil || !bytes.Equal(leaf, ev.Leaf):
		st.Problem = "the event's fields do not match its stored leaf"
	case ev.Seq < 0 || ev.Seq >= int64(len(hashes)) || !bytes.Equal(LeafHash(leaf), hashes[ev.Seq]):
		st.Problem = "the event is not the log's leaf at its sequence number"
	case !haveCP || uint64(ev.Seq) >= size && cpErr == nil:
		st.State = EventUnsigned
	case cpErr != nil:
		st.Problem = cpErr.Error()
	default:
		path, err := tree.InclusionProof(uint64(ev.Seq), size)
		if err == nil {
			err = VerifyInclusion(uint64(ev.Seq), size, hashes[ev.Seq], path, root)
		}
		if err != nil {
			st.Problem = "not included in the signed checkpoint: " + err.Error()
		} else {
			st.State = EventVerified
		}
	}
	return st
}

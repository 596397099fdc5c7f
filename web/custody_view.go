package web

import (
	"encoding/hex"
	"net/http"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
)

// custodyEntry is one event of an item's custody timeline with whether it
// verifies against the latest signed checkpoint.
type custodyEntry struct {
	*rastro.CustodyEvent
	LeafHashHex  string              `json:"leaf_hash"`
	Verification custody.EventStatus `json:"verification"`
}

// checkpointInfo describes the checkpoint a timeline was verified against.
type checkpointInfo struct {
	Size      int64  `json:"size"`
	RootHash  string `json:"root_hash"`
	Note      string `json:"note"`
	CreatedAt string `json:"created_at"`
}

// timeline is an item's custody events and their verification.
type timeline struct {
	Events      []custodyEntry  `json:"events"`
	Checkpoint  *checkpointInfo `json:"checkpoint,omitempty"`
	VerifierKey string          `json:"verifier_key,omitempty"`
	// State sums the events up: "verified" (all signed and unchanged),
	// "pending" (none failed, some not yet checkpointed), "failed" (some
	// event was changed or the checkpoint does not verify), "empty" (no
	// events), or "unchecked" (no verifier key configured).
	State string `json:"state"`
}

// loadTimeline reads an item's custody events and verifies them against
// the latest checkpoint with the configured verifier key. The leaf hashes
// are read up to the larger of the checkpoint's size and the item's last
// event, so that events after the checkpoint are told apart from forged
// ones.
func (s *Server) loadTimeline(r *http.Request, caseID, evidenceID int64) (*timeline, error) {
	ctx, a := r.Context(), actor(r)
	evs, err := s.store.CustodyEvents(ctx, a, caseID, evidenceID)
	if err != nil {
		return nil, err
	}
	cp, err := s.store.LatestCheckpoint(ctx, a)
	if rastro.ErrorCode(err) == rastro.ENOTFOUND {
		cp, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	hashes, err := s.leafHashes(r, cp, evs)
	if err != nil {
		return nil, err
	}
	t := &timeline{VerifierKey: s.cfg.CustodyKey, Events: []custodyEntry{}}
	verifyCP := cp
	if s.cfg.CustodyKey == "" {
		verifyCP = nil
	}
	if cp != nil {
		t.Checkpoint = &checkpointInfo{Size: cp.Size, RootHash: hex.EncodeToString(cp.RootHash), Note: cp.Note,
			CreatedAt: cp.CreatedAt.UTC().Format("2006-01-02 15:04:05 UTC")}
	}
	st := custody.VerifyTimeline(evs, hashes, verifyCP, s.cfg.CustodyKey)
	for i, ev := range evs {
		t.Events = append(t.Events, custodyEntry{CustodyEvent: ev, LeafHashHex: hex.EncodeToString(ev.LeafHash), Verification: st[i]})
	}
	t.State = timelineState(st, s.cfg.CustodyKey != "")
	return t, nil
}

// leafHashes returns the log's leaf hashes from 0 to what verification
// needs: up to the checkpoint's size from the cache, and the events after
// it fresh from the store.
func (s *Server) leafHashes(r *http.Request, cp *rastro.Checkpoint, evs []*rastro.CustodyEvent) ([][]byte, error) {
	var size, n int64
	if cp != nil {
		size = cp.Size
	}
	for _, ev := range evs {
		n = max(n, ev.Seq+1)
	}
	hashes, err := s.leaves.prefix(r.Context(), s.store, actor(r), size)
	if err != nil || n <= size {
		return hashes, err
	}
	more, err := s.store.CustodyLeafHashes(r.Context(), actor(r), size, n)
	if err != nil {
		return nil, err
	}
	return append(hashes, more...), nil
}

// timelineState sums up the events' states.
func timelineState(st []custody.EventStatus, haveKey bool) string {
	if len(st) == 0 {
		return "empty"
	}
	state := "verified"
	for _, x := range st {
		switch x.State {
		case custody.EventFailed:
			return "failed"
		case custody.EventUnsigned:
			state = "pending"
		}
	}
	if !haveKey {
		return "unchecked"
	}
	return state
}

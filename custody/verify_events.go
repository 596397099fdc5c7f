package custody

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/rastro/rastro"
)

// events checks every line of events.jsonl: canonical leaf, leaf hash equal
// to the one in proofs.json, inclusion proof to the signed root, and the
// item it names.
func (v *verifier) events() {
	evs := v.readEvents()
	var pf Proofs
	if !v.readJSON(ProofsFile, &pf) {
		return
	}
	if v.verified && (pf.TreeSize != v.r.TreeSize || pf.RootHash != v.r.RootHash) {
		v.ps.add(ProofsFile, -1, "proves against tree size %d root %s, but the checkpoint states %d %s", pf.TreeSize, pf.RootHash, v.r.TreeSize, v.r.RootHash)
	}
	proofs := map[int64]EventProof{}
	for _, p := range pf.Proofs {
		if _, dup := proofs[p.Seq]; dup {
			v.ps.add(ProofsFile, p.Seq, "has two proofs")
		}
		proofs[p.Seq] = p
	}
	covered := map[int64]bool{}
	for _, ev := range evs {
		v.checkEvent(ev, proofs)
		covered[ev.EvidenceID] = true
	}
	for seq := range proofs {
		if !v.seqSeen(evs, seq) {
			v.ps.add(ProofsFile, seq, "has a proof but no readable line in %s: an event was removed or damaged", EventsFile)
		}
	}
	for id := range v.items {
		if !covered[id] {
			v.ps.add(EventsFile, -1, "no custody event for evidence item %d", id)
		}
	}
	v.r.Events = len(evs)
}

// seqSeen reports whether an event has the sequence number.
func (v *verifier) seqSeen(evs []*rastro.CustodyEvent, seq int64) bool {
	for _, ev := range evs {
		if ev.Seq == seq {
			return true
		}
	}
	return false
}

// readEvents parses events.jsonl, one canonical leaf a line, in strictly
// increasing sequence order.
func (v *verifier) readEvents() []*rastro.CustodyEvent {
	b, err := v.p.readSmall(EventsFile)
	if err != nil {
		v.ps.add(EventsFile, -1, "%v", err)
		return nil
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		v.ps.add(EventsFile, -1, "does not end with a newline: the file was truncated or edited")
	}
	var evs []*rastro.CustodyEvent
	for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		if len(b) == 0 {
			break
		}
		ev, err := ParseLeaf(line)
		if err != nil {
			v.ps.add(EventsFile, -1, "line %d: %v", i+1, err)
			continue
		}
		if n := len(evs); n > 0 && ev.Seq <= evs[n-1].Seq {
			v.ps.add(EventsFile, ev.Seq, "line %d is out of sequence order", i+1)
		}
		evs = append(evs, ev)
	}
	return evs
}

// checkEvent checks one event's proof and item.
func (v *verifier) checkEvent(ev *rastro.CustodyEvent, proofs map[int64]EventProof) {
	p, ok := proofs[ev.Seq]
	if !ok {
		v.ps.add(ProofsFile, ev.Seq, "no inclusion proof")
	} else {
		v.checkProof(ev, p)
	}
	it, ok := v.items[ev.EvidenceID]
	switch {
	case !ok:
		v.ps.add(EventsFile, ev.Seq, "names evidence item %d, which is not in %s", ev.EvidenceID, EvidenceFile)
	case it.SHA256 != ev.EvidenceSHA256:
		v.ps.add(EventsFile, ev.Seq, "records SHA-256 %s for item %d, but %s says %s", ev.EvidenceSHA256, it.ID, EvidenceFile, it.SHA256)
	case ev.CaseID != v.r.Case.ID:
		v.ps.add(EventsFile, ev.Seq, "belongs to case %d, not case %d", ev.CaseID, v.r.Case.ID)
	}
}

// checkProof checks the leaf hash and the inclusion proof of one event.
func (v *verifier) checkProof(ev *rastro.CustodyEvent, p EventProof) {
	if hex.EncodeToString(ev.LeafHash) != p.LeafHash {
		v.ps.add(EventsFile, ev.Seq, "leaf hash is %x but %s says %s: the event was changed", ev.LeafHash, ProofsFile, p.LeafHash)
		return
	}
	if !v.verified {
		return // the checkpoint problem is reported already
	}
	path := make([][]byte, len(p.Path))
	for i, s := range p.Path {
		h, err := hex.DecodeString(s)
		if err != nil || len(h) != HashSize {
			v.ps.add(ProofsFile, ev.Seq, "proof hash %d is malformed", i)
			return
		}
		path[i] = h
	}
	if ev.Seq < 0 || ev.Seq >= v.r.TreeSize {
		v.ps.add(EventsFile, ev.Seq, "is beyond the checkpoint's %d events", v.r.TreeSize)
		return
	}
	if err := VerifyInclusion(uint64(ev.Seq), uint64(v.r.TreeSize), ev.LeafHash, path, v.root); err != nil {
		v.ps.add(ProofsFile, ev.Seq, "inclusion proof does not lead to the signed root: %v", fmt.Sprint(err))
	}
}

package custody

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rastro/rastro"
)

func TestVerifyTimeline(t *testing.T) {
	src := newFakeSource(t)
	item1 := src.events[:0:0]
	for _, ev := range src.events {
		if ev.EvidenceID == 1 {
			item1 = append(item1, ev)
		}
	}
	states := func(st []EventStatus) []EventState {
		var out []EventState
		for _, s := range st {
			out = append(out, s.State)
		}
		return out
	}
	all := []EventState{EventVerified, EventVerified, EventVerified, EventVerified}
	if got := states(VerifyTimeline(item1, src.hashes, src.cp, src.keys.VerifierKey)); !cmp.Equal(got, all) {
		t.Errorf("untouched timeline = %v", got)
	}
	if got := VerifyTimeline(item1, src.hashes, nil, ""); got[0].State != EventUnsigned {
		t.Errorf("without checkpoint = %+v", got)
	}
	small, _ := SignCheckpoint(rastro.TreeHead{Size: 10, RootHash: mustRoot(src.hashes[:10])}, src.keys.Signer)
	want := []EventState{EventVerified, EventVerified, EventUnsigned, EventUnsigned} // seqs 0, 6, 12, 18
	if got := states(VerifyTimeline(item1, src.hashes, small, src.keys.VerifierKey)); !cmp.Equal(got, want) {
		t.Errorf("with an older checkpoint = %v, want %v", got, want)
	}

	changed := *item1[1]
	changed.Username = "someone else"
	got := VerifyTimeline([]*rastro.CustodyEvent{item1[0], &changed}, src.hashes, src.cp, src.keys.VerifierKey)
	if got[0].State != EventVerified || got[1].State != EventFailed || got[1].Seq != item1[1].Seq {
		t.Errorf("changed field = %+v", got)
	}
	releafed := changed
	releafed.Leaf, _ = EncodeLeaf(&changed)
	if got := VerifyTimeline([]*rastro.CustodyEvent{&releafed}, src.hashes, src.cp, src.keys.VerifierKey); got[0].State != EventFailed {
		t.Errorf("changed leaf = %+v", got)
	}
	forgedHashes := append([][]byte(nil), src.hashes...)
	forgedHashes[releafed.Seq] = LeafHash(releafed.Leaf)
	got = VerifyTimeline([]*rastro.CustodyEvent{&releafed}, forgedHashes, src.cp, src.keys.VerifierKey)
	if got[0].State != EventFailed || !bytes.Contains([]byte(got[0].Problem), []byte("not included")) {
		t.Errorf("changed leaf and hash = %+v", got)
	}
	other := newFakeSource(t).keys.VerifierKey
	if got := VerifyTimeline(item1[:1], src.hashes, src.cp, other); got[0].State != EventFailed {
		t.Errorf("checkpoint by another key = %+v", got)
	}
}

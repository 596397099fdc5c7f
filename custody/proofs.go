package custody

import (
	"encoding/hex"
	"fmt"

	"github.com/rastro/rastro"
)

// Proofs is custody/proofs.json: one inclusion proof per event, to the
// checkpoint's tree. Hashes are lowercase hex.
type Proofs struct {
	TreeSize int64        `json:"tree_size"`
	RootHash string       `json:"root_hash"`
	Proofs   []EventProof `json:"proofs"`
}

// EventProof is the inclusion proof of one event: its leaf hash and audit
// path (RFC 6962 §2.1.1), bottom up.
type EventProof struct {
	Seq      int64    `json:"seq"`
	LeafHash string   `json:"leaf_hash"`
	Path     []string `json:"path"`
}

// buildProofs computes the proofs of events against the checkpoint from
// the log's leaf hashes, checking that they give the signed root.
func buildProofs(events []*rastro.CustodyEvent, cp *rastro.Checkpoint, hashes [][]byte) (Proofs, error) {
	if int64(len(hashes)) != cp.Size {
		return Proofs{}, fmt.Errorf("write package: %d leaf hashes for checkpoint size %d", len(hashes), cp.Size)
	}
	tree, err := NewTree(hashes)
	if err != nil {
		return Proofs{}, fmt.Errorf("write package: %w", err)
	}
	if root := tree.Root(); hex.EncodeToString(root) != hex.EncodeToString(cp.RootHash) {
		return Proofs{}, fmt.Errorf("write package: the log's leaves give root %x, not the signed root %x: run custody verification", root, cp.RootHash)
	}
	p := Proofs{TreeSize: cp.Size, RootHash: hex.EncodeToString(cp.RootHash), Proofs: []EventProof{}}
	for _, ev := range events {
		path, err := tree.InclusionProof(uint64(ev.Seq), uint64(cp.Size))
		if err != nil {
			return Proofs{}, fmt.Errorf("write package: event %d: %w", ev.Seq, err)
		}
		if err := VerifyInclusion(uint64(ev.Seq), uint64(cp.Size), ev.LeafHash, path, cp.RootHash); err != nil {
			return Proofs{}, fmt.Errorf("write package: event %d is not the log's leaf %d: %w", ev.Seq, ev.Seq, err)
		}
		ep := EventProof{Seq: ev.Seq, LeafHash: hex.EncodeToString(ev.LeafHash), Path: make([]string, len(path))}
		for i, h := range path {
			ep.Path[i] = hex.EncodeToString(h)
		}
		p.Proofs = append(p.Proofs, ep)
	}
	return p, nil
}

// EvidenceRecords is evidence.json: the case and the items as recorded at
// intake.
type EvidenceRecords struct {
	Case  CaseRecord       `json:"case"`
	Items []EvidenceRecord `json:"items"`
}

// CaseRecord identifies the case.
type CaseRecord struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Jurisdiction string `json:"jurisdiction"`
}

// EvidenceRecord is one item's record. HashesOnly means the original is
// deliberately absent.
type EvidenceRecord struct {
	ID           int64  `json:"id"`
	SHA256       string `json:"sha256"`
	MD5          string `json:"md5"`
	SHA1         string `json:"sha1"`
	Size         int64  `json:"size"`
	MediaType    string `json:"media_type"`
	OriginalName string `json:"original_name"`
	Source       string `json:"source"`
	ExhibitNo    string `json:"exhibit_no"`
	AcquiredAt   string `json:"acquired_at"`
	Tool         string `json:"tool"`
	SourceTZ     string `json:"source_tz"`
	ParentID     int64  `json:"parent_id"`
	HashesOnly   bool   `json:"hashes_only"`
}

// evidenceRecords builds evidence.json.
func evidenceRecords(c *contents) EvidenceRecords {
	r := EvidenceRecords{Case: CaseRecord{ID: c.cs.ID, Title: c.cs.Title, Jurisdiction: c.cs.Jurisdiction}, Items: []EvidenceRecord{}}
	for _, it := range c.items {
		e := it.Evidence
		r.Items = append(r.Items, EvidenceRecord{
			ID: e.ID, SHA256: e.SHA256, MD5: e.MD5, SHA1: e.SHA1, Size: e.Size, MediaType: e.MediaType,
			OriginalName: e.OriginalName, Source: e.Source, ExhibitNo: e.ExhibitNo,
			AcquiredAt: e.AcquiredAt.UTC().Format(TimeLayout), Tool: e.Tool, SourceTZ: e.SourceTZ,
			ParentID: e.ParentID, HashesOnly: it.HashesOnly,
		})
	}
	return r
}

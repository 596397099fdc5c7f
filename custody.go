package rastro

import (
	"context"
	"encoding/json"
	"time"
)

// CustodyAction is what was done to an evidence item.
type CustodyAction string

// Custody actions, in the order an item usually meets them.
const (
	CustodyAcquire         CustodyAction = "acquire"
	CustodyUnpack          CustodyAction = "unpack"
	CustodyParse           CustodyAction = "parse"
	CustodyView            CustodyAction = "view"
	CustodyDownload        CustodyAction = "download"
	CustodyExport          CustodyAction = "export"
	CustodyShare           CustodyAction = "share"
	CustodyLegalHold       CustodyAction = "legal_hold"
	CustodyDeletionRequest CustodyAction = "deletion_request"
)

// CustodyActions lists every custody action.
var CustodyActions = []CustodyAction{CustodyAcquire, CustodyUnpack, CustodyParse, CustodyView,
	CustodyDownload, CustodyExport, CustodyShare, CustodyLegalHold, CustodyDeletionRequest}

// Valid reports whether a is one of CustodyActions.
func (a CustodyAction) Valid() bool {
	for _, x := range CustodyActions {
		if a == x {
			return true
		}
	}
	return false
}

// CustodyEvent is one entry of the append-only chain-of-custody log. The
// log is an RFC 6962 Merkle tree whose leaves are the canonical JSON of the
// events (package custody defines the encoding); Seq is the leaf index,
// global per instance, without gaps.
type CustodyEvent struct {
	Seq            int64           `json:"seq"`
	CaseID         int64           `json:"case_id"`
	EvidenceID     int64           `json:"evidence_id"`
	EvidenceSHA256 string          `json:"evidence_sha256"` // lowercase hex
	Action         CustodyAction   `json:"action"`
	UserID         int64           `json:"user_id,omitempty"` // 0 for the system
	Username       string          `json:"username"`
	Time           time.Time       `json:"time"` // UTC
	Tool           string          `json:"tool"`
	ToolVersion    string          `json:"tool_version"`
	Details        json.RawMessage `json:"details,omitempty"` // a JSON object
	// Leaf is the canonical JSON that was hashed into the tree, and LeafHash
	// its RFC 6962 leaf hash, SHA-256(0x00 || Leaf).
	Leaf     []byte `json:"-"`
	LeafHash []byte `json:"-"`
}

// TreeHead is the size and root hash of the custody log's Merkle tree.
type TreeHead struct {
	Size     int64  `json:"size"`
	RootHash []byte `json:"root_hash"`
}

// Checkpoint is a signed statement of a tree head: a C2SP tlog-checkpoint
// in a C2SP signed note, optionally with an RFC 3161 time-stamp token over
// the note.
type Checkpoint struct {
	Size      int64     `json:"size"`
	RootHash  []byte    `json:"root_hash"`
	Note      string    `json:"note"`                // the signed note, as published
	Timestamp []byte    `json:"timestamp,omitempty"` // DER TimeStampResp, if any
	CreatedAt time.Time `json:"created_at"`
}

// CustodyService appends to and reads the custody log.
type CustodyService interface {
	// AppendCustody appends an event in the actor's name: the store assigns
	// Seq, Time, the actor's user and the evidence hash (EINVALID when a
	// given hash differs from the item's), and returns the stored event
	// with its leaf. Requires membership of the case with read permission
	// (viewing is itself logged); ENOTFOUND for non-members or unknown items.
	AppendCustody(ctx context.Context, actor Actor, ev *CustodyEvent) (*CustodyEvent, error)
	// CustodyEvents lists a case's events in order, of one item (or of all
	// items when evidenceID is 0). Requires membership.
	CustodyEvents(ctx context.Context, actor Actor, caseID, evidenceID int64) ([]*CustodyEvent, error)
	// CustodyRange lists events with begin <= Seq < end, across cases, for
	// re-verification. Requires the system actor or RoleAuditor.
	CustodyRange(ctx context.Context, actor Actor, begin, end int64) ([]*CustodyEvent, error)
	// CustodyLeafHashes returns the leaf hashes with begin <= Seq < end, from
	// which proofs are computed; hashes reveal nothing of the events. Requires
	// a role that may read cases or the audit log.
	CustodyLeafHashes(ctx context.Context, actor Actor, begin, end int64) ([][]byte, error)
	// CustodyHead returns the current tree size and root.
	CustodyHead(ctx context.Context, actor Actor) (*TreeHead, error)
	// SaveCheckpoint stores a signed checkpoint; the system actor only
	// (EFORBIDDEN otherwise). EINVALID when its root is not the log's root
	// at that size; ECONFLICT when one of that size exists.
	SaveCheckpoint(ctx context.Context, actor Actor, cp *Checkpoint) error
	// LatestCheckpoint returns the largest checkpoint, ENOTFOUND if none.
	LatestCheckpoint(ctx context.Context, actor Actor) (*Checkpoint, error)
	// CheckpointBySize returns the checkpoint of a tree size, ENOTFOUND if none.
	CheckpointBySize(ctx context.Context, actor Actor, size int64) (*Checkpoint, error)
}

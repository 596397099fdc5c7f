package rastro

import (
	"context"
	"time"
)

// Evidence is the metadata of one evidence item. The bytes live in the vault,
// addressed by SHA256; this record says where they came from.
type Evidence struct {
	ID           int64     `json:"id"`
	CaseID       int64     `json:"case_id"`
	SHA256       string    `json:"sha256"` // lowercase hex
	MD5          string    `json:"md5,omitempty"`
	SHA1         string    `json:"sha1,omitempty"`
	Size         int64     `json:"size"`
	MediaType    string    `json:"media_type"`
	OriginalName string    `json:"original_name"`
	Source       string    `json:"source"` // device, account, seizure
	ExhibitNo    string    `json:"exhibit_no,omitempty"`
	AcquiredAt   time.Time `json:"acquired_at"`
	AcquiredBy   int64     `json:"acquired_by"`
	Tool         string    `json:"tool,omitempty"`
	SourceTZ     string    `json:"source_tz,omitempty"` // IANA zone of the source device
	Notes        string    `json:"notes,omitempty"`
	ParentID     int64     `json:"parent_id,omitempty"` // container this item was extracted from
	CreatedAt    time.Time `json:"created_at"`
}

// Record is one parsed unit of an evidence item (a message, an ad, a
// transaction, ...), with the exact place it came from.
type Record struct {
	ID         int64     `json:"id"`
	CaseID     int64     `json:"case_id"`
	EvidenceID int64     `json:"evidence_id"`
	Kind       string    `json:"kind"`    // message, ad, transaction, call, contact, report, page, image
	Locator    string    `json:"locator"` // e.g. "line:12", "bytes:100-180", "json:/messages/3"
	Time       time.Time `json:"time,omitzero"`
	Text       string    `json:"text,omitempty"`
}

// EvidenceService records evidence metadata and parsed records. Every call
// requires membership of the case; writing requires a role that may write
// case data (analyst, investigator, caseworker, admin member).
type EvidenceService interface {
	// CreateEvidence stores the item; an item with the same SHA-256 already
	// in the case is returned instead (idempotent intake), with created=false.
	CreateEvidence(ctx context.Context, actor Actor, e *Evidence) (created bool, err error)
	EvidenceByID(ctx context.Context, actor Actor, caseID, id int64) (*Evidence, error)
	EvidenceList(ctx context.Context, actor Actor, caseID int64) ([]*Evidence, error)
	// CreateRecords stores records of one evidence item in one transaction.
	CreateRecords(ctx context.Context, actor Actor, caseID int64, recs []*Record) error
	// StoreParsed stores a batch of parsed records and, in the same
	// transaction, the entities (with statements) and links that derive
	// returns once the records have their IDs: one commit per batch, all
	// or nothing. derive runs while the write transaction is open: keep it
	// cheap (scan texts before the call).
	StoreParsed(ctx context.Context, actor Actor, caseID int64, recs []*Record, derive func() ([]*Entity, []*Link, error)) error
	RecordByID(ctx context.Context, actor Actor, caseID, id int64) (*Record, error)
	// ForEachRecord streams a case's records in ID order; like RecordByID,
	// with victims' details scrubbed from the text for readers outside the
	// compartment.
	ForEachRecord(ctx context.Context, actor Actor, caseID int64, fn func(*Record) error) error
	// PutParseReport stores what parsing an item did, replacing its
	// previous report (writing requires write permission).
	PutParseReport(ctx context.Context, actor Actor, r *ParseReport) error
	// ParseReports lists a case's parse reports, failures first, then by
	// item; evidenceID 0 lists every item's.
	ParseReports(ctx context.Context, actor Actor, caseID, evidenceID int64) ([]*ParseReport, error)
}

// ParseOutcome is how parsing an evidence item ended.
type ParseOutcome string

// Parse outcomes.
const (
	ParseParsed  ParseOutcome = "parsed"  // records stored; Problems lists parts skipped
	ParseSkipped ParseOutcome = "skipped" // not parsed: Reason says why (no parser, a container, ...)
	ParseFailed  ParseOutcome = "failed"  // the parse stopped: Location and Reason say where and why
)

// MaxParseProblems is how many problems a stored parse report keeps; the
// rest are counted in MoreProblems.
const MaxParseProblems = 100

// ParseReport says what parsing one evidence item did.
type ParseReport struct {
	CaseID     int64        `json:"case_id"`
	EvidenceID int64        `json:"evidence_id"`
	Name       string       `json:"name"` // the item's original name (read only)
	Format     string       `json:"format"`
	Outcome    ParseOutcome `json:"outcome"`
	Records    int          `json:"records"`
	Reason     string       `json:"reason,omitempty"`
	// Location is where a failed parse stopped ("line:12", "byte 4096"),
	// when the parser says.
	Location     string         `json:"location,omitempty"`
	Problems     []ParseProblem `json:"problems"`
	MoreProblems int            `json:"more_problems,omitempty"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// ParseProblem is one skipped part of an item: where and why.
type ParseProblem struct {
	Locator string `json:"locator"`
	Reason  string `json:"reason"`
}

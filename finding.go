package rastro

import (
	"context"
	"time"
)

// Triage is the state of a finding in an analyst's queue.
type Triage string

// Triage states.
const (
	TriageNew       Triage = "new"
	TriageConfirmed Triage = "confirmed"
	TriageDismissed Triage = "dismissed"
)

// Finding is an explained lead: never a verdict.
type Finding struct {
	ID           int64     `json:"id"`
	CaseID       int64     `json:"case_id"`
	Kind         string    `json:"kind"` // e.g. "money.fan_in", "hash.match", "screen.palermo"
	Title        string    `json:"title"`
	Explanation  string    `json:"explanation"`
	Severity     int       `json:"severity"` // 1 (low) .. 5 (high)
	EntityIDs    []string  `json:"entity_ids"`
	StatementIDs []int64   `json:"statement_ids,omitempty"`
	Triage       Triage    `json:"triage"`
	CreatedAt    time.Time `json:"created_at"`
	// SubjectIDs are the entities the lead is about, and VictimIDs the
	// (possible) victims it names, who must be shown as victims and never as
	// subjects. The store fills both (screen.Protect) when the finding is
	// created and again on every read; OverrideIDs are victims the case's
	// lead investigator let stay subjects, with an audited reason.
	SubjectIDs  []string `json:"subject_ids,omitempty"`
	VictimIDs   []string `json:"victim_ids,omitempty"`
	OverrideIDs []string `json:"override_ids,omitempty"`
}

// FindingService stores findings. Reads require membership.
type FindingService interface {
	CreateFinding(ctx context.Context, actor Actor, f *Finding) error
	Findings(ctx context.Context, actor Actor, caseID int64) ([]*Finding, error)
	SetTriage(ctx context.Context, actor Actor, caseID, id int64, t Triage) error
}

// AuditEvent is one security-relevant action: who, what, which object, when,
// why. Append-only: no service offers to change or delete one.
type AuditEvent struct {
	ID       int64     `json:"id"`
	Time     time.Time `json:"time"`
	UserID   int64     `json:"user_id,omitempty"`
	Username string    `json:"username"`
	Action   string    `json:"action"` // login, login_failed, role_change, export, view_victim, ...
	CaseID   int64     `json:"case_id,omitempty"`
	Object   string    `json:"object,omitempty"` // "entity:abc", "user:3"
	Purpose  string    `json:"purpose,omitempty"`
	Details  string    `json:"details,omitempty"`
	Remote   string    `json:"remote,omitempty"`
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Action string
	CaseID int64
	UserID int64
	Before int64 // events with ID < Before; 0 for the newest
	Limit  int   // 0 means 100
}

// AuditService appends to and reads the audit log. Reading requires
// RoleAuditor (or the system actor).
type AuditService interface {
	Audit(ctx context.Context, actor Actor, ev *AuditEvent) error
	AuditEvents(ctx context.Context, actor Actor, f AuditFilter) ([]*AuditEvent, error)
}

// ProviderReport is a referral submitted by an online service provider
// (CyberTipline-like JSON), kept as received.
type ProviderReport struct {
	ID          int64     `json:"id"`
	AgencyID    int64     `json:"agency_id"`
	SubmittedBy int64     `json:"submitted_by"`
	ExternalID  string    `json:"external_id,omitempty"`
	SHA256      string    `json:"sha256"`
	Payload     []byte    `json:"-"`
	ReceivedAt  time.Time `json:"received_at"`
}

// ReportService receives provider reports. Submitting requires RoleProvider
// (or the report scope); listing requires an admin or investigator.
type ReportService interface {
	SubmitReport(ctx context.Context, actor Actor, r *ProviderReport) error
	Reports(ctx context.Context, actor Actor) ([]*ProviderReport, error)
}

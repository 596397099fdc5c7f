package rastro

import (
	"context"
	"time"
)

// CaseStatus is the life-cycle state of a case.
type CaseStatus string

// Case statuses.
const (
	CaseOpen     CaseStatus = "open"
	CaseClosed   CaseStatus = "closed"
	CaseArchived CaseStatus = "archived"
)

// Case is an investigation or a victim-protection file. All its data is read
// through membership.
type Case struct {
	ID           int64      `json:"id"`
	AgencyID     int64      `json:"agency_id"`
	Title        string     `json:"title"`
	Jurisdiction string     `json:"jurisdiction"` // ISO 3166-1 alpha-2
	Status       CaseStatus `json:"status"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
}

// CaseRoleMember is a member's role within one case.
type MemberRole string

// Member roles. A lead may add and remove members and take the audited
// decisions that protect victims.
const (
	MemberLead   MemberRole = "lead"
	MemberMember MemberRole = "member"
)

// CaseMember grants a user access to a case.
type CaseMember struct {
	CaseID  int64      `json:"case_id"`
	UserID  int64      `json:"user_id"`
	Role    MemberRole `json:"role"`
	AddedAt time.Time  `json:"added_at"`
}

// CaseStats are the counts shown on a case's dashboard.
type CaseStats struct {
	Evidence   int `json:"evidence"`
	Entities   int `json:"entities"`
	Statements int `json:"statements"`
	Links      int `json:"links"`
	Findings   int `json:"findings"`
	Jobs       int `json:"jobs_pending"`
}

// CaseService manages cases and membership. Creating a case requires
// RoleAdmin, RoleInvestigator, RoleAnalyst or RoleCaseworker; the creator
// becomes its lead. Reading a case requires membership (ENOTFOUND otherwise,
// so that non-members cannot learn which cases exist).
type CaseService interface {
	CreateCase(ctx context.Context, actor Actor, c *Case) error
	// Cases lists the cases the actor is a member of (all cases for the
	// system actor).
	Cases(ctx context.Context, actor Actor) ([]*Case, error)
	CaseByID(ctx context.Context, actor Actor, id int64) (*Case, error)
	CaseStats(ctx context.Context, actor Actor, id int64) (*CaseStats, error)
	// AddMember requires the case's lead, an admin or the system actor.
	AddMember(ctx context.Context, actor Actor, m *CaseMember) error
	RemoveMember(ctx context.Context, actor Actor, caseID, userID int64) error
	Members(ctx context.Context, actor Actor, caseID int64) ([]*CaseMember, error)
	// Membership returns the actor's membership of a case, ENOTFOUND if none.
	Membership(ctx context.Context, actor Actor, caseID int64) (*CaseMember, error)
}

package rastro

import (
	"context"
	"strings"
	"time"
)

// CaseRole is the role a person plays in a case. Victims and possible
// victims are never treated as suspects (DESIGN §3.3).
type CaseRole string

// Case roles.
const (
	CaseRoleUnknown        CaseRole = "unknown"
	CaseRoleSuspect        CaseRole = "suspect"
	CaseRolePossibleVictim CaseRole = "possible_victim"
	CaseRoleVictim         CaseRole = "victim"
	CaseRoleWitness        CaseRole = "witness"
	CaseRolePersonOfInt    CaseRole = "person_of_interest"
)

// IsVictim reports whether r marks a (possible) victim, whose data is
// protected and whose views are audited.
func (r CaseRole) IsVictim() bool {
	return r == CaseRoleVictim || r == CaseRolePossibleVictim
}

// LegalStatus is the legal standing of a suspect: never a verdict of the
// software.
type LegalStatus string

// Legal statuses.
const (
	LegalNone      LegalStatus = ""
	LegalSuspected LegalStatus = "suspected"
	LegalCharged   LegalStatus = "charged"
	LegalConvicted LegalStatus = "convicted"
	LegalAcquitted LegalStatus = "acquitted"
)

// Origin says what produced a statement.
type Origin string

// Statement origins.
const (
	OriginParser    Origin = "parser"
	OriginExtractor Origin = "extractor"
	OriginAnalyst   Origin = "analyst"
	OriginAlgorithm Origin = "algorithm"
	OriginImport    Origin = "import"
)

// Entity is a FollowTheMoney-style entity: a schema and the sum of its
// statements. ID is stable within the case (deterministic from what produced
// it, so that re-ingesting changes nothing).
type Entity struct {
	ID          string       `json:"id"`
	CaseID      int64        `json:"case_id"`
	Schema      string       `json:"schema"`
	Caption     string       `json:"caption"`
	CaseRole    CaseRole     `json:"case_role"`
	LegalStatus LegalStatus  `json:"legal_status,omitempty"`
	Sensitivity string       `json:"sensitivity,omitempty"` // "", "restricted"
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	Statements  []*Statement `json:"statements,omitempty"`
	// Redacted is set by the store when the reader may not open the victims'
	// compartment: Caption is then a pseudonym and Statements holds only
	// non-identifying facts (gender, nationality, ...).
	Redacted bool `json:"redacted,omitempty"`
	// Minor is set by the store when the entity's statements make them
	// younger than 18 at the time of the events (see IsMinor).
	Minor bool `json:"minor,omitempty"`
}

// Statement is one fact about an entity with where it came from.
type Statement struct {
	ID         int64     `json:"id"`
	CaseID     int64     `json:"case_id"`
	EntityID   string    `json:"entity_id"`
	Prop       string    `json:"prop"`
	Value      string    `json:"value"`
	Normalized string    `json:"normalized,omitempty"`
	EvidenceID int64     `json:"evidence_id,omitempty"`
	RecordID   int64     `json:"record_id,omitempty"`
	Locator    string    `json:"locator,omitempty"`
	Origin     Origin    `json:"origin"`
	Confidence float64   `json:"confidence"`
	CreatedAt  time.Time `json:"created_at"`
}

// Link is a typed, time-bounded edge between two entities with provenance.
type Link struct {
	ID         string    `json:"id"`
	CaseID     int64     `json:"case_id"`
	Schema     string    `json:"schema"` // Payment, Message, Call, Associate, Family, Employment, Ownership, UnknownLink, uses, appears_in
	SourceID   string    `json:"source_id"`
	TargetID   string    `json:"target_id"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	Amount     string    `json:"amount,omitempty"` // exact decimal, for payments
	Currency   string    `json:"currency,omitempty"`
	EvidenceID int64     `json:"evidence_id,omitempty"`
	RecordID   int64     `json:"record_id,omitempty"`
	Locator    string    `json:"locator,omitempty"`
	Origin     Origin    `json:"origin"`
	CreatedAt  time.Time `json:"created_at"`

	// Description is the link's free text as its source gives it, such as
	// a payment's statement description or memo; readers without full
	// access see it scrubbed like a record's text.
	Description string `json:"description,omitempty"`
}

// EntityFilter narrows an entity list.
type EntityFilter struct {
	Query  string // case-insensitive substring of caption or any statement value
	Schema string
	Role   CaseRole
	Offset int
	Limit  int // 0 means 100; at most 1000
}

// EntityService stores entities, statements and links. Reads require case
// membership; writes require a role that may write case data. Reading one
// entity whose case role is a (possible) victim writes an audit event in the
// same transaction.
type EntityService interface {
	// PutEntity creates the entity or updates schema, caption, role and legal
	// status, and adds statements not yet present (same prop, value and
	// provenance): idempotent.
	PutEntity(ctx context.Context, actor Actor, e *Entity) error
	// PutEntities puts several entities of one case in one transaction, all
	// or none (EINVALID when they span cases).
	PutEntities(ctx context.Context, actor Actor, es []*Entity) error
	// Entity returns the entity with its statements.
	Entity(ctx context.Context, actor Actor, caseID int64, id string) (*Entity, error)
	// Entities lists entities without statements, and the total matching.
	Entities(ctx context.Context, actor Actor, caseID int64, f EntityFilter) ([]*Entity, int, error)
	// ForEachEntity streams every entity of a case with its statements.
	ForEachEntity(ctx context.Context, actor Actor, caseID int64, fn func(*Entity) error) error
	// SetCaseRole changes an entity's role; audited with the actor's purpose.
	SetCaseRole(ctx context.Context, actor Actor, caseID int64, id string, role CaseRole, legal LegalStatus) error
	PutLinks(ctx context.Context, actor Actor, caseID int64, links []*Link) error
	// Links lists links touching the entity ("" for all of the case).
	Links(ctx context.Context, actor Actor, caseID int64, entityID string) ([]*Link, error)
	// Statement returns one statement, for provenance views.
	Statement(ctx context.Context, actor Actor, caseID, id int64) (*Statement, error)
}

// NeedToKnowGrant lets one case member open the victims' compartment of a
// case until a time, for a written reason. Only the case's lead grants and
// revokes; both are audited.
type NeedToKnowGrant struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	UserID    int64     `json:"user_id"`
	GrantedBy int64     `json:"granted_by"`
	Reason    string    `json:"reason"`
	GrantedAt time.Time `json:"granted_at"`
	Until     time.Time `json:"until"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// MinorAge is the age below which a person is a child (Palermo Protocol,
// art. 3(d)).
const MinorAge = 18

// IsMinor reports whether statements make their entity younger than
// MinorAge at time at: a "birthDate" (YYYY, YYYY-MM or YYYY-MM-DD; a partial
// date is read as its latest possible day, so that doubt protects) or a
// stated "age" (leading number, e.g. "16", "16 años"), which is taken as the
// age at the time it was stated. Unparseable values are ignored.
func IsMinor(statements []*Statement, at time.Time) bool {
	for _, s := range statements {
		switch s.Prop {
		case "birthDate":
			if b, ok := latestBirth(s.Value); ok && b.AddDate(MinorAge, 0, 0).After(at) {
				return true
			}
		case "age":
			if n, ok := leadingNumber(s.Value); ok && n < MinorAge {
				return true
			}
		}
	}
	return false
}

// latestBirth parses a full or partial ISO date as its last possible day.
func latestBirth(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, l := range []struct {
		layout string
		years  int
		months int
	}{{"2006-01-02", 0, 0}, {"2006-01", 0, 1}, {"2006", 1, 0}} {
		if len(v) < len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, v[:len(l.layout)])
		if err != nil {
			continue
		}
		if l.years+l.months > 0 {
			t = t.AddDate(l.years, l.months, -1)
		}
		return t, true
	}
	return time.Time{}, false
}

// leadingNumber parses the digits at the start of v.
func leadingNumber(v string) (int, bool) {
	v = strings.TrimSpace(v)
	n, digits := 0, 0
	for _, r := range v {
		if r < '0' || r > '9' || digits == 3 {
			break
		}
		n, digits = n*10+int(r-'0'), digits+1
	}
	return n, digits > 0
}

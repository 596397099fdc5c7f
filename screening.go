package rastro

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// ScreeningStatus is whether a screening is still being taken or closed.
type ScreeningStatus string

// Screening statuses.
const (
	ScreeningDraft ScreeningStatus = "draft"
	ScreeningFinal ScreeningStatus = "final"
)

// Valid reports whether s is a known status.
func (s ScreeningStatus) Valid() bool { return s == ScreeningDraft || s == ScreeningFinal }

// Screening is a caseworker's structured screening interview with one
// (possible) victim entity. Interview and Result are opaque JSON kept by the
// store: the screen package's interview and facts, and its result. A
// screening is a screening aid, never a legal determination.
type Screening struct {
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	EntityID  string          `json:"entity_id"`
	Interview json.RawMessage `json:"interview"`
	Status    ScreeningStatus `json:"status"`
	Result    json.RawMessage `json:"result,omitempty"`
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ReferralService is the kind of assistance a possible victim is referred to.
type ReferralService string

// Referral services.
const (
	ServiceShelter       ReferralService = "shelter"
	ServiceMedical       ReferralService = "medical"
	ServicePsychological ReferralService = "psychological"
	ServiceLegal         ReferralService = "legal"
	ServiceRepatriation  ReferralService = "repatriation"
	ServiceFamilyTracing ReferralService = "family_tracing"
)

// ReferralServices lists the services in display order.
func ReferralServices() []ReferralService {
	return []ReferralService{ServiceShelter, ServiceMedical, ServicePsychological,
		ServiceLegal, ServiceRepatriation, ServiceFamilyTracing}
}

// Valid reports whether s is a known service.
func (s ReferralService) Valid() bool {
	for _, x := range ReferralServices() {
		if s == x {
			return true
		}
	}
	return false
}

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses.
const (
	ReferralSent      ReferralStatus = "sent"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralCompleted ReferralStatus = "completed"
	ReferralDeclined  ReferralStatus = "declined"
)

// ReferralStatuses lists the statuses in order.
func ReferralStatuses() []ReferralStatus {
	return []ReferralStatus{ReferralSent, ReferralAccepted, ReferralCompleted, ReferralDeclined}
}

// Valid reports whether s is a known status.
func (s ReferralStatus) Valid() bool {
	for _, x := range ReferralStatuses() {
		if s == x {
			return true
		}
	}
	return false
}

// ConsentForm is how informed consent was given (HTCDS consent fields).
type ConsentForm string

// Consent forms.
const (
	ConsentVerbal  ConsentForm = "verbal"
	ConsentWritten ConsentForm = "written"
)

// Consent records the victim's informed consent to a referral: whether it
// was given, when, in which form and who recorded it.
type Consent struct {
	Given bool        `json:"given"`
	Date  time.Time   `json:"date,omitzero"`
	Form  ConsentForm `json:"form,omitempty"`
	By    string      `json:"by,omitempty"` // who took the consent (name or role), never the victim
}

// MinConsentException is the shortest written reason for a referral made
// without consent.
const MinConsentException = 20

// Referral is a referral of a (possible) victim to assistance, with the
// informed consent recorded. Without consent a referral needs a documented
// exception (for example a child protection duty).
type Referral struct {
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	EntityID  string          `json:"entity_id"`
	Service   ReferralService `json:"service"`
	Provider  string          `json:"provider"`
	Consent   Consent         `json:"consent"`
	Exception string          `json:"exception,omitempty"` // why there is no consent
	Status    ReferralStatus  `json:"status"`
	Notes     string          `json:"notes,omitempty"`
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Validate checks a new referral: a known service and status, a provider,
// and either consent given (with date and form) or a written exception of
// at least MinConsentException characters.
func (r *Referral) Validate() error {
	switch {
	case r.EntityID == "":
		return Errorf(EINVALID, "A referral must name the person referred.")
	case !r.Service.Valid():
		return Errorf(EINVALID, "Service %q is not one of shelter, medical, psychological, legal, repatriation, family_tracing.", r.Service)
	case strings.TrimSpace(r.Provider) == "":
		return Errorf(EINVALID, "A referral must name the provider.")
	case !r.Status.Valid():
		return Errorf(EINVALID, "Referral status %q is not one of sent, accepted, completed, declined.", r.Status)
	}
	return r.Consent.validate(r.Exception)
}

// validate checks the consent, or the exception that replaces it.
func (c Consent) validate(exception string) error {
	if !c.Given {
		if len([]rune(strings.TrimSpace(exception))) < MinConsentException {
			return Errorf(EINVALID, "A referral needs the person's informed consent, or a documented exception (such as a child protection duty) of at least %d characters.", MinConsentException)
		}
		return nil
	}
	if c.Date.IsZero() {
		return Errorf(EINVALID, "Record the date consent was given.")
	}
	if c.Form != ConsentVerbal && c.Form != ConsentWritten {
		return Errorf(EINVALID, "Consent form %q is not one of verbal, written.", c.Form)
	}
	return nil
}

// ScreeningService keeps screenings and referrals of (possible) victims.
// Only members of the case whose role holds PermReadVictims (caseworkers)
// may use it; every read and write is audited in its transaction
// (screening_view, screening_save, referral_view, referral_create,
// referral_update). The entity must be a (possible) victim of the case.
type ScreeningService interface {
	// CreateScreening stores a new screening (ID and times are set).
	CreateScreening(ctx context.Context, actor Actor, s *Screening) error
	// SaveScreening updates a screening's interview, status and result.
	SaveScreening(ctx context.Context, actor Actor, s *Screening) error
	// Screening returns one screening of a case.
	Screening(ctx context.Context, actor Actor, caseID, id int64) (*Screening, error)
	// Screenings lists an entity's screenings, newest first.
	Screenings(ctx context.Context, actor Actor, caseID int64, entityID string) ([]*Screening, error)
	// CreateReferral stores a validated referral (ID and times are set).
	CreateReferral(ctx context.Context, actor Actor, r *Referral) error
	// UpdateReferral changes a referral's status and notes.
	UpdateReferral(ctx context.Context, actor Actor, caseID, id int64, status ReferralStatus, notes string) (*Referral, error)
	// Referrals lists an entity's referrals, newest first.
	Referrals(ctx context.Context, actor Actor, caseID int64, entityID string) ([]*Referral, error)
}

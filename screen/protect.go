package screen

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// RoleFunc returns the case role of an entity. The store backs it with the
// entity's own role and, for accounts, phones and other identifiers, with
// the role of the person who holds them, so that "the victim's account"
// is protected like the victim.
type RoleFunc func(entityID string) rastro.CaseRole

// ProtectedNote is the sentence Protect adds to a finding's explanation for
// each protected entity, with the entity ID in place of %s (never a name).
const ProtectedNote = "Entity %s is recorded as a (possible) victim: it appears in this finding as a victim, not as a subject."

// MinOverrideReason is the shortest written reason an override accepts.
const MinOverrideReason = 20

// AuditActionOverride is the audit action of a victim-as-subject override.
const AuditActionOverride = "victim_subject_override"

// Override is the explicit decision of a case's lead investigator to let
// (possible) victims be the subjects of one finding (for example where a
// victim has become a recruiter). It names the entities it covers; every
// other victim in the finding stays protected.
type Override struct {
	By        rastro.Actor      // the deciding user; must hold RoleInvestigator
	Member    rastro.MemberRole // the user's role in the finding's case; must be lead
	CaseID    int64             // must match the finding's case
	EntityIDs []string          // the victims this decision covers
	Reason    string            // written reason, at least MinOverrideReason characters
	At        time.Time         // when the decision was taken
}

// ProtectedEntity is an entity of a finding that must be shown as a victim.
type ProtectedEntity struct {
	ID   string          `json:"id"`
	Role rastro.CaseRole `json:"role"`
}

// ProtectedFinding is a finding after the non-criminalisation rule: Subjects
// are the entities the lead is about; Victims must be shown as victims and
// never as suspects, in lists, exports, alerts and reports. Audit, when not
// nil, is the override's audit record, to be stored in the same transaction
// as the finding.
type ProtectedFinding struct {
	Finding  *rastro.Finding    `json:"finding"`
	Subjects []string           `json:"subjects"`
	Victims  []ProtectedEntity  `json:"victims"`
	Overrode []string           `json:"overrode,omitempty"`
	Audit    *rastro.AuditEvent `json:"-"`
	sealed   bool
}

// Sealed reports whether p was made by Protect (not assembled by hand or
// decoded from JSON): a store method that accepts a ProtectedFinding should
// refuse one that is not sealed.
func (p *ProtectedFinding) Sealed() bool { return p != nil && p.sealed }

// Protect applies the non-criminalisation rule to f: every entity whose role
// (through roles) is a victim or possible victim is moved out of the
// finding's subjects and listed as a victim, and the explanation says so.
// Only an override by the case's lead investigator, with a written reason,
// keeps named victims as subjects; it returns an audit record to store.
//
// Protect never changes f: the returned Finding is a copy. It is idempotent
// (protecting a protected finding adds no second note), so the store can
// apply it both when a finding is created and when findings are read (a
// person's role may have changed since). Errors: EINVALID for a nil finding
// or roles, EFORBIDDEN for an override that is not allowed.
func Protect(f *rastro.Finding, roles RoleFunc, override *Override) (*ProtectedFinding, error) {
	if f == nil || roles == nil {
		return nil, rastro.Errorf(rastro.EINVALID, "protect: a finding and a role lookup are required")
	}
	if err := checkOverride(f, override); err != nil {
		return nil, err
	}
	out := &ProtectedFinding{Finding: copyFinding(f), Subjects: []string{}, Victims: []ProtectedEntity{}, sealed: true}
	var notes []string
	for _, id := range f.EntityIDs {
		role := roles(id)
		switch {
		case !role.IsVictim():
			out.Subjects = append(out.Subjects, id)
		case override != nil && slices.Contains(override.EntityIDs, id):
			out.Subjects = append(out.Subjects, id)
			out.Overrode = append(out.Overrode, id)
		default:
			out.Victims = append(out.Victims, ProtectedEntity{ID: id, Role: role})
			notes = append(notes, fmt.Sprintf(ProtectedNote, id))
		}
	}
	out.Finding.Explanation = addNotes(out.Finding.Explanation, notes)
	if len(out.Overrode) > 0 {
		out.Audit = overrideAudit(f, override, out.Overrode)
	}
	return out, nil
}

// Reprotect applies the rule again to a finding read back from the store,
// whose override (if any) was validated and audited by Protect when the
// finding was created: overrode is ProtectedFinding.Overrode as stored with
// the finding. Victims added since (a role changed) are protected; only the
// stored override's entities stay subjects. Never pass IDs that did not come
// from a stored, audited override.
func Reprotect(f *rastro.Finding, roles RoleFunc, overrode []string) (*ProtectedFinding, error) {
	if len(overrode) == 0 {
		return Protect(f, roles, nil)
	}
	if f == nil || roles == nil {
		return nil, rastro.Errorf(rastro.EINVALID, "protect: a finding and a role lookup are required")
	}
	stored := func(id string) rastro.CaseRole {
		if slices.Contains(overrode, id) {
			return rastro.CaseRoleUnknown
		}
		return roles(id)
	}
	p, err := Protect(f, stored, nil)
	if err != nil {
		return nil, err
	}
	for _, id := range f.EntityIDs {
		if slices.Contains(overrode, id) && roles(id).IsVictim() {
			p.Overrode = append(p.Overrode, id)
		}
	}
	return p, nil
}

// RoleChange is the outcome of CheckRoleChange: Audit is the override's
// audit record to store with the change, nil when no override was needed.
type RoleChange struct {
	Audit *rastro.AuditEvent
}

// CheckRoleChange applies the same rule to a change of case role: turning a
// (possible) victim into a suspect or person of interest needs an override
// covering the entity. Errors: EFORBIDDEN without a valid override, EINVALID
// for an override without a reason.
func CheckRoleChange(caseID int64, entityID string, from, to rastro.CaseRole, override *Override) (RoleChange, error) {
	if !from.IsVictim() || (to != rastro.CaseRoleSuspect && to != rastro.CaseRolePersonOfInt) {
		return RoleChange{}, nil
	}
	if override == nil || !slices.Contains(override.EntityIDs, entityID) {
		return RoleChange{}, rastro.Errorf(rastro.EFORBIDDEN,
			"This person is recorded as a %s; only the case's lead investigator can record them as a %s, with a written reason.",
			strings.ReplaceAll(string(from), "_", " "), strings.ReplaceAll(string(to), "_", " "))
	}
	if err := validOverride(caseID, override); err != nil {
		return RoleChange{}, err
	}
	return RoleChange{Audit: &rastro.AuditEvent{
		Time: override.At, UserID: override.By.UserID, Username: override.By.Username,
		Action: AuditActionOverride, CaseID: caseID, Object: "entity:" + entityID,
		Purpose: override.Reason, Details: fmt.Sprintf("case role %s -> %s", from, to),
	}}, nil
}

// checkOverride validates an override against the finding, if there is one.
func checkOverride(f *rastro.Finding, o *Override) error {
	if o == nil {
		return nil
	}
	return validOverride(f.CaseID, o)
}

// validOverride enforces who may override and that the reason is written.
func validOverride(caseID int64, o *Override) error {
	switch {
	case o.By.Role != rastro.RoleInvestigator || o.By.System:
		return rastro.Errorf(rastro.EFORBIDDEN, "protect: only a lead investigator may override victim protection")
	case o.Member != rastro.MemberLead:
		return rastro.Errorf(rastro.EFORBIDDEN, "protect: only the case's lead may override victim protection")
	case o.CaseID != caseID:
		return rastro.Errorf(rastro.EFORBIDDEN, "protect: the override was given for case %d, not case %d", o.CaseID, caseID)
	case len(strings.TrimSpace(o.Reason)) < MinOverrideReason:
		return rastro.Errorf(rastro.EINVALID, "protect: an override needs a written reason of at least %d characters", MinOverrideReason)
	case len(o.EntityIDs) == 0:
		return rastro.Errorf(rastro.EINVALID, "protect: an override must name the entities it covers")
	case o.At.IsZero():
		return rastro.Errorf(rastro.EINVALID, "protect: an override needs the time of the decision")
	}
	return nil
}

// overrideAudit builds the audit record of an override that was used.
func overrideAudit(f *rastro.Finding, o *Override, ids []string) *rastro.AuditEvent {
	return &rastro.AuditEvent{
		Time: o.At, UserID: o.By.UserID, Username: o.By.Username,
		Action: AuditActionOverride, CaseID: f.CaseID,
		Object:  "entity:" + strings.Join(ids, ",entity:"),
		Purpose: o.Reason,
		Details: fmt.Sprintf("finding kind %q titled %q names (possible) victims as subjects", f.Kind, f.Title),
	}
}

// addNotes appends each note not already present to explanation.
func addNotes(explanation string, notes []string) string {
	for _, n := range notes {
		if strings.Contains(explanation, n) {
			continue
		}
		if explanation != "" {
			explanation += "\n"
		}
		explanation += n
	}
	return explanation
}

// copyFinding returns a deep copy of f.
func copyFinding(f *rastro.Finding) *rastro.Finding {
	c := *f
	c.EntityIDs = slices.Clone(f.EntityIDs)
	c.StatementIDs = slices.Clone(f.StatementIDs)
	return &c
}

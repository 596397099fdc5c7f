package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// CreateFinding stores a finding; members with write permission only. The
// finding first passes through screen.Protect, in the same transaction, with
// the entities' roles as the store knows them (their own, or inherited from
// a (possible) victim through uses, Ownership and appears_in links or an
// owner/holder statement): victims are stored and returned in VictimIDs,
// never in SubjectIDs, and the explanation says so. f is updated with what
// was stored. The entity and statement IDs are kept as JSON arrays.
func (db *DB) CreateFinding(ctx context.Context, actor rastro.Actor, f *rastro.Finding) error {
	return db.createFinding(ctx, actor, f, nil)
}

// CreateFindingWithOverride stores a finding whose (possible) victims in
// entityIDs stay its subjects, by the explicit decision of the case's lead
// investigator with a written reason (screen.Override, filled from the
// actor's membership and the store's clock). The override's audit event
// (victim_subject_override) is written in the same transaction. Errors:
// EFORBIDDEN unless the actor is an investigator who leads the case,
// EINVALID without a reason of screen.MinOverrideReason characters.
func (db *DB) CreateFindingWithOverride(ctx context.Context, actor rastro.Actor, f *rastro.Finding, entityIDs []string, reason string) error {
	return db.createFinding(ctx, actor, f, &findingOverride{ids: entityIDs, reason: reason})
}

// findingOverride is an override requested for a new finding.
type findingOverride struct {
	ids    []string
	reason string
}

// createFinding protects and stores f.
func (db *DB) createFinding(ctx context.Context, actor rastro.Actor, f *rastro.Finding, o *findingOverride) error {
	if err := validateFinding(f); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, f.CaseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var ov *screen.Override
	if o != nil {
		if ov, err = db.override(ctx, tx, actor, f.CaseID, o.ids, o.reason); err != nil {
			return err
		}
	}
	prot, err := db.protect(ctx, tx, f.CaseID, f.EntityIDs)
	if err != nil {
		return err
	}
	p, err := screen.Protect(f, prot.role, ov)
	if err != nil {
		return err
	}
	applyProtection(f, p)
	f.CreatedAt = db.now()
	cols, err := findingJSON(f)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO findings (case_id, kind, title, explanation, severity, entity_ids, statement_ids, triage, created_at,
			subject_ids, victim_ids, override_ids)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		f.CaseID, f.Kind, f.Title, f.Explanation, f.Severity, cols[0], cols[1], f.Triage, db.t(f.CreatedAt),
		cols[2], cols[3], cols[4]).Scan(&f.ID)
	if err != nil {
		return db.fail("create finding", err)
	}
	if p.Audit != nil {
		p.Audit.Details += fmt.Sprintf(" (finding %d)", f.ID)
		if err := db.insertAudit(ctx, tx, actor, p.Audit); err != nil {
			return err
		}
	}
	return db.commit(tx)
}

// applyProtection copies Protect's outcome into f.
func applyProtection(f *rastro.Finding, p *screen.ProtectedFinding) {
	f.Explanation = p.Finding.Explanation
	f.SubjectIDs = nonNil(p.Subjects)
	f.VictimIDs = make([]string, len(p.Victims))
	for i, v := range p.Victims {
		f.VictimIDs[i] = v.ID
	}
	f.OverrideIDs = nil
	if len(p.Overrode) > 0 {
		f.OverrideIDs = p.Overrode
	}
}

// findingJSON returns the JSON arrays stored with f: entity, statement,
// subject, victim and override IDs.
func findingJSON(f *rastro.Finding) ([5]string, error) {
	var out [5]string
	for i, v := range []any{nonNil(f.EntityIDs), nonNil(f.StatementIDs), nonNil(f.SubjectIDs), nonNil(f.VictimIDs), nonNil(f.OverrideIDs)} {
		b, err := json.Marshal(v)
		if err != nil {
			return out, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// nonNil returns s, or an empty slice for nil, so that JSON says [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// validateFinding normalises and checks f.
func validateFinding(f *rastro.Finding) error {
	f.Kind, f.Title = strings.TrimSpace(f.Kind), strings.TrimSpace(f.Title)
	if f.Triage == "" {
		f.Triage = rastro.TriageNew
	}
	switch {
	case f.Kind == "" || f.Title == "":
		return errorf(rastro.EINVALID, "A finding needs a kind and a title.")
	case f.Severity < 1 || f.Severity > 5:
		return errorf(rastro.EINVALID, "Finding severity must be 1 (low) to 5 (high), not %d.", f.Severity)
	case !validTriage(f.Triage):
		return errorf(rastro.EINVALID, "Unknown triage state %q; use new, confirmed or dismissed.", f.Triage)
	}
	return nil
}

// validTriage reports whether t is a triage state.
func validTriage(t rastro.Triage) bool {
	return t == rastro.TriageNew || t == rastro.TriageConfirmed || t == rastro.TriageDismissed
}

// Findings lists a case's findings, most severe first. Each passes through
// screen.Reprotect with today's roles, so that a person recorded as a
// (possible) victim after the finding was created is shown as a victim; only
// the stored, audited override keeps a victim a subject.
func (db *DB) Findings(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.Finding, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	list, err := queryList(ctx, db, tx, "findings", scanFinding, `SELECT id, case_id, kind, title, explanation, severity,
		entity_ids, statement_ids, triage, created_at, override_ids FROM findings WHERE case_id = $1 ORDER BY severity DESC, id`, caseID)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, f := range list {
		for _, id := range f.EntityIDs {
			ids[id] = true
		}
	}
	prot, err := db.protect(ctx, tx, caseID, mapKeys(ids))
	if err != nil {
		return nil, err
	}
	for _, f := range list {
		p, err := screen.Reprotect(f, prot.role, f.OverrideIDs)
		if err != nil {
			return nil, err
		}
		applyProtection(f, p)
	}
	if err := db.scrubFindings(ctx, tx, actor, caseID, list); err != nil {
		return nil, err
	}
	return nonNil(list), nil
}

// scrubFindings replaces, for an actor outside the victims' compartment, the
// names, contacts and handles of the people hidden from them in each
// finding's title and explanation (an engine may have written "payments
// from María ..."), with their pseudonyms and "[redacted phone]": the same
// textScrubber every reader of free text goes through.
func (db *DB) scrubFindings(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, list []*rastro.Finding) error {
	if len(list) == 0 {
		return nil
	}
	sc, err := db.textScrubber(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	for _, f := range list {
		f.Title, f.Explanation = sc.Scrub(f.Title), sc.Scrub(f.Explanation)
	}
	return nil
}

// scanFinding scans a finding row with its stored override IDs.
func scanFinding(r rowScanner) (*rastro.Finding, error) {
	f := &rastro.Finding{}
	var entities, stmts, overrode string
	if err := r.Scan(&f.ID, &f.CaseID, &f.Kind, &f.Title, &f.Explanation, &f.Severity, &entities, &stmts,
		&f.Triage, ts(&f.CreatedAt), &overrode); err != nil {
		return nil, err
	}
	for _, x := range []struct {
		s string
		v any
	}{{entities, &f.EntityIDs}, {stmts, &f.StatementIDs}, {overrode, &f.OverrideIDs}} {
		if err := json.Unmarshal([]byte(x.s), x.v); err != nil {
			return nil, err
		}
	}
	if len(f.StatementIDs) == 0 {
		f.StatementIDs = nil
	}
	return f, nil
}

// SetTriage changes a finding's triage state; members with write permission.
func (db *DB) SetTriage(ctx context.Context, actor rastro.Actor, caseID, id int64, t rastro.Triage) error {
	if !validTriage(t) {
		return errorf(rastro.EINVALID, "Unknown triage state %q; use new, confirmed or dismissed.", t)
	}
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE findings SET triage = $1 WHERE case_id = $2 AND id = $3`, t, caseID, id)
	if err != nil {
		return db.fail("set triage", err)
	}
	if err := exactlyOne(res, "Finding %d not found in case %d.", id, caseID); err != nil {
		return err
	}
	return db.commit(tx)
}

// OverrideFinding records the explicit decision of the case's lead
// investigator that (possible) victims named in an existing finding stay its
// subjects (for example a victim who has become a recruiter), with a written
// reason: screen.Protect validates the override, the finding's stored
// overrides, subjects, victims and explanation are updated, and the
// victim_subject_override audit event is written in the same transaction.
// Errors: ENOTFOUND for a finding not in the case, EFORBIDDEN unless the
// actor is an investigator who leads the case, EINVALID without a reason of
// screen.MinOverrideReason characters or for IDs that are not victims
// named by the finding.
func (db *DB) OverrideFinding(ctx context.Context, actor rastro.Actor, caseID, findingID int64, entityIDs []string, reason string) (*rastro.Finding, error) {
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	f, err := scanFinding(tx.QueryRowContext(ctx, `SELECT id, case_id, kind, title, explanation, severity,
		entity_ids, statement_ids, triage, created_at, override_ids FROM findings WHERE case_id = $1 AND id = $2`, caseID, findingID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Finding %d not found in case %d.", findingID, caseID)
	} else if err != nil {
		return nil, db.fail("override finding", err)
	}
	prot, err := db.protect(ctx, tx, caseID, f.EntityIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range entityIDs {
		if !slices.Contains(f.EntityIDs, id) || !prot.role(id).IsVictim() {
			return nil, errorf(rastro.EINVALID, "Entity %q is not a (possible) victim named by finding %d.", id, findingID)
		}
	}
	ov, err := db.override(ctx, tx, actor, caseID, append(slices.Clone(f.OverrideIDs), entityIDs...), reason)
	if err != nil {
		return nil, err
	}
	p, err := screen.Protect(f, prot.role, ov)
	if err != nil {
		return nil, err
	}
	applyProtection(f, p)
	for _, id := range f.OverrideIDs {
		f.Explanation = strings.TrimSpace(strings.ReplaceAll(f.Explanation, fmt.Sprintf(screen.ProtectedNote, id), ""))
	}
	cols, err := findingJSON(f)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE findings SET explanation = $1, subject_ids = $2, victim_ids = $3, override_ids = $4
		WHERE case_id = $5 AND id = $6`, f.Explanation, cols[2], cols[3], cols[4], caseID, findingID); err != nil {
		return nil, db.fail("override finding", err)
	}
	p.Audit.Details += fmt.Sprintf(" (finding %d)", f.ID)
	if err := db.insertAudit(ctx, tx, actor, p.Audit); err != nil {
		return nil, err
	}
	return f, db.commit(tx)
}

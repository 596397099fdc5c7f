package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rastro/rastro"
)

var _ rastro.ScreeningService = (*DB)(nil)

// Audit actions of the screening service.
const (
	AuditScreeningView  = "screening_view"
	AuditScreeningSave  = "screening_save"
	AuditReferralView   = "referral_view"
	AuditReferralCreate = "referral_create"
	AuditReferralUpdate = "referral_update"
)

// victimAccess opens a write transaction (every call writes an audit event)
// and checks, inside it, that actor is a member of the case whose role may
// read victims' data and that entityID, when not "", is a (possible) victim
// of the case. The caller must roll back or commit tx.
func (db *DB) victimAccess(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) (*sql.Tx, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	if err := db.caseAccess(ctx, tx, actor, caseID, rastro.PermReadVictims); err != nil {
		tx.Rollback()
		return nil, err
	}
	if entityID == "" {
		return tx, nil
	}
	var role rastro.CaseRole
	err = tx.QueryRowContext(ctx, `SELECT case_role FROM entities WHERE case_id = $1 AND id = $2`, caseID, entityID).Scan(&role)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = errorf(rastro.ENOTFOUND, "Entity %s not found in case %d.", entityID, caseID)
	case err != nil:
		err = db.fail("victim access", err)
	case !role.IsVictim():
		err = errorf(rastro.EINVALID, "Entity %s is not recorded as a (possible) victim: screenings and referrals are for (possible) victims.", entityID)
	}
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// auditIn appends a screening-service audit event in tx.
func (db *DB) auditIn(ctx context.Context, tx *sql.Tx, actor rastro.Actor, action string, caseID int64, object, details string) error {
	return db.insertAudit(ctx, tx, actor, &rastro.AuditEvent{Action: action, CaseID: caseID, Object: object, Details: details})
}

// CreateScreening stores a new screening of a (possible) victim, audited as
// screening_save.
func (db *DB) CreateScreening(ctx context.Context, actor rastro.Actor, s *rastro.Screening) error {
	if err := validScreening(s); err != nil {
		return err
	}
	tx, err := db.victimAccess(ctx, actor, s.CaseID, s.EntityID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s.CreatedBy, s.CreatedAt, s.UpdatedAt = actor.UserID, db.now(), db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO screenings (case_id, entity_id, interview, status, result, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		s.CaseID, s.EntityID, string(s.Interview), string(s.Status), string(s.Result), nullID(s.CreatedBy),
		db.t(s.CreatedAt), db.t(s.UpdatedAt)).Scan(&s.ID)
	if err != nil {
		return db.fail("create screening", err)
	}
	if err := db.auditIn(ctx, tx, actor, AuditScreeningSave, s.CaseID, fmt.Sprintf("screening:%d", s.ID), "created "+string(s.Status)); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, s.CaseID)
}

// validScreening checks what the caller supplies.
func validScreening(s *rastro.Screening) error {
	switch {
	case s.EntityID == "":
		return errorf(rastro.EINVALID, "A screening must name the person screened.")
	case !s.Status.Valid():
		return errorf(rastro.EINVALID, "Screening status %q is not one of draft, final.", s.Status)
	case !json.Valid(s.Interview):
		return errorf(rastro.EINVALID, "The screening interview must be JSON.")
	case len(s.Result) > 0 && !json.Valid(s.Result):
		return errorf(rastro.EINVALID, "The screening result must be JSON.")
	}
	return nil
}

// SaveScreening updates a screening's interview, status and result, audited
// as screening_save. The case and entity are those stored.
func (db *DB) SaveScreening(ctx context.Context, actor rastro.Actor, s *rastro.Screening) error {
	if err := validScreening(s); err != nil {
		return err
	}
	tx, err := db.victimAccess(ctx, actor, s.CaseID, s.EntityID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s.UpdatedAt = db.now()
	res, err := tx.ExecContext(ctx, `
		UPDATE screenings SET interview = $1, status = $2, result = $3, updated_at = $4
		WHERE case_id = $5 AND id = $6 AND entity_id = $7`,
		string(s.Interview), string(s.Status), string(s.Result), db.t(s.UpdatedAt), s.CaseID, s.ID, s.EntityID)
	if err != nil {
		return db.fail("save screening", err)
	}
	if err := exactlyOne(res, "Screening %d not found in case %d.", s.ID, s.CaseID); err != nil {
		return err
	}
	if err := db.auditIn(ctx, tx, actor, AuditScreeningSave, s.CaseID, fmt.Sprintf("screening:%d", s.ID), "saved "+string(s.Status)); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, s.CaseID)
}

const screeningColumns = `id, case_id, entity_id, interview, status, result, COALESCE(created_by, 0), created_at, updated_at`

// scanScreening scans one row of screeningColumns.
func scanScreening(row rowScanner) (*rastro.Screening, error) {
	s := &rastro.Screening{}
	var iv, res string
	err := row.Scan(&s.ID, &s.CaseID, &s.EntityID, &iv, &s.Status, &res, &s.CreatedBy, ts(&s.CreatedAt), ts(&s.UpdatedAt))
	s.Interview = json.RawMessage(iv)
	if res != "" {
		s.Result = json.RawMessage(res)
	}
	return s, err
}

// Screening returns one screening, audited as screening_view in the same
// transaction.
func (db *DB) Screening(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.Screening, error) {
	tx, err := db.victimAccess(ctx, actor, caseID, "")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	s, err := scanScreening(tx.QueryRowContext(ctx, `SELECT `+screeningColumns+` FROM screenings WHERE case_id = $1 AND id = $2`, caseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Screening %d not found in case %d.", id, caseID)
	} else if err != nil {
		return nil, db.fail("screening", err)
	}
	if err := db.auditIn(ctx, tx, actor, AuditScreeningView, caseID, fmt.Sprintf("screening:%d", id), "entity:"+s.EntityID); err != nil {
		return nil, err
	}
	return s, db.commit(tx)
}

// Screenings lists an entity's screenings newest first, audited as
// screening_view.
func (db *DB) Screenings(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Screening, error) {
	return victimList(ctx, db, actor, caseID, entityID, "screenings", screeningColumns, scanScreening, AuditScreeningView)
}

// CreateReferral stores a validated referral, audited as referral_create.
// Without consent it needs a documented exception (rastro.Referral.Validate).
func (db *DB) CreateReferral(ctx context.Context, actor rastro.Actor, r *rastro.Referral) error {
	if r.Status == "" {
		r.Status = rastro.ReferralSent
	}
	r.Provider, r.Exception = strings.TrimSpace(r.Provider), strings.TrimSpace(r.Exception)
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Consent.Given {
		r.Exception = ""
	}
	tx, err := db.victimAccess(ctx, actor, r.CaseID, r.EntityID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.CreatedBy, r.CreatedAt, r.UpdatedAt = actor.UserID, db.now(), db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO referrals (case_id, entity_id, service, provider, consent_given, consent_date, consent_form,
			consent_by, consent_exception, status, notes, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		r.CaseID, r.EntityID, string(r.Service), r.Provider, r.Consent.Given, db.t(r.Consent.Date), string(r.Consent.Form),
		r.Consent.By, r.Exception, string(r.Status), r.Notes, nullID(r.CreatedBy), db.t(r.CreatedAt), db.t(r.UpdatedAt)).Scan(&r.ID)
	if err != nil {
		return db.fail("create referral", err)
	}
	details := fmt.Sprintf("service=%s status=%s consent=%v", r.Service, r.Status, r.Consent.Given)
	if !r.Consent.Given {
		details += " exception=" + r.Exception
	}
	if err := db.auditIn(ctx, tx, actor, AuditReferralCreate, r.CaseID, fmt.Sprintf("referral:%d", r.ID), details); err != nil {
		return err
	}
	return db.commit(tx)
}

// UpdateReferral changes a referral's status and notes, audited as
// referral_update with the old and new status.
func (db *DB) UpdateReferral(ctx context.Context, actor rastro.Actor, caseID, id int64, status rastro.ReferralStatus, notes string) (*rastro.Referral, error) {
	if !status.Valid() {
		return nil, errorf(rastro.EINVALID, "Referral status %q is not one of sent, accepted, completed, declined.", status)
	}
	tx, err := db.victimAccess(ctx, actor, caseID, "")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := scanReferral(tx.QueryRowContext(ctx, `SELECT `+referralColumns+` FROM referrals WHERE case_id = $1 AND id = $2`, caseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Referral %d not found in case %d.", id, caseID)
	} else if err != nil {
		return nil, db.fail("update referral", err)
	}
	old := r.Status
	r.Status, r.Notes, r.UpdatedAt = status, notes, db.now()
	_, err = tx.ExecContext(ctx, `UPDATE referrals SET status = $1, notes = $2, updated_at = $3 WHERE case_id = $4 AND id = $5`,
		string(r.Status), r.Notes, db.t(r.UpdatedAt), caseID, id)
	if err != nil {
		return nil, db.fail("update referral", err)
	}
	if err := db.auditIn(ctx, tx, actor, AuditReferralUpdate, caseID, fmt.Sprintf("referral:%d", id), fmt.Sprintf("status %s -> %s", old, status)); err != nil {
		return nil, err
	}
	return r, db.commit(tx)
}

const referralColumns = `id, case_id, entity_id, service, provider, consent_given, consent_date, consent_form,
	consent_by, consent_exception, status, notes, COALESCE(created_by, 0), created_at, updated_at`

// scanReferral scans one row of referralColumns.
func scanReferral(row rowScanner) (*rastro.Referral, error) {
	r := &rastro.Referral{}
	err := row.Scan(&r.ID, &r.CaseID, &r.EntityID, &r.Service, &r.Provider, &r.Consent.Given, ts(&r.Consent.Date),
		&r.Consent.Form, &r.Consent.By, &r.Exception, &r.Status, &r.Notes, &r.CreatedBy, ts(&r.CreatedAt), ts(&r.UpdatedAt))
	return r, err
}

// Referrals lists an entity's referrals newest first, audited as
// referral_view.
func (db *DB) Referrals(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Referral, error) {
	return victimList(ctx, db, actor, caseID, entityID, "referrals", referralColumns, scanReferral, AuditReferralView)
}

// victimList lists the rows of table about one (possible) victim, newest
// first, to readers of the victims' compartment, and audits the listing as
// action in the same transaction.
func victimList[T any](ctx context.Context, db *DB, actor rastro.Actor, caseID int64, entityID, table, columns string,
	scan func(rowScanner) (T, error), action string) ([]T, error) {
	tx, err := db.victimAccess(ctx, actor, caseID, entityID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	list, err := queryList(ctx, db, tx, table, scan,
		`SELECT `+columns+` FROM `+table+` WHERE case_id = $1 AND entity_id = $2 ORDER BY id DESC`, caseID, entityID)
	if err != nil {
		return nil, err
	}
	if err := db.auditIn(ctx, tx, actor, action, caseID, "entity:"+entityID, fmt.Sprintf("listed %d %s", len(list), table)); err != nil {
		return nil, err
	}
	return list, db.commit(tx)
}

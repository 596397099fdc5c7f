package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rastro/rastro"
)

// CreateCase stores a new case and makes the creator its lead (the system
// actor creates cases without a member). AgencyID 0 means the actor's agency.
func (db *DB) CreateCase(ctx context.Context, actor rastro.Actor, c *rastro.Case) error {
	if !actor.Can(rastro.PermCreateCase) {
		return forbidden("create cases")
	}
	if c.AgencyID == 0 {
		c.AgencyID = actor.AgencyID
	}
	if err := validateCase(c); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c.CreatedBy, c.CreatedAt = actor.UserID, db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO cases (agency_id, title, jurisdiction, status, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		c.AgencyID, c.Title, c.Jurisdiction, c.Status, nullID(c.CreatedBy), db.t(c.CreatedAt)).Scan(&c.ID)
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "Agency %d does not exist.", c.AgencyID)
	} else if err != nil {
		return db.fail("create case", err)
	}
	if !actor.System {
		m := &rastro.CaseMember{CaseID: c.ID, UserID: actor.UserID, Role: rastro.MemberLead}
		if err := db.putMember(ctx, tx, m); err != nil {
			return err
		}
	}
	return db.commit(tx)
}

// validateCase normalises and checks c; EINVALID says what is wrong.
func validateCase(c *rastro.Case) error {
	c.Title = strings.TrimSpace(c.Title)
	c.Jurisdiction = strings.ToUpper(strings.TrimSpace(c.Jurisdiction))
	if c.Status == "" {
		c.Status = rastro.CaseOpen
	}
	switch {
	case c.Title == "":
		return errorf(rastro.EINVALID, "Case title is required.")
	case len(c.Title) > 300:
		return errorf(rastro.EINVALID, "Case title must be at most 300 characters.")
	case !validCountry(c.Jurisdiction):
		return errorf(rastro.EINVALID, "Jurisdiction must be a two-letter ISO 3166-1 code such as MX or ES, not %q.", c.Jurisdiction)
	case c.Status != rastro.CaseOpen && c.Status != rastro.CaseClosed && c.Status != rastro.CaseArchived:
		return errorf(rastro.EINVALID, "Unknown case status %q; use open, closed or archived.", c.Status)
	case c.AgencyID <= 0:
		return errorf(rastro.EINVALID, "A case belongs to an agency: agency_id is required.")
	}
	return nil
}

const caseColumns = `c.id, c.agency_id, c.title, c.jurisdiction, c.status, COALESCE(c.created_by, 0), c.created_at`

// scanCase scans one row of caseColumns.
func scanCase(row rowScanner) (*rastro.Case, error) {
	c := &rastro.Case{}
	err := row.Scan(&c.ID, &c.AgencyID, &c.Title, &c.Jurisdiction, &c.Status, &c.CreatedBy, ts(&c.CreatedAt))
	return c, err
}

// Cases lists the cases the actor is a member of, newest first (all cases
// for the system actor).
func (db *DB) Cases(ctx context.Context, actor rastro.Actor) ([]*rastro.Case, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "cases", scanCase, `SELECT `+caseColumns+` FROM cases c
		WHERE $1 OR EXISTS (SELECT 1 FROM case_members m JOIN users u ON u.id = m.user_id
			WHERE m.case_id = c.id AND m.user_id = $2 AND u.disabled = $3)
		ORDER BY c.id DESC`, actor.System, actor.UserID, false)
}

// CaseByID returns a case to its members with read permission; ENOTFOUND
// for non-members, EFORBIDDEN for members whose role may not read cases.
func (db *DB) CaseByID(ctx context.Context, actor rastro.Actor, id int64) (*rastro.Case, error) {
	tx, err := db.readCase(ctx, actor, id, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, caseNotFound(id)
	} else if err != nil {
		return nil, db.fail("case", err)
	}
	return c, nil
}

// CaseStats counts a case's evidence, entities, statements, links, findings
// and pending jobs; members with read permission only.
func (db *DB) CaseStats(ctx context.Context, actor rastro.Actor, id int64) (*rastro.CaseStats, error) {
	tx, err := db.readCase(ctx, actor, id, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	s := &rastro.CaseStats{}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM evidence WHERE case_id = $1),
		(SELECT COUNT(*) FROM entities WHERE case_id = $1),
		(SELECT COUNT(*) FROM statements WHERE case_id = $1),
		(SELECT COUNT(*) FROM links WHERE case_id = $1),
		(SELECT COUNT(*) FROM findings WHERE case_id = $1),
		(SELECT COUNT(*) FROM jobs WHERE case_id = $1 AND state IN ('queued', 'running'))`, id).Scan(
		&s.Evidence, &s.Entities, &s.Statements, &s.Links, &s.Findings, &s.Jobs)
	if err != nil {
		return nil, db.fail("case stats", err)
	}
	return s, nil
}

// canManageMembers checks that actor is the case's lead, an admin or the
// system actor. Others get ENOTFOUND (non-members) or EFORBIDDEN (members).
func (db *DB) canManageMembers(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64) error {
	if actor.System || actor.Can(rastro.PermManageUsers) {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = $1`, caseID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return caseNotFound(caseID)
		}
		return db.fail("case", err)
	}
	role, err := memberRole(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	if role != rastro.MemberLead {
		return errorf(rastro.EFORBIDDEN, "Only the case's lead or an administrator may change its members.")
	}
	return nil
}

// AddMember adds a user to a case or changes the member's role; the case's
// lead, admins and the system actor only. Audited.
func (db *DB) AddMember(ctx context.Context, actor rastro.Actor, m *rastro.CaseMember) error {
	if m.Role == "" {
		m.Role = rastro.MemberMember
	}
	if m.Role != rastro.MemberLead && m.Role != rastro.MemberMember {
		return errorf(rastro.EINVALID, "Unknown member role %q; use lead or member.", m.Role)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.canManageMembers(ctx, tx, actor, m.CaseID); err != nil {
		return err
	}
	if err := db.putMember(ctx, tx, m); err != nil {
		return err
	}
	ev := &rastro.AuditEvent{Action: "member_add", CaseID: m.CaseID, Object: fmt.Sprintf("user:%d", m.UserID), Details: string(m.Role)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}

// putMember inserts or updates a membership inside tx.
func (db *DB) putMember(ctx context.Context, tx *sql.Tx, m *rastro.CaseMember) error {
	m.AddedAt = db.now()
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_members (case_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (case_id, user_id) DO UPDATE SET role = excluded.role`,
		m.CaseID, m.UserID, m.Role, db.t(m.AddedAt))
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "User %d does not exist.", m.UserID)
	}
	return db.fail("add member", err)
}

// RemoveMember removes a user from a case; the case's lead, admins and the
// system actor only. The last lead cannot be removed. The user's
// need-to-know grants on the case end with the membership. Audited.
func (db *DB) RemoveMember(ctx context.Context, actor rastro.Actor, caseID, userID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.canManageMembers(ctx, tx, actor, caseID); err != nil {
		return err
	}
	var leads int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_members WHERE case_id = $1 AND role = 'lead' AND user_id <> $2`, caseID, userID).Scan(&leads)
	if err != nil {
		return db.fail("remove member", err)
	}
	var role rastro.MemberRole
	err = tx.QueryRowContext(ctx, `DELETE FROM case_members WHERE case_id = $1 AND user_id = $2 RETURNING role`, caseID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return errorf(rastro.ENOTFOUND, "User %d is not a member of case %d.", userID, caseID)
	} else if err != nil {
		return db.fail("remove member", err)
	}
	if role == rastro.MemberLead && leads == 0 {
		return errorf(rastro.ECONFLICT, "User %d is the case's only lead; make someone else lead first.", userID)
	}
	// Leaving the case ends any need-to-know grant: re-adding the user
	// does not bring it back.
	if _, err := tx.ExecContext(ctx, `UPDATE need_to_know_grants SET revoked_at = $1, revoked_by = $2
		WHERE case_id = $3 AND user_id = $4 AND revoked_at IS NULL`, db.t(db.now()), nullID(actor.UserID), caseID, userID); err != nil {
		return db.fail("remove member", err)
	}
	ev := &rastro.AuditEvent{Action: "member_remove", CaseID: caseID, Object: fmt.Sprintf("user:%d", userID)}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, caseID)
}

// Members lists a case's members to its members, admins and the system
// actor.
func (db *DB) Members(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.CaseMember, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if actor.Can(rastro.PermManageUsers) {
		err = db.canManageMembers(ctx, tx, actor, caseID)
	} else {
		_, err = memberRole(ctx, tx, actor, caseID)
	}
	if err != nil {
		return nil, err
	}
	return queryList(ctx, db, tx, "members", func(row rowScanner) (*rastro.CaseMember, error) {
		m := &rastro.CaseMember{}
		return m, row.Scan(&m.CaseID, &m.UserID, &m.Role, ts(&m.AddedAt))
	}, `SELECT case_id, user_id, role, added_at FROM case_members WHERE case_id = $1 ORDER BY user_id`, caseID)
}

// Membership returns the actor's membership of a case; ENOTFOUND if none.
func (db *DB) Membership(ctx context.Context, actor rastro.Actor, caseID int64) (*rastro.CaseMember, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	m := &rastro.CaseMember{}
	err = tx.QueryRowContext(ctx, `SELECT m.case_id, m.user_id, m.role, m.added_at FROM case_members m
		JOIN users u ON u.id = m.user_id WHERE m.case_id = $1 AND m.user_id = $2 AND u.disabled = $3`,
		caseID, actor.UserID, false).Scan(&m.CaseID, &m.UserID, &m.Role, ts(&m.AddedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, caseNotFound(caseID)
	} else if err != nil {
		return nil, db.fail("membership", err)
	}
	return m, nil
}

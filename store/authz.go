package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rastro/rastro"
)

// readCase begins a read transaction in which the actor holds perm on the
// case (caseAccess); the caller rolls it back or commits.
func (db *DB) readCase(ctx context.Context, actor rastro.Actor, caseID int64, perm rastro.Permission) (*sql.Tx, error) {
	return db.accessTx(ctx, db.beginRead, actor, caseID, perm)
}

// writeCase is readCase for a write transaction.
func (db *DB) writeCase(ctx context.Context, actor rastro.Actor, caseID int64, perm rastro.Permission) (*sql.Tx, error) {
	return db.accessTx(ctx, db.beginWrite, actor, caseID, perm)
}

// accessTx begins a transaction with begin and checks the actor's access to
// the case in it, rolling back when access is refused.
func (db *DB) accessTx(ctx context.Context, begin func(context.Context) (*sql.Tx, error), actor rastro.Actor, caseID int64, perm rastro.Permission) (*sql.Tx, error) {
	tx, err := begin(ctx)
	if err != nil {
		return nil, err
	}
	if err := db.caseAccess(ctx, tx, actor, caseID, perm); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// caseAccess checks, inside tx, that actor may exercise perm on the case.
// Non-members (and members whose account is disabled) get ENOTFOUND, the
// same answer as for a case that does not exist, so that nobody learns which
// cases exist; members whose role lacks perm get EFORBIDDEN. The system actor
// passes for any existing case.
func (db *DB) caseAccess(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, perm rastro.Permission) error {
	role, err := memberRole(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	if role == "" || actor.Can(perm) {
		return nil
	}
	return errorf(rastro.EFORBIDDEN, "Your role does not allow this action on case %d.", caseID)
}

// memberRole returns the actor's role in the case ("" for the system actor),
// or ENOTFOUND when the actor is not a member or the case does not exist.
func memberRole(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64) (rastro.MemberRole, error) {
	var role rastro.MemberRole
	var err error
	if actor.System {
		err = tx.QueryRowContext(ctx, `SELECT '' FROM cases WHERE id = $1`, caseID).Scan(&role)
	} else {
		err = tx.QueryRowContext(ctx, `
			SELECT m.role FROM case_members m
			JOIN users u ON u.id = m.user_id
			WHERE m.case_id = $1 AND m.user_id = $2 AND u.disabled = $3`,
			caseID, actor.UserID, false).Scan(&role)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", caseNotFound(caseID)
	} else if err != nil {
		return "", err
	}
	return role, nil
}

// caseNotFound is the one answer for missing cases and non-members.
func caseNotFound(caseID int64) error {
	return errorf(rastro.ENOTFOUND, "Case %d not found, or you are not a member of it.", caseID)
}

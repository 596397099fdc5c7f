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

// bumpCase advances the case's data version inside tx, the write
// transaction that changes what victim protection, the text scrubber or the
// network graph read (entities, statements, links, records, screenings,
// identity judgements and runs, need-to-know grants). Callers run it as
// their last statement before commit, so that on PostgreSQL the case row
// is locked only for the commit; a rolled-back transaction leaves the
// version as it was.
func (db *DB) bumpCase(ctx context.Context, tx *sql.Tx, caseID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET data_version = data_version + 1 WHERE id = $1`, caseID); err != nil {
		return db.fail("case data version", err)
	}
	return nil
}

// commitCase bumps the case's data version (bumpCase) and commits tx.
func (db *DB) commitCase(ctx context.Context, tx *sql.Tx, caseID int64) error {
	if err := db.bumpCase(ctx, tx, caseID); err != nil {
		return err
	}
	return db.commit(tx)
}

// dataVersion reads the case's data version in tx: one primary-key read.
func (db *DB) dataVersion(ctx context.Context, tx *sql.Tx, caseID int64) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `SELECT data_version FROM cases WHERE id = $1`, caseID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, caseNotFound(caseID)
	} else if err != nil {
		return 0, db.fail("case data version", err)
	}
	return v, nil
}

// Views of a case's victims' compartment, as CaseDataVersion names them.
const (
	ViewRedacted   = "redacted"     // pseudonyms only
	ViewNeedToKnow = "need-to-know" // a live grant: victims' data but minors' names
	ViewFull       = "full"         // the system actor and caseworkers
)

// CaseDataVersion returns, to members with read permission, the case's
// data version and how much of its victims' compartment actor sees
// (ViewFull, ViewNeedToKnow or ViewRedacted). Everything the store returns
// of the case's entities, statements, links, records, screenings and
// identity judgements to actor is the same for any two reads that get the
// same pair, so a cache of data derived from those reads (the network
// graph) may key on the pair and the case ID. A version read before a
// derived read and again, unchanged, after it proves the derived read saw
// that version: a grant or revocation in between changes it.
func (db *DB) CaseDataVersion(ctx context.Context, actor rastro.Actor, caseID int64) (version int64, view string, err error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	if version, err = db.dataVersion(ctx, tx, caseID); err != nil {
		return 0, "", err
	}
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil {
		return 0, "", err
	}
	return version, accessView(acc), nil
}

// accessView names an access level.
func accessView(acc access) string {
	switch acc {
	case accessFull:
		return ViewFull
	case accessGrant:
		return ViewNeedToKnow
	}
	return ViewRedacted
}

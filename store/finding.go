package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/rastro/rastro"
)

// CreateFinding stores a finding; members with write permission only. The
// entity and statement IDs are kept as JSON arrays.
func (db *DB) CreateFinding(ctx context.Context, actor rastro.Actor, f *rastro.Finding) error {
	if err := validateFinding(f); err != nil {
		return err
	}
	entities, err := json.Marshal(nonNil(f.EntityIDs))
	if err != nil {
		return err
	}
	stmts, err := json.Marshal(nonNil(f.StatementIDs))
	if err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.caseAccess(ctx, tx, actor, f.CaseID, rastro.PermWriteCase); err != nil {
		return err
	}
	f.CreatedAt = db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO findings (case_id, kind, title, explanation, severity, entity_ids, statement_ids, triage, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		f.CaseID, f.Kind, f.Title, f.Explanation, f.Severity, string(entities), string(stmts), f.Triage, db.t(f.CreatedAt)).Scan(&f.ID)
	if err != nil {
		return db.fail("create finding", err)
	}
	return db.commit(tx)
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

// Findings lists a case's findings, most severe first.
func (db *DB) Findings(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.Finding, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := db.caseAccess(ctx, tx, actor, caseID, rastro.PermReadCase); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, case_id, kind, title, explanation, severity, entity_ids, statement_ids,
		triage, created_at FROM findings WHERE case_id = $1 ORDER BY severity DESC, id`, caseID)
	if err != nil {
		return nil, db.fail("findings", err)
	}
	defer rows.Close()
	list := []*rastro.Finding{}
	for rows.Next() {
		f := &rastro.Finding{}
		var entities, stmts string
		if err := rows.Scan(&f.ID, &f.CaseID, &f.Kind, &f.Title, &f.Explanation, &f.Severity, &entities, &stmts,
			&f.Triage, ts(&f.CreatedAt)); err != nil {
			return nil, db.fail("findings", err)
		}
		if err := json.Unmarshal([]byte(entities), &f.EntityIDs); err != nil {
			return nil, db.fail("findings", err)
		}
		if err := json.Unmarshal([]byte(stmts), &f.StatementIDs); err != nil {
			return nil, db.fail("findings", err)
		}
		if len(f.StatementIDs) == 0 {
			f.StatementIDs = nil
		}
		list = append(list, f)
	}
	return list, db.fail("findings", rows.Err())
}

// SetTriage changes a finding's triage state; members with write permission.
func (db *DB) SetTriage(ctx context.Context, actor rastro.Actor, caseID, id int64, t rastro.Triage) error {
	if !validTriage(t) {
		return errorf(rastro.EINVALID, "Unknown triage state %q; use new, confirmed or dismissed.", t)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.caseAccess(ctx, tx, actor, caseID, rastro.PermWriteCase); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE findings SET triage = $1 WHERE case_id = $2 AND id = $3`, t, caseID, id)
	if err != nil {
		return db.fail("set triage", err)
	}
	if err := exactlyOne(res, "Finding %d not found in case %d.", id, caseID); err != nil {
		return err
	}
	return db.commit(tx)
}

package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rastro/rastro"
)

// Audit appends an event to the audit log, in the actor's name. Any actor may
// record what it did; the time, user and (if empty) purpose come from the
// store and the actor.
func (db *DB) Audit(ctx context.Context, actor rastro.Actor, ev *rastro.AuditEvent) error {
	if strings.TrimSpace(ev.Action) == "" {
		return errorf(rastro.EINVALID, "Audit event action is required.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	return db.commit(tx)
}

// insertAudit appends ev inside tx. The audit table has no UPDATE or DELETE
// anywhere in Rastro, and triggers reject both.
func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, actor rastro.Actor, ev *rastro.AuditEvent) error {
	ev.Time = db.now()
	ev.UserID, ev.Username = actor.UserID, actor.Username
	if ev.Username == "" && actor.System {
		ev.Username = "system"
	}
	if ev.Purpose == "" {
		ev.Purpose = actor.Purpose
	}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO audit_events (time, user_id, username, action, case_id, object, purpose, details, remote)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		db.t(ev.Time), nullID(ev.UserID), ev.Username, ev.Action, nullID(ev.CaseID), ev.Object,
		ev.Purpose, ev.Details, ev.Remote).Scan(&ev.ID)
	return db.fail("audit", err)
}

// AuditEvents lists audit events newest first; auditors and the system
// actor only.
func (db *DB) AuditEvents(ctx context.Context, actor rastro.Actor, f rastro.AuditFilter) ([]*rastro.AuditEvent, error) {
	if !actor.Can(rastro.PermReadAudit) {
		return nil, forbidden("read the audit log")
	}
	var a args
	where := []string{"1 = 1"}
	if f.Action != "" {
		where = append(where, "action = "+a.add(f.Action))
	}
	if f.CaseID != 0 {
		where = append(where, "case_id = "+a.add(f.CaseID))
	}
	if f.UserID != 0 {
		where = append(where, "user_id = "+a.add(f.UserID))
	}
	if f.Before != 0 {
		where = append(where, "id < "+a.add(f.Before))
	}
	limit := a.add(clampLimit(f.Limit))
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "audit events", scanAudit, `
		SELECT id, time, COALESCE(user_id, 0), username, action, COALESCE(case_id, 0), object, purpose, details, remote
		FROM audit_events WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT `+limit, a...)
}

func scanAudit(row rowScanner) (*rastro.AuditEvent, error) {
	ev := &rastro.AuditEvent{}
	err := row.Scan(&ev.ID, ts(&ev.Time), &ev.UserID, &ev.Username, &ev.Action, &ev.CaseID,
		&ev.Object, &ev.Purpose, &ev.Details, &ev.Remote)
	return ev, err
}

// clampLimit applies the default (100) and maximum (1000) page size.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > 1000:
		return 1000
	}
	return n
}

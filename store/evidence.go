package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/rastro/rastro"
)

// ParseJobKind is the job CreateEvidence enqueues for each new item, in the
// same transaction, with payload {"evidence_id": N}.
const ParseJobKind = "evidence.parse"

// CreateEvidence stores an item's metadata and enqueues its parse job, in one
// transaction. An item with the same SHA-256 already in the case is returned
// instead, with created=false and no new job (idempotent intake).
func (db *DB) CreateEvidence(ctx context.Context, actor rastro.Actor, e *rastro.Evidence) (created bool, err error) {
	if err := validateEvidence(e); err != nil {
		return false, err
	}
	tx, err := db.writeCase(ctx, actor, e.CaseID, rastro.PermWriteCase)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if e.AcquiredBy == 0 {
		e.AcquiredBy = actor.UserID
	}
	e.CreatedAt = db.now()
	if e.AcquiredAt.IsZero() {
		e.AcquiredAt = e.CreatedAt
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO evidence (case_id, sha256, md5, sha1, size, media_type, original_name, source, exhibit_no,
			acquired_at, acquired_by, tool, source_tz, notes, parent_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (case_id, sha256) DO NOTHING RETURNING id`,
		e.CaseID, e.SHA256, e.MD5, e.SHA1, e.Size, e.MediaType, e.OriginalName, e.Source, e.ExhibitNo,
		db.t(e.AcquiredAt), nullID(e.AcquiredBy), e.Tool, e.SourceTZ, e.Notes, nullID(e.ParentID), db.t(e.CreatedAt)).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		old, err := db.evidenceBy(ctx, tx, `case_id = $1 AND sha256 = $2`, e.CaseID, e.SHA256)
		if err != nil {
			return false, err
		}
		*e = *old
		return false, nil
	} else if db.kind(err) == ErrForeignKey {
		return false, errorf(rastro.EINVALID, "Parent evidence %d is not in case %d.", e.ParentID, e.CaseID)
	} else if err != nil {
		return false, db.fail("create evidence", err)
	}
	job := &rastro.Job{CaseID: e.CaseID, Kind: ParseJobKind, Payload: fmt.Appendf(nil, `{"evidence_id":%d}`, e.ID)}
	if err := db.enqueue(ctx, tx, job); err != nil {
		return false, err
	}
	return true, db.commit(tx)
}

// validateEvidence normalises and checks e.
func validateEvidence(e *rastro.Evidence) error {
	e.SHA256 = strings.ToLower(strings.TrimSpace(e.SHA256))
	e.MD5, e.SHA1 = strings.ToLower(e.MD5), strings.ToLower(e.SHA1)
	switch {
	case !isHex(e.SHA256, 32):
		return errorf(rastro.EINVALID, "Evidence sha256 must be 64 hexadecimal characters.")
	case e.MD5 != "" && !isHex(e.MD5, 16):
		return errorf(rastro.EINVALID, "Evidence md5 must be 32 hexadecimal characters or empty.")
	case e.SHA1 != "" && !isHex(e.SHA1, 20):
		return errorf(rastro.EINVALID, "Evidence sha1 must be 40 hexadecimal characters or empty.")
	case e.Size < 0:
		return errorf(rastro.EINVALID, "Evidence size cannot be negative.")
	}
	return nil
}

// isHex reports whether s is the hex encoding of n bytes.
func isHex(s string, n int) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == n
}

const evidenceColumns = `id, case_id, sha256, md5, sha1, size, media_type, original_name, source, exhibit_no,
	acquired_at, COALESCE(acquired_by, 0), tool, source_tz, notes, COALESCE(parent_id, 0), created_at`

// scanEvidence scans one row of evidenceColumns.
func scanEvidence(row rowScanner) (*rastro.Evidence, error) {
	e := &rastro.Evidence{}
	err := row.Scan(&e.ID, &e.CaseID, &e.SHA256, &e.MD5, &e.SHA1, &e.Size, &e.MediaType, &e.OriginalName,
		&e.Source, &e.ExhibitNo, ts(&e.AcquiredAt), &e.AcquiredBy, &e.Tool, &e.SourceTZ, &e.Notes, &e.ParentID, ts(&e.CreatedAt))
	return e, err
}

// evidenceBy reads one item matching the condition.
func (db *DB) evidenceBy(ctx context.Context, tx *sql.Tx, cond string, args ...any) (*rastro.Evidence, error) {
	e, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Evidence not found in case %v.", args[0])
	} else if err != nil {
		return nil, db.fail("evidence", err)
	}
	return e, nil
}

// EvidenceByID returns one item to members with read permission.
func (db *DB) EvidenceByID(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.Evidence, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return db.evidenceBy(ctx, tx, `case_id = $1 AND id = $2`, caseID, id)
}

// EvidenceList lists a case's evidence in order of intake.
func (db *DB) EvidenceList(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.Evidence, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "evidence list", scanEvidence, `SELECT `+evidenceColumns+` FROM evidence WHERE case_id = $1 ORDER BY id`, caseID)
}

// CreateRecords stores parsed records in one transaction. A record with the
// same evidence item and locator is updated in place and keeps its ID, so
// that re-parsing (jobs run at least once) creates no duplicates.
func (db *DB) CreateRecords(ctx context.Context, actor rastro.Actor, caseID int64, recs []*rastro.Record) error {
	return db.StoreParsed(ctx, actor, caseID, recs, nil)
}

// RecordByID returns one record to members with read permission. For a
// reader outside the victims' compartment the text has the hidden people's
// names, aliases, contacts and handles replaced (textScrubber).
func (db *DB) RecordByID(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.Record, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &rastro.Record{}
	err = tx.QueryRowContext(ctx, `SELECT id, case_id, evidence_id, kind, locator, time, text FROM records
		WHERE case_id = $1 AND id = $2`, caseID, id).Scan(&r.ID, &r.CaseID, &r.EvidenceID, &r.Kind, &r.Locator, ts(&r.Time), &r.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Record %d not found in case %d.", id, caseID)
	} else if err != nil {
		return nil, db.fail("record", err)
	}
	if r.Text == "" {
		return r, nil
	}
	sc, err := db.textScrubber(ctx, tx, actor, caseID)
	if err != nil {
		return nil, err
	}
	r.Text = sc.Scrub(r.Text)
	return r, nil
}

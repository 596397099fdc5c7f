package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rastro/rastro"
)

// PutParseReport stores what parsing an item did, replacing the item's
// previous report; members with write permission only. Problems beyond
// rastro.MaxParseProblems are counted, not kept.
func (db *DB) PutParseReport(ctx context.Context, actor rastro.Actor, r *rastro.ParseReport) error {
	if !slices.Contains([]rastro.ParseOutcome{rastro.ParseParsed, rastro.ParseSkipped, rastro.ParseFailed}, r.Outcome) {
		return errorf(rastro.EINVALID, "Unknown parse outcome %q; use parsed, skipped or failed.", r.Outcome)
	}
	if n := len(r.Problems); n > rastro.MaxParseProblems {
		r.MoreProblems += n - rastro.MaxParseProblems
		r.Problems = r.Problems[:rastro.MaxParseProblems]
	}
	if r.Problems == nil {
		r.Problems = []rastro.ParseProblem{}
	}
	problems, err := json.Marshal(r.Problems)
	if err != nil {
		return fmt.Errorf("store: parse report: %w", err)
	}
	tx, err := db.writeCase(ctx, actor, r.CaseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.UpdatedAt = db.now()
	_, err = tx.ExecContext(ctx, `
		INSERT INTO parse_reports (case_id, evidence_id, format, outcome, records, reason, location, problems, more_problems, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (case_id, evidence_id) DO UPDATE SET format = excluded.format, outcome = excluded.outcome,
			records = excluded.records, reason = excluded.reason, location = excluded.location,
			problems = excluded.problems, more_problems = excluded.more_problems, updated_at = excluded.updated_at`,
		r.CaseID, r.EvidenceID, r.Format, r.Outcome, r.Records, r.Reason, r.Location, string(problems), r.MoreProblems, db.t(r.UpdatedAt))
	if db.kind(err) == ErrForeignKey {
		return errorf(rastro.EINVALID, "Evidence %d is not in case %d.", r.EvidenceID, r.CaseID)
	} else if err != nil {
		return db.fail("parse report", err)
	}
	return db.commit(tx)
}

// ParseReports lists a case's parse reports (one item's when evidenceID is
// not 0), failures first, then skipped items, then by item; members only.
func (db *DB) ParseReports(ctx context.Context, actor rastro.Actor, caseID, evidenceID int64) ([]*rastro.ParseReport, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "parse reports", scanParseReport, `
		SELECT p.case_id, p.evidence_id, e.original_name, p.format, p.outcome, p.records, p.reason, p.location,
			p.problems, p.more_problems, p.updated_at
		FROM parse_reports p JOIN evidence e ON e.case_id = p.case_id AND e.id = p.evidence_id
		WHERE p.case_id = $1 AND ($2 = 0 OR p.evidence_id = $2)
		ORDER BY CASE p.outcome WHEN 'failed' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END, p.evidence_id`, caseID, evidenceID)
}

// scanParseReport scans one row of ParseReports.
func scanParseReport(row rowScanner) (*rastro.ParseReport, error) {
	r := &rastro.ParseReport{}
	var problems string
	if err := row.Scan(&r.CaseID, &r.EvidenceID, &r.Name, &r.Format, &r.Outcome, &r.Records, &r.Reason, &r.Location,
		&problems, &r.MoreProblems, ts(&r.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(problems), &r.Problems); err != nil {
		return nil, fmt.Errorf("problems of evidence %d: %w", r.EvidenceID, err)
	}
	return r, nil
}

package store

import (
	"context"
	"database/sql"

	"github.com/rastro/rastro"
)

// recordBatch is how many records ForEachRecord loads at a time.
const recordBatch = 2000

// ForEachRecord streams every record of a case in ID order to members with
// read permission. As with RecordByID, a reader outside the victims'
// compartment gets the text with the hidden people's names, aliases,
// contacts and handles replaced.
func (db *DB) ForEachRecord(ctx context.Context, actor rastro.Actor, caseID int64, fn func(*rastro.Record) error) error {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sc, err := db.textScrubber(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	var after int64
	for {
		batch, err := db.recordsAfter(ctx, tx, caseID, after)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, r := range batch {
			r.Text = sc.Scrub(r.Text)
			if err := fn(r); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// recordsAfter loads the next batch of a case's records after id. The rows
// are closed before the caller runs, since a PostgreSQL connection runs one
// query at a time.
func (db *DB) recordsAfter(ctx context.Context, tx *sql.Tx, caseID, after int64) ([]*rastro.Record, error) {
	return queryList(ctx, db, tx, "records", func(row rowScanner) (*rastro.Record, error) {
		r := &rastro.Record{}
		err := row.Scan(&r.ID, &r.CaseID, &r.EvidenceID, &r.Kind, &r.Locator, ts(&r.Time), &r.Text)
		return r, err
	}, `SELECT id, case_id, evidence_id, kind, locator, time, text FROM records
		WHERE case_id = $1 AND id > $2 ORDER BY id LIMIT $3`, caseID, after, recordBatch)
}

package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/rastro/rastro"
)

// PutLinks creates or replaces links (by case and id) in one transaction;
// members with write permission only. Both ends must be entities of the case.
func (db *DB) PutLinks(ctx context.Context, actor rastro.Actor, caseID int64, links []*rastro.Link) error {
	if err := validateLinks(links); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.upsertLinks(ctx, tx, caseID, links, db.now()); err != nil {
		return err
	}
	if err := db.bumpCase(ctx, tx, caseID); err != nil {
		return err
	}
	return db.commitBulk(ctx, tx)
}

// validateLinks checks every link, naming the first bad one by position.
func validateLinks(links []*rastro.Link) error {
	for i, l := range links {
		if err := validateLink(l); err != nil {
			return errorf(rastro.EINVALID, "Link %d: %s", i, rastro.ErrorMessage(err))
		}
	}
	return nil
}

// validateLink checks one link.
func validateLink(l *rastro.Link) error {
	l.ID, l.Schema = strings.TrimSpace(l.ID), strings.TrimSpace(l.Schema)
	switch {
	case l.ID == "" || l.Schema == "":
		return errorf(rastro.EINVALID, "id and schema are required.")
	case l.SourceID == "" || l.TargetID == "":
		return errorf(rastro.EINVALID, "source_id and target_id are required.")
	case !slices.Contains(origins, l.Origin):
		return errorf(rastro.EINVALID, "unknown origin %q; use one of %v.", l.Origin, origins)
	case !l.Start.IsZero() && !l.End.IsZero() && l.End.Before(l.Start):
		return errorf(rastro.EINVALID, "end is before start.")
	}
	return nil
}

// Links lists a case's links touching entityID ("" for all), by id.
func (db *DB) Links(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Link, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	links, err := queryList(ctx, db, tx, "links", scanLink, `
		SELECT case_id, id, schema, source_id, target_id, start_at, end_at, amount, currency,
			COALESCE(evidence_id, 0), COALESCE(record_id, 0), locator, origin, created_at, description
		FROM links WHERE case_id = $1 AND ($2 = '' OR source_id = $2 OR target_id = $2) ORDER BY id`, caseID, entityID)
	if err != nil {
		return nil, err
	}
	return links, db.scrubLinks(ctx, tx, actor, caseID, links)
}

// scrubLinks replaces, in the links' descriptions, what actor may not see
// (textScrubber), as for a record's text.
func (db *DB) scrubLinks(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, links []*rastro.Link) error {
	if !slices.ContainsFunc(links, func(l *rastro.Link) bool { return l.Description != "" }) {
		return nil
	}
	sc, err := db.textScrubber(ctx, tx, actor, caseID)
	if err != nil || sc == nil {
		return err
	}
	for _, l := range links {
		l.Description = sc.Scrub(l.Description)
	}
	return nil
}

func scanLink(row rowScanner) (*rastro.Link, error) {
	l := &rastro.Link{}
	err := row.Scan(&l.CaseID, &l.ID, &l.Schema, &l.SourceID, &l.TargetID, ts(&l.Start), ts(&l.End),
		&l.Amount, &l.Currency, &l.EvidenceID, &l.RecordID, &l.Locator, &l.Origin, ts(&l.CreatedAt), &l.Description)
	return l, err
}

package store

import (
	"cmp"
	"context"

	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rastro/rastro"
)

// AuditMoneyPresetSave is the audit action of saving a money preset.
const AuditMoneyPresetSave = "money_preset_save"

// SaveMoneyPreset stores p for the case (p.CaseID = caseID) or, with
// p.CaseID 0, for every case of the case's agency, replacing a preset of
// the same name and scope. Requires write permission on the case; audited.
func (db *DB) SaveMoneyPreset(ctx context.Context, actor rastro.Actor, caseID int64, p *rastro.MoneyPreset) error {
	if err := validPreset(caseID, p); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT agency_id FROM cases WHERE id = $1`, caseID).Scan(&p.AgencyID); err != nil {
		return db.fail("money preset agency", err)
	}
	p.CreatedBy, p.CreatedAt = actor.UserID, db.now()
	if _, err := tx.ExecContext(ctx, `DELETE FROM money_presets WHERE agency_id = $1 AND COALESCE(case_id, 0) = $2 AND name = $3`,
		p.AgencyID, p.CaseID, p.Name); err != nil {
		return db.fail("replace money preset", err)
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO money_presets (agency_id, case_id, name, format, mapping, account, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.AgencyID, nullID(p.CaseID), p.Name, p.Format, string(p.Mapping), p.Account, nullID(p.CreatedBy), db.t(p.CreatedAt)).Scan(&p.ID)
	if err != nil {
		return db.fail("save money preset", err)
	}
	scope := "case"
	if p.CaseID == 0 {
		scope = fmt.Sprintf("agency %d", p.AgencyID)
	}
	if err := db.auditIn(ctx, tx, actor, AuditMoneyPresetSave, caseID, fmt.Sprintf("money_preset:%d", p.ID), fmt.Sprintf("%q for the %s", p.Name, scope)); err != nil {
		return err
	}
	return db.commit(tx)
}

// validPreset normalises and checks a preset.
func validPreset(caseID int64, p *rastro.MoneyPreset) error {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "" || len(p.Name) > 100:
		return errorf(rastro.EINVALID, "A preset needs a name of 1 to 100 characters.")
	case p.CaseID != 0 && p.CaseID != caseID:
		return errorf(rastro.EINVALID, "A preset is saved for the case it is saved through (%d) or for its agency (case 0), not for case %d.", caseID, p.CaseID)
	case p.Format == "" && len(p.Mapping) == 0:
		return errorf(rastro.EINVALID, "A preset needs a format or a column mapping.")
	case len(p.Mapping) > 0 && !json.Valid(p.Mapping):
		return errorf(rastro.EINVALID, "A preset's mapping must be JSON.")
	case len(p.Mapping) > 64<<10:
		return errorf(rastro.EINVALID, "A preset's mapping must be under 64 KiB.")
	}
	return nil
}

// MoneyPresets lists the presets of the case and of its agency, by name.
// Requires membership of the case.
func (db *DB) MoneyPresets(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.MoneyPreset, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "money presets", scanPreset, `
		SELECT p.id, p.agency_id, COALESCE(p.case_id, 0), p.name, p.format, p.mapping, p.account, COALESCE(p.created_by, 0), p.created_at
		FROM money_presets p JOIN cases c ON c.id = $1 AND c.agency_id = p.agency_id
		WHERE p.case_id IS NULL OR p.case_id = $1
		ORDER BY p.name, p.case_id, p.id`, caseID)
}

// MoneyLinks lists the case's Ownership links and then its Payment links,
// each by id, all of them or (entityID not "") those touching one entity.
// Each form is served by an index (links_schema, links_source and
// links_target, partial: see indexedLinks) without reading the case's
// messages ("schema || ”" keeps SQLite from preferring links_schema for one
// entity). Requires membership.
func (db *DB) MoneyLinks(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.Link, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	const cols = `SELECT case_id, id, schema, source_id, target_id, start_at, end_at, amount, currency,
			COALESCE(evidence_id, 0), COALESCE(record_id, 0), locator, origin, created_at, description FROM links `
	if entityID == "" {
		links, err := queryList(ctx, db, tx, "money links", scanLink,
			cols+`WHERE case_id = $1 AND schema IN ('Payment', 'Ownership') AND `+indexedLinks+` ORDER BY schema, id`, caseID)
		if err != nil {
			return nil, err
		}
		return links, db.scrubLinks(ctx, tx, actor, caseID, links)
	}
	// Sorted here: an ORDER BY would lead SQLite to links_schema again.
	links, err := queryList(ctx, db, tx, "money links", scanLink,
		cols+`WHERE case_id = $1 AND source_id = $2 AND schema || '' IN ('Payment', 'Ownership') AND `+indexedLinks+`
		UNION ALL
		`+cols+`WHERE case_id = $1 AND target_id = $2 AND source_id <> $2 AND schema || '' IN ('Payment', 'Ownership') AND `+indexedLinks, caseID, entityID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(links, func(a, b *rastro.Link) int { return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.ID, b.ID)) })
	return links, db.scrubLinks(ctx, tx, actor, caseID, links)
}

// scanPreset reads one preset row.
func scanPreset(row rowScanner) (*rastro.MoneyPreset, error) {
	p := &rastro.MoneyPreset{}
	var mapping string
	err := row.Scan(&p.ID, &p.AgencyID, &p.CaseID, &p.Name, &p.Format, &mapping, &p.Account, &p.CreatedBy, ts(&p.CreatedAt))
	if mapping != "" {
		p.Mapping = json.RawMessage(mapping)
	}
	return p, err
}

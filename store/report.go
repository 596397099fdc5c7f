package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/rastro/rastro"
)

// maxReportSize bounds a provider report's payload.
const maxReportSize = 10 << 20

// SubmitReport stores a provider report as received; providers and the
// system actor only. AgencyID 0 means the actor's agency; SHA256 is computed
// from the payload and, if given, must match it. A report whose non-empty
// ExternalID the agency already submitted is ECONFLICT.
func (db *DB) SubmitReport(ctx context.Context, actor rastro.Actor, r *rastro.ProviderReport) error {
	if !actor.Can(rastro.PermSubmitReport) {
		return forbidden("submit provider reports")
	}
	if r.AgencyID == 0 {
		r.AgencyID = actor.AgencyID
	}
	sum := sha256.Sum256(r.Payload)
	digest := hex.EncodeToString(sum[:])
	switch {
	case len(r.Payload) == 0:
		return errorf(rastro.EINVALID, "The report is empty.")
	case len(r.Payload) > maxReportSize:
		return errorf(rastro.EINVALID, "The report is larger than %d MiB.", maxReportSize>>20)
	case r.SHA256 != "" && !strings.EqualFold(r.SHA256, digest):
		return errorf(rastro.EINVALID, "The report's sha256 does not match its payload (computed %s).", digest)
	}
	r.SHA256, r.SubmittedBy = digest, actor.UserID
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.ReceivedAt = db.now()
	err = tx.QueryRowContext(ctx, `
		INSERT INTO provider_reports (agency_id, submitted_by, external_id, sha256, payload, received_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.AgencyID, nullID(r.SubmittedBy), r.ExternalID, r.SHA256, r.Payload, db.t(r.ReceivedAt)).Scan(&r.ID)
	switch db.kind(err) {
	case ErrUnique:
		return errorf(rastro.ECONFLICT, "Report %q was already submitted.", r.ExternalID)
	case ErrForeignKey:
		return errorf(rastro.EINVALID, "Agency %d does not exist.", r.AgencyID)
	}
	if err != nil {
		return db.fail("submit report", err)
	}
	return db.commit(tx)
}

// Reports lists provider reports, newest first; admins, investigators and
// the system actor only.
func (db *DB) Reports(ctx context.Context, actor rastro.Actor) ([]*rastro.ProviderReport, error) {
	if !actor.Can(rastro.PermReadReports) {
		return nil, forbidden("read provider reports")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "reports", func(row rowScanner) (*rastro.ProviderReport, error) {
		r := &rastro.ProviderReport{}
		return r, row.Scan(&r.ID, &r.AgencyID, &r.SubmittedBy, &r.ExternalID, &r.SHA256, &r.Payload, ts(&r.ReceivedAt))
	}, `SELECT id, agency_id, COALESCE(submitted_by, 0), external_id, sha256, payload, received_at
		FROM provider_reports ORDER BY id DESC`)
}

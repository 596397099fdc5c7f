package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
)

var _ rastro.CustodyService = (*DB)(nil)

// DefaultCustodyTool is the tool recorded when an event names none.
const DefaultCustodyTool = "rastro"

// AppendCustody appends one event to the custody log in one transaction:
// it checks the actor's membership and the item, takes the next sequence
// number from custody_state (whose row update serialises appenders, so the
// sequence has no gaps), encodes the canonical leaf, extends the tree's
// compact range by it (O(log n) hashes) and stores event, leaf hash and new
// root together.
func (db *DB) AppendCustody(ctx context.Context, actor rastro.Actor, ev *rastro.CustodyEvent) (*rastro.CustodyEvent, error) {
	e, err := validateCustody(ev)
	if err != nil {
		return nil, err
	}
	tx, err := db.writeCase(ctx, actor, e.CaseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := db.custodyItem(ctx, tx, e); err != nil {
		return nil, err
	}
	e.UserID, e.Username, e.Time = actor.UserID, actor.Username, db.now()
	if e.Username == "" && actor.System {
		e.Username = "system"
	}
	root, err := db.extendTree(ctx, tx, e)
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO custody_events (seq, case_id, evidence_id, evidence_sha256, action, user_id, username, time,
			tool, tool_version, details, leaf, leaf_hash, root_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		e.Seq, e.CaseID, e.EvidenceID, e.EvidenceSHA256, string(e.Action), nullID(e.UserID), e.Username, db.t(e.Time),
		e.Tool, e.ToolVersion, string(e.Details), e.Leaf, e.LeafHash, root)
	if err != nil {
		return nil, db.fail("append custody", err)
	}
	return e, db.commit(tx)
}

// validateCustody checks the caller's part of an event and returns a copy
// with canonical details and the default tool.
func validateCustody(ev *rastro.CustodyEvent) (*rastro.CustodyEvent, error) {
	e := *ev
	e.Leaf, e.LeafHash = nil, nil
	if !e.Action.Valid() {
		return nil, errorf(rastro.EINVALID, "Custody action %q is not one of acquire, unpack, parse, view, download, export, share, legal_hold, deletion_request.", e.Action)
	}
	if e.EvidenceID == 0 {
		return nil, errorf(rastro.EINVALID, "A custody event must name an evidence item.")
	}
	if len(bytes.TrimSpace(e.Details)) == 0 {
		e.Details = json.RawMessage(`{}`)
	}
	details, err := custody.Canonicalize(e.Details)
	if err != nil || details[0] != '{' {
		return nil, errorf(rastro.EINVALID, "Custody event details must be a JSON object.")
	}
	e.Details = details
	if strings.TrimSpace(e.Tool) == "" {
		e.Tool = DefaultCustodyTool
	}
	e.EvidenceSHA256 = strings.ToLower(strings.TrimSpace(e.EvidenceSHA256))
	return &e, nil
}

// custodyItem fills in the item's SHA-256, checking it against the one the
// caller gave, if any.
func (db *DB) custodyItem(ctx context.Context, tx *sql.Tx, e *rastro.CustodyEvent) error {
	var sha string
	err := tx.QueryRowContext(ctx, `SELECT sha256 FROM evidence WHERE case_id = $1 AND id = $2`, e.CaseID, e.EvidenceID).Scan(&sha)
	if errors.Is(err, sql.ErrNoRows) {
		return errorf(rastro.ENOTFOUND, "Evidence %d not found in case %d.", e.EvidenceID, e.CaseID)
	} else if err != nil {
		return db.fail("append custody", err)
	}
	if e.EvidenceSHA256 != "" && e.EvidenceSHA256 != sha {
		return errorf(rastro.EINVALID, "Evidence %d has SHA-256 %s, not %s.", e.EvidenceID, sha, e.EvidenceSHA256)
	}
	e.EvidenceSHA256 = sha
	return nil
}

// extendTree takes the next sequence number, encodes the leaf and stores the
// tree's new compact range and root, which it returns. The first statement
// updates the state row, so that on PostgreSQL it holds the row lock until
// commit; SQLite's single writer serialises appends anyway.
func (db *DB) extendTree(ctx context.Context, tx *sql.Tx, e *rastro.CustodyEvent) ([]byte, error) {
	var rng []byte
	err := tx.QueryRowContext(ctx, `UPDATE custody_state SET size = size + 1 WHERE id = 1
		RETURNING size - 1, compact_range`).Scan(&e.Seq, &rng)
	if err != nil {
		return nil, db.fail("append custody: state", err)
	}
	if e.Leaf, err = custody.EncodeLeaf(e); err != nil {
		return nil, errorf(rastro.EINVALID, "The custody event cannot be encoded: %v.", err)
	}
	e.LeafHash = custody.LeafHash(e.Leaf)
	rng, root, err := custody.AppendLeaf(rng, uint64(e.Seq), e.LeafHash)
	if err != nil {
		return nil, db.fail("append custody: tree", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE custody_state SET compact_range = $1, root_hash = $2 WHERE id = 1`, rng, root)
	if err != nil {
		return nil, db.fail("append custody: state", err)
	}
	return root, nil
}

const custodyColumns = `seq, case_id, evidence_id, evidence_sha256, action, COALESCE(user_id, 0), username, time,
	tool, tool_version, details, leaf, leaf_hash`

// scanCustody scans one row of custodyColumns. The fields come from their
// columns and the leaf as stored, so that re-verification can compare them.
func scanCustody(row rowScanner) (*rastro.CustodyEvent, error) {
	e := &rastro.CustodyEvent{}
	var details string
	err := row.Scan(&e.Seq, &e.CaseID, &e.EvidenceID, &e.EvidenceSHA256, &e.Action, &e.UserID, &e.Username,
		ts(&e.Time), &e.Tool, &e.ToolVersion, &details, &e.Leaf, &e.LeafHash)
	e.Details = json.RawMessage(details)
	return e, err
}

// custodyQuery lists the events a query selects.
func (db *DB) custodyQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]*rastro.CustodyEvent, error) {
	return queryList(ctx, db, tx, "custody events", scanCustody, `SELECT `+custodyColumns+` FROM custody_events WHERE `+query, args...)
}

// CustodyEvents lists a case's events (of one item, or all when evidenceID
// is 0) in sequence order, to members with read permission.
func (db *DB) CustodyEvents(ctx context.Context, actor rastro.Actor, caseID, evidenceID int64) ([]*rastro.CustodyEvent, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if evidenceID == 0 {
		return db.custodyQuery(ctx, tx, `case_id = $1 ORDER BY seq`, caseID)
	}
	return db.custodyQuery(ctx, tx, `case_id = $1 AND evidence_id = $2 ORDER BY seq`, caseID, evidenceID)
}

// CustodyRange lists events with begin <= seq < end across cases; the
// system actor and auditors only, for re-verification of the whole log.
func (db *DB) CustodyRange(ctx context.Context, actor rastro.Actor, begin, end int64) ([]*rastro.CustodyEvent, error) {
	if !actor.Can(rastro.PermReadAudit) {
		return nil, forbidden("read the custody log of every case")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return db.custodyQuery(ctx, tx, `seq >= $1 AND seq < $2 ORDER BY seq`, begin, end)
}

// canReadLog reports whether the actor may read tree hashes and
// checkpoints, which reveal nothing about any case: anyone who reads cases
// or the audit log.
func canReadLog(actor rastro.Actor) error {
	if actor.Can(rastro.PermReadCase) || actor.Can(rastro.PermReadAudit) {
		return nil
	}
	return forbidden("read the custody log")
}

// CustodyLeafHashes returns the leaf hashes with begin <= seq < end, in
// order, from which inclusion and consistency proofs are computed.
func (db *DB) CustodyLeafHashes(ctx context.Context, actor rastro.Actor, begin, end int64) ([][]byte, error) {
	if err := canReadLog(actor); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryList(ctx, db, tx, "custody leaf hashes", func(row rowScanner) ([]byte, error) {
		var h []byte
		return h, row.Scan(&h)
	}, `SELECT leaf_hash FROM custody_events WHERE seq >= $1 AND seq < $2 ORDER BY seq`, begin, end)
}

// CustodyHead returns the tree's current size and root.
func (db *DB) CustodyHead(ctx context.Context, actor rastro.Actor) (*rastro.TreeHead, error) {
	if err := canReadLog(actor); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	h := &rastro.TreeHead{}
	err = tx.QueryRowContext(ctx, `SELECT size, root_hash FROM custody_state WHERE id = 1`).Scan(&h.Size, &h.RootHash)
	return h, db.fail("custody head", err)
}

// SaveCheckpoint stores a signed checkpoint; the system actor only. The
// size and root must be the log's at that size, and the note's text must
// state them.
func (db *DB) SaveCheckpoint(ctx context.Context, actor rastro.Actor, cp *rastro.Checkpoint) error {
	if !actor.System {
		return forbidden("sign custody checkpoints")
	}
	body, err := custody.ParseCheckpointText(cp.Note)
	if err != nil || int64(body.Size) != cp.Size || !bytes.Equal(body.Hash, cp.RootHash) || cp.Size < 1 {
		return errorf(rastro.EINVALID, "The checkpoint note does not state its size and root hash.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var root []byte
	err = tx.QueryRowContext(ctx, `SELECT root_hash FROM custody_events WHERE seq = $1`, cp.Size-1).Scan(&root)
	if errors.Is(err, sql.ErrNoRows) {
		return errorf(rastro.EINVALID, "The custody log has fewer than %d events.", cp.Size)
	} else if err != nil {
		return db.fail("save checkpoint", err)
	}
	if !bytes.Equal(root, cp.RootHash) {
		return errorf(rastro.EINVALID, "The checkpoint's root hash is not the log's root at size %d.", cp.Size)
	}
	cp.CreatedAt = db.now()
	_, err = tx.ExecContext(ctx, `INSERT INTO custody_checkpoints (size, root_hash, note, timestamp, created_at)
		VALUES ($1, $2, $3, $4, $5)`, cp.Size, cp.RootHash, cp.Note, nullBytes(cp.Timestamp), db.t(cp.CreatedAt))
	if err != nil {
		return db.fail("save checkpoint", err)
	}
	return db.commit(tx)
}

// nullBytes binds an empty slice as NULL.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// LatestCheckpoint returns the checkpoint of the largest size.
func (db *DB) LatestCheckpoint(ctx context.Context, actor rastro.Actor) (*rastro.Checkpoint, error) {
	return db.checkpointWhere(ctx, actor, `size = (SELECT MAX(size) FROM custody_checkpoints)`)
}

// CheckpointBySize returns the checkpoint of one tree size.
func (db *DB) CheckpointBySize(ctx context.Context, actor rastro.Actor, size int64) (*rastro.Checkpoint, error) {
	return db.checkpointWhere(ctx, actor, `size = $1`, size)
}

// checkpointWhere reads one checkpoint.
func (db *DB) checkpointWhere(ctx context.Context, actor rastro.Actor, cond string, args ...any) (*rastro.Checkpoint, error) {
	if err := canReadLog(actor); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cp := &rastro.Checkpoint{}
	err = tx.QueryRowContext(ctx, `SELECT size, root_hash, note, timestamp, created_at FROM custody_checkpoints WHERE `+cond,
		args...).Scan(&cp.Size, &cp.RootHash, &cp.Note, &cp.Timestamp, ts(&cp.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "No custody checkpoint found; one is written on the next export or checkpoint run.")
	} else if err != nil {
		return nil, db.fail("checkpoint", err)
	}
	return cp, nil
}

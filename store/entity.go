package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/screen"
)

// caseRoles are the valid entity case roles.
var caseRoles = []rastro.CaseRole{rastro.CaseRoleUnknown, rastro.CaseRoleSuspect, rastro.CaseRolePossibleVictim,
	rastro.CaseRoleVictim, rastro.CaseRoleWitness, rastro.CaseRolePersonOfInt}

// legalStatuses are the valid legal statuses.
var legalStatuses = []rastro.LegalStatus{rastro.LegalNone, rastro.LegalSuspected, rastro.LegalCharged,
	rastro.LegalConvicted, rastro.LegalAcquitted}

// origins are the valid statement and link origins.
var origins = []rastro.Origin{rastro.OriginParser, rastro.OriginExtractor, rastro.OriginAnalyst,
	rastro.OriginAlgorithm, rastro.OriginImport}

// PutEntity creates the entity or updates its schema, caption and
// sensitivity, and adds the statements not yet stored: idempotent. Its case
// role and legal status are set when it is created or while they are unknown;
// afterwards only SetCaseRole changes them, so that re-ingesting evidence can
// never quietly turn a victim into a suspect (DESIGN §3.3).
func (db *DB) PutEntity(ctx context.Context, actor rastro.Actor, e *rastro.Entity) error {
	return db.PutEntities(ctx, actor, []*rastro.Entity{e})
}

// PutEntities puts several entities of one case in one transaction: all or
// none. Bulk writers (parsing, imports) use it to avoid a commit per entity.
func (db *DB) PutEntities(ctx context.Context, actor rastro.Actor, es []*rastro.Entity) error {
	if len(es) == 0 {
		return nil
	}
	if err := validateEntities(es, es[0].CaseID); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, es[0].CaseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.putEntities(ctx, tx, es, db.now()); err != nil {
		return err
	}
	if err := db.bumpCase(ctx, tx, es[0].CaseID); err != nil {
		return err
	}
	return db.commitBulk(ctx, tx)
}

// putEntities writes validated entities of one case and their statements
// in tx: one multi-row upsert per few hundred entities and statements.
func (db *DB) putEntities(ctx context.Context, tx *sql.Tx, es []*rastro.Entity, now time.Time) error {
	rows := mergeEntities(es)
	var key []byte
	for _, r := range rows {
		if !strings.Contains(r.e.Caption, "-") {
			continue
		}
		if key == nil {
			var err error
			if key, err = db.pseudonymKey(ctx, tx, r.e.CaseID); err != nil {
				return err
			}
		}
		r.keepCaption = isPseudonym(key, r.e)
	}
	if err := db.upsertEntities(ctx, tx, rows, now); err != nil {
		return err
	}
	var ss []*rastro.Statement
	for _, e := range es {
		for _, s := range e.Statements {
			s.CaseID, s.EntityID = e.CaseID, e.ID
			ss = append(ss, s)
		}
	}
	return db.insertStatements(ctx, tx, es[0].CaseID, ss, now)
}

// isPseudonym reports whether e's caption is the pseudonym a redacted read
// showed for it (key is the case's pseudonym key), so that writing back a
// redacted entity keeps the stored caption instead of replacing the name
// with the pseudonym.
func isPseudonym(key []byte, e *rastro.Entity) bool {
	for _, role := range []rastro.CaseRole{rastro.CaseRoleVictim, rastro.CaseRolePossibleVictim, rastro.CaseRoleUnknown} {
		if e.Caption == Pseudonym(key, e.ID, role, e.Schema) {
			return true
		}
	}
	return false
}

// validateEntities checks every entity and that all are of caseID.
func validateEntities(es []*rastro.Entity, caseID int64) error {
	for i, e := range es {
		if err := validateEntity(e); err != nil {
			return err
		}
		if e.CaseID != caseID {
			return errorf(rastro.EINVALID, "Entity %d is in case %d, not %d: put one case at a time.", i, e.CaseID, caseID)
		}
	}
	return nil
}

// validateEntity normalises and checks e and its statements.
func validateEntity(e *rastro.Entity) error {
	e.ID, e.Schema, e.Caption = strings.TrimSpace(e.ID), strings.TrimSpace(e.Schema), strings.TrimSpace(e.Caption)
	if e.CaseRole == "" {
		e.CaseRole = rastro.CaseRoleUnknown
	}
	if e.Caption == "" {
		e.Caption = e.ID
	}
	switch {
	case e.ID == "":
		return errorf(rastro.EINVALID, "Entity id is required.")
	case len(e.ID) > 200:
		return errorf(rastro.EINVALID, "Entity id must be at most 200 characters.")
	case e.Schema == "":
		return errorf(rastro.EINVALID, "Entity %q needs a schema such as Person or UserAccount.", e.ID)
	case !slices.Contains(caseRoles, e.CaseRole):
		return errorf(rastro.EINVALID, "Unknown case role %q; use one of %v.", e.CaseRole, caseRoles)
	case !slices.Contains(legalStatuses, e.LegalStatus):
		return errorf(rastro.EINVALID, "Unknown legal status %q; use suspected, charged, convicted, acquitted or empty.", e.LegalStatus)
	case e.Sensitivity != "" && e.Sensitivity != "restricted":
		return errorf(rastro.EINVALID, "Sensitivity must be empty or \"restricted\", not %q.", e.Sensitivity)
	}
	for i, s := range e.Statements {
		if err := validateStatement(s); err != nil {
			return fmt.Errorf("entity %q statement %d: %w", e.ID, i, err)
		}
	}
	return nil
}

// validateStatement checks one statement.
func validateStatement(s *rastro.Statement) error {
	s.Prop = strings.TrimSpace(s.Prop)
	switch {
	case s.Prop == "":
		return errorf(rastro.EINVALID, "Statement property is required.")
	case s.Value == "":
		return errorf(rastro.EINVALID, "Statement %q has an empty value.", s.Prop)
	case !slices.Contains(origins, s.Origin):
		return errorf(rastro.EINVALID, "Statement %q has unknown origin %q; use one of %v.", s.Prop, s.Origin, origins)
	case s.Confidence < 0 || s.Confidence > 1:
		return errorf(rastro.EINVALID, "Statement %q confidence must be between 0 and 1.", s.Prop)
	}
	return nil
}

const entityColumns = `e.case_id, e.id, e.schema, e.caption, e.case_role, e.legal_status, e.sensitivity, e.created_at, e.updated_at`

// scanEntity scans one row of entityColumns.
func scanEntity(row rowScanner) (*rastro.Entity, error) {
	e := &rastro.Entity{}
	err := row.Scan(&e.CaseID, &e.ID, &e.Schema, &e.Caption, &e.CaseRole, &e.LegalStatus, &e.Sensitivity,
		ts(&e.CreatedAt), ts(&e.UpdatedAt))
	return e, err
}

const statementColumns = `id, case_id, entity_id, prop, value, normalized, COALESCE(evidence_id, 0),
	COALESCE(record_id, 0), locator, origin, confidence, created_at`

// scanStatement scans one row of statementColumns.
func scanStatement(row rowScanner) (*rastro.Statement, error) {
	s := &rastro.Statement{}
	err := row.Scan(&s.ID, &s.CaseID, &s.EntityID, &s.Prop, &s.Value, &s.Normalized, &s.EvidenceID,
		&s.RecordID, &s.Locator, &s.Origin, &s.Confidence, ts(&s.CreatedAt))
	return s, err
}

// Entity returns an entity with its statements to members with read
// permission. Opening a protected entity (a (possible) victim, a restricted
// entity, or one protected through them: see protect.go) happens in a write
// transaction that also appends the audit event, so that no unaudited view
// can happen: "view_victim" (with the actor's purpose) when the actor may
// open the compartment, "view_victim_denied" otherwise, in which case the
// entity comes back redacted (pseudonym caption, non-identifying statements
// only, Redacted set) rather than as an error, so that the role can still
// be shown.
func (db *DB) Entity(ctx context.Context, actor rastro.Actor, caseID int64, id string) (*rastro.Entity, error) {
	e, again, err := db.entity(ctx, actor, caseID, id, false)
	if err != nil || !again {
		return e, err
	}
	// Protected: read again in a write transaction that records the view.
	e, _, err = db.entity(ctx, actor, caseID, id, true)
	return e, err
}

// entity reads one entity in a read transaction, or in a write transaction
// that audits the view of a protected one. Without audit, a protected entity
// is never returned: entity reports again instead, and the caller re-reads.
func (db *DB) entity(ctx context.Context, actor rastro.Actor, caseID int64, id string, audit bool) (e *rastro.Entity, again bool, err error) {
	begin := db.beginRead
	if audit {
		begin = db.beginWrite
	}
	tx, err := begin(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	if err := db.caseAccess(ctx, tx, actor, caseID, rastro.PermReadCase); err != nil {
		return nil, false, err
	}
	e, err = scanEntity(tx.QueryRowContext(ctx, `SELECT `+entityColumns+` FROM entities e WHERE e.case_id = $1 AND e.id = $2`, caseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, errorf(rastro.ENOTFOUND, "Entity %q not found in case %d.", id, caseID)
	} else if err != nil {
		return nil, false, db.fail("entity", err)
	}
	sh, err := db.shieldFor(ctx, tx, actor, caseID, []string{id})
	if err != nil {
		return nil, false, err
	}
	if sh.prot.protected[id] && !audit {
		return nil, true, nil // the caller re-reads with audit; statements not loaded
	}
	if e.Statements, err = db.statements(ctx, tx, caseID, []string{id}); err != nil {
		return nil, false, err
	}
	sh.redact(e)
	if !sh.prot.protected[id] {
		if !e.Redacted {
			err = db.scrubEntities(ctx, tx, actor, caseID, []*rastro.Entity{e})
		}
		return e, false, err
	}
	ev := &rastro.AuditEvent{Action: AuditViewVictim, CaseID: caseID, Object: "entity:" + id}
	if sh.denied(id) {
		ev.Action, ev.Details = AuditViewVictimDenied, "pseudonym shown: the victims' compartment needs the caseworker role or a need-to-know grant"
	}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return nil, false, err
	}
	if err := db.commit(tx); err != nil {
		return nil, false, err
	}
	return e, false, nil
}

// statements loads the statements of the given entities, ordered by entity
// and id.
func (db *DB) statements(ctx context.Context, tx *sql.Tx, caseID int64, ids []string) ([]*rastro.Statement, error) {
	a := args{caseID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	return queryList(ctx, db, tx, "statements", scanStatement, `SELECT `+statementColumns+` FROM statements
		WHERE case_id = $1 AND entity_id IN (`+strings.Join(ph, ", ")+`) ORDER BY entity_id, id`, a...)
}

// Entities lists a case's entities matching f, by caption, without
// statements, and the number matching in total.
func (db *DB) Entities(ctx context.Context, actor rastro.Actor, caseID int64, f rastro.EntityFilter) ([]*rastro.Entity, int, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	a := args{caseID}
	where := "e.case_id = $1"
	if f.Schema != "" {
		where += " AND e.schema = " + a.add(f.Schema)
	}
	if f.Role != "" {
		where += " AND e.case_role = " + a.add(f.Role)
	}
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil {
		return nil, 0, err
	}
	hidden, err := db.hiddenInCase(ctx, tx, caseID, acc)
	if err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		var named []string
		if len(hidden) > 0 {
			key, err := db.pseudonymKey(ctx, tx, caseID)
			if err != nil {
				return nil, 0, err
			}
			named = pseudonymMatches(key, hidden, q)
		}
		where += " AND " + db.searchCondition(q, hidden, named, &a)
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entities e WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, db.fail("entities", err)
	}
	// Hidden entities come last, by id: their place among captions would
	// hint at the hidden name.
	la := slices.Clone(a)
	order := "e.caption, e.id"
	if len(hidden) > 0 {
		order = fmt.Sprintf("CASE WHEN e.id IN (%s) THEN 1 ELSE 0 END, CASE WHEN e.id IN (%[1]s) THEN e.id ELSE e.caption END, e.id", la.in(hidden))
	}
	limit, offset := la.add(clampLimit(f.Limit)), la.add(max(f.Offset, 0))
	rows, err := tx.QueryContext(ctx, `SELECT `+entityColumns+` FROM entities e WHERE `+where+
		` ORDER BY `+order+` LIMIT `+limit+` OFFSET `+offset, la...)
	if err != nil {
		return nil, 0, db.fail("entities", err)
	}
	defer rows.Close()
	list := []*rastro.Entity{}
	for rows.Next() {
		e, err := scanEntity(rows)
		if err != nil {
			return nil, 0, db.fail("entities", err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, db.fail("entities", err)
	}
	rows.Close()
	if err := db.redactList(ctx, tx, actor, caseID, list); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// searchCondition returns the SQL condition of a text search: caption or
// any statement value. Entities whose values are hidden from the actor
// (hidden) match only on the statements the actor may see, so that a search
// cannot tell whether a victim is called "María", or on the pseudonym they
// were shown (named).
func (db *DB) searchCondition(q string, hidden, named []string, a *args) string {
	p := a.add(likePattern(q))
	like := db.d.ILike
	open := fmt.Sprintf(`(e.caption %s %s ESCAPE '\' OR EXISTS (SELECT 1 FROM statements s
		WHERE s.case_id = e.case_id AND s.entity_id = e.id AND s.value %s %s ESCAPE '\'))`, like, p, like, p)
	if len(hidden) == 0 {
		return open
	}
	hiddenIn := a.in(hidden)
	kept := a.in([]string{"gender", "nationality", "country", "topics", "kind", "platform"})
	byPseudonym := ""
	if len(named) > 0 {
		byPseudonym = " OR e.id IN (" + a.in(named) + ")"
	}
	return fmt.Sprintf(`((e.id NOT IN (%s) AND %s) OR (e.id IN (%s) AND EXISTS (SELECT 1 FROM statements s
		WHERE s.case_id = e.case_id AND s.entity_id = e.id AND s.prop IN (%s) AND s.value %s %s ESCAPE '\'))%s)`,
		hiddenIn, open, hiddenIn, kept, like, p, byPseudonym)
}

// redactList applies the actor's shield to entities read in tx.
func (db *DB) redactList(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, list []*rastro.Entity) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]string, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	acc, err := db.compartmentAccess(ctx, tx, actor, caseID)
	if err != nil {
		return err
	}
	var sh *shield
	if acc == accessFull {
		sh = &shield{access: acc, prot: &protection{}} // nothing to withhold: only mark minors
		sh.minors, err = db.minors(ctx, tx, caseID, ids)
	} else {
		sh, err = db.shieldFor(ctx, tx, actor, caseID, ids)
	}
	if err != nil {
		return err
	}
	for _, e := range list {
		sh.redact(e)
	}
	if acc == accessFull {
		return nil
	}
	return db.scrubEntities(ctx, tx, actor, caseID, list)
}

// scrubEntities passes the captions and statements of the entities shown in
// full through the text scrubber: a caption or statement may still repeat a
// hidden person's name (a chat account saved under it).
func (db *DB) scrubEntities(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, list []*rastro.Entity) error {
	sc, err := db.textScrubber(ctx, tx, actor, caseID)
	if err != nil || sc == nil {
		return err
	}
	for _, e := range list {
		if e.Redacted {
			continue
		}
		e.Caption = sc.Scrub(e.Caption)
		for _, st := range e.Statements {
			st.Value, st.Normalized = sc.Scrub(st.Value), sc.Scrub(st.Normalized)
		}
	}
	return nil
}

// forEachBatch is how many entities ForEachEntity loads at a time.
const forEachBatch = 500

// ForEachEntity calls fn for every entity of the case, in id order, with its
// statements, from one consistent snapshot. It stops at fn's first error.
// Entities are redacted as by Entity for actors outside the compartment
// (bulk reads are not audited per entity; exports audit themselves).
func (db *DB) ForEachEntity(ctx context.Context, actor rastro.Actor, caseID int64, fn func(*rastro.Entity) error) error {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	after := ""
	for {
		batch, err := db.entityBatch(ctx, tx, caseID, after)
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := db.redactList(ctx, tx, actor, caseID, batch); err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// entityBatch loads the next batch of entities after the given id, with
// their statements. Rows are closed before statements are read, since a
// PostgreSQL connection runs one query at a time.
func (db *DB) entityBatch(ctx context.Context, tx *sql.Tx, caseID int64, after string) ([]*rastro.Entity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+entityColumns+` FROM entities e WHERE e.case_id = $1 AND e.id > $2
		ORDER BY e.id LIMIT $3`, caseID, after, forEachBatch)
	if err != nil {
		return nil, db.fail("entities", err)
	}
	var batch []*rastro.Entity
	byID := map[string]*rastro.Entity{}
	for rows.Next() {
		e, err := scanEntity(rows)
		if err != nil {
			rows.Close()
			return nil, db.fail("entities", err)
		}
		batch = append(batch, e)
		byID[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(batch) == 0 {
		return nil, db.fail("entities", err)
	}
	ids := make([]string, len(batch))
	for i, e := range batch {
		ids[i] = e.ID
	}
	stmts, err := db.statements(ctx, tx, caseID, ids)
	if err != nil {
		return nil, err
	}
	for _, s := range stmts {
		e := byID[s.EntityID]
		e.Statements = append(e.Statements, s)
	}
	return batch, nil
}

// SetCaseRole changes an entity's case role and legal status; members with
// write permission only. Audited with the actor's purpose, which is required
// when a (possible) victim would stop being one. Turning a (possible) victim
// into a suspect or person of interest is refused (EFORBIDDEN): it needs
// SetCaseRoleWithOverride (screen.CheckRoleChange).
func (db *DB) SetCaseRole(ctx context.Context, actor rastro.Actor, caseID int64, id string, role rastro.CaseRole, legal rastro.LegalStatus) error {
	return db.setCaseRole(ctx, actor, caseID, id, role, legal, nil)
}

// SetCaseRoleWithOverride is SetCaseRole with the explicit decision of the
// case's lead investigator, with a written reason (at least
// screen.MinOverrideReason characters), to record a (possible) victim as a
// suspect or person of interest. The override's audit event
// (victim_subject_override) is stored with the change.
func (db *DB) SetCaseRoleWithOverride(ctx context.Context, actor rastro.Actor, caseID int64, id string, role rastro.CaseRole, legal rastro.LegalStatus, reason string) error {
	return db.setCaseRole(ctx, actor, caseID, id, role, legal, &reason)
}

// setCaseRole changes the role, with an override when reason is not nil.
func (db *DB) setCaseRole(ctx context.Context, actor rastro.Actor, caseID int64, id string, role rastro.CaseRole, legal rastro.LegalStatus, reason *string) error {
	if !slices.Contains(caseRoles, role) {
		return errorf(rastro.EINVALID, "Unknown case role %q; use one of %v.", role, caseRoles)
	}
	if !slices.Contains(legalStatuses, legal) {
		return errorf(rastro.EINVALID, "Unknown legal status %q; use suspected, charged, convicted, acquitted or empty.", legal)
	}
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var old rastro.CaseRole
	var oldLegal rastro.LegalStatus
	err = tx.QueryRowContext(ctx, `SELECT case_role, legal_status FROM entities WHERE case_id = $1 AND id = $2`, caseID, id).Scan(&old, &oldLegal)
	if errors.Is(err, sql.ErrNoRows) {
		return errorf(rastro.ENOTFOUND, "Entity %q not found in case %d.", id, caseID)
	} else if err != nil {
		return db.fail("set case role", err)
	}
	var ov *screen.Override
	if reason != nil {
		if ov, err = db.override(ctx, tx, actor, caseID, []string{id}, *reason); err != nil {
			return err
		}
	}
	rc, err := screen.CheckRoleChange(caseID, id, old, role, ov)
	if err != nil {
		return err
	}
	if old.IsVictim() && !role.IsVictim() && rc.Audit == nil && strings.TrimSpace(actor.Purpose) == "" {
		return errorf(rastro.EINVALID, "Entity %q is recorded as a %s: state the reason (purpose) for changing that.", id, old)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE entities SET case_role = $1, legal_status = $2, updated_at = $3 WHERE case_id = $4 AND id = $5`,
		role, legal, db.t(db.now()), caseID, id); err != nil {
		return db.fail("set case role", err)
	}
	ev := &rastro.AuditEvent{Action: AuditCaseRoleChange, CaseID: caseID, Object: "entity:" + id,
		Details: fmt.Sprintf("%s/%s -> %s/%s", old, oldLegal, role, legal)}
	if rc.Audit != nil {
		ev.Purpose = rc.Audit.Purpose
	}
	if err := db.insertAudit(ctx, tx, actor, ev); err != nil {
		return err
	}
	if rc.Audit != nil {
		if err := db.insertAudit(ctx, tx, actor, rc.Audit); err != nil {
			return err
		}
	}
	return db.commitCase(ctx, tx, caseID)
}

// override builds a screen.Override for actor on the case from its
// membership and the store's clock; screen validates it.
func (db *DB) override(ctx context.Context, tx *sql.Tx, actor rastro.Actor, caseID int64, ids []string, reason string) (*screen.Override, error) {
	role, err := memberRole(ctx, tx, actor, caseID)
	if err != nil {
		return nil, err
	}
	return &screen.Override{By: actor, Member: role, CaseID: caseID, EntityIDs: ids, Reason: reason, At: db.now()}, nil
}

// Statement returns one statement of a case, for provenance views.
func (db *DB) Statement(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.Statement, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	s, err := scanStatement(tx.QueryRowContext(ctx, `SELECT `+statementColumns+` FROM statements WHERE case_id = $1 AND id = $2`, caseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Statement %d not found in case %d.", id, caseID)
	} else if err != nil {
		return nil, db.fail("statement", err)
	}
	sh, err := db.shieldFor(ctx, tx, actor, caseID, []string{s.EntityID})
	if err != nil {
		return nil, err
	}
	if !sh.prot.protected[s.EntityID] && !sh.minors[s.EntityID] {
		// Another entity's statement may still repeat a hidden person's
		// name (a chat account saved under it).
		sc, err := db.textScrubber(ctx, tx, actor, caseID)
		if err != nil {
			return nil, err
		}
		s.Value = sc.Scrub(s.Value)
		return s, nil
	}
	tx.Rollback()
	return db.protectedStatement(ctx, actor, s, sh)
}

// protectedStatement returns a statement of a protected entity or a minor
// after auditing the view (EFORBIDDEN, audited as view_victim_denied, when
// the statement is withheld from the actor).
func (db *DB) protectedStatement(ctx context.Context, actor rastro.Actor, s *rastro.Statement, sh *shield) (*rastro.Statement, error) {
	object := fmt.Sprintf("entity:%s statement:%d", s.EntityID, s.ID)
	if sh.hides(s.EntityID, s.Prop) {
		ev := &rastro.AuditEvent{Action: AuditViewVictimDenied, CaseID: s.CaseID, Object: object, Details: "statement " + s.Prop + " withheld"}
		if err := db.auditAlone(ctx, actor, ev); err != nil {
			return nil, err
		}
		return nil, errorf(rastro.EFORBIDDEN, "This statement is personal data of a protected person; it needs the caseworker role or a need-to-know grant.")
	}
	if !sh.prot.protected[s.EntityID] || sh.denied(s.EntityID) {
		return s, nil // a non-identifying statement, or a minor's
	}
	ev := &rastro.AuditEvent{Action: AuditViewVictim, CaseID: s.CaseID, Object: object}
	if err := db.auditAlone(ctx, actor, ev); err != nil {
		return nil, err
	}
	return s, nil
}

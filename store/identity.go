package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

var _ rastro.JudgementService = (*DB)(nil)

// Audit actions of the judgement service.
const (
	AuditIdentityJudge = "identity_judge"
	AuditIdentityUndo  = "identity_undo"
)

// Judge stores an analyst's identity judgement, audited as identity_judge
// in the same transaction. A "same" judgement is refused when it would put a
// (possible) victim and a suspect or person of interest in one identity,
// counting what is already judged the same as either side and the roles
// protection spreads along uses and Ownership links.
func (db *DB) Judge(ctx context.Context, actor rastro.Actor, j *rastro.IdentityJudgement) error {
	if err := validJudgement(j); err != nil {
		return err
	}
	tx, err := db.writeCase(ctx, actor, j.CaseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.judgedEntitiesExist(ctx, tx, j); err != nil {
		return err
	}
	if j.Verdict == rastro.VerdictSame {
		if err := db.refuseVictimMerge(ctx, tx, j); err != nil {
			return err
		}
	}
	j.Actor, j.ActorName, j.CreatedAt = actor.UserID, actor.Username, db.now()
	j.UndoneAt, j.UndoneBy = time.Time{}, 0
	err = tx.QueryRowContext(ctx, `
		INSERT INTO identity_judgements (case_id, entity_a, entity_b, verdict, reason, score, explanation, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		j.CaseID, j.A, j.B, string(j.Verdict), j.Reason, j.Score, string(j.Explanation), nullID(j.Actor), db.t(j.CreatedAt)).Scan(&j.ID)
	if db.kind(err) == ErrUnique {
		return errorf(rastro.ECONFLICT, "%s and %s already have a judgement; undo it before judging them again.", j.A, j.B)
	} else if err != nil {
		return db.fail("judge", err)
	}
	details := fmt.Sprintf("%s %s %s: %s", j.A, j.Verdict, j.B, j.Reason)
	if err := db.auditIn(ctx, tx, actor, AuditIdentityJudge, j.CaseID, fmt.Sprintf("judgement:%d", j.ID), details); err != nil {
		return err
	}
	return db.commitCase(ctx, tx, j.CaseID)
}

// validJudgement normalises and checks what the caller supplies.
func validJudgement(j *rastro.IdentityJudgement) error {
	j.A, j.B, j.Reason = strings.TrimSpace(j.A), strings.TrimSpace(j.B), strings.TrimSpace(j.Reason)
	if j.B < j.A {
		j.A, j.B = j.B, j.A
	}
	switch {
	case j.A == "" || j.B == "":
		return errorf(rastro.EINVALID, "A judgement needs two entities.")
	case j.A == j.B:
		return errorf(rastro.EINVALID, "An entity cannot be judged against itself; pick two different entities.")
	case !j.Verdict.Valid():
		return errorf(rastro.EINVALID, "Verdict %q is not one of same, not_same, unsure.", j.Verdict)
	case len([]rune(j.Reason)) < rastro.MinJudgementReason:
		return errorf(rastro.EINVALID, "Write why you decided (at least %d characters).", rastro.MinJudgementReason)
	case len(j.Explanation) > 0 && !isJSON(j.Explanation):
		return errorf(rastro.EINVALID, "The judgement's explanation must be JSON.")
	}
	return nil
}

// judgedEntitiesExist returns ENOTFOUND unless both entities are in the case.
func (db *DB) judgedEntitiesExist(ctx context.Context, tx *sql.Tx, j *rastro.IdentityJudgement) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entities WHERE case_id = $1 AND id IN ($2, $3)`, j.CaseID, j.A, j.B).Scan(&n)
	if err != nil {
		return db.fail("judge", err)
	}
	if n != 2 {
		return errorf(rastro.ENOTFOUND, "Entity %s or %s not found in case %d.", j.A, j.B, j.CaseID)
	}
	return nil
}

// refuseVictimMerge returns EINVALID when joining j.A and j.B, with every
// entity live "same" judgements already join to either, would put a
// (possible) victim and a suspect or person of interest in one identity.
func (db *DB) refuseVictimMerge(ctx context.Context, tx *sql.Tx, j *rastro.IdentityJudgement) error {
	ids, err := db.sameComponent(ctx, tx, j.CaseID, j.A, j.B)
	if err != nil {
		return err
	}
	prot, err := db.protect(ctx, tx, j.CaseID, ids)
	if err != nil {
		return err
	}
	victim, suspect := "", ""
	for _, id := range ids {
		switch r := prot.role(id); {
		case r.IsVictim() && victim == "":
			victim = id
		case (r == rastro.CaseRoleSuspect || r == rastro.CaseRolePersonOfInt) && suspect == "":
			suspect = id
		}
	}
	if victim != "" && suspect != "" {
		return errorf(rastro.EINVALID, "Refused: %s is recorded as a (possible) victim and %s as a suspect or person of interest; "+
			"a victim is never merged into a suspect's identity. Judge them not the same, or correct the case role first.", victim, suspect)
	}
	return nil
}

// sameComponent returns a and b with every entity live "same" judgements of
// the case join to them, sorted.
func (db *DB) sameComponent(ctx context.Context, tx *sql.Tx, caseID int64, a, b string) ([]string, error) {
	adj := map[string][]string{}
	err := scanEach(ctx, db, tx, "judge", func(r rowScanner) error {
		var x, y string
		if err := r.Scan(&x, &y); err != nil {
			return err
		}
		adj[x], adj[y] = append(adj[x], y), append(adj[y], x)
		return nil
	}, `SELECT entity_a, entity_b FROM identity_judgements WHERE case_id = $1 AND verdict = 'same' AND undone_at IS NULL`, caseID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{a: true, b: true}
	queue := []string{a, b}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range adj[x] {
			if !seen[y] {
				seen[y] = true
				queue = append(queue, y)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// UndoJudgement marks a live judgement undone, audited as identity_undo in
// the same transaction; the row stays.
func (db *DB) UndoJudgement(ctx context.Context, actor rastro.Actor, caseID, id int64) (*rastro.IdentityJudgement, error) {
	tx, err := db.writeCase(ctx, actor, caseID, rastro.PermWriteCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE identity_judgements SET undone_at = $1, undone_by = $2
		WHERE case_id = $3 AND id = $4 AND undone_at IS NULL`, db.t(db.now()), nullID(actor.UserID), caseID, id)
	if err != nil {
		return nil, db.fail("undo judgement", err)
	}
	if err := exactlyOne(res, "Judgement %d not found in case %d, or already undone.", id, caseID); err != nil {
		return nil, err
	}
	j, err := scanJudgement(tx.QueryRowContext(ctx, `SELECT `+judgementColumns+` FROM identity_judgements j
		LEFT JOIN users u ON u.id = j.created_by WHERE j.case_id = $1 AND j.id = $2`, caseID, id))
	if err != nil {
		return nil, db.fail("undo judgement", err)
	}
	details := fmt.Sprintf("undid %s %s %s", j.A, j.Verdict, j.B)
	if err := db.auditIn(ctx, tx, actor, AuditIdentityUndo, caseID, fmt.Sprintf("judgement:%d", id), details); err != nil {
		return nil, err
	}
	return j, db.commitCase(ctx, tx, caseID)
}

const judgementColumns = `j.id, j.case_id, j.entity_a, j.entity_b, j.verdict, j.reason, j.score, j.explanation,
	COALESCE(j.created_by, 0), COALESCE(u.username, ''), j.created_at, j.undone_at, COALESCE(j.undone_by, 0)`

// scanJudgement scans one row of judgementColumns.
func scanJudgement(row rowScanner) (*rastro.IdentityJudgement, error) {
	j := &rastro.IdentityJudgement{}
	var expl string
	err := row.Scan(&j.ID, &j.CaseID, &j.A, &j.B, &j.Verdict, &j.Reason, &j.Score, &expl,
		&j.Actor, &j.ActorName, ts(&j.CreatedAt), ts(&j.UndoneAt), &j.UndoneBy)
	if expl != "" {
		j.Explanation = []byte(expl)
	}
	return j, err
}

// Judgements lists a case's judgements newest first, undone ones included;
// only those naming entityID when it is not "".
func (db *DB) Judgements(ctx context.Context, actor rastro.Actor, caseID int64, entityID string) ([]*rastro.IdentityJudgement, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a := args{caseID}
	where := "j.case_id = $1"
	if entityID != "" {
		p := a.add(entityID)
		where += " AND (j.entity_a = " + p + " OR j.entity_b = " + p + ")"
	}
	return queryList(ctx, db, tx, "judgements", scanJudgement, `SELECT `+judgementColumns+` FROM identity_judgements j
		LEFT JOIN users u ON u.id = j.created_by WHERE `+where+` ORDER BY j.id DESC`, a...)
}

// SaveIdentityRun stores a resolution run; members with write permission
// and the system actor (the identity.resolve job) only.
func (db *DB) SaveIdentityRun(ctx context.Context, actor rastro.Actor, r *rastro.IdentityRun) error {
	if !isJSON(r.Result) {
		return errorf(rastro.EINVALID, "An identity run's result must be JSON.")
	}
	tx, err := db.writeCase(ctx, actor, r.CaseID, rastro.PermWriteCase)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.CreatedAt = db.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO identity_runs (case_id, result, created_at) VALUES ($1, $2, $3) RETURNING id`,
		r.CaseID, string(r.Result), db.t(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return db.fail("save identity run", err)
	}
	return db.commitCase(ctx, tx, r.CaseID)
}

// LatestIdentityRun returns the newest resolution run of a case.
func (db *DB) LatestIdentityRun(ctx context.Context, actor rastro.Actor, caseID int64) (*rastro.IdentityRun, error) {
	tx, err := db.readCase(ctx, actor, caseID, rastro.PermReadCase)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &rastro.IdentityRun{}
	var res string
	err = tx.QueryRowContext(ctx, `SELECT id, case_id, result, created_at FROM identity_runs
		WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, caseID).Scan(&r.ID, &r.CaseID, &res, ts(&r.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Identity resolution has not run on case %d yet.", caseID)
	} else if err != nil {
		return nil, db.fail("identity run", err)
	}
	r.Result = []byte(res)
	return r, nil
}

// isJSON reports whether b is valid JSON.
func isJSON(b []byte) bool { return json.Valid(b) }

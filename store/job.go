package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// DefaultMaxAttempts is used when a job does not set MaxAttempts.
const DefaultMaxAttempts = 5

// Enqueue adds a job. A job about a case needs write permission on it;
// a job without a case needs the system actor or an admin.
func (db *DB) Enqueue(ctx context.Context, actor rastro.Actor, j *rastro.Job) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if j.CaseID != 0 {
		err = db.caseAccess(ctx, tx, actor, j.CaseID, rastro.PermWriteCase)
	} else if !actor.System && actor.Role != rastro.RoleAdmin {
		err = forbidden("enqueue jobs outside a case")
	}
	if err != nil {
		return err
	}
	if err := db.enqueue(ctx, tx, j); err != nil {
		return err
	}
	return db.commit(tx)
}

// enqueue validates j and inserts it inside tx, so that data services can
// enqueue work in the same transaction as the data it concerns.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, j *rastro.Job) error {
	j.Kind = strings.TrimSpace(j.Kind)
	switch {
	case j.Kind == "":
		return errorf(rastro.EINVALID, "Job kind is required.")
	case len(j.Payload) > 0 && !json.Valid(j.Payload):
		return errorf(rastro.EINVALID, "Job payload must be JSON.")
	case j.MaxAttempts < 0:
		return errorf(rastro.EINVALID, "Job max_attempts cannot be negative.")
	}
	if j.MaxAttempts == 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	now := db.now()
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	j.State, j.Attempts, j.Progress, j.CreatedAt, j.UpdatedAt = rastro.JobQueued, 0, 0, now, now
	err := tx.QueryRowContext(ctx, `
		INSERT INTO jobs (case_id, kind, payload, state, attempts, max_attempts, progress, run_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 0, $5, 0, $6, $7, $7) RETURNING id`,
		nullID(j.CaseID), j.Kind, string(j.Payload), j.State, j.MaxAttempts, db.t(j.RunAt), db.t(now)).Scan(&j.ID)
	return db.fail("enqueue", err)
}

const jobColumns = `id, COALESCE(case_id, 0), kind, payload, state, attempts, max_attempts, progress, message,
	last_error, run_at, lease_until, created_at, updated_at`

// scanJob scans one row of jobColumns.
func scanJob(row rowScanner) (*rastro.Job, error) {
	j := &rastro.Job{}
	var payload string
	err := row.Scan(&j.ID, &j.CaseID, &j.Kind, &payload, &j.State, &j.Attempts, &j.MaxAttempts, &j.Progress,
		&j.Message, &j.LastError, ts(&j.RunAt), ts(&j.LeaseUntil), ts(&j.CreatedAt), ts(&j.UpdatedAt))
	if payload != "" {
		j.Payload = json.RawMessage(payload)
	}
	return j, err
}

// Claim takes the oldest runnable job of the given kinds (any kind when
// kinds is empty): queued and due, or running with an expired lease (its
// worker died). It marks it running with a lease and counts the attempt, in
// one statement; on PostgreSQL the candidate row is locked with SKIP LOCKED so
// that many nodes can claim at once, on SQLite the single writer serialises
// claims. Jobs whose lease expired on their last attempt are marked failed.
// ENOTFOUND when there is nothing to do.
func (db *DB) Claim(ctx context.Context, kinds []string, lease time.Duration) (*rastro.Job, error) {
	if lease <= 0 {
		return nil, errorf(rastro.EINVALID, "Job lease must be positive.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := db.now()
	sweep := args{db.t(now)}
	if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'failed', lease_until = NULL, updated_at = $1,
		last_error = 'lease expired on the last attempt (the worker stopped or timed out)'
		WHERE state = 'running' AND lease_until < $1 AND attempts >= max_attempts AND `+kindFilter(&sweep, kinds), sweep...); err != nil {
		return nil, db.fail("claim", err)
	}
	a := args{db.t(now), db.t(now.Add(lease))}
	j, err := scanJob(tx.QueryRowContext(ctx, `
		UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $2, updated_at = $1
		WHERE id = (SELECT id FROM jobs WHERE `+kindFilter(&a, kinds)+`
			AND ((state = 'queued' AND run_at <= $1) OR (state = 'running' AND lease_until < $1))
			ORDER BY run_at, id LIMIT 1 `+db.d.SkipLocked+`)
		RETURNING `+jobColumns, a...))
	if errors.Is(err, sql.ErrNoRows) {
		if err := db.commit(tx); err != nil { // keep the jobs marked failed
			return nil, err
		}
		return nil, errorf(rastro.ENOTFOUND, "No job is waiting.")
	} else if err != nil {
		return nil, db.fail("claim", err)
	}
	return j, db.commit(tx)
}

// kindFilter returns the SQL condition on the job kinds, binding them in a.
func kindFilter(a *args, kinds []string) string {
	if len(kinds) == 0 {
		return "1 = 1"
	}
	ph := make([]string, len(kinds))
	for i, k := range kinds {
		ph[i] = a.add(k)
	}
	return "kind IN (" + strings.Join(ph, ", ") + ")"
}

// Progress records a running job's progress (0..1) and message.
func (db *DB) Progress(ctx context.Context, id int64, progress float64, message string) error {
	if progress < 0 || progress > 1 {
		return errorf(rastro.EINVALID, "Job progress must be between 0 and 1.")
	}
	return db.jobUpdate(ctx, id, `UPDATE jobs SET progress = $1, message = $2, updated_at = $3 WHERE id = $4 AND state = 'running'`,
		progress, message, db.t(db.now()), id)
}

// Complete marks a running job done.
func (db *DB) Complete(ctx context.Context, id int64) error {
	return db.jobUpdate(ctx, id, `UPDATE jobs SET state = 'done', progress = 1, lease_until = NULL, updated_at = $1
		WHERE id = $2 AND state = 'running'`, db.t(db.now()), id)
}

// Fail records a running job's error and queues it again at now+backoff, or
// marks it failed when its attempts are spent.
func (db *DB) Fail(ctx context.Context, id int64, errMsg string, backoff time.Duration) error {
	now := db.now()
	return db.jobUpdate(ctx, id, `UPDATE jobs SET
		state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
		run_at = CASE WHEN attempts >= max_attempts THEN run_at ELSE $1 END,
		last_error = $2, lease_until = NULL, updated_at = $3
		WHERE id = $4 AND state = 'running'`, db.t(now.Add(max(backoff, 0))), errMsg, db.t(now), id)
}

// jobUpdate runs an update of a running job in its own transaction:
// ENOTFOUND when the job does not exist, ECONFLICT when it is not running.
func (db *DB) jobUpdate(ctx context.Context, id int64, query string, args ...any) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return db.fail("job", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.fail("job", err)
	} else if n == 0 {
		var state rastro.JobState
		err := tx.QueryRowContext(ctx, `SELECT state FROM jobs WHERE id = $1`, id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return errorf(rastro.ENOTFOUND, "Job %d not found.", id)
		} else if err != nil {
			return db.fail("job", err)
		}
		return errorf(rastro.ECONFLICT, "Job %d is %s, not running.", id, state)
	}
	return db.commit(tx)
}

// jobListLimit bounds Jobs.
const jobListLimit = 500

// Jobs lists a case's jobs, newest first, to members with read permission;
// with caseID 0, all jobs to the system actor.
func (db *DB) Jobs(ctx context.Context, actor rastro.Actor, caseID int64) ([]*rastro.Job, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if caseID == 0 && !actor.System {
		return nil, forbidden("list jobs outside a case")
	} else if caseID != 0 {
		if err := db.caseAccess(ctx, tx, actor, caseID, rastro.PermReadCase); err != nil {
			return nil, err
		}
	}
	return queryList(ctx, db, tx, "jobs", scanJob, `SELECT `+jobColumns+` FROM jobs WHERE ($1 = 0 OR case_id = $1)
		ORDER BY id DESC LIMIT $2`, caseID, jobListLimit)
}

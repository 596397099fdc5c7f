package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/rastro/rastro"
)

// CreateSession stores a login session keyed by the SHA-256 of its token.
func (db *DB) CreateSession(ctx context.Context, s *rastro.Session) error {
	switch {
	case len(s.TokenHash) != 32:
		return errorf(rastro.EINVALID, "Session token hash must be 32 bytes (SHA-256).")
	case s.ExpiresAt.IsZero():
		return errorf(rastro.EINVALID, "Session expiry is required.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	if s.LastSeen.IsZero() {
		s.LastSeen = s.CreatedAt
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		s.TokenHash, s.UserID, s.CSRFToken, db.t(s.CreatedAt), db.t(s.ExpiresAt), db.t(s.LastSeen))
	switch db.kind(err) {
	case ErrUnique:
		return errorf(rastro.ECONFLICT, "A session with this token exists.")
	case ErrForeignKey:
		return errorf(rastro.EINVALID, "User %d does not exist.", s.UserID)
	}
	if err != nil {
		return db.fail("create session", err)
	}
	return db.commit(tx)
}

// SessionByHash returns an unexpired session; ENOTFOUND when absent or
// expired.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (*rastro.Session, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	s := &rastro.Session{}
	err = tx.QueryRowContext(ctx, `
		SELECT token_hash, user_id, csrf_token, created_at, expires_at, last_seen
		FROM sessions WHERE token_hash = $1 AND expires_at > $2`, hash, db.t(db.now())).Scan(
		&s.TokenHash, &s.UserID, &s.CSRFToken, ts(&s.CreatedAt), ts(&s.ExpiresAt), ts(&s.LastSeen))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(rastro.ENOTFOUND, "Session not found or expired; please log in again.")
	} else if err != nil {
		return nil, db.fail("session", err)
	}
	return s, nil
}

// TouchSession records activity on a session.
func (db *DB) TouchSession(ctx context.Context, hash []byte, lastSeen time.Time) error {
	return db.execOne(ctx, "touch session", "Session not found.",
		`UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, db.t(lastSeen), hash)
}

// DeleteSession removes a session (logout). Deleting an absent session is
// not an error, so that logging out twice is harmless.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
		return db.fail("delete session", err)
	}
	return db.commit(tx)
}

// execOne runs one statement in its own write transaction and returns
// ENOTFOUND (with notFound as message) unless it changed exactly one row.
func (db *DB) execOne(ctx context.Context, op, notFound, query string, args ...any) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return db.fail(op, err)
	}
	if err := exactlyOne(res, "%s", notFound); err != nil {
		return err
	}
	return db.commit(tx)
}
